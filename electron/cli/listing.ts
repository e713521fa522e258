// `warren ls` and `warren tunnel status`, as text and as JSON. They work from a read of the tree (the
// store's, or store/peek.ts's quick one), so they load neither ssh2 nor the keychain. The JSON is built
// field by field from an allowlist: a field added to a record later (a secret, say) never reaches it.
import type { Group, HostRecord, ResolvedHost, Tunnel } from '../../shared/model.js';
import { forwardArgs } from '../../shared/sshcommand.js';
import { out, say } from './output.js';
import { runningPid } from './runfiles.js';

export interface TreeView {
  groups: Group[];
  hosts: HostRecord[];
  tunnels: Tunnel[];
  /** a host's effective settings (group defaults applied) */
  resolve(id: string): ResolvedHost;
}

/** the version of the JSON shapes below; a change that removes or renames a field raises it */
export const JSON_VERSION = 1;

export const EMPTY_TREE = 'No saved hosts. Add one in the app, or import your ssh_config with warren import (-F FILE for another file than ~/.ssh/config).';

const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);

function groupPaths(groups: Group[]): Map<string, string> {
  const byId = new Map(groups.map((g) => [g.id, g]));
  const paths = new Map<string, string>();
  const pathOf = (id: string): string => {
    const known = paths.get(id);
    if (known !== undefined) return known;
    const g = byId.get(id)!;
    const p = g.parentId === null ? g.name : `${pathOf(g.parentId)}/${g.name}`;
    paths.set(id, p);
    return p;
  };
  for (const g of groups) pathOf(g.id);
  return paths;
}

export function printTree(tree: TreeView, json: boolean): void {
  const { groups, hosts, tunnels } = tree;
  if (json) {
    const paths = groupPaths(groups);
    const hostName = new Map(hosts.map((h) => [h.id, h.name]));
    const sortKey = (h: HostRecord) => `${h.groupId === null ? '' : paths.get(h.groupId)}\u0000${h.name}`;
    out(
      JSON.stringify(
        {
          version: JSON_VERSION,
          groups: groups.map((g) => ({ id: g.id, name: g.name, parentId: g.parentId, path: paths.get(g.id)! })).sort((a, b) => a.path.localeCompare(b.path)),
          hosts: [...hosts]
            .sort((a, b) => sortKey(a).localeCompare(sortKey(b)))
            .map((h) => {
              const r = tree.resolve(h.id);
              return {
                id: h.id,
                name: h.name,
                groupId: h.groupId,
                group: h.groupId === null ? null : paths.get(h.groupId)!,
                hostname: r.hostname,
                port: r.port,
                user: r.user,
                auth: r.auth,
                identityFile: r.identityFile,
                jump: r.jump,
                proxyCommand: r.proxyCommand,
                tags: h.tags ?? [],
                favourite: h.favourite ?? false,
              };
            }),
          tunnels: tunnels.map((t) => tunnelJson(t, hostName.get(t.hostId) ?? null)),
        },
        null,
        2,
      ),
    );
    return;
  }
  const walk = (parentId: string | null, depth: number) => {
    const pad = '  '.repeat(depth);
    for (const g of groups.filter((x) => x.parentId === parentId).sort(byName)) {
      out(`${pad}${g.name}/`);
      walk(g.id, depth + 1);
    }
    for (const h of hosts.filter((x) => x.groupId === parentId).sort(byName)) {
      const r = tree.resolve(h.id);
      out(`${pad}${h.name}\t${r.user}@${r.hostname}:${r.port}${r.jump ? `\tvia ${r.jump}` : ''}`);
      for (const t of tunnels.filter((x) => x.hostId === h.id)) out(`${pad}  ⇄ ${t.name}\t${forwardArgs(t).join(' ')}${t.autoStart ? '\tauto-start' : ''}`);
    }
  };
  walk(null, 0);
  if (hosts.length === 0) say(EMPTY_TREE);
}

function tunnelJson(t: Tunnel, host: string | null) {
  return {
    id: t.id,
    name: t.name,
    hostId: t.hostId,
    host,
    kind: t.kind,
    bindAddress: t.bindAddress,
    bindPort: t.bindPort,
    destHost: t.destHost ?? null,
    destPort: t.destPort ?? null,
    args: forwardArgs(t).join(' '),
    autoStart: t.autoStart,
  };
}

/** The saved tunnels named (all when none is), or a message naming the first that is not one. */
export function tunnelsNamed(tunnels: Tunnel[], names: string[]): Tunnel[] | string {
  if (names.length === 0) return tunnels;
  const chosen: Tunnel[] = [];
  for (const n of names) {
    const t = tunnels.find((x) => x.name.toLowerCase() === n.toLowerCase());
    if (!t) return `There is no tunnel named "${n}" (warren tunnel status lists them).`;
    chosen.push(t);
  }
  return chosen;
}

export async function printTunnelStatus(tree: TreeView, dataDir: string, chosen: Tunnel[], json: boolean): Promise<void> {
  const hostName = new Map(tree.hosts.map((h) => [h.id, h.name]));
  const rows = await Promise.all(chosen.map(async (t) => ({ t, pid: await runningPid(dataDir, t.id) })));
  if (json) {
    out(
      JSON.stringify(
        { version: JSON_VERSION, tunnels: rows.map(({ t, pid }) => ({ ...tunnelJson(t, hostName.get(t.hostId) ?? null), running: pid !== null, pid })) },
        null,
        2,
      ),
    );
    return;
  }
  for (const { t, pid } of rows)
    out(
      `${t.name}\t${hostName.get(t.hostId)}\t${forwardArgs(t).join(' ')}\t${pid !== null ? `running (process ${pid})` : 'stopped'}${t.autoStart ? '\tauto-start' : ''}`,
    );
  if (tree.tunnels.length === 0)
    say('No saved tunnels. Add one in the app (a host’s Tunnels), or import an ssh_config that has LocalForward, RemoteForward or DynamicForward.');
}
