import { userInfo } from 'node:os';
import { WarrenError } from '../../shared/errors.js';
import { parseJumpSpec, type ResolvedHost, type Target, type Tunnel } from '../../shared/model.js';
import { sshCommand } from '../../shared/sshcommand.js';
import type { ConfiguredHost } from '../sshconfig/lookup.js';
import { configuredAlgorithms } from './algorithms.js';
import type { Endpoint } from './connections.js';

/** What endpoint resolution needs to know of the saved hosts. */
export interface HostDirectory {
  host(id: string): { id: string; name: string; linked?: { file: string; alias: string } | undefined };
  /** effective settings after group inheritance */
  resolve(id: string): ResolvedHost;
  /** a saved host by name (case-insensitive), for jump hops named like one */
  named(name: string): { id: string } | undefined;
  /**
   * What ~/.ssh/config (or -F's file) says of a name that is not a saved host, looked up beforehand
   * (lookupHost is async; this is not): undefined when it has not been looked up, which the caller
   * (services.endpointOf) notes, looks up and then asks again. Absent: names mean themselves.
   */
  configured?(name: string): ConfiguredHost | undefined;
  /** What its ssh_config says now of a saved host kept linked to one; undefined until looked up, as `configured` */
  linked?(hostId: string): ConfiguredHost | undefined;
}

const MAX_HOPS = 8;

const QUICK_DEFAULTS = { auth: 'auto', identityFile: null, keepaliveInterval: 15, keepaliveCountMax: 3, proxyCommand: null, jump: null } as const;

type Hop = { hostname: string; port?: number; user?: string };
/** a Target, or a saved host reached with another user or port (a jump hop `alice@bastion:2222`) */
type Ref = { hostId: string; override?: { user?: string; port?: number } } | { quick: Hop };

/**
 * Turns what the user connects to into an endpoint with its jump chain, with OpenSSH's semantics
 * for `ProxyJump a,b`: the first hop is reached as it would be on its own (its own jump list or
 * ProxyCommand apply), each later hop through the one before it, and the target through the last.
 */
export function endpointFor(target: Target | Ref, dir: HostDirectory, depth = 0): Endpoint {
  if (depth > MAX_HOPS)
    throw new WarrenError(
      'BAD_REQUEST',
      `The jump chain is longer than ${MAX_HOPS} hops, or loops back on itself; check the jump lists of the hosts involved.`,
    );
  const { base, jump } = baseOf(target, dir);
  const hops = jump === null || jump === 'none' ? [] : parseJumpSpec(jump);
  if (hops === null) throw new WarrenError('BAD_REQUEST', `The jump list "${jump}" of ${base.label} is not [user@]host[:port],…`);
  let via: Endpoint | null = null;
  for (const [i, hop] of hops.entries()) {
    const hopTarget = hopToTarget(hop, dir);
    const e: Endpoint = i === 0 ? endpointFor(hopTarget, dir, depth + 1) : { ...baseOf(hopTarget, dir).base, via };
    if (i > 0) e.key = `${e.key} via ${via!.key}`;
    via = e;
  }
  if (via) {
    base.via = via;
    base.key = `${base.key} via ${via.key}`;
    base.spec = { ...base.spec, proxyCommand: null }; // ProxyJump wins over ProxyCommand
  }
  return base;
}

/** "Copy as ssh command": the OpenSSH command line that reaches this endpoint (and runs this forward). */
export function commandFor(endpoint: Endpoint, forward?: Tunnel): string {
  return sshCommand({ ...endpoint.spec, jump: jumpSpecOf(endpoint) }, forward);
}

/** The whole chain as one OpenSSH -J list of `user@host:port` hops (nested chains flattened), or null. */
export function jumpSpecOf(endpoint: Endpoint): string | null {
  const hops: string[] = [];
  for (let e = endpoint.via; e; e = e.via) {
    const host = e.spec.hostname.includes(':') ? `[${e.spec.hostname}]` : e.spec.hostname;
    hops.unshift(`${e.spec.user}@${host}${e.spec.port === 22 ? '' : `:${e.spec.port}`}`);
  }
  return hops.length > 0 ? hops.join(',') : null;
}

/** A hop named like a saved host is that host (with the hop's user and port, if given). */
function hopToTarget(hop: Hop, dir: HostDirectory): Ref {
  const saved = dir.named(hop.hostname);
  if (!saved) return { quick: hop };
  return hop.user === undefined && hop.port === undefined ? { hostId: saved.id } : { hostId: saved.id, override: { user: hop.user, port: hop.port } };
}

function baseOf(target: Ref, dir: HostDirectory): { base: Endpoint; jump: string | null } {
  if ('hostId' in target) {
    const h = dir.host(target.hostId);
    const saved = dir.resolve(target.hostId);
    // kept linked to an ssh_config: what the file says now, as ssh would read it, over what was copied
    const configured = h.linked ? dir.linked?.(h.id) : undefined;
    const r = configured ? fromConfig(saved, configured) : saved;
    const override = target.override;
    const spec = { ...r, user: override?.user ?? r.user, port: override?.port ?? r.port };
    const key = override ? `${h.id}#${spec.user}@${spec.port}` : h.id;
    const base: Endpoint = { key, hostId: h.id, label: h.name, spec, via: null };
    if (configured) base.notes = notesOf(configured, h.linked!.alias);
    const command = (configured && configCommand(configured)) ?? savedCommand(saved);
    if (command) base.command = command;
    return { base, jump: r.jump };
  }
  const q = target.quick;
  const configured = dir.configured?.(q.hostname);
  const c = configured?.settings;
  const spec = {
    ...QUICK_DEFAULTS,
    hostname: c?.hostname ?? q.hostname,
    // as on ssh's command line, a user or port given with the name wins over the config's
    port: q.port ?? c?.port ?? 22,
    user: q.user ?? c?.user ?? userInfo().username,
    identityFile: c?.identityFile ?? null,
    keepaliveInterval: c?.keepaliveInterval ?? QUICK_DEFAULTS.keepaliveInterval,
    keepaliveCountMax: c?.keepaliveCountMax ?? QUICK_DEFAULTS.keepaliveCountMax,
    proxyCommand: c?.proxyCommand ?? null,
    ...(configured && { sshOptions: configured.options }),
  };
  const label = `${spec.user}@${q.hostname}${spec.port === 22 ? '' : `:${spec.port}`}`;
  // an alias whose config sets more than its address (a key, a route) is a connection of its own
  const own = (c !== undefined && Object.keys(c).some((k) => k !== 'hostname' && k !== 'user' && k !== 'port')) || configured?.optionsSet === true;
  const key = `quick:${spec.user}@${spec.hostname}:${spec.port}${own ? `#${q.hostname}` : ''}`;
  const base: Endpoint = { key, hostId: null, label, spec, via: null };
  if (configured) base.notes = notesOf(configured, q.hostname);
  const command = configured && configCommand(configured);
  if (command) base.command = command;
  return { base, jump: c?.jump ?? null };
}

/** ssh_config's RemoteCommand for the name, and the line that set it */
function configCommand(c: ConfiguredHost): Endpoint['command'] | undefined {
  const text = c.options.remoteCommand;
  if (text === undefined) return undefined;
  return { text, from: `RemoteCommand in ${c.options.remoteCommandAt ?? 'ssh_config'}` };
}

/** a saved host's Remote command (its own or its group's); `none` turns an inherited one off */
function savedCommand(r: ResolvedHost): Endpoint['command'] | undefined {
  const text = r.remoteCommand;
  if (!text || text === 'none') return undefined;
  const source = r.sources.remoteCommand;
  return { text, from: source?.kind === 'group' ? `the Remote command of group ${source.groupName}` : 'the host’s Remote command' };
}

/** what Warren does not apply of a name's ssh_config, said once per connection */
function notesOf(c: ConfiguredHost, name: string): string[] | undefined {
  // its algorithm lists: one that leaves nothing Warren can use refuses the name here (CONFIG), before any connection
  const algorithms = configuredAlgorithms(c.options).notes.map((n) => `${n} (for ${name})`);
  if (c.notApplied.length === 0 && c.warnings.length === 0 && algorithms.length === 0) return undefined;
  return [...c.warnings, ...c.notApplied.map((n) => `ssh_config sets ${n.keyword} ${n.value} for ${name}; not applied: ${n.why}`), ...algorithms];
}

/** A linked host's settings: the file's for the connection, the record's for the rest (auth, sudo, forwarding). */
function fromConfig(saved: ResolvedHost, configured: ConfiguredHost): ResolvedHost & { sshOptions?: ConfiguredHost['options'] } {
  const c = configured.settings;
  return {
    ...saved,
    hostname: c.hostname ?? saved.hostname,
    port: c.port ?? 22,
    user: c.user ?? userInfo().username,
    identityFile: c.identityFile ?? null,
    keepaliveInterval: c.keepaliveInterval ?? QUICK_DEFAULTS.keepaliveInterval,
    keepaliveCountMax: c.keepaliveCountMax ?? QUICK_DEFAULTS.keepaliveCountMax,
    proxyCommand: c.proxyCommand ?? null,
    jump: c.jump ?? null,
    sshOptions: configured.options,
  };
}
