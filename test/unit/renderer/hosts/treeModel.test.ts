// The sidebar's host tree: what rows it draws, in which order, what a filter keeps, and the group helpers
// of the editors (the group select, the inheritance chain, the delete confirmation).
import { describe, expect, it } from 'vitest';
import type { Tree } from '../../../../shared/model.js';
import { ancestry, buildTree, flattenGroups, hasContent, type Branch } from '../../../../renderer/features/hosts/treeModel.js';
import { group, host } from '../fixtures.js';

/** the rows as the sidebar draws them: `▸ group`, `host`, indented by depth */
function rows(branch: Branch, depth = 0): string[] {
  const pad = '  '.repeat(depth);
  return [...branch.groups.flatMap((g) => [`${pad}▸ ${g.group.name}`, ...rows(g, depth + 1)]), ...branch.hosts.map((h) => `${pad}${h.name}`)];
}

const tree = (over: Partial<Tree>): Tree => ({ groups: [], hosts: [], tunnels: [], ...over });

const office: Tree = tree({
  groups: [group({ id: 'prod', name: 'Production' }), group({ id: 'db', name: 'Databases', parentId: 'prod' }), group({ id: 'lab', name: 'lab' })],
  hosts: [
    host({ id: 'pg1', name: 'pg-primary', groupId: 'db', hostname: '10.0.0.11', user: 'postgres' }),
    host({ id: 'pg2', name: 'pg-replica', groupId: 'db', hostname: '10.0.0.12' }),
    host({ id: 'web', name: 'web', groupId: 'prod', hostname: 'web.example.com' }),
    host({ id: 'pi', name: 'raspberry', groupId: 'lab', hostname: 'pi.local' }),
    host({ id: 'nas', name: 'NAS', groupId: null, hostname: 'nas.home' }),
  ],
});

describe('buildTree', () => {
  it('draws groups first, then hosts, each level sorted by name', () => {
    expect(rows(buildTree(office, ''))).toEqual(['▸ lab', '  raspberry', '▸ Production', '  ▸ Databases', '    pg-primary', '    pg-replica', '  web', 'NAS']);
  });

  it('sorts as people read: case-insensitive, accents aside, numbers by value', () => {
    const t = tree({ hosts: ['web10', 'Web2', 'web1', 'épsilon', 'alpha', 'Zulu'].map((name) => host({ id: name.replace(/\W/g, '') || 'e', name })) });
    expect(rows(buildTree(t, ''))).toEqual(['alpha', 'épsilon', 'web1', 'Web2', 'web10', 'Zulu']);
  });

  it('an empty tree has no rows', () => {
    expect(buildTree(tree({}), '')).toEqual({ groups: [], hosts: [] });
  });

  it('without a filter, an empty group still shows (to drop hosts in)', () => {
    const t = tree({ groups: [group({ id: 'empty', name: 'Empty' })] });
    expect(rows(buildTree(t, ''))).toEqual(['▸ Empty']);
  });

  it('a filter keeps the matching hosts and the groups on their way, and drops the rest', () => {
    expect(rows(buildTree(office, 'replica'))).toEqual(['▸ Production', '  ▸ Databases', '    pg-replica']);
  });

  it('a filter matches the name, the address or the user, ignoring case and surrounding spaces', () => {
    expect(rows(buildTree(office, '  WEB.EXAMPLE  '))).toEqual(['▸ Production', '  web']);
    expect(rows(buildTree(office, 'postgres'))).toEqual(['▸ Production', '  ▸ Databases', '    pg-primary']);
    expect(rows(buildTree(office, 'nas'))).toEqual(['NAS']);
  });

  it('a filter does not match group names: a group shows only for the hosts in it', () => {
    expect(rows(buildTree(office, 'Production'))).toEqual([]);
  });

  it('a filter that matches nothing leaves no rows (the sidebar says so)', () => {
    expect(buildTree(office, 'nothing-like-this')).toEqual({ groups: [], hosts: [] });
  });

  it('a filter of only spaces is no filter: empty groups stay', () => {
    const t = tree({ groups: [group({ id: 'empty', name: 'Empty' })], hosts: [host({ id: 'a' })] });
    expect(rows(buildTree(t, '   '))).toEqual(['▸ Empty', 'a']);
  });

  it('filters unicode names', () => {
    const t = tree({ hosts: [host({ id: 'k', name: 'Köln-Server' }), host({ id: 't', name: '東京' })] });
    expect(rows(buildTree(t, 'köln'))).toEqual(['Köln-Server']);
    expect(rows(buildTree(t, '東'))).toEqual(['東京']);
  });

  it('a host or group whose group is missing shows at the top level rather than vanishing', () => {
    const t = tree({ groups: [group({ id: 'orphan', name: 'Orphan', parentId: 'deleted' })], hosts: [host({ id: 'lost', groupId: 'deleted' })] });
    expect(rows(buildTree(t, ''))).toEqual(['▸ Orphan', 'lost']);
  });
});

describe('flattenGroups', () => {
  const groups = [
    group({ id: 'prod', name: 'Production' }),
    group({ id: 'db', name: 'Databases', parentId: 'prod' }),
    group({ id: 'old', name: 'Archive', parentId: 'db' }),
    group({ id: 'lab', name: 'lab' }),
  ];
  const names = (list: ReturnType<typeof flattenGroups>) => list.map(({ group: g, depth }) => `${depth}:${g.name}`);

  it('lists every group in tree order with its depth, for the group select', () => {
    expect(names(flattenGroups(groups))).toEqual(['0:lab', '0:Production', '1:Databases', '2:Archive']);
  });

  it('leaves out a group and everything under it (a group cannot move into itself)', () => {
    expect(names(flattenGroups(groups, 'db'))).toEqual(['0:lab', '0:Production']);
  });

  it('no groups, no options', () => {
    expect(flattenGroups([])).toEqual([]);
  });
});

describe('ancestry', () => {
  const groups = [group({ id: 'a', name: 'A' }), group({ id: 'b', name: 'B', parentId: 'a' }), group({ id: 'c', name: 'C', parentId: 'b' })];

  it('goes from the group up to the top, nearest first', () => {
    expect(ancestry('c', groups).map((g) => g.id)).toEqual(['c', 'b', 'a']);
  });

  it('is empty at the top level or for a group that is gone', () => {
    expect(ancestry(null, groups)).toEqual([]);
    expect(ancestry('gone', groups)).toEqual([]);
  });

  it('stops at a missing parent', () => {
    expect(ancestry('x', [group({ id: 'x', parentId: 'gone' })]).map((g) => g.id)).toEqual(['x']);
  });

  it('ends on a cycle instead of looping forever', () => {
    const loop = [group({ id: 'x', parentId: 'y' }), group({ id: 'y', parentId: 'x' })];
    expect(ancestry('x', loop).map((g) => g.id)).toEqual(['x', 'y']);
  });
});

describe('hasContent', () => {
  it('a group with a host or a subgroup takes them along when deleted; an empty one does not', () => {
    expect(hasContent(office, 'lab')).toBe(true);
    expect(hasContent(office, 'prod')).toBe(true);
    const t = tree({ groups: [group({ id: 'p' }), group({ id: 'child', parentId: 'p' })] });
    expect(hasContent(t, 'p')).toBe(true);
    expect(hasContent(t, 'child')).toBe(false);
  });
});
