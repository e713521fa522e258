import { isLoopback, type HostSettings, type TunnelKind } from '../../shared/model.js';
import { tcpServices } from './files.js';
import { parseForward } from './forward.js';
import { concreteHosts, expandPath, resolveHost, type Problem, type ResolveCache, type SshConfigOptions, type SshConfigValues } from './resolve.js';

export interface PlannedTunnel {
  kind: TunnelKind;
  bindAddress: string;
  bindPort: number;
  destHost?: string;
  destPort?: number;
  exposed: boolean;
}

export interface PlannedHost {
  /** the Host alias: the saved host's name, and how jump lists refer to it */
  alias: string;
  settings: HostSettings & { hostname: string };
  tunnels: PlannedTunnel[];
  /** every keyword the config sets for this host that Warren does not apply, and why */
  notApplied: { keyword: string; value: string; why: string }[];
}

/** Keywords Warren reads; everything else a host sets is reported, never dropped silently. */
const WHY: Record<string, string> = {
  identitiesonly:
    'Warren\u2019s auto mode tries the agent before the key file; set the host\u2019s auth to "key" to offer only the file (connecting to the name through ssh_config applies it)',
  identityagent: 'a saved host uses the agent in SSH_AUTH_SOCK (connecting to the name through ssh_config applies it)',
  forwardagent: 'Warren forwards only the keys you choose: set the host’s forwardAgent to their fingerprints (or all, optionally confirm:)',
  stricthostkeychecking:
    'a saved host always has its host key verified, and is asked about when unknown (connecting to the name through ssh_config applies it)',
  userknownhostsfile:
    'a saved host is checked against ~/.ssh/known_hosts and Warren\u2019s own known_hosts (connecting to the name through ssh_config applies it)',
  connecttimeout: 'a saved host gets 15 s for its TCP connection (connecting to the name through ssh_config applies it)',
  certificatefile: 'a saved host offers the certificate beside its key file (KEY-cert.pub) (connecting to the name through ssh_config applies it)',
  controlmaster: 'Warren always shares one connection per host, as ControlMaster does',
  controlpath: 'Warren always shares one connection per host, as ControlMaster does',
  controlpersist: 'Warren closes a host’s connection when its last terminal, tunnel or SFTP pane closes',
  hashknownhosts: 'for a saved host Warren writes its own known_hosts in plain form (connecting to the name through ssh_config applies it)',
  addkeystoagent: 'a saved host does not add keys to the agent (connecting to the name through ssh_config applies it)',
  sendenv: 'a saved host\u2019s shells get only the locale of the terminal settings (connecting to the name through ssh_config applies it)',
  setenv: 'a saved host has no environment of its own (connecting to the name through ssh_config applies it)',
  requesttty: 'a saved host\u2019s shells always get a terminal, its commands never (connecting to the name through ssh_config applies it)',
  remotecommand:
    'a saved host runs its own Remote command, which an import leaves as you set it (connecting to the name through ssh_config, or a linked host, applies it)',
  preferredauthentications:
    'a saved host tries the methods its auth setting allows, in Warren\u2019s order (connecting to the name through ssh_config applies it)',
  pubkeyauthentication: 'a saved host\u2019s auth setting chooses the methods (connecting to the name through ssh_config applies it)',
  passwordauthentication: 'a saved host\u2019s auth setting chooses the methods (connecting to the name through ssh_config applies it)',
  kbdinteractiveauthentication: 'a saved host\u2019s auth setting chooses the methods (connecting to the name through ssh_config applies it)',
  numberofpasswordprompts: 'a saved host asks for a password at most three times (connecting to the name through ssh_config applies it)',
  ciphers: 'a saved host offers Warren\u2019s default algorithms (connecting to the name through ssh_config applies it)',
  macs: 'a saved host offers Warren\u2019s default algorithms (connecting to the name through ssh_config applies it)',
  kexalgorithms: 'a saved host offers Warren\u2019s default algorithms (connecting to the name through ssh_config applies it)',
  hostkeyalgorithms: 'a saved host offers Warren\u2019s default algorithms (connecting to the name through ssh_config applies it)',
  pubkeyacceptedalgorithms: 'a saved host offers every key type Warren can use (connecting to the name through ssh_config applies it)',
};
/** read by the import itself (or its defaults are Warren's own) */
const APPLIED = new Set([
  'hostname',
  'user',
  'port',
  'identityfile',
  'proxyjump',
  'proxycommand',
  'serveraliveinterval',
  'serveralivecountmax',
  'localforward',
  'remoteforward',
  'dynamicforward',
  // what Warren does anyway: a tunnel whose forward the server refuses fails
  'exitonforwardfailure',
]);

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * Reads an ssh_config as OpenSSH does (through resolveHost, which matches `ssh -G`) and plans one
 * Warren host per concrete Host name: wildcard blocks and Match rules are applied to each, as ssh
 * applies them when you connect.
 */
export async function planImport(options: SshConfigOptions): Promise<{ hosts: PlannedHost[]; problems: Problem[] }> {
  const services = await tcpServices();
  // what ssh prints for a host the config says nothing about: only what differs was set
  const defaults = (await resolveHost('\u0000none', { ...options, file: '/dev/null' })).values;
  const problems = new Map<string, Problem>();
  const hosts: PlannedHost[] = [];
  // the first host is resolved in full, which reports the problems of every line; the others share its files and skip the blocks that do not apply to them
  const cache: ResolveCache = { files: new Map(), fast: false };
  const aliases = await concreteHosts(options);
  for (const alias of aliases) {
    const { values, problems: found } = await resolveHost(alias, options, cache);
    cache.fast = true;
    for (const p of found) problems.set(`${p.file}:${p.line}:${p.message}`, p);
    hosts.push(planHost(alias, values, defaults, options, services));
  }
  // no concrete host: a name no Host line names is resolved in full all the same, for the problems of every line
  if (aliases.length === 0)
    for (const p of (await resolveHost('no-concrete-host.invalid', options, cache)).problems) problems.set(`${p.file}:${p.line}:${p.message}`, p);
  return { hosts, problems: [...problems.values()] };
}

export function planHost(
  alias: string,
  values: SshConfigValues,
  defaults: SshConfigValues,
  options: SshConfigOptions,
  services: ReadonlyMap<string, number>,
): PlannedHost {
  const notApplied: PlannedHost['notApplied'] = [];
  const get = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const set = (k: string) => JSON.stringify(values[k]) !== JSON.stringify(defaults[k]);
  const settings: PlannedHost['settings'] = { hostname: get('hostname') ?? alias };
  if (set('user')) settings.user = get('user')!;
  if (set('port')) settings.port = Number(get('port'));
  if (set('identityfile')) {
    const files = list(values.identityfile).map((f) => {
      const e = expandPath(f, alias, values, options);
      return 'value' in e ? e.value : f;
    });
    settings.identityFile = files[0];
    for (const f of files.slice(1))
      notApplied.push({ keyword: 'identityfile', value: f, why: 'Warren offers one identity file per host (the first); use the agent for the others' });
  }
  if (get('proxyjump')) settings.jump = get('proxyjump');
  else if (get('proxycommand')) settings.proxyCommand = get('proxycommand');
  if (set('serveraliveinterval')) settings.keepaliveInterval = Number(get('serveraliveinterval'));
  if (set('serveralivecountmax')) settings.keepaliveCountMax = Number(get('serveralivecountmax'));

  const tunnels: PlannedTunnel[] = [];
  const forwards: [string, TunnelKind][] = [
    ['localforward', 'local'],
    ['remoteforward', 'remote'],
    ['dynamicforward', 'dynamic'],
  ];
  for (const [keyword, kind] of forwards) {
    for (const spec of list(values[keyword])) {
      // ssh -G prints `listen connect`; the config syntax joins them with a colon
      const f = parseForward(spec.replace(' ', ':'), kind === 'dynamic', kind === 'remote', services);
      if (!f || f.listenPath !== undefined || f.connectPath !== undefined) {
        notApplied.push({ keyword, value: spec, why: 'Unix socket forwards are not supported' });
        continue;
      }
      const bindAddress = f.listenHost === undefined || f.listenHost === 'localhost' ? '127.0.0.1' : f.listenHost === '' ? '*' : f.listenHost;
      const t: PlannedTunnel = { kind, bindAddress, bindPort: f.listenPort, exposed: !isLoopback(bindAddress) };
      if (kind !== 'dynamic') Object.assign(t, { destHost: f.connectHost, destPort: f.connectPort });
      tunnels.push(t);
    }
  }
  for (const k of Object.keys(values)) {
    if (APPLIED.has(k) || !set(k)) continue;
    if (k === 'stricthostkeychecking' && get(k) !== 'false') continue; // Warren is at least as strict
    notApplied.push({ keyword: k, value: list(values[k]).join(' '), why: WHY[k] ?? 'Warren has no equivalent setting' });
  }
  return { alias, settings, tunnels, notApplied };
}
