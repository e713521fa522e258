// The value of each ssh_config keyword that holds one setting, read as OpenSSH 9.2's
// process_config_line_depth() reads it and kept in the form `ssh -G` prints it (fmt_intarg(),
// dump_client_config()): `BatchMode true` → `yes`, `StrictHostKeyChecking yes` → `true`,
// `LogLevel debug1` → `DEBUG`, `EscapeChar ^E` → `\^E`, times in seconds. The keywords that
// accumulate (IdentityFile, forwards, SendEnv…) and the path and command keywords stay in resolve.ts.
import { GSS_KEX, IPQOS, LOG_LEVELS, OPENSSH_ALGORITHMS, SYSLOG_FACILITIES } from './openssh.js';
import { convtime, matchPattern } from './lex.js';

/** how a value is stored: the first line that applies sets it (ssh's rule), or a quirk of ssh's */
export type Scope = 'first' | 'first-anywhere' | 'last-anywhere';
export interface Parsed {
  /** [key, printed value] pairs: usually one under the keyword itself */
  set: [string, string][];
  scope?: Scope;
}
type Parser = (arg: string, args: string[]) => Parsed | string;

const one = (kw: string, value: string): Parsed => ({ set: [[kw, value]] });
const lower = (s: string) => s.toLowerCase();

/** parse_multistate_value(): a word from a table, any case; the printed form is fmt_multistate_int()'s */
const multistate =
  (kw: string, table: Readonly<Record<string, string>>): Parser =>
  (arg) =>
    table[lower(arg)] !== undefined ? one(kw, table[lower(arg)]!) : `unsupported option "${arg}"`;

const FLAG = { yes: 'yes', true: 'yes', no: 'no', false: 'no' };
const YES_NO_ASK = { yes: 'true', true: 'true', no: 'false', false: 'false', ask: 'ask' };
const MULTISTATE: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  addressfamily: { inet: 'inet', inet6: 'inet6', any: 'any' },
  compression: { yes: 'yes', no: 'no' },
  controlmaster: { yes: 'true', true: 'true', no: 'false', false: 'false', auto: 'auto', ask: 'ask', autoask: 'autoask' },
  tunnel: { ethernet: 'ethernet', 'point-to-point': 'point-to-point', yes: 'point-to-point', true: 'point-to-point', no: 'false', false: 'false' },
  requesttty: { yes: 'true', true: 'true', no: 'false', false: 'false', force: 'force', auto: 'auto' },
  sessiontype: { none: 'none', subsystem: 'subsystem', default: 'default' },
  verifyhostkeydns: YES_NO_ASK,
  updatehostkeys: YES_NO_ASK,
  pubkeyauthentication: { yes: 'true', true: 'true', no: 'false', false: 'false', unbound: 'unbound', 'host-bound': 'host-bound' },
  stricthostkeychecking: { yes: 'true', true: 'true', no: 'false', false: 'false', off: 'false', ask: 'ask', 'accept-new': 'accept-new' },
  canonicalizehostname: { yes: 'true', true: 'true', no: 'false', false: 'false', always: 'always' },
};
const FLAGS = `batchmode canonicalizefallbacklocal checkhostip enablesshkeysign clearallforwardings exitonforwardfailure forwardx11
  forwardx11trusted gatewayports gssapiauthentication gssapidelegatecredentials gssapikeyexchange gssapitrustdns
  gssapirenewalforcesrekey hashknownhosts hostbasedauthentication identitiesonly kbdinteractiveauthentication
  nohostauthenticationforlocalhost passwordauthentication permitlocalcommand proxyusefdpass stdinnull
  forkafterauthentication streamlocalbindunlink tcpkeepalive visualhostkey enableescapecommandline`;
const INTS = 'canonicalizemaxdots connectionattempts numberofpasswordprompts serveralivecountmax requiredrsasize';
const TIMES = 'connecttimeout serveraliveinterval forwardx11timeout';
/** one word, kept as written */
const STRINGS = `bindaddress bindinterface hostkeyalias ignoreunknown kbdinteractivedevices pkcs11provider securitykeyprovider
  preferredauthentications revokedhostkeys xauthlocation gssapiclientidentity gssapiserveridentity`;

/** strtonum(arg, INT_MIN, INT_MAX) as atoi_err() reports it */
function int(kw: string): Parser {
  return (arg) => {
    if (!/^\s*[+-]?\d+$/.test(arg)) return 'integer value invalid';
    const n = Number(arg.trim());
    return n < -0x80000000 ? 'integer value too small' : n > 0x7fffffff ? 'integer value too large' : one(kw, String(n));
  };
}

/** a time (`1h30m`, seconds when bare); `none` leaves the setting unset, so a later line may still set it */
function time(kw: string): Parser {
  return (arg) => {
    if (arg === 'none') return { set: [] };
    const seconds = convtime(arg);
    return seconds === undefined ? `invalid time value "${arg}" (seconds, or e.g. 1m30s)` : one(kw, String(seconds));
  };
}

/** the names a list may give that OpenSSH 9.2 does not implement (its parser refuses the line then) */
function unknownAlgorithms(value: string, all: readonly string[], wildcards: boolean): string[] {
  if (value.startsWith('-')) return [];
  const names = (value.startsWith('+') || value.startsWith('^') ? value.slice(1) : value).split(',');
  return names.filter((n) => (wildcards && /[*?]/.test(n) ? !all.some((a) => matchPattern(a, n)) : !all.includes(n)));
}
const algorithms =
  (kw: string, all: readonly string[], wildcards: boolean, what: string): Parser =>
  (arg) => {
    const unknown = unknownAlgorithms(arg, all, wildcards);
    return unknown.length === 0 ? one(kw, arg) : `${what} '${arg}': OpenSSH 9.2 does not know ${unknown.join(', ')} and refuses this line`;
  };

/** scan_scaled(): a number with an optional B/K/M/G/T/P/E suffix (powers of 1024), a fraction allowed before it */
function scaled(s: string): number | undefined {
  const m = /^(\d+)(?:\.(\d+))?([bkmgtpe])?$/i.exec(s);
  if (!m) return undefined;
  const scale = 1024 ** 'bkmgtpe'.indexOf((m[3] ?? 'b').toLowerCase());
  if (m[2] && !m[3]) return undefined;
  const fraction = m[2] ? Math.floor((Number(`0.${m[2]}`) * scale) / 1) : 0;
  return Number(m[1]) * scale + fraction;
}

/** vis(3) with VIS_WHITE, as `ssh -G` prints EscapeChar: `\^E`, `\040`, `\\`, `\M-a` */
function vis(code: number): string {
  if (code === 0x5c) return '\\\\';
  let prefix = '';
  if (code >= 0x80) {
    prefix = '\\M';
    code &= 0x7f;
    if (code >= 0x21 && code < 0x7f) return `${prefix}-${String.fromCharCode(code)}`;
  }
  if (code === 0x20 || code === 0x09 || code === 0x0a) return `\\${code.toString(8).padStart(3, '0')}`;
  if (code < 0x20) return `${prefix || '\\'}^${String.fromCharCode(code + 64)}`;
  if (code === 0x7f) return `${prefix || '\\'}^?`;
  return prefix ? `${prefix}-${String.fromCharCode(code)}` : String.fromCharCode(code);
}

/** a2tun(): a tun device number or `any` */
function tun(s: string): string | undefined {
  if (lower(s) === 'any') return 'any';
  return /^\d+$/.test(s) && Number(s) <= 0x7fffffff - 2 ? String(Number(s)) : undefined;
}

/** parse_ipqos(): a name of misc.c's table or a number 0–255 (strtol base 0) */
function ipqos(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const named = IPQOS.find(([n]) => n === lower(s));
  if (named) return named[1];
  const n = /^0x[0-9a-f]+$/i.test(s) ? parseInt(s, 16) : /^0[0-7]*$/.test(s) ? parseInt(s, 8) : /^[1-9]\d*$/.test(s) ? Number(s) : NaN;
  return n >= 0 && n <= 255 ? n : undefined;
}
/** iptos2str() */
export const iptosName = (v: number): string => IPQOS.find(([, value]) => value === v)?.[0] ?? `0x${v.toString(16).padStart(2, '0')}`;

/** a list of words where `none` may only stand alone; returns the words or what is wrong */
function words(kw: string, arg: string, args: string[], extra?: (w: string) => string | undefined): string[] | string {
  const all = [arg, ...args.splice(0)];
  for (const [i, w] of all.entries()) {
    if (w === '') return `keyword ${kw} empty argument`;
    if (lower(w) === 'none' && (i > 0 || all.length > 1)) return `keyword ${kw} "none" argument must appear alone`;
    const problem = extra?.(w);
    if (problem) return problem;
  }
  return all;
}

/** valid_domain(): letters, digits, `-` and `.`, no leading or doubled dot */
function badDomain(d: string): string | undefined {
  if (lower(d) === 'none') return undefined;
  if (d.startsWith('.')) return `domain name "${d}" starts with a dot`;
  if (d.includes('..')) return `domain name "${d}" contains consecutive separators`;
  return /^[a-z0-9.-]+$/i.test(d) ? undefined : `domain name "${d}" contains invalid characters`;
}

const SPECIAL: Readonly<Record<string, Parser>> = {
  loglevel: (arg) => (LOG_LEVELS[lower(arg)] ? one('loglevel', LOG_LEVELS[lower(arg)]!) : `unsupported log level '${arg}'`),
  // ssh sets the facility from the first line that names one, in a block that applies or not
  syslogfacility: (arg) => {
    const f = SYSLOG_FACILITIES.find((n) => n === arg.toUpperCase());
    return f ? { set: [['syslogfacility', f]], scope: 'first-anywhere' } : `unsupported log facility '${arg}'`;
  },
  fingerprinthash: (arg) => {
    const hash = ['md5', 'sha1', 'sha256', 'sha384', 'sha512'].find((h) => h === lower(arg));
    return hash ? one('fingerprinthash', hash.toUpperCase()) : `Invalid hash algorithm "${arg}"`;
  },
  escapechar: (arg) => {
    if (arg === 'none') return one('escapechar', 'none');
    const bytes = Buffer.from(arg, 'utf8');
    if (bytes.length === 1) return one('escapechar', vis(bytes[0]!));
    if (bytes.length === 2 && bytes[0] === 0x5e && bytes[1]! >= 64 && bytes[1]! < 128) return one('escapechar', vis(bytes[1]! & 31));
    return 'Bad escape character';
  },
  controlpersist: (arg) => {
    if (arg === 'no' || arg === 'false') return one('controlpersist', 'no');
    if (arg === 'yes' || arg === 'true') return one('controlpersist', 'yes');
    const seconds = convtime(arg);
    if (seconds === undefined) return 'Bad ControlPersist argument';
    return one('controlpersist', seconds === 0 ? 'yes' : String(seconds));
  },
  tunneldevice: (arg) => {
    const [local, remote, ...more] = arg.split(':');
    const l = tun(local ?? '');
    const r = remote === undefined ? 'any' : tun(remote);
    return l && r && more.length === 0 ? one('tunneldevice', `${l}:${r}`) : 'Bad tun device';
  },
  ipqos: (arg, args) => {
    const interactive = ipqos(arg);
    const second = args.shift();
    const bulk = second === undefined ? interactive : ipqos(second);
    if (interactive === undefined || bulk === undefined) return `Bad IPQoS value: ${interactive === undefined ? arg : second}`;
    return one('ipqos', `${iptosName(interactive)} ${iptosName(bulk)}`);
  },
  // the limit and the interval are two settings, each set by the first line that gives it
  rekeylimit: (arg, args) => {
    const bytes = arg === 'default' ? 0 : scaled(arg);
    if (bytes === undefined) return `Bad number '${arg}'`;
    if (bytes !== 0 && bytes < 16) return 'RekeyLimit too small';
    const set: [string, string][] = [['rekeylimit', String(bytes)]];
    const interval = args.shift();
    if (interval !== undefined && interval !== 'none') {
      const seconds = convtime(interval);
      if (seconds === undefined) return `invalid time value "${interval}"`;
      set.push(['rekeylimit.interval', String(seconds)]);
    }
    return { set };
  },
  addkeystoagent: (arg, args) => {
    const table: Record<string, string> = { yes: 'true', true: 'true', no: 'false', false: 'false', ask: 'ask', confirm: 'confirm' };
    const value = table[lower(arg)];
    const second = args.shift();
    const life = (s: string) => {
      const t = convtime(s);
      return t !== undefined && t <= 0x7fffffff ? t : undefined;
    };
    if (value === 'confirm' && second !== undefined) {
      const t = life(second);
      return t === undefined ? 'invalid time value' : one('addkeystoagent', t > 0 ? `confirm ${t}` : 'confirm');
    }
    if (value === undefined && second === undefined) {
      const t = life(arg);
      return t === undefined ? 'unsupported option' : one('addkeystoagent', t > 0 ? String(t) : 'true');
    }
    return value === undefined || second !== undefined ? 'unsupported option' : one('addkeystoagent', value);
  },
  // ssh applies the mask of every such line, whether its block applies or not: the last one wins
  streamlocalbindmask: (arg) => {
    const m = /^\s*([+-]?)([0-7]+)/.exec(arg);
    const mask = m ? parseInt(m[2]!, 8) * (m[1] === '-' ? -1 : 1) : NaN;
    return m && mask >= 0 && mask <= 0o777 ? { set: [['streamlocalbindmask', `0${mask.toString(8)}`]], scope: 'last-anywhere' } : 'Bad mask';
  },
  globalknownhostsfile: (arg, args) => {
    const w = words('GlobalKnownHostsFile', arg, args);
    return typeof w === 'string' ? w : one('globalknownhostsfile', w.join(' '));
  },
  logverbose: (arg, args) => {
    const w = words('LogVerbose', arg, args);
    return typeof w === 'string' ? w : one('logverbose', w.join(' '));
  },
  permitremoteopen: (arg, args) => {
    const w = words('PermitRemoteOpen', arg, args, (x) => {
      if (lower(x) === 'any' || lower(x) === 'none') return undefined;
      const m = /^(\[[^\]]*\]|[^:]*):(.*)$/.exec(x);
      if (!m || m[1] === '') return 'missing host in PermitRemoteOpen';
      return m[2] === '*' || (/^\d+$/.test(m[2]!) && Number(m[2]) > 0 && Number(m[2]) <= 65535) ? undefined : 'bad port number in PermitRemoteOpen';
    });
    if (typeof w === 'string') return w;
    if (w.length > 1 && w.some((x) => lower(x) === 'any')) return 'keyword PermitRemoteOpen "any" argument must appear alone';
    return one('permitremoteopen', w.join(' '));
  },
  canonicaldomains: (arg, args) => {
    const w = words('CanonicalDomains', arg, args, badDomain);
    return typeof w === 'string' ? w : one('canonicaldomains', lower(w.join(' ')));
  },
  canonicalizepermittedcnames: (arg, args) => {
    const w = words('CanonicalizePermittedCNAMEs', arg, args, (x) =>
      lower(x) === 'none' || x === '*' || /^[^:]*:.+$/.test(x) ? undefined : `Invalid permitted CNAME "${x}"`,
    );
    if (typeof w === 'string') return w;
    return one('canonicalizepermittedcnames', lower(w[0]!) === 'none' ? 'none' : w.map((x) => (x === '*' ? '*:*' : lower(x))).join(' '));
  },
  gssapikexalgorithms: (arg) => (arg.split(',').every((n) => GSS_KEX.all.includes(n)) ? one('gssapikexalgorithms', arg) : `Bad GSSAPI KexAlgorithms '${arg}'`),
  ciphers: algorithms('ciphers', OPENSSH_ALGORITHMS.ciphers.all, false, 'Bad SSH2 cipher spec'),
  macs: algorithms('macs', OPENSSH_ALGORITHMS.macs.all, false, 'Bad SSH2 MAC spec'),
  kexalgorithms: algorithms('kexalgorithms', OPENSSH_ALGORITHMS.kexalgorithms.all, false, 'Bad SSH2 KexAlgorithms'),
  hostkeyalgorithms: algorithms('hostkeyalgorithms', OPENSSH_ALGORITHMS.keys.all, true, 'Bad key types'),
  hostbasedacceptedalgorithms: algorithms('hostbasedacceptedalgorithms', OPENSSH_ALGORITHMS.keys.all, true, 'Bad key types'),
  pubkeyacceptedalgorithms: algorithms('pubkeyacceptedalgorithms', OPENSSH_ALGORITHMS.keys.all, true, 'Bad key types'),
  casignaturealgorithms: algorithms('casignaturealgorithms', OPENSSH_ALGORITHMS.signatures.all, true, 'Bad key types'),
};

const PARSERS: Readonly<Record<string, Parser>> = {
  ...Object.fromEntries(FLAGS.split(/\s+/).map((k) => [k, multistate(k, FLAG)])),
  ...Object.fromEntries(Object.entries(MULTISTATE).map(([k, table]) => [k, multistate(k, table)])),
  ...Object.fromEntries(INTS.split(/\s+/).map((k) => [k, int(k)])),
  ...Object.fromEntries(TIMES.split(/\s+/).map((k) => [k, time(k)])),
  ...Object.fromEntries(STRINGS.split(/\s+/).map((k) => [k, (arg: string) => one(k, arg)])),
  ...SPECIAL,
};

/**
 * The value of a line of keyword `kw` (lowercase) whose first argument is `arg`, in ssh -G's form; the
 * parser takes from `args` the further words it reads (any left are "extra arguments" to the caller).
 * A string is what ssh says is wrong with the line; undefined: not a keyword of this table.
 */
export function parseOption(kw: string, arg: string, args: string[]): Parsed | string | undefined {
  return PARSERS[kw]?.(arg, args);
}
