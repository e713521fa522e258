import type { Group, HostRecord, Tree } from '../../../shared/model.js';

export interface Branch {
  groups: GroupNode[];
  hosts: HostRecord[];
}
export interface GroupNode extends Branch {
  group: Group;
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base', numeric: true });

function groupBy<T>(items: T[], key: (item: T) => string | null): Map<string | null, T[]> {
  const map = new Map<string | null, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

function matcher(filter: string): (host: HostRecord) => boolean {
  const q = filter.trim().toLowerCase();
  if (q === '') return () => true;
  return (h) => [h.name, h.hostname, h.user ?? ''].some((s) => s.toLowerCase().includes(q));
}

/**
 * The tree as the sidebar draws it: groups first, then hosts, each sorted by name. With a filter,
 * only matching hosts and the groups on their way remain. A group whose parent is missing shows at
 * the top level rather than vanishing.
 */
export function buildTree(tree: Tree, filter: string): Branch {
  const matches = matcher(filter);
  const filtering = filter.trim() !== '';
  const known = new Set(tree.groups.map((g) => g.id));
  const parentOf = (id: string | null) => (id !== null && known.has(id) ? id : null);
  const groupsIn = groupBy(tree.groups, (g) => parentOf(g.parentId));
  const hostsIn = groupBy(tree.hosts.filter(matches), (h) => parentOf(h.groupId));

  const branch = (parent: string | null): Branch => ({
    groups: (groupsIn.get(parent) ?? [])
      .toSorted(byName)
      .map((group) => ({ group, ...branch(group.id) }))
      .filter((node) => !filtering || node.groups.length > 0 || node.hosts.length > 0),
    hosts: (hostsIn.get(parent) ?? []).toSorted(byName),
  });
  return branch(null);
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
  walk(buildTree({ groups, hosts: [], tunnels: [] }, '').groups, 0);
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
