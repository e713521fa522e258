// A name that is not a saved host means what it means to ssh: it is looked up in ~/.ssh/config (or the
// file given with -F), so `warren exec myalias`, quick connect and a jump hop named `bastion` reach the
// host, user, port, key and route ssh would.
import { WarrenError } from '../../shared/errors.js';
import { tcpServices } from './files.js';
import { planHost, type PlannedHost } from './import.js';
import { ALGORITHM_KEYWORDS, type AlgorithmKeyword } from './algorithms.js';
import { convtime } from './lex.js';
import { expandPath, resolveHost, type Problem, type SshConfigOptions, type SshConfigValues } from './resolve.js';

/**
 * The ssh_config options Warren applies as ssh does when it connects to a name resolved through the
 * config (sshOptionsOf): which known_hosts files, under which name, how strictly,
 * and whether anyone may be asked anything.
 */
export interface SshOptions {
  /** UserKnownHostsFile expanded (~, %d %u %h %k …), when the config sets it: read, the first gets new keys; [] for `none`. Absent: Warren's defaults. */
  userKnownHostsFiles?: string[];
  /** GlobalKnownHostsFile expanded (default /etc/ssh/ssh_known_hosts, /etc/ssh/ssh_known_hosts2): read only */
  globalKnownHostsFiles: string[];
  /** HostKeyAlias, lowercased as ssh does: the name looked up and written instead of [host]:port */
  hostKeyAlias?: string;
  strictHostKeyChecking: 'yes' | 'accept-new' | 'no' | 'ask';
  /** HashKnownHosts yes: a key written is a |1|salt|hash entry */
  hashKnownHosts: boolean;
  /** BatchMode yes: no question at all (host key, passphrase, password, keyboard-interactive) */
  batchMode: boolean;
  /** ConnectTimeout, in seconds: for the TCP connection */
  connectTimeout?: number;
  /** ConnectionAttempts: TCP connections tried, one second apart */
  connectionAttempts: number;
  /** IdentitiesOnly yes: the IdentityFile(s) only; agent keys only when they are one of those files' keys */
  identitiesOnly?: boolean;
  /** every IdentityFile the config sets, expanded, in ssh's order (absent: Warren's defaults) */
  identityFiles?: string[];
  /** CertificateFile(s), expanded: offered before the key each one certifies */
  certificateFiles?: string[];
  /** IdentityAgent: the agent's socket (expanded); null for `none`; absent: SSH_AUTH_SOCK, as without it */
  identityAgent?: string | null;
  /** AddKeysToAgent (other than no): a key file whose passphrase was given goes to the agent, with these constraints */
  addKeysToAgent?: { confirm: boolean; lifetimeSeconds?: number };
  /** the login methods allowed, in the order tried (PreferredAuthentications, less those turned off); absent: Warren's order */
  authMethods?: AuthMethodName[];
  /** NumberOfPasswordPrompts: how many times a password (or keyboard-interactive answers) is asked for */
  passwordPrompts?: number;
  /** SetEnv: sent as env requests with every shell and command; they win over SendEnv's */
  setEnv?: Record<string, string>;
  /** SendEnv patterns: this machine's variables whose names match are sent */
  sendEnv?: string[];
  /** RequestTTY as ssh reads it */
  requestTty?: 'auto' | 'no' | 'yes' | 'force';
  /** RemoteCommand, %-tokens expanded: run instead of a login shell */
  remoteCommand?: string;
  /** the `file:line` of the RequestTTY and RemoteCommand lines that apply, to say where they came from */
  requestTtyAt?: string;
  remoteCommandAt?: string;
  /** the algorithm lists the config sets, as written (+, -, ^ and patterns applied when connecting) */
  algorithms?: Partial<Record<AlgorithmKeyword, string>>;
}

export type AuthMethodName = 'publickey' | 'keyboard-interactive' | 'password';

export interface ConfiguredHost {
  /** the name looked up (a Host alias, or any name a wildcard block applies to) */
  alias: string;
  /** what the config sets for it; hostname is the name itself where it sets no HostName */
  settings: PlannedHost['settings'];
  /** keywords it sets that Warren does not apply, and why: said once per connection */
  notApplied: PlannedHost['notApplied'];
  /** lines ssh would accept but Warren treats differently (Match exec is never run), as file:line text */
  warnings: string[];
  /** what a connection to it applies of known_hosts, host-key checking, asking and TCP, as ssh does */
  options: SshOptions;
  /** whether the config sets any of those (then the name gets a connection of its own) */
  optionsSet: boolean;
}

/** Applied when Warren connects to a name through ssh_config (sshOptionsOf); an import cannot store them in a saved host, so its report still lists them. */
export const APPLIED_ON_CONNECT = new Set([
  'userknownhostsfile',
  'globalknownhostsfile',
  'hostkeyalias',
  'hashknownhosts',
  'stricthostkeychecking',
  'batchmode',
  'connecttimeout',
  'connectionattempts',
  'identitiesonly',
  'identityagent',
  'identityfile',
  'certificatefile',
  'addkeystoagent',
  'preferredauthentications',
  'pubkeyauthentication',
  'passwordauthentication',
  'kbdinteractiveauthentication',
  'numberofpasswordprompts',
  'setenv',
  'sendenv',
  'requesttty',
  'remotecommand',
  'exitonforwardfailure',
  ...Object.keys(ALGORITHM_KEYWORDS),
]);

const DEFAULT_GLOBAL_KNOWN_HOSTS = '/etc/ssh/ssh_known_hosts /etc/ssh/ssh_known_hosts2';
const flag = (v: unknown): boolean => typeof v === 'string' && /^(yes|true)$/i.test(v);

/**
 * The options of SshOptions from what resolveHost returned for `alias`: paths expanded as ssh expands
 * them when it connects (~, %d %u %h %k %n %p %r %C %L %l %i, ${ENV}); ssh -G's spellings turned back
 * into settings (StrictHostKeyChecking true → yes, false → no).
 */
export function sshOptionsOf(
  alias: string,
  values: SshConfigValues,
  userKnownHostsFiles: string[] | null,
  options: SshConfigOptions,
  extra: { setEnv?: string[]; explicit?: Set<string>; where?: Record<string, string> } = {},
): SshOptions {
  const get = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const global = get('globalknownhostsfile') ?? DEFAULT_GLOBAL_KNOWN_HOSTS;
  const strict = get('stricthostkeychecking') ?? 'ask';
  const timeout = get('connecttimeout');
  const attempts = Number(get('connectionattempts') ?? '1');
  const tty = get('requesttty'); // ssh -G's forms: true, false, force, auto
  return {
    ...(userKnownHostsFiles && { userKnownHostsFiles }),
    globalKnownHostsFiles:
      global.toLowerCase() === 'none'
        ? []
        : global
            .split(/\s+/)
            .filter(Boolean)
            .map((f) => {
              const e = expandPath(f, alias, values, options);
              return 'value' in e ? e.value : f;
            }),
    ...(get('hostkeyalias') && { hostKeyAlias: get('hostkeyalias')!.toLowerCase() }),
    strictHostKeyChecking: strict === 'true' ? 'yes' : strict === 'false' ? 'no' : strict === 'accept-new' ? 'accept-new' : 'ask',
    hashKnownHosts: flag(values.hashknownhosts),
    batchMode: flag(values.batchmode),
    ...(timeout !== undefined && timeout !== 'none' && Number(timeout) > 0 && { connectTimeout: Number(timeout) }),
    connectionAttempts: Number.isInteger(attempts) && attempts >= 1 ? attempts : 1,
    ...authOptions(alias, values, options, extra.explicit),
    setEnv: Object.fromEntries((extra.setEnv ?? []).map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)])),
    sendEnv: list(values.sendenv),
    requestTty: tty === 'true' ? 'yes' : tty === 'false' ? 'no' : tty === 'force' ? 'force' : 'auto',
    // as ssh -G prints it: its %tokens expanded (resolve.ts)
    ...(get('remotecommand') !== undefined && { remoteCommand: get('remotecommand')! }),
    ...(extra.where?.requesttty !== undefined && { requestTtyAt: extra.where.requesttty }),
    ...(get('remotecommand') !== undefined && extra.where?.remotecommand !== undefined && { remoteCommandAt: extra.where.remotecommand }),
    algorithms: Object.fromEntries(Object.keys(ALGORITHM_KEYWORDS).flatMap((k) => (get(k) === undefined ? [] : [[k, get(k)!]]))),
  };
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const off = (v: string | string[] | undefined): boolean => typeof v === 'string' && /^(no|false)$/i.test(v);
const expanded = (f: string, alias: string, values: SshConfigValues, options: SshConfigOptions) => {
  const e = expandPath(f, alias, values, options);
  return 'value' in e ? e.value : f;
};

/** IdentitiesOnly, IdentityFile, CertificateFile, IdentityAgent, AddKeysToAgent, the login methods and NumberOfPasswordPrompts */
function authOptions(alias: string, values: SshConfigValues, options: SshConfigOptions, explicit?: Set<string>) {
  const get = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const agent = get('identityagent');
  const add = get('addkeystoagent')?.toLowerCase().split(/\s+/) ?? [];
  const lifetime = add.map((w) => convtime(w)).find((t) => t !== undefined && t > 0);
  const adding = add.length > 0 && add[0] !== 'no' && add[0] !== 'false';
  // PreferredAuthentications (ssh's default order otherwise), less the methods turned off
  const preferred = get('preferredauthentications');
  const turnedOff = new Set<AuthMethodName>([
    ...(off(values.pubkeyauthentication) ? (['publickey'] as const) : []),
    ...(off(values.passwordauthentication) ? (['password'] as const) : []),
    ...(off(values.kbdinteractiveauthentication) ? (['keyboard-interactive'] as const) : []),
  ]);
  const order = (preferred ?? 'publickey,keyboard-interactive,password')
    .split(',')
    .map((m) => m.trim().toLowerCase())
    .filter((m): m is AuthMethodName => m === 'publickey' || m === 'keyboard-interactive' || m === 'password');
  const prompts = get('numberofpasswordprompts');
  return {
    identitiesOnly: flag(values.identitiesonly),
    ...(explicit?.has('identityfile.set') && { identityFiles: list(values.identityfile).map((f) => expanded(f, alias, values, options)) }),
    certificateFiles: list(values.certificatefile).map((f) => expanded(f, alias, values, options)),
    ...(agent !== undefined && {
      identityAgent:
        agent.toLowerCase() === 'none'
          ? null
          : agent === 'SSH_AUTH_SOCK'
            ? (process.env.SSH_AUTH_SOCK ?? null)
            : agent.startsWith('$') && !agent.startsWith('${')
              ? (process.env[agent.slice(1)] ?? null)
              : agent,
    }),
    ...(adding && { addKeysToAgent: { confirm: add.includes('confirm'), ...(lifetime !== undefined && { lifetimeSeconds: lifetime }) } }),
    ...((preferred !== undefined || turnedOff.size > 0) && { authMethods: order.filter((m) => !turnedOff.has(m)) }),
    ...(prompts !== undefined && /^\d+$/.test(prompts) && { passwordPrompts: Number(prompts) }),
  };
}

/**
 * Problems that do not stop ssh either: Warren only does less than ssh would there, and says so; and
 * deprecated or unsupported keywords, which ssh ignores (readconf.c oDeprecated, oUnsupported).
 */
const LENIENT = /^(Match exec|CanonicalizeHostname|deprecated: ssh ignores it|no longer supported: ssh ignores it)/;

/** Whether ssh refuses the whole config for this problem (`ssh -G` fails), as it refuses to connect. */
export const sshRefuses = (p: Problem): boolean => !LENIENT.test(p.message);

/**
 * An algorithm name OpenSSH 9.2 does not know (mlkem768x25519-sha256 is OpenSSH 9.9's): 9.2 refuses the
 * config, a newer ssh takes it. Warren connects with what it implements of the list and says so.
 */
const newerOpenSsh = (p: Problem): boolean => p.message.includes('OpenSSH 9.2 does not know');

/**
 * Resolves `alias` through the config as `ssh -G alias` does. A line ssh would refuse (a bad keyword,
 * a ProxyJump loop, an unset variable) refuses the connection with its file:line, as ssh refuses to run.
 */
export async function lookupHost(alias: string, options: SshConfigOptions): Promise<ConfiguredHost> {
  const [services, { values, problems, explicit, userKnownHostsFiles, setEnv, where }, defaults] = await Promise.all([
    tcpServices(),
    resolveHost(alias, options),
    resolveHost('\u0000none', { ...options, file: '/dev/null' }).then((r) => r.values),
  ]);
  const fatal = problems.filter((p) => sshRefuses(p) && !newerOpenSsh(p));
  if (fatal.length > 0) {
    const lines = fatal.map((p) => `${p.file}:${p.line}: ${p.message}`);
    throw new WarrenError(
      'CONFIG',
      `${lines[0]}${lines.length > 1 ? ` (and ${lines.length - 1} more)` : ''}. ssh refuses to connect with this config too: fix the line, or connect to a saved host.`,
      { problems: lines },
    );
  }
  const planned = planHost(alias, values, defaults, options, services);
  // the lists ssh accumulates are not scalars: set when they differ from ssh's defaults
  for (const k of ['identityfile', 'certificatefile', 'sendenv'])
    if (values[k] !== undefined && JSON.stringify(values[k]) !== JSON.stringify(defaults[k])) explicit.add(`${k}.set`);
  // ServerAliveInterval 0, said in the config, turns keepalive off (ssh's default); unsaid, Warren's 15 s
  if (explicit.has('serveraliveinterval') && values.serveraliveinterval === '0') planned.settings.keepaliveInterval = 0;
  return {
    alias,
    settings: planned.settings,
    notApplied: planned.notApplied.filter((n) => !APPLIED_ON_CONNECT.has(n.keyword)),
    options: sshOptionsOf(alias, values, userKnownHostsFiles, options, { setEnv, explicit, where }),
    optionsSet: [...APPLIED_ON_CONNECT].some((k) => explicit.has(k) || explicit.has(`${k}.set`)),
    warnings: problems.filter((p) => !sshRefuses(p) || newerOpenSsh(p)).map((p) => `${p.file}:${p.line}: ${p.message}`),
  };
}
