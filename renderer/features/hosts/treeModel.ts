import type { Group, HostRecord, Tree } from '../../../shared/model.js';

export interface Branch {
  groups: GroupNode[];
  hosts: HostRecord[];
}
export interface GroupNode extends Branch {
  group: Group;
  /** hosts in the group and all its subgroups */
  count: number;
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
export const byName = (a: { name: string }, b: { name: string }) => collator.compare(a.name, b.name);

function groupBy<T>(items: readonly T[], key: (item: T) => string | null): Map<string | null, T[]> {
  const map = new Map<string | null, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

/**
 * The tree as the sidebar draws it: groups first, then hosts, each sorted by name. A group whose
 * parent is missing shows at the top level rather than vanishing (and a cycle of groups, which the
 * store never makes, at the top level too).
 */
export function buildTree(tree: Pick<Tree, 'groups' | 'hosts'>): Branch {
  const known = new Set(tree.groups.map((g) => g.id));
  const parentOf = (id: string | null) => (id !== null && known.has(id) ? id : null);
  const groupsIn = groupBy(tree.groups, (g) => parentOf(g.parentId));
  const hostsIn = groupBy(tree.hosts, (h) => parentOf(h.groupId));
  const seen = new Set<string>();
  const branch = (parent: string | null): Branch => ({
    groups: (groupsIn.get(parent) ?? [])
      .filter((g) => !seen.has(g.id) && seen.add(g.id))
      .toSorted(byName)
      .map((group) => {
        const inner = branch(group.id);
        return { group, ...inner, count: inner.hosts.length + inner.groups.reduce((n, g) => n + g.count, 0) };
      }),
    hosts: (hostsIn.get(parent) ?? []).toSorted(byName),
  });
  return branch(null);
}

/** One line of the sidebar's list, in the order drawn. */
export type Row =
  | { kind: 'section'; key: string; label: string; count?: number }
  | { kind: 'group'; key: string; node: GroupNode; depth: number; open: boolean }
  | { kind: 'host'; key: string; host: HostRecord; depth: number; where?: string };

/**
 * The rows a tree shows: favourites and recent hosts first (each a section, when there are any),
 * then the tree with the open groups' contents. `where` names a host's group path in the sections.
 */
export function treeRows(
  root: Branch,
  isOpen: (groupId: string) => boolean,
  top: { favourites: HostRecord[]; recent: HostRecord[]; pathOf(h: HostRecord): string },
): Row[] {
  const rows: Row[] = [];
  const section = (key: string, label: string, hosts: HostRecord[]) => {
    if (hosts.length === 0) return;
    rows.push({ kind: 'section', key, label, count: hosts.length });
    for (const host of hosts) rows.push({ kind: 'host', key: `${key}:${host.id}`, host, depth: 0, where: top.pathOf(host) });
  };
  section('favourites', 'Favourites', top.favourites);
  section('recent', 'Recent', top.recent);
  if (rows.length > 0) rows.push({ kind: 'section', key: 'all', label: 'All hosts' });
  const walk = (branch: Branch, depth: number) => {
    for (const node of branch.groups) {
      const open = isOpen(node.group.id);
      rows.push({ kind: 'group', key: node.group.id, node, depth, open });
      if (open) walk(node, depth + 1);
    }
    for (const host of branch.hosts) rows.push({ kind: 'host', key: host.id, host, depth });
  };
  walk(root, 0);
  return rows;
}

/** Every group in tree order with its depth, for selects; `exclude` drops a group and its subtree. */
export function flattenGroups(groups: Group[], exclude?: string): { group: Group; depth: number }[] {
  const out: { group: Group; depth: number }[] = [];
  const walk = (nodes: GroupNode[], depth: number) => {
    for (const node of nodes) {
      if (node.group.id === exclude) continue;
      out.push({ group: node.group, depth });
      walk(node.groups, depth + 1);
    }
  };
  walk(buildTree({ groups, hosts: [] }).groups, 0);
  return out;
}

/** A group and its ancestors, nearest first. */
export function ancestry(groupId: string | null, groups: Group[]): Group[] {
  const byId = new Map(groups.map((g) => [g.id, g]));
  const chain: Group[] = [];
  for (let g = groupId === null ? undefined : byId.get(groupId); g && !chain.includes(g); g = g.parentId === null ? undefined : byId.get(g.parentId)) {
    chain.push(g);
  }
  return chain;
}

/** Whether deleting the group takes hosts or groups with it. */
export function hasContent(tree: Tree, groupId: string): boolean {
  return tree.groups.some((g) => g.parentId === groupId) || tree.hosts.some((h) => h.groupId === groupId);
}
