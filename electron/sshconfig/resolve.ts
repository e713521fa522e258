// ~/.ssh/config read exactly as OpenSSH 9.2 reads it (readconf.c process_config_line_depth,
// match_cfg_line, fill_default_options; ssh.c up to `ssh -G`): one line at a time, in file order
// through Includes, first value wins, lists accumulate, with ssh's quirks (checked against the real
// `ssh -G` by test/integration/sshconfig.test.ts).
//
// Not done, and said so as a Problem: `Match exec` (never run; the block does not match) and the
// DNS lookups of CanonicalizeHostname (the final pass still happens). Not done, silently: `~user/`
// paths, and the canonical-name lookup ssh -G makes for a host name without dots (getaddrinfo
// AI_CANONNAME), which only differs when the resolver knows that name under another.
// The `ssh-config` package is not used for reading: its line parser differs from OpenSSH's where
// that matters (single quotes, `#` inside a word, repeated Match criteria, and it throws on a bare
// `Host` or a trailing backslash), so lines are split here with ssh's own rules (lex.ts).
import { createHash } from 'node:crypto';
import { hostname as localHostname, userInfo } from 'node:os';
import { type ConfigLine, includeFiles, readConfig, tcpServices } from './files.js';
import { type Forward, formatForwards, parseForward, sameForward } from './forward.js';
import { ALIASES, IGNORED, KEYWORDS } from './keywords.js';
import { parseOption } from './options.js';
import { completeDump, type DumpValues } from './dump.js';
import { a2port, cleanHostname, expand, hpdelim, canonicalHost, matchHostname, matchPattern, matchPatternList, strdelimAll } from './lex.js';

export interface SshConfigOptions {
  /** the config file (like ssh -F) */
  file: string;
  /** home directory: ~ expansion, Include paths relative to ~/.ssh, %d */
  home: string;
  /** local user name: the default User and %u */
  localUser: string;
}

export interface Problem {
  file: string;
  line: number;
  keyword: string;
  message: string;
}

export type SshConfigValues = Record<string, string | string[]>;

type Where = Omit<Problem, 'message'>;
interface Setting {
  value: string;
  at: Where;
}
interface Jump {
  user?: string;
  host: string;
  port: number;
  extra?: string;
}

/** Options as ssh collects them: the first value set wins, lists accumulate */
interface State {
  scalars: Map<string, Setting>;
  identityfile: string[];
  certificatefile: string[];
  sendenv: string[];
  /** SetEnv NAME=value words of the first SetEnv line that applies (ssh takes that line only), quotes removed */
  setenv?: string[];
  knownHosts?: { files: string[]; at: Where };
  local: Forward[];
  remote: Forward[];
  jump?: Jump & { at: Where };
  wantFinal: boolean;
}

interface Run {
  options: SshConfigOptions;
  /** the host as asked for (%n, Match originalhost) */
  original: string;
  /** what Host lines match: the host as asked for; in the final pass, the resolved host name */
  host: string;
  finalPass: boolean;
  st: State;
  services: ReadonlyMap<string, number>;
  problems: Map<string, Problem>;
  files: Map<string, ReturnType<typeof readConfig>>;
  /** set when Includes nest too deep: as ssh, which refuses the whole config then, nothing more is read */
  stopped: boolean;
  /** skip the option lines of blocks that do not apply (see ResolveCache) */
  fast: boolean;
}

/**
 * What resolving many hosts of one config (an import) shares: the files read and lexed once, and —
 * after one host has been resolved in full, which reports every line's problems — `fast`, which skips
 * the option lines of Host and Match blocks that do not apply instead of checking them again. Without
 * it, importing 10,000 hosts re-read and re-checked the whole file 10,000 times.
 */
export interface ResolveCache {
  files: Map<string, ReturnType<typeof readConfig>>;
  fast: boolean;
}

interface SkipIndex {
  /** a plain option line: the only kind `fast` skips inside a block that does not apply */
  skippable: boolean[];
  /** the next line that is not skippable */
  next: number[];
  /** a `Host` line of plain names only (no wildcard, no negation): those names */
  literal: (string[] | null)[];
  /** the next line that is neither skippable nor such a `Host` line */
  nextPlain: number[];
  /** for each name, the `Host` lines of plain names that name it, in order */
  byName: Map<string, number[]>;
}

/** lines that matter in a block that does not apply: its edges, and the two options ssh sets from any block */
const NOT_SKIPPABLE = new Set(['host', 'match', 'include', 'syslogfacility', 'streamlocalbindmask']);
const skipIndexes = new WeakMap<ConfigLine[], SkipIndex>();
function skipIndex(lines: ConfigLine[]): SkipIndex {
  let index = skipIndexes.get(lines);
  if (index) return index;
  const byName = new Map<string, number[]>();
  const skippable: boolean[] = [];
  const literal: (string[] | null)[] = [];
  lines.forEach((l, i) => {
    const kw = ALIASES[l.keyword] ?? l.keyword;
    skippable.push(!NOT_SKIPPABLE.has(kw) && l.rest !== '' && !IGNORED[kw] && KEYWORDS.has(kw) && l.args !== undefined);
    const names = kw === 'host' && l.args && l.args.length > 0 && l.args.every((p) => p !== '' && !/[*?!]/.test(p)) ? l.args : null;
    literal.push(names);
    for (const n of names ?? []) byName.set(n, [...(byName.get(n) ?? []), i]);
  });
  const next = new Array<number>(lines.length);
  const nextPlain = new Array<number>(lines.length);
  for (let i = lines.length - 1, after = lines.length, plain = lines.length; i >= 0; i--) {
    next[i] = after;
    nextPlain[i] = plain;
    if (!skippable[i]) after = i;
    if (!skippable[i] && !literal[i]) plain = i;
  }
  index = { skippable, next, literal, nextPlain, byName };
  skipIndexes.set(lines, index);
  return index;
}

const MAX_INCLUDE_DEPTH = 16;
const DEFAULT_IDENTITIES = ['id_rsa', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519', 'id_ed25519_sk', 'id_xmss', 'id_dsa'].map((f) => `~/.ssh/${f}`);
const DEFAULT_KNOWN_HOSTS = ['~/.ssh/known_hosts', '~/.ssh/known_hosts2'];
const YES_NO: Readonly<Record<string, string>> = { yes: 'yes', true: 'yes', no: 'no', false: 'no' };
/** keywords whose value is the rest of the line, verbatim (comments included) */
const COMMANDS = new Set(['proxycommand', 'localcommand', 'remotecommand', 'knownhostscommand']);

function report(run: Run, at: Where, message: string): void {
  run.problems.set(`${at.file}:${at.line}:${message}`, { ...at, message });
}

const load = (run: Run, file: string, included: boolean): ReturnType<typeof readConfig> => {
  let lines = run.files.get(file);
  if (!lines) run.files.set(file, (lines = readConfig(file, included)));
  return lines;
};

async function processLines(run: Run, file: string, lines: ConfigLine[], active: { on: boolean }, neverMatch: boolean, depth: number): Promise<void> {
  const skip = run.fast ? skipIndex(lines) : null;
  for (let i = 0; i < lines.length; i++) {
    if (run.stopped) return;
    if (skip && !active.on && skip.skippable[i]) {
      i = skip.next[i]! - 1;
      continue;
    }
    const names = skip?.literal[i];
    if (skip && names && !names.includes(run.host)) {
      // a Host block of other names: on to the next line that is not one, or to the next Host line naming this host
      active.on = false;
      const to = skip.byName.get(run.host)?.find((j) => j > i) ?? lines.length;
      i = Math.min(to, skip.nextPlain[i]!) - 1;
      continue;
    }
    const l = lines[i]!;
    const at = { file, line: l.line, keyword: l.keyword };
    if (l.keyword === 'include' && l.rest !== '' && l.args) await include(run, at, l.args, active, neverMatch, depth);
    else {
      const error = processLine(run, at, l, active, neverMatch);
      if (error) report(run, at, error);
    }
  }
}

/** `Include`: each file is read in place, in the current Host/Match context (never matching when that context does not apply) */
async function include(run: Run, at: Where, args: string[], active: { on: boolean }, neverMatch: boolean, depth: number): Promise<void> {
  if (args.includes('')) return report(run, at, 'empty argument');
  for (const arg of args) {
    const was = active.on;
    for (const file of await includeFiles(arg, run.options.home)) {
      if (depth >= MAX_INCLUDE_DEPTH) {
        // ssh: "Too many recursive configuration includes", and it reads no further (a file that includes
        // itself three times would otherwise be read 3^16 times)
        run.stopped = true;
        return report(run, at, `too many nested Includes (ssh stops at ${MAX_INCLUDE_DEPTH} levels and reads no further)`);
      }
      const lines = await load(run, file, true);
      if ('error' in lines) report(run, at, lines.error);
      else await processLines(run, file, lines, active, neverMatch || !was, depth + 1);
      active.on = was;
    }
  }
}

/** One line; returns what is wrong with it, if anything */
function processLine(run: Run, at: Where, l: ConfigLine, active: { on: boolean }, neverMatch: boolean): string | undefined {
  const kw = ALIASES[l.keyword] ?? l.keyword;
  if (l.rest === '') return `no argument after keyword "${l.keyword}"`;
  if (IGNORED[kw]) return IGNORED[kw];
  if (!KEYWORDS.has(kw)) {
    const ignored = run.st.scalars.get('ignoreunknown')?.value;
    if (ignored && matchPatternList(kw, ignored, true) === 1) return undefined;
    return `unknown keyword "${l.keyword}": OpenSSH 9.2 refuses the whole config ("IgnoreUnknown ${l.keyword}" makes it skip this line)`;
  }
  if (!l.args) return 'invalid quotes: a quote is not closed';
  const args = [...l.args];
  let error: string | undefined;
  if (kw === 'host') error = hostLine(run, args.splice(0), active, neverMatch);
  else if (kw === 'match') {
    args.length = 0;
    const matched = matchLine(run, at, l.rest);
    active.on = !neverMatch && matched;
  } else error = option(run, at, kw, args, l.rest, active.on);
  return error ?? (args.length > 0 ? `extra arguments at end of line: ${args.join(' ')}` : undefined);
}

/** `Host` patterns: any match applies the block, a matching `!pattern` cancels it; case-sensitive, against the host as typed */
function hostLine(run: Run, patterns: string[], active: { on: boolean }, neverMatch: boolean): string | undefined {
  active.on = false;
  if (patterns.includes('')) return 'empty argument';
  if (neverMatch) return undefined;
  for (const p of patterns) {
    const negated = p.startsWith('!');
    const pattern = negated ? p.slice(1) : p;
    if (!(pattern.includes('*') || pattern.includes('?') ? matchPattern(run.host, pattern) : run.host === pattern)) continue;
    active.on = !negated;
    if (negated) break;
  }
  return undefined;
}

/** The host name as far as the config has set it, %h expanded (ssh.c / match_cfg_line) */
function currentHost(run: Run): string {
  const hostname = run.st.scalars.get('hostname')?.value;
  if (hostname === undefined) return run.host;
  if (run.finalPass) return hostname;
  const expanded = expand(hostname, { h: run.host }, false);
  return 'value' in expanded ? expanded.value : hostname;
}

/** match_cfg_line(): whether a `Match` line applies; its errors are reported and make it not apply */
function matchLine(run: Run, at: Where, rest: string): boolean {
  const words = strdelimAll(rest) ?? [];
  const fail = (message: string): false => (report(run, at, message), false);
  const user = run.st.scalars.get('user')?.value ?? run.options.localUser;
  let result = true;
  let attributes = 0;
  for (let i = 0; i < words.length && words[i] !== '' && !words[i]?.startsWith('#'); i++) {
    const word = words[i] as string;
    const negate = word.startsWith('!');
    const attribute = (negate ? word.slice(1) : word).toLowerCase();
    if (attribute === 'all') {
      const next = words[i + 1];
      if (attributes > 1 || (next && !next.startsWith('#'))) return fail("'all' cannot be combined with other Match attributes");
      return result && !negate;
    }
    attributes++;
    if (attribute === 'canonical' || attribute === 'final') {
      if (attribute === 'final') run.st.wantFinal = true;
      if (run.finalPass === negate) result = false;
      continue;
    }
    const arg = words[++i];
    if (!arg || arg.startsWith('#')) return fail(`missing Match criteria for ${attribute}`);
    let matched: boolean;
    if (attribute === 'host') matched = matchHostname(currentHost(run), arg);
    else if (attribute === 'originalhost') matched = matchHostname(run.original, arg);
    else if (attribute === 'user') matched = matchPatternList(user, arg, false) === 1;
    else if (attribute === 'localuser') matched = matchPatternList(run.options.localUser, arg, false) === 1;
    else if (attribute === 'exec') {
      report(run, at, `Match exec is not supported (Warren does not run commands from ssh_config): this block is treated as not matching`);
      matched = negate;
    } else return fail(`unsupported Match attribute "${attribute}"`);
    if (matched === negate) result = false;
  }
  return attributes === 0 ? fail('one or more attributes required for Match') : result;
}

/** parse_user_host_port() / parse_ssh_uri(): one ProxyJump hop, `[user@]host[:port]` or `ssh://[user@]host[:port]` */
function parseHop(hop: string, services: ReadonlyMap<string, number>): Jump | undefined {
  const uri = hop.startsWith('ssh://');
  let user: string | undefined;
  let hostPort = hop;
  if (uri) {
    const m = /^ssh:\/\/(?:([^@]*)@)?([^/]*)\/?$/.exec(hop);
    if (!m) return undefined;
    [user, hostPort] = [m[1]?.split(';')[0], m[2] ?? ''];
  } else if (hop.includes('@')) {
    [user, hostPort] = [hop.slice(0, hop.lastIndexOf('@')), hop.slice(hop.lastIndexOf('@') + 1)];
  }
  const hp = hpdelim(hostPort);
  if (user === '' || !hp || hp.host === '' || (!uri && hostPort.includes('/'))) return undefined;
  const host = cleanHostname(hp.host);
  const port = hp.rest ? a2port(hp.rest, services) : -1;
  if ((hp.rest && port <= 0) || (uri && !/^[a-z0-9][a-z0-9.-]*$/i.test(host))) return undefined;
  return { ...(user !== undefined && { user }), host, port };
}

/** One option line, validated whether or not it applies (as ssh does), stored when it applies and is the first */
function option(run: Run, at: Where, kw: string, args: string[], rest: string, active: boolean): string | undefined {
  const st = run.st;
  const first = (key: string, value: string): undefined => {
    if (active && !st.scalars.has(key)) st.scalars.set(key, { value, at });
    return undefined;
  };
  const agentPath = (key: string, path: string): string | undefined => {
    const expanded = expand(path, undefined, true);
    if ('error' in expanded) return `invalid environment expansion: ${expanded.error}`;
    if (path.startsWith('$') && !path.startsWith('${') && !/^\w+$/.test(path.slice(1))) return `invalid environment name ${path}`;
    return first(key, path);
  };
  if (COMMANDS.has(kw)) {
    args.length = 0;
    return first(kw, rest.replace(/^[ \t\r\n=]+/, ''));
  }
  if (kw === 'proxyjump') {
    // as OpenSSH 9.2 does: "none" only alone; otherwise the hops end at a comment or a blank
    args.length = 0;
    const s = rest.replace(/^[ \t\r\n=]+/, '');
    let jump: Jump = { host: 'none', port: 0 };
    if (s.toLowerCase() !== 'none') {
      const hops = (s.replace(/#.*/s, '').split(/[ \t]/)[0] ?? '').split(',');
      const last = parseHop(hops.at(-1) ?? '', run.services);
      if (!last || hops.some((h) => !parseHop(h, run.services))) return `invalid ProxyJump "${s}"`;
      jump = { ...last, ...(hops.length > 1 && { extra: hops.slice(0, -1).join(',') }) };
    }
    if (active && !st.jump && !st.scalars.has('proxycommand')) {
      st.jump = { ...jump, at };
      if (jump.host !== 'none' || jump.port !== 0) first('proxycommand', 'none');
    }
    return undefined;
  }
  if (kw === 'userknownhostsfile') {
    const files = args.splice(0);
    if (files.includes('')) return 'empty argument';
    if (files.length > 1 && files.some((f) => f.toLowerCase() === 'none')) return '"none" must appear alone';
    if (active && !st.knownHosts && files.length > 0) st.knownHosts = { files, at };
    return undefined;
  }
  if (kw === 'sendenv') {
    for (const name of args.splice(0)) {
      if (name === '' || name.includes('=')) return `invalid environment variable name "${name}"`;
      if (!active) continue;
      if (name.startsWith('-')) st.sendenv = st.sendenv.filter((e) => !matchPattern(e, name.slice(1)));
      else st.sendenv.push(name);
    }
    return undefined;
  }
  if (kw === 'setenv') {
    const words = [...args];
    if (words.some((w) => !w.includes('=') || w.startsWith('='))) return 'invalid SetEnv: each word is NAME=value';
    if (active && !st.setenv && words.length > 0) st.setenv = words;
    // ssh -G prints the words as the line gave them: kept as a scalar too
  }
  const arg = args.shift();
  if (!arg) return 'missing argument';
  switch (kw) {
    case 'port': {
      const port = a2port(arg, run.services);
      return port > 0 ? first(kw, String(port)) : `bad port "${arg}": a number from 1 to 65535 or a service name`;
    }
    case 'identityfile':
    case 'certificatefile':
      if (active && !st[kw].includes(arg)) st[kw].push(arg);
      return undefined;
    case 'forwardagent': {
      const flag = YES_NO[arg.toLowerCase()];
      first(kw, flag ?? 'yes');
      return flag ? undefined : agentPath('forwardagent.path', arg);
    }
    case 'identityagent':
      return agentPath(kw, arg);
    case 'localforward':
    case 'remoteforward':
    case 'dynamicforward': {
      let dynamic = kw === 'dynamicforward';
      let spec = arg;
      if (!dynamic) {
        const target = args.shift();
        if (target) spec = `${arg}:${target}`;
        else if (kw === 'remoteforward') dynamic = true;
        else return 'missing target argument';
      }
      const fwd = parseForward(spec, dynamic, kw === 'remoteforward', run.services);
      if (!fwd) return 'bad forwarding specification';
      const list = kw === 'remoteforward' ? st.remote : st.local;
      if (active && !list.some((f) => sameForward(f, fwd))) list.push(fwd);
      return undefined;
    }
    case 'hostname':
    case 'user':
    case 'controlpath':
      return first(kw, arg);
    default: {
      const parsed = parseOption(kw, arg, args);
      if (typeof parsed === 'string') return parsed;
      if (!parsed) return first(kw, [arg, ...args.splice(0)].join(' '));
      for (const [key, value] of parsed.set) {
        if (parsed.scope === 'last-anywhere') st.scalars.set(key, { value, at });
        else if (parsed.scope === 'first-anywhere' && !st.scalars.has(key)) st.scalars.set(key, { value, at });
        else first(key, value);
      }
      return undefined;
    }
  }
}

/** ProxyJump as `ssh -G` prints it: brackets around addresses, the port when one was given */
function formatJump({ user, host, port, extra }: Jump): string {
  const bracket = host.includes(':') || /^[\d.]*$/.test(host);
  return `${extra ? `${extra},` : ''}${user ? `${user}@` : ''}${bracket ? `[${host}]` : host}${port > 0 ? `:${port}` : ''}`;
}

/** The %tokens of ssh.c's default_client_percent_expand() for a resolved host */
function clientTokens(host: string, values: SshConfigValues, options: SshConfigOptions): Record<string, string> {
  const [thisHost, hostname, port, user] = [localHostname(), String(values.hostname), String(values.port), String(values.user)];
  return {
    C: createHash('sha1').update(`${thisHost}${hostname}${port}${user}`).digest('hex'),
    L: thisHost.split('.')[0] ?? thisHost,
    i: String(userInfo().uid),
    k: typeof values.hostkeyalias === 'string' ? values.hostkeyalias.toLowerCase() : host,
    l: thisHost,
    n: host,
    p: port,
    d: options.home,
    h: hostname,
    r: user,
    u: options.localUser,
  };
}

const tilde = (path: string, home: string): string => (path === '~' || path.startsWith('~/') ? home.replace(/\/$/, '') + path.slice(1) : path);

/**
 * A path as ssh expands it when it uses it (tilde_expand_filename() and
 * default_client_percent_dollar_expand()): `~`, %C %d %h %i %k %L %l %n %p %r %u %% and ${ENV}.
 * `ssh -G` prints IdentityFile and CertificateFile unexpanded, and so does resolveHost; this is
 * how to turn them into files. `values` is what resolveHost returned for `host`.
 */
export function expandPath(path: string, host: string, values: SshConfigValues, options: SshConfigOptions): { value: string } | { error: string } {
  return expand(tilde(path, options.home), clientTokens(host, values, options), true);
}

/** fill_default_options() and ssh.c's expansions, as `ssh -G` prints the result */
function finish(run: Run, host: string): SshConfigValues {
  const { st, options } = run;
  const get = (k: string): string | undefined => st.scalars.get(k)?.value;
  const values: SshConfigValues = {};
  for (const [k, s] of st.scalars) if (!k.includes('.')) values[k] = s.value;
  Object.assign(values, { user: get('user') ?? options.localUser, hostname: host, port: get('port') ?? '22' });
  const tokens = clientTokens(run.original, values, options);
  const path = (value: string, at: Where | undefined): string => {
    const expanded = expand(tilde(value, options.home), tokens, true);
    if ('value' in expanded) return expanded.value;
    if (at) report(run, at, expanded.error);
    return value;
  };
  for (const k of ['proxycommand', 'localcommand', 'remotecommand', 'knownhostscommand', 'controlpath']) {
    if ((get(k) ?? 'none').toLowerCase() === 'none') delete values[k];
  }
  for (const k of ['controlpath', 'identityagent']) {
    const s = st.scalars.get(k);
    if (values[k] !== undefined && s) values[k] = path(s.value, s.at);
  }
  const agentPath = st.scalars.get('forwardagent.path');
  const knownHosts = st.knownHosts ?? { files: DEFAULT_KNOWN_HOSTS, at: undefined };
  const canonicalize = st.scalars.get('canonicalizehostname');
  if (canonicalize && canonicalize.value !== 'false')
    report(run, canonicalize.at, 'CanonicalizeHostname: the DNS lookups are not performed here; the host name is used as written');
  Object.assign(values, {
    identityfile: st.identityfile.length > 0 ? st.identityfile : DEFAULT_IDENTITIES,
    identitiesonly: get('identitiesonly') ?? 'no',
    // Debian: BatchMode without a ServerAliveInterval checks the server every 5 minutes
    serveraliveinterval: get('serveraliveinterval') ?? (get('batchmode') === 'yes' ? '300' : '0'),
    serveralivecountmax: get('serveralivecountmax') ?? '3',
    forwardagent: agentPath ? path(agentPath.value, agentPath.at) : (get('forwardagent') ?? 'no'),
    stricthostkeychecking: get('stricthostkeychecking') ?? 'ask',
    userknownhostsfile: knownHosts.files[0]?.toLowerCase() === 'none' ? 'none' : knownHosts.files.map((f) => path(f, knownHosts.at)).join(' '),
    connecttimeout: get('connecttimeout') ?? 'none',
  });
  const jump = st.jump && !(st.jump.host === 'none' && st.jump.port === 0 && st.jump.user === undefined) ? st.jump : undefined;
  if (jump) {
    values.proxyjump = formatJump(jump);
    if (jump.host === host && String(jump.port > 0 ? jump.port : 22) === values.port && (jump.user ?? values.user) === values.user)
      report(run, jump.at, `ProxyJump loops: ${host} would jump through itself (ssh refuses this)`);
  }
  if (st.certificatefile.length > 0) values.certificatefile = st.certificatefile;
  if (st.sendenv.length > 0) values.sendenv = st.sendenv;
  if (st.setenv) values.setenv = st.setenv;
  // ssh expands RemoteCommand's %tokens (not ~ or ${ENV}) before it prints or runs it
  const remote = st.scalars.get('remotecommand');
  if (values.remotecommand !== undefined && remote) {
    const expanded = expand(remote.value, tokens, false);
    if ('value' in expanded) values.remotecommand = expanded.value;
    else report(run, remote.at, `RemoteCommand: ${expanded.error}`);
  }
  if (get('clearallforwardings') !== 'yes') {
    const percent = (p: string): string => {
      const expanded = expand(p, tokens, false);
      return 'value' in expanded ? expanded.value : p;
    };
    for (const [k, list] of Object.entries(formatForwards(st.local, st.remote, percent))) if (list.length > 0) values[k] = list;
  }
  return values;
}

/** Resolves one host name like `ssh -G -F file HOST`: keys are lowercase keyword names exactly as `ssh -G` prints them; values are strings, or string[] for keywords that accumulate (identityfile, localforward, remoteforward, dynamicforward, certificatefile, sendenv…). Only the keywords listed below must be resolved; others may be passed through as the first value found. */
export async function resolveHost(
  host: string,
  options: SshConfigOptions,
  cache?: ResolveCache,
): Promise<{
  values: SshConfigValues;
  problems: Problem[];
  explicit: Set<string>;
  userKnownHostsFiles: string[] | null;
  setEnv: string[];
  dump: () => { values: DumpValues; problems: Problem[] };
  /** the `file:line` that set each single-valued keyword */
  where: Record<string, string>;
}> {
  const run: Run = {
    options,
    original: host,
    host,
    finalPass: false,
    services: await tcpServices(),
    problems: new Map(),
    files: cache?.files ?? new Map(),
    fast: cache?.fast ?? false,
    stopped: false,
    st: { scalars: new Map(), identityfile: [], certificatefile: [], sendenv: [], local: [], remote: [], wantFinal: false },
  };
  const pass = async (): Promise<void> => {
    const lines = await load(run, options.file, false);
    if (!('error' in lines)) await processLines(run, options.file, lines, { on: true }, false, 0);
    else if (!lines.missing) report(run, { file: options.file, line: 0, keyword: '' }, lines.error);
  };
  await pass();
  const hostname = run.st.scalars.get('hostname');
  let resolved = host;
  if (hostname) {
    const expanded = expand(hostname.value, { h: host }, false);
    if ('error' in expanded) report(run, hostname.at, `HostName: ${expanded.error}`);
    else resolved = expanded.value;
  }
  resolved = canonicalHost(resolved);
  if (run.st.wantFinal || (run.st.scalars.get('canonicalizehostname')?.value ?? 'false') !== 'false') {
    run.st.scalars.set('hostname', { value: resolved, at: hostname?.at ?? { file: options.file, line: 0, keyword: 'hostname' } });
    run.finalPass = true;
    run.host = resolved;
    await pass();
  }
  const values = finish(run, resolved);
  // which keywords the config sets (a value equal to ssh's default, ServerAliveInterval 0, is still set), and
  // UserKnownHostsFile as a list (ssh -G joins it with spaces), expanded; [] for none, null when unset
  const explicit = new Set([...run.st.scalars.keys()].filter((k) => !k.includes('.')));
  if (run.st.knownHosts) explicit.add('userknownhostsfile');
  const known = run.st.knownHosts;
  const userKnownHostsFiles = !known
    ? null
    : known.files[0]?.toLowerCase() === 'none'
      ? []
      : known.files.map((f) => {
          const e = expandPath(f, host, values, options);
          return 'value' in e ? e.value : f;
        });
  const where = Object.fromEntries([...run.st.scalars].map(([k, { at }]) => [k, `${at.file}:${at.line}`]));
  /** everything `ssh -G` prints, defaults included, and the problems then (a list that leaves no algorithm is one, as ssh refuses it) */
  const dump = (): { values: DumpValues; problems: Problem[] } => {
    const full = completeDump(
      { host, ...values },
      {
        userKnownHostsWritten: known?.files,
        rekeyInterval: run.st.scalars.get('rekeylimit.interval')?.value,
        emptyList: (k) => {
          const at = run.st.scalars.get(k)?.at;
          if (at) report(run, at, `${k}: the list leaves no algorithm to offer (ssh: "Bad SSH2 ${k} spec")`);
        },
      },
    );
    return { values: full, problems: [...run.problems.values()] };
  };
  return { values, problems: [...run.problems.values()], explicit, userKnownHostsFiles, setEnv: run.st.setenv ?? [], dump, where };
}

/** The concrete hosts of a config: every name in a Host line that has no wildcard (* ?) and no negation, in file order (through Includes), without duplicates */
export async function concreteHosts(options: SshConfigOptions): Promise<string[]> {
  const hosts = new Set<string>();
  const read = new Map<string, ReturnType<typeof readConfig>>();
  let stopped = false;
  const walk = async (file: string, depth: number): Promise<void> => {
    if (!read.has(file)) read.set(file, readConfig(file, depth > 0));
    const lines = await read.get(file)!;
    if ('error' in lines) return;
    for (const { keyword, args = [] } of lines) {
      if (stopped) return;
      if (keyword === 'host') for (const name of args) if (name !== '' && !/[*?]/.test(name) && !name.startsWith('!')) hosts.add(name);
      if (keyword === 'include') {
        if (depth >= MAX_INCLUDE_DEPTH) return void (stopped = true); // as resolve does (and reports)
        for (const arg of args) if (arg !== '') for (const f of await includeFiles(arg, options.home)) await walk(f, depth + 1);
      }
    }
  };
  await walk(options.file, 0);
  return [...hosts];
}
