// A name that is not a saved host means what it means to ssh: it is looked up in ~/.ssh/config (or the
// file given with -F), so `warren exec myalias`, quick connect and a jump hop named `bastion` reach the
// host, user, port, key and route ssh would.
import { WarrenError } from '../../shared/errors.js';
import { tcpServices } from './files.js';
import { planHost, type PlannedHost } from './import.js';
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
}

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
]);

const DEFAULT_GLOBAL_KNOWN_HOSTS = '/etc/ssh/ssh_known_hosts /etc/ssh/ssh_known_hosts2';
const flag = (v: unknown): boolean => typeof v === 'string' && /^(yes|true)$/i.test(v);

/**
 * The options of SshOptions from what resolveHost returned for `alias`: paths expanded as ssh expands
 * them when it connects (~, %d %u %h %k %n %p %r %C %L %l %i, ${ENV}); ssh -G's spellings turned back
 * into settings (StrictHostKeyChecking true → yes, false → no).
 */
export function sshOptionsOf(alias: string, values: SshConfigValues, userKnownHostsFiles: string[] | null, options: SshConfigOptions): SshOptions {
  const get = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const global = get('globalknownhostsfile') ?? DEFAULT_GLOBAL_KNOWN_HOSTS;
  const strict = get('stricthostkeychecking') ?? 'ask';
  const timeout = get('connecttimeout');
  const attempts = Number(get('connectionattempts') ?? '1');
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
 * Resolves `alias` through the config as `ssh -G alias` does. A line ssh would refuse (a bad keyword,
 * a ProxyJump loop, an unset variable) refuses the connection with its file:line, as ssh refuses to run.
 */
export async function lookupHost(alias: string, options: SshConfigOptions): Promise<ConfiguredHost> {
  const [services, { values, problems, explicit, userKnownHostsFiles }, defaults] = await Promise.all([
    tcpServices(),
    resolveHost(alias, options),
    resolveHost('\u0000none', { ...options, file: '/dev/null' }).then((r) => r.values),
  ]);
  const fatal = problems.filter(sshRefuses);
  if (fatal.length > 0) {
    const lines = fatal.map((p) => `${p.file}:${p.line}: ${p.message}`);
    throw new WarrenError(
      'CONFIG',
      `${lines[0]}${lines.length > 1 ? ` (and ${lines.length - 1} more)` : ''}. ssh refuses to connect with this config too: fix the line, or connect to a saved host.`,
      { problems: lines },
    );
  }
  const planned = planHost(alias, values, defaults, options, services);
  // ServerAliveInterval 0, said in the config, turns keepalive off (ssh's default); unsaid, Warren's 15 s
  if (explicit.has('serveraliveinterval') && values.serveraliveinterval === '0') planned.settings.keepaliveInterval = 0;
  return {
    alias,
    settings: planned.settings,
    notApplied: planned.notApplied.filter((n) => !APPLIED_ON_CONNECT.has(n.keyword)),
    options: sshOptionsOf(alias, values, userKnownHostsFiles, options),
    optionsSet: [...APPLIED_ON_CONNECT].some((k) => explicit.has(k)),
    warnings: problems.filter((p) => !sshRefuses(p)).map((p) => `${p.file}:${p.line}: ${p.message}`),
  };
}
