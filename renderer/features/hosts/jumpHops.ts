import { parseJumpSpec, type Group, type HostRecord } from '../../../shared/model.js';
import { ancestry } from './treeModel.js';

/** One jump host on the way, as the user wrote it and, when it names a saved host, that host. */
export interface ChainHop {
  /** the saved host's name, or the hop as written (`alice@10.0.0.5:2222`) */
  name: string;
  host: HostRecord | null;
  /** where the hop connects: the saved host's address, or the hop itself */
  address: string;
}

const MAX_HOPS = 8;

/** A host's jump list after group inheritance (null: none). */
export function effectiveJump(host: HostRecord, groups: Group[]): string | null {
  const jump = host.jump ?? ancestry(host.groupId, groups).find((g) => g.defaults.jump !== undefined)?.defaults.jump ?? null;
  return jump === 'none' ? null : jump;
}

function address(hop: { hostname: string; port?: number; user?: string }, saved: HostRecord | null): string {
  const user = hop.user ?? saved?.user;
  const port = hop.port ?? saved?.port;
  return `${user ? `${user}@` : ''}${saved?.hostname ?? hop.hostname}${port ? `:${port}` : ''}`;
}

/**
 * The hops in front of a host whose jump list is `jump`, in the order they are crossed, with
 * OpenSSH's (and the main process's) semantics: a hop named like a saved host is that host, and the
 * first hop is reached as it would be on its own (through its own jump list). Null when `jump` is
 * not a jump list; a chain that loops stops after a few hops.
 */
export function jumpChain(jump: string | null, tree: { hosts: HostRecord[]; groups: Group[] }, depth = 0): ChainHop[] | null {
  if (jump === null || jump === 'none' || depth > MAX_HOPS) return [];
  const hops = parseJumpSpec(jump);
  if (!hops) return null;
  const named = (name: string) => tree.hosts.find((h) => h.name.toLowerCase() === name.toLowerCase()) ?? null;
  const chain = hops.map((hop): ChainHop => {
    const host = named(hop.hostname);
    return { name: host && !hop.user && !hop.port ? host.name : address(hop, null), host, address: address(hop, host) };
  });
  const first = chain[0]?.host;
  const before = first ? (jumpChain(effectiveJump(first, tree.groups), tree, depth + 1) ?? []) : [];
  return [...before, ...chain];
}

/** Whether a hop is the one a connection error names (`detail.hop`: a saved host's name, else `user@host[:port]`, without port 22). */
export function isHop(hop: ChainHop, failing: string): boolean {
  const named = (name: string) => name === failing || failing.endsWith(`@${name}`);
  return failing === hop.host?.name || named(hop.name) || named(hop.name.replace(/:22$/, ''));
}
