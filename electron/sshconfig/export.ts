import { WarrenError } from '../../shared/errors.js';
import { parseJumpSpec, type ResolvedHost, type Tree, type Tunnel } from '../../shared/model.js';

/** One host as it goes into an ssh_config snippet. */
export interface ExportedHost {
  name: string;
  settings: Omit<ResolvedHost, 'sources' | 'jump'>;
  /** ProxyJump: hops that are saved hosts by their Host name (exported too), others as `user@host:port` */
  jump: string | null;
  tunnels: Tunnel[];
}

/** A Host pattern is one word without pattern characters: anything else becomes a dash. */
export function configName(name: string): string {
  return name.trim().replace(/[^A-Za-z0-9._@-]+/g, '-') || 'host';
}

/** what each of Warren's auth settings tells OpenSSH to try */
const PREFERRED = { agent: 'publickey', key: 'publickey', password: 'password,keyboard-interactive', 'keyboard-interactive': 'keyboard-interactive' } as const;

const quote = (v: string) => (/[\s"#]/.test(v) ? `"${v.replace(/"/g, '\\"')}"` : v);
const addr = (a: string) => (a.includes(':') ? `[${a}]` : a);

function forwardLine(t: Tunnel): string {
  const bind = `${addr(t.bindAddress)}:${t.bindPort}`;
  if (t.kind === 'dynamic') return `DynamicForward ${bind}`;
  return `${t.kind === 'local' ? 'LocalForward' : 'RemoteForward'} ${bind} ${addr(t.destHost!)}:${t.destPort}`;
}

/**
 * Warren's hosts as OpenSSH reads them: each Host block carries everything Warren would use
 * (`ssh -G -F snippet NAME` resolves to the same values), with its jump chain and its tunnels.
 */
export function toSshConfig(hosts: ExportedHost[], header = `Written by Warren on ${new Date().toISOString()}`): string {
  const out = [`# ${header}`, ''];
  for (const h of hosts) {
    const s = h.settings;
    out.push(`Host ${configName(h.name)}`, `  HostName ${s.hostname}`, `  User ${s.user}`, `  Port ${s.port}`);
    if (s.identityFile) out.push(`  IdentityFile ${quote(s.identityFile)}`);
    if (h.jump) out.push(`  ProxyJump ${h.jump}`);
    else if (s.proxyCommand) out.push(`  ProxyCommand ${s.proxyCommand}`);
    out.push(`  ServerAliveInterval ${s.keepaliveInterval}`, `  ServerAliveCountMax ${s.keepaliveCountMax}`);
    if (s.auth !== 'auto') out.push(`  PreferredAuthentications ${PREFERRED[s.auth]}`);
    if (s.auth === 'key' && s.identityFile) out.push('  IdentitiesOnly yes');
    const command = s.remoteCommand && s.remoteCommand !== 'none' ? s.remoteCommand : null;
    // ssh expands %-tokens and ${VAR} in RemoteCommand (%% is a %); a line cannot hold a newline
    if (command && (/[\r\n]/.test(command) || command.includes('${'))) out.push('  # its Remote command is not written: it spans lines or holds ${');
    // as in Warren's terminals, with a terminal (ssh's RequestTTY auto gives a command none)
    else if (command) out.push(`  RemoteCommand ${command.replace(/%/g, '%%')}`, '  RequestTTY yes');
    for (const t of h.tunnels) out.push(`  # tunnel "${t.name.replace(/\n/g, ' ')}"`, `  ${forwardLine(t)}`);
    out.push('');
  }
  return out.join('\n');
}

/**
 * The hosts named (hosts, or groups with everything in them; all when none is named), plus every
 * saved host their jump lists go through, as an ssh_config snippet. A hop that is a saved host is
 * written as its Host name, so OpenSSH applies that host's block (user, key, its own chain) to the
 * hop exactly as Warren does.
 */
export function exportSnippet(tree: Tree, resolve: (hostId: string) => ResolvedHost, names: string[]): string {
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  const hostIds: string[] = [];
  const groupIds: string[] = [];
  if (names.length === 0) hostIds.push(...tree.hosts.map((h) => h.id));
  for (const n of names) {
    const h = tree.hosts.find((x) => same(x.name, n));
    const g = tree.groups.find((x) => same(x.name, n));
    if (h) hostIds.push(h.id);
    else if (g) groupIds.push(g.id);
    else throw new WarrenError('NOT_FOUND', `There is no host or group named "${n}".`);
  }
  return exportSelection(tree, resolve, { hostIds, groupIds });
}

/** `exportSnippet` for a selection by id (the sidebar's "Copy as ssh_config"): hosts, and groups with everything in them. */
export function exportSelection(tree: Tree, resolve: (hostId: string) => ResolvedHost, selection: { hostIds: string[]; groupIds: string[] }): string {
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  const pick = new Set<string>();
  const addGroup = (id: string) => {
    for (const h of tree.hosts.filter((x) => x.groupId === id)) pick.add(h.id);
    for (const g of tree.groups.filter((x) => x.parentId === id)) addGroup(g.id);
  };
  for (const id of selection.hostIds) pick.add(id);
  for (const id of selection.groupIds) addGroup(id);
  const jumps = new Map<string, string | null>();
  for (let grew = true; grew;) {
    grew = false;
    for (const id of pick) {
      if (jumps.has(id)) continue;
      const spec = resolve(id).jump;
      const hops = spec && spec !== 'none' ? (parseJumpSpec(spec) ?? []) : [];
      jumps.set(
        id,
        hops.length === 0
          ? null
          : hops
              .map((hop) => {
                const saved = tree.hosts.find((x) => same(x.name, hop.hostname));
                if (saved && !pick.has(saved.id)) {
                  pick.add(saved.id);
                  grew = true;
                }
                const host = saved ? configName(saved.name) : hop.hostname.includes(':') ? `[${hop.hostname}]` : hop.hostname;
                return `${hop.user ? `${hop.user}@` : ''}${host}${hop.port ? `:${hop.port}` : ''}`;
              })
              .join(','),
      );
    }
  }
  const hosts = tree.hosts
    .filter((h) => pick.has(h.id))
    .map((h) => ({ name: h.name, settings: resolve(h.id), jump: jumps.get(h.id) ?? null, tunnels: tree.tunnels.filter((t) => t.hostId === h.id) }));
  return toSshConfig(hosts);
}
