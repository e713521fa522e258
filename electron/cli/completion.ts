// `warren completion bash|zsh`: a script, made from the command table, that completes commands, options
// and their values; for names (hosts, groups, tunnels) it calls back `warren __complete KIND`, which reads
// the tree quickly (store/peek.ts) and the Host aliases of ~/.ssh/config (or -F FILE), never ssh2 or the
// keychain.
import { COMMANDS, GLOBAL_FLAGS, type Command, type Completion, type Flag } from './commands.js';

const shown = COMMANDS.filter((c) => !c.hidden);
const flagWords = (flags: Flag[]) => flags.flatMap((f) => (f.shortOnly ? [`-${f.short}`] : [`--${f.name}`, ...(f.short ? [`-${f.short}`] : [])]));
const valueFlags = [...GLOBAL_FLAGS, ...COMMANDS.flatMap((c) => c.flags)].filter((f) => f.value);
const valueWords = (kind: Flag['completes']) => [...new Set(flagWords(valueFlags.filter((f) => (f.completes ?? 'none') === kind)))];
/** words of the shell's own syntax only: every name here comes from the table above */
const words = (list: string[]) => list.join(' ');

/** What a positional completes to, as a shell word list or a call back into warren. */
function fixed(c: Completion): string | null {
  switch (c) {
    case 'tunnel-verbs':
      return 'up down status';
    case 'commands':
      return words(shown.map((x) => x.name));
    case 'shells':
      return 'bash zsh';
    case 'helper-kinds':
      return 'hosts groups tunnels';
    default:
      return null;
  }
}
const helperKind = (c: Completion) => (c === 'hosts-groups' ? 'hosts groups' : c);

/**
 * The part both scripts share, in shell syntax bash and zsh both read: the command's name, then its
 * options, then its arguments by position (`_warren_words` is each script's own).
 */
function dispatch(): string {
  return `  if [[ -z $cmd ]]; then
    if [[ $cur == -* ]]; then _warren_words "${words(flagWords(GLOBAL_FLAGS))}"; else _warren_words "${words(shown.map((c) => c.name))}"; fi
    return
  fi
  if [[ $cur == -* ]]; then
    case "$cmd" in
${COMMANDS.filter((c) => c.flags.length > 0)
  .map((c) => `      ${c.name}) _warren_words "${words(flagWords([...c.flags, ...GLOBAL_FLAGS]))}" ;;`)
  .join('\n')}
      *) _warren_words "${words(flagWords(GLOBAL_FLAGS))}" ;;
    esac
    return
  fi
  case "$cmd" in
${positionArms((c, arms) => `    ${c.name})\n      ${arms}\n      ;;`)}
  esac`;
}

/** case arms: a command's positional number `n` (0-based) → what it completes to */
function positionArms(emit: (c: Command, choose: string) => string): string {
  return COMMANDS.filter((c) => c.complete)
    .map((c) => {
      const list = c.complete!;
      const arms = list.map((k, n) => {
        const last = n === list.length - 1 && c.repeat;
        const test = last ? `$npos -ge ${n}` : `$npos -eq ${n}`;
        const f = fixed(k);
        return `if [[ ${test} ]]; then ${f !== null ? `_warren_words "${f}"` : `_warren_names ${helperKind(k)}`}; return; fi`;
      });
      return emit(c, arms.join('\n      '));
    })
    .join('\n');
}

export function bashScript(): string {
  return `# warren completion for bash (warren completion bash): commands, options, host names.
# Install: eval "$(warren completion bash)" in ~/.bashrc, or save it as /etc/bash_completion.d/warren
_warren_words() {
  local IFS=$' \\t\\n'
  COMPREPLY=($(compgen -W "$1" -- "$cur"))
}
_warren_names() {
  local IFS=$'\\n' names
  names=$(command "\${COMP_WORDS[0]}" "\${_warren_opts[@]}" __complete "$@" 2>/dev/null)
  COMPREPLY=($(compgen -W "$names" -- "$cur"))
  local i
  for i in "\${!COMPREPLY[@]}"; do COMPREPLY[i]=$(printf '%q' "\${COMPREPLY[i]}"); done
}
_warren() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  local i w cmd="" npos=0 dd=""
  _warren_opts=()
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    if [[ -n $dd ]]; then continue; fi
    case "$w" in
      --) dd=1 ;;
      --data-dir|-F) _warren_opts+=("$w" "\${COMP_WORDS[i+1]}"); ((i++)) ;;
      ${words(valueWords('none').filter((w) => w !== '--data-dir' && w !== '-F')).replace(/ /g, '|') || '--no-such-option'}) ((i++)) ;;
      -*) ;;
      *) if [[ -z $cmd ]]; then cmd=$w; else ((npos++)); fi ;;
    esac
  done
  case "$prev" in
    ${valueWords('dirs').join('|')}) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    ${valueWords('files').join('|')}) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    ${valueWords('none').join('|')}) COMPREPLY=(); return ;;
  esac
  # after --: the remote command, which is not warren's to complete
  if [[ -n $dd ]]; then COMPREPLY=(); return; fi
${dispatch()}
  COMPREPLY=()
}
complete -F _warren warren
`;
}

export function zshScript(): string {
  return `#compdef warren
# warren completion for zsh (warren completion zsh): commands, options, host names.
# Install: source <(warren completion zsh) in ~/.zshrc (after compinit), or save it as _warren in a folder of $fpath.
_warren_words() { compadd -- \${=1} }
_warren_names() {
  local -a names
  names=(\${(f)"$(command \${words[1]} \${_warren_opts[@]} __complete "$@" 2>/dev/null)"})
  compadd -- \${names[@]}
}
_warren() {
  local i w cmd="" npos=0 dd="" prev="\${words[CURRENT-1]}" cur="\${words[CURRENT]}"
  _warren_opts=()
  for ((i = 2; i < CURRENT; i++)); do
    w="\${words[i]}"
    if [[ -n $dd ]]; then continue; fi
    case "$w" in
      --) dd=1 ;;
      --data-dir|-F) _warren_opts+=("$w" "\${words[i+1]}"); ((i++)) ;;
      ${words(valueWords('none').filter((w) => w !== '--data-dir' && w !== '-F')).replace(/ /g, '|') || '--no-such-option'}) ((i++)) ;;
      -*) ;;
      *) if [[ -z $cmd ]]; then cmd=$w; else ((npos++)); fi ;;
    esac
  done
  case "$prev" in
    ${valueWords('dirs').join('|')}) _files -/; return ;;
    ${valueWords('files').join('|')}) _files; return ;;
    ${valueWords('none').join('|')}) return ;;
  esac
  if [[ -n $dd ]]; then return; fi
${dispatch()}
}
if [[ "\${funcstack[1]}" == "_warren" ]]; then _warren "$@"; else compdef _warren warren; fi
`;
}
