// The `warren` command's commands and options, declared once: the parser, every help text and the
// shell completion scripts are made from this table. Loads nothing but itself, so `warren help`,
// `warren completion` and the parsing of every command cost no module loading.

export interface Flag {
  /** the key in the parsed flags, and the long name (`--json`) unless `shortOnly` */
  name: string;
  short?: string;
  /** the placeholder of its value (`DIR`); absent for a switch */
  value?: string;
  /** only `-F`, as ssh spells it */
  shortOnly?: boolean;
  help: string;
  /** what a shell completes its value with */
  completes?: 'dirs' | 'files' | 'none';
}

/** What a command's positional arguments complete to, position by position (the last one repeats when `repeat`). */
export type Completion = 'hosts' | 'hosts-groups' | 'tunnels' | 'tunnel-verbs' | 'commands' | 'shells' | 'helper-kinds';

export interface Command {
  name: string;
  /** the arguments, as the usage line shows them */
  args: string;
  summary: string;
  /** more lines for `warren help CMD` */
  details?: string[];
  flags: Flag[];
  complete?: Completion[];
  repeat?: boolean;
  /** left out of the usage and of completion (`__complete`, which the completion scripts call) */
  hidden?: boolean;
}

const json: Flag = { name: 'json', help: 'print JSON (the shape is in README.md, "The warren command"); never a secret' };

export const GLOBAL_FLAGS: Flag[] = [
  { name: 'data-dir', value: 'DIR', help: 'the data folder (default ~/.config/warren)', completes: 'dirs' },
  {
    name: 'F',
    short: 'F',
    shortOnly: true,
    value: 'FILE',
    help: 'the ssh_config file names are looked up in (default ~/.ssh/config), as ssh -F',
    completes: 'files',
  },
  { name: 'help', short: 'h', help: 'this help' },
];

export const COMMANDS: Command[] = [
  {
    name: 'ls',
    args: '',
    summary: 'hosts, groups and tunnels',
    flags: [json],
    details: ['Each group with its hosts under it (user@hostname:port, the jump chain) and their tunnels.'],
  },
  { name: 'connect', args: 'HOST', summary: 'an interactive shell (prompts at the terminal, like ssh)', flags: [], complete: ['hosts'] },
  {
    name: 'exec',
    args: 'HOST -- COMMAND [ARG…]',
    summary: 'run a command, print its output, exit with its status',
    flags: [],
    complete: ['hosts'],
    details: [
      'Exit status: the command’s; 255 when Warren could not connect, the command was killed by a signal or',
      'its status was lost. Reuses a connection the app, browser mode or `warren tunnel up` holds to HOST.',
    ],
  },
  { name: 'command', args: 'HOST', summary: 'the equivalent ssh command line', flags: [], complete: ['hosts'] },
  {
    name: 'tunnel',
    args: 'up|down|status [NAME…]',
    summary: 'run tunnels in the foreground (until Ctrl-C), stop them, list them',
    flags: [{ ...json, help: 'with status: print JSON (README.md, "The warren command"); never a secret' }],
    complete: ['tunnel-verbs', 'tunnels'],
    repeat: true,
    details: [
      'up NAME…        run the tunnels, reconnecting, until Ctrl-C',
      'down NAME…      stop tunnels another `warren tunnel up` runs',
      'status [NAME…]  saved tunnels and whether they run',
    ],
  },
  { name: 'export', args: '[HOST|GROUP…]', summary: 'hosts as an ssh_config snippet', flags: [], complete: ['hosts-groups'], repeat: true },
  {
    name: 'resolve',
    args: 'HOST',
    summary: 'what `ssh -G HOST` prints, keyword for keyword (a saved host: its settings under those names)',
    flags: [json],
    details: [
      'A name that is not a saved host, or any name with -F FILE, is read from ~/.ssh/config (or FILE)',
      'exactly as OpenSSH 9.2 reads it, and every keyword ssh -G prints is printed, defaults included.',
      'Exit status: 255 when ssh would refuse the config (the line is named as file:line).',
    ],
    complete: ['hosts'],
  },
  {
    name: 'import',
    args: '',
    summary: 'an ssh_config (-F FILE, default ~/.ssh/config) into Warren; prints the report',
    flags: [{ name: 'linked', help: 'keep the hosts linked to the file: each connection reads their settings from it again' }],
    details: [
      'Exit status: 0 when every host was imported; 1 when a host was skipped, or a line is one ssh would',
      'refuse (the report names it as file:line).',
    ],
  },
  {
    name: 'doctor',
    args: 'HOST',
    summary: 'diagnose the connection step by step; exit 0 only when every step passes',
    flags: [{ name: 'timeout', value: 'SEC', help: 'how long each step may take, 0.5 to 120 (default 10)', completes: 'none' }, json],
    complete: ['hosts'],
  },
  {
    name: 'cp',
    args: 'SRC… DST',
    summary: 'copy files and folders as scp does (host:path on one side)',
    flags: [
      { name: 'recursive', short: 'r', help: 'copy folders and everything in them' },
      { name: 'preserve', short: 'p', help: 'keep modification times and modes' },
      { name: 'quiet', short: 'q', help: 'no progress line' },
      { name: 'port', short: 'P', value: 'PORT', help: 'the port, for a host that is not a saved one (as scp -P)', completes: 'none' },
      { name: 'conflict', value: 'POLICY', help: 'when the destination exists: overwrite (default, as scp), skip, rename or newer', completes: 'none' },
    ],
    complete: ['hosts'],
    repeat: true,
    details: [
      'An operand with a colon before any slash is [user@]host:path (a saved host or a name ssh_config knows);',
      'anything else a path here. A relative remote path starts in the login directory. Exit 1 when a file failed;',
      'Ctrl-C cancels and removes the temporary files (130).',
    ],
  },
  {
    name: 'sftp',
    args: 'HOST',
    summary: 'an interactive file session as sftp(1) gives one (ls, cd, get, put, mkdir, rm…)',
    flags: [],
    complete: ['hosts'],
    details: [
      'get and put are warren cp’s copies (pipelined, atomic, resumed). Commands may come one a line from a',
      'pipe or a file, as sftp -b: then the first that fails ends the session with exit status 1.',
    ],
  },
  { name: 'help', args: '[COMMAND]', summary: 'this help, or a command’s', flags: [], complete: ['commands'] },
  {
    name: 'completion',
    args: 'bash|zsh',
    summary: 'a shell completion script for commands, options and host names',
    flags: [],
    complete: ['shells'],
    details: [
      'bash: eval "$(warren completion bash)" in ~/.bashrc (or save it in /etc/bash_completion.d/warren)',
      'zsh:  source <(warren completion zsh) in ~/.zshrc (or save it as _warren in a folder of $fpath)',
    ],
  },
  {
    name: '__complete',
    args: 'hosts|groups|tunnels',
    summary: 'names for the completion scripts, one a line',
    flags: [],
    complete: ['helper-kinds'],
    hidden: true,
  },
];

export const commandNamed = (name: string) => COMMANDS.find((c) => c.name === name);

export class UsageError extends Error {
  constructor(
    message: string,
    /** the command whose usage to show with it */
    readonly command?: string,
  ) {
    super(message);
  }
}

export interface CommandLine {
  /** null: none was given */
  command: Command | null;
  flags: Record<string, string | boolean>;
  positionals: string[];
  /** whether `--` was given (what follows it is in positionals, unparsed) */
  dashDash: boolean;
}

/**
 * Parses `warren [GLOBAL…] COMMAND [ARG|OPTION…] [-- ARG…]`. Options go anywhere before `--`: the global
 * ones and the command's own; `--name=value`, `--name value`, `-Fvalue` and `-F value`. An option that is
 * neither, a value missing, or a switch given a value, is a UsageError naming it (exit 2, as ssh).
 */
export function parseCommandLine(argv: string[]): CommandLine {
  const takesValue = new Set(
    [...GLOBAL_FLAGS, ...COMMANDS.flatMap((c) => c.flags)].filter((f) => f.value).map((f) => (f.shortOnly ? `-${f.short}` : `--${f.name}`)),
  );
  // the command: the first word that is neither an option nor an option's value
  let command: Command | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (takesValue.has(a)) i++;
    else if (!a.startsWith('-') || a === '-') {
      command = commandNamed(a) ?? null;
      if (!command) throw new UsageError(`unknown command "${a}" (warren help lists them)`);
      break;
    }
  }
  const known = [...GLOBAL_FLAGS, ...(command?.flags ?? [])];
  const where = command ? ` for warren ${command.name}` : '';
  const flags: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  let dashDash = false;
  let seenCommand = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      dashDash = true;
      positionals.push(...argv.slice(i + 1));
      break;
    }
    let flag: Flag | undefined;
    let inline: string | undefined;
    let shown: string;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      inline = eq < 0 ? undefined : a.slice(eq + 1);
      shown = `--${name}`;
      flag = known.find((f) => f.name === name && !f.shortOnly);
    } else if (a.startsWith('-') && a !== '-') {
      shown = a.slice(0, 2);
      flag = known.find((f) => f.short === a[1]);
      if (a.length > 2) inline = a.slice(2);
      // -h and the like do not take a value: `-hx` is two options, as getopt reads it
      if (flag && !flag.value && inline !== undefined) {
        for (const c of inline) if (!known.some((f) => f.short === c && !f.value)) throw new UsageError(`unknown option -${c}${where}`, command?.name);
        for (const c of inline) flags[known.find((f) => f.short === c)!.name] = true;
        inline = undefined;
      }
    } else {
      if (!seenCommand && command && a === command.name) seenCommand = true;
      else positionals.push(a);
      continue;
    }
    if (!flag) {
      const hint = command?.name === 'exec' ? ' (the remote command goes after --: warren exec HOST -- COMMAND)' : '';
      throw new UsageError(`unknown option ${shown}${where}${hint}`, command?.name);
    }
    if (flag.value) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`option ${shown} needs a value (${flag.value})`, command?.name);
      flags[flag.name] = value;
    } else {
      if (inline !== undefined) throw new UsageError(`option ${shown} takes no value`, command?.name);
      flags[flag.name] = true;
    }
  }
  return { command, flags, positionals, dashDash };
}

const flagText = (f: Flag) => `${f.shortOnly ? `-${f.short}` : `${f.short ? `-${f.short}, ` : ''}--${f.name}`}${f.value ? ` ${f.value}` : ''}`;
const column = (left: string, right: string, width: number) => `  ${left.padEnd(width)}  ${right}`;

/** The overall usage: every command on one line. */
export function usage(): string {
  const shown = COMMANDS.filter((c) => !c.hidden);
  const width = Math.max(...shown.map((c) => `${c.name} ${c.args}`.length));
  return [
    'usage: warren [--data-dir DIR] [-F FILE] COMMAND [ARG…]',
    ...shown.map((c) => column(`${c.name} ${c.args}`.trimEnd(), c.summary, width)),
    'HOST is a saved host’s name, else [user@]name[:port] with name looked up in ~/.ssh/config (or -F FILE) as ssh does.',
    'Options (every command): --data-dir DIR, -F FILE, -h/--help. warren help COMMAND says more about one.',
  ].join('\n');
}

/** One command's usage line, then its options and details. */
export function commandHelp(c: Command): string {
  const own = c.flags.map((f) => `[${flagText(f)}]`).join(' ');
  const flags = [...c.flags, ...GLOBAL_FLAGS];
  const width = Math.max(...flags.map((f) => flagText(f).length));
  return [
    `usage: warren ${c.name}${own ? ` ${own}` : ''}${c.args ? ` ${c.args}` : ''}`,
    `${c.summary[0]!.toUpperCase()}${c.summary.slice(1)}.`,
    ...(c.details ?? []).map((d) => `  ${d}`),
    'Options:',
    ...flags.map((f) => column(flagText(f), f.help, width)),
  ].join('\n');
}
