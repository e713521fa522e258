// The sidebar's host tree: what rows it draws, in which order, what a filter keeps, and the group helpers
// of the editors (the group select, the inheritance chain, the delete confirmation).
import { describe, expect, it } from 'vitest';
import type { Tree } from '../../../../shared/model.js';
import { ancestry, buildTree, flattenGroups, hasContent, treeRows, type Branch } from '../../../../renderer/features/hosts/treeModel.js';
import { fuzzyScore, groupPaths, searchHosts, searchIndex } from '../../../../renderer/features/hosts/search.js';
import { parseTags, tagColor } from '../../../../renderer/features/hosts/tags.js';
import { group, host } from '../fixtures.js';

/** the rows as the sidebar draws them: `▸ group`, `host`, indented by depth */
function rows(branch: Branch, depth = 0): string[] {
  const pad = '  '.repeat(depth);
  return [...branch.groups.flatMap((g) => [`${pad}▸ ${g.group.name}`, ...rows(g, depth + 1)]), ...branch.hosts.map((h) => `${pad}${h.name}`)];
}

const tree = (over: Partial<Tree>): Tree => ({ groups: [], hosts: [], tunnels: [], recent: [], tagColors: {}, ...over });

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
    expect(rows(buildTree(office))).toEqual(['▸ lab', '  raspberry', '▸ Production', '  ▸ Databases', '    pg-primary', '    pg-replica', '  web', 'NAS']);
  });

  it('sorts as people read: case-insensitive, accents aside, numbers by value', () => {
    const t = tree({ hosts: ['web10', 'Web2', 'web1', 'épsilon', 'alpha', 'Zulu'].map((name) => host({ id: name.replace(/\W/g, '') || 'e', name })) });
    expect(rows(buildTree(t))).toEqual(['alpha', 'épsilon', 'web1', 'Web2', 'web10', 'Zulu']);
  });

  it('an empty tree has no rows', () => {
    expect(buildTree(tree({}))).toEqual({ groups: [], hosts: [] });
  });

  it('without a filter, an empty group still shows (to drop hosts in)', () => {
    const t = tree({ groups: [group({ id: 'empty', name: 'Empty' })] });
    expect(rows(buildTree(t))).toEqual(['▸ Empty']);
  });

  it('a host or group whose group is missing shows at the top level rather than vanishing', () => {
    const t = tree({ groups: [group({ id: 'orphan', name: 'Orphan', parentId: 'deleted' })], hosts: [host({ id: 'lost', groupId: 'deleted' })] });
    expect(rows(buildTree(t))).toEqual(['▸ Orphan', 'lost']);
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

describe('buildTree counts and cycles', () => {
  it('counts every host under a group, subgroups included', () => {
    const root = buildTree(office);
    expect(root.groups.map((g) => [g.group.name, g.count])).toEqual([
      ['lab', 1],
      ['Production', 3],
    ]);
  });

  it('a cycle of groups (never made by the store) shows nothing twice and does not loop', () => {
    const t = tree({ groups: [group({ id: 'x', parentId: 'y' }), group({ id: 'y', parentId: 'x' })] });
    expect(rows(buildTree(t))).toEqual([]);
  });
});

describe('treeRows', () => {
  const names = (list: ReturnType<typeof treeRows>) =>
    list.map((r) =>
      r.kind === 'section'
        ? `# ${r.label}`
        : r.kind === 'group'
          ? `${'  '.repeat(r.depth)}▸ ${r.node.group.name}`
          : `${'  '.repeat(r.depth)}${r.host.name}${r.where ? ` (${r.where})` : ''}`,
    );
  const none = { favourites: [], recent: [], pathOf: () => '' };

  it('draws open groups with their contents and closed ones alone', () => {
    const root = buildTree(office);
    expect(names(treeRows(root, (id) => id !== 'db', none))).toEqual(['▸ lab', '  raspberry', '▸ Production', '  ▸ Databases', '  web', 'NAS']);
  });

  it('puts favourites and recent hosts first, each with where it lives, then the whole tree', () => {
    const root = buildTree(office);
    const [pg1, , web] = office.hosts;
    const list = treeRows(root, () => false, { favourites: [web!], recent: [pg1!], pathOf: (h) => (h.id === 'web' ? 'Production' : 'Production / Databases') });
    expect(names(list)).toEqual([
      '# Favourites',
      'web (Production)',
      '# Recent',
      'pg-primary (Production / Databases)',
      '# All hosts',
      '▸ lab',
      '▸ Production',
      'NAS',
    ]);
    expect(new Set(list.map((r) => r.key)).size).toBe(list.length);
  });
});

describe('searchHosts', () => {
  const names = (q: string, t: Tree = office) => searchHosts(searchIndex(t), q).map((h) => h.host.name);

  it('finds by name, address, user and group, ignoring case and surrounding spaces', () => {
    expect(names('replica')).toEqual(['pg-replica']);
    expect(names('  WEB.EXAMPLE  ')).toEqual(['web']);
    expect(names('postgres')).toEqual(['pg-primary']);
    expect(names('nas')).toEqual(['NAS']);
    expect(names('Databases')).toEqual(['pg-primary', 'pg-replica']);
  });

  it('ranks a match at the start of the name above one inside the address or a scattered one', () => {
    const t = tree({
      hosts: [host({ id: 'a', name: 'backup', hostname: 'db-backup.lan' }), host({ id: 'b', name: 'db-main' }), host({ id: 'c', name: 'dashboard' })],
    });
    expect(names('db', t)).toEqual(['db-main', 'backup', 'dashboard']);
  });

  it('matches letters in order (fuzzy), and every word of the query must match', () => {
    expect(names('pgrep')).toEqual(['pg-replica']);
    expect(names('prod web')).toEqual(['web']);
    expect(names('prod nothing')).toEqual([]);
  });

  it('finds by tag, and #tag only by tag', () => {
    const t = tree({ hosts: [host({ id: 'a', name: 'alpha', tags: ['prod'] }), host({ id: 'b', name: 'producer' })] });
    expect(names('prod', t).sort()).toEqual(['alpha', 'producer']);
    expect(names('#prod', t)).toEqual(['alpha']);
  });

  it('an empty query or one of spaces finds nothing (the tree shows instead)', () => {
    expect(searchHosts(searchIndex(office), '   ')).toEqual([]);
  });

  it('filters unicode names', () => {
    const t = tree({ hosts: [host({ id: 'k', name: 'Köln-Server' }), host({ id: 't', name: '東京' })] });
    expect(names('köln', t)).toEqual(['Köln-Server']);
    expect(names('東', t)).toEqual(['東京']);
  });

  it('scores: no match is 0; a whole-word prefix beats a later substring beats a scattered match', () => {
    expect(fuzzyScore('xyz', 'web')).toBe(0);
    expect(fuzzyScore('web', 'web')).toBeGreaterThan(fuzzyScore('web', 'web-1'));
    expect(fuzzyScore('web', 'web-1')).toBeGreaterThan(fuzzyScore('web', 'old-web'));
    expect(fuzzyScore('web', 'old-web')).toBeGreaterThan(fuzzyScore('web', 'w-e-b'));
    expect(fuzzyScore('web', 'w-e-b')).toBeGreaterThan(0);
  });

  it('names each group by its path; among ten thousand hosts the exact name comes first, equal scores in name order', () => {
    expect(groupPaths(office.groups).get('db')).toBe('Production / Databases');
    const groups = Array.from({ length: 50 }, (_, i) => group({ id: `g${i}`, name: `team-${i}`, parentId: i % 5 ? `g${i - (i % 5)}` : null }));
    const hosts = Array.from({ length: 10_000 }, (_, i) =>
      host({ id: `h${i}`, name: `web-${i}`, hostname: `10.1.${i >> 8}.${i & 255}`, groupId: `g${i % 50}` }),
    );
    const hits = searchHosts(searchIndex(tree({ groups, hosts })), 'web-123');
    expect(hits.map((h) => h.host.name).slice(0, 4)).toEqual(['web-123', 'web-1230', 'web-1231', 'web-1232']);
    expect(hits[0]!.where).toBe('team-20 / team-23');
  });
});

describe('tags', () => {
  it('parses commas, spaces and #, keeping the first spelling of each tag', () => {
    expect(parseTags(' #prod, db  eu-west,Prod ')).toEqual(['prod', 'db', 'eu-west']);
    expect(parseTags('')).toEqual([]);
  });

  it('a tag keeps its chosen colour (whatever its case), else gets the same one from its name every time', () => {
    expect(tagColor('DB', { db: '#123456' })).toBe('#123456');
    expect(tagColor('prod', {})).toBe(tagColor('PROD', {}));
    expect(tagColor('prod', {})).toMatch(/^#[0-9a-f]{6}$/);
  });

  it('a tag named like a property every object has (constructor, __proto__, toString) gets a colour, not that property', () => {
    for (const tag of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) expect(tagColor(tag, {})).toMatch(/^#[0-9a-f]{6}$/);
    expect(tagColor('Constructor', JSON.parse('{"constructor":"#123456"}') as Record<string, string>)).toBe('#123456');
  });
});
