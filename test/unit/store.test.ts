// Hosts and groups: inheritance, moves, deletes, persistence, migrations and a corrupt settings file.
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HostStore } from '../../electron/store/hosts.js';
import type { Secrets } from '../../electron/store/secrets.js';
import { migrate, openNodeConf, openSettings } from '../../electron/store/settings.js';
import { WarrenError } from '../../shared/errors.js';
import { HostSettings } from '../../shared/model.js';
import { DEFAULT_TERMINAL_SETTINGS } from '../../shared/settings.js';

/** an in-memory Secrets for these pure-logic tests (the real keychain and vault have their own tests) */
function memorySecrets(): Secrets & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    backend: 'vault',
    detail: 'memory',
    get: async (a) => map.get(a) ?? null,
    set: async (a, s) => void map.set(a, s),
    delete: async (a) => void map.delete(a),
  };
}

async function fresh() {
  const dir = await mkdtemp(path.join(tmpdir(), 'warren-store-'));
  const secrets = memorySecrets();
  const { conf, doc, notices } = await openSettings(dir, openNodeConf);
  return { dir, secrets, store: new HostStore(conf, doc, secrets), notices };
}

describe('host store', () => {
  it('hosts inherit group defaults through nested groups, with the source of each value', async () => {
    const { store } = await fresh();
    const prod = store.createGroup({ name: 'prod', parentId: null, defaults: { user: 'deploy', port: 2222, keepaliveInterval: 30 } });
    const db = store.createGroup({ name: 'db', parentId: prod.id, defaults: { port: 5022 } });
    const h = await store.createHost({ name: 'pg1', groupId: db.id, hostname: 'pg1.internal', keepaliveInterval: 5 });
    const r = store.resolve(h.id);
    expect(r).toMatchObject({
      hostname: 'pg1.internal',
      user: 'deploy',
      port: 5022,
      keepaliveInterval: 5,
      keepaliveCountMax: 3,
      auth: 'auto',
      identityFile: null,
    });
    expect(r.sources.user).toEqual({ kind: 'group', groupId: prod.id, groupName: 'prod' });
    expect(r.sources.port).toEqual({ kind: 'group', groupId: db.id, groupName: 'db' });
    expect(r.sources.keepaliveInterval).toEqual({ kind: 'host' });
    expect(r.sources.auth).toEqual({ kind: 'default' });
    // moving the host out of the groups drops what it inherited
    await store.updateHost(h.id, { groupId: null });
    expect(store.resolve(h.id)).toMatchObject({ user: userInfo().username, port: 22 });
  });

  it('an update with null clears an override so the host inherits again', async () => {
    const { store } = await fresh();
    const g = store.createGroup({ name: 'g', parentId: null, defaults: { user: 'ops' } });
    const h = await store.createHost({ name: 'h', groupId: g.id, hostname: 'h', user: 'me' });
    expect(store.resolve(h.id).user).toBe('me');
    await store.updateHost(h.id, { user: null });
    expect(store.resolve(h.id).user).toBe('ops');
  });

  it('refuses to move a group into its own subgroup', async () => {
    const { store } = await fresh();
    const a = store.createGroup({ name: 'a', parentId: null, defaults: {} });
    const b = store.createGroup({ name: 'b', parentId: a.id, defaults: {} });
    expect(() => store.updateGroup({ id: a.id, parentId: b.id })).toThrow(WarrenError);
    expect(() => store.updateGroup({ id: a.id, parentId: a.id })).toThrow(/into itself/);
    expect(store.updateGroup({ id: b.id, parentId: null }).parentId).toBeNull();
    expect(store.updateGroup({ id: b.id, name: 'b2' }).parentId).toBeNull();
  });

  it('deletes a non-empty group only when asked to, with its hosts and their secrets', async () => {
    const { store, secrets } = await fresh();
    const a = store.createGroup({ name: 'a', parentId: null, defaults: {} });
    const b = store.createGroup({ name: 'b', parentId: a.id, defaults: {} });
    const h = await store.createHost({ name: 'h', groupId: b.id, hostname: 'h', password: 'pw' });
    const keep = await store.createHost({ name: 'keep', groupId: null, hostname: 'k', password: 'pw2' });
    await expect(store.deleteGroup(a.id, false)).rejects.toThrow(/still holds 1 host/);
    await store.deleteGroup(a.id, true);
    expect(store.tree().groups).toEqual([]);
    expect(store.tree().hosts.map((x) => x.id)).toEqual([keep.id]);
    expect(secrets.map.has(`host:${h.id}:password`)).toBe(false);
    expect(secrets.map.get(`host:${keep.id}:password`)).toBe('pw2');
  });

  it('keeps secrets out of the settings file and records only that they exist', async () => {
    const { store, dir, secrets } = await fresh();
    const h = await store.createHost({ name: 'h', groupId: null, hostname: 'h', password: 'hunter2-secret', passphrase: 'pass-secret' });
    expect(h).toMatchObject({ hasPassword: true, hasPassphrase: true });
    const file = await readFile(path.join(dir, 'settings.json'), 'utf8');
    expect(file).not.toMatch(/hunter2-secret|pass-secret/);
    expect(secrets.map.get(`host:${h.id}:password`)).toBe('hunter2-secret');
    const forgot = await store.updateHost(h.id, { password: null });
    expect(forgot.hasPassword).toBe(false);
    expect(secrets.map.has(`host:${h.id}:password`)).toBe(false);
  });

  it('persists across restarts and announces changes', async () => {
    const { store, dir } = await fresh();
    const seen: number[] = [];
    store.onChange((t) => seen.push(t.hosts.length));
    await store.createHost({ name: 'h', groupId: null, hostname: 'h' });
    expect(seen).toEqual([1]);
    const again = await openSettings(dir, openNodeConf);
    expect(again.doc.hosts.map((h) => h.name)).toEqual(['h']);
    expect(again.notices).toEqual([]);
  });
});

describe('settings file', () => {
  it('migrates an unversioned document, a version-1 document (no tunnels yet), a version-2 one (no recents, no tag colours), a version-3 one (no terminal settings), a version-4 one (no snippets) and a version-5 one (no workspace)', () => {
    const terminal = DEFAULT_TERMINAL_SETTINGS;
    const snippets: never[] = [];
    const workspace = null;
    expect(migrate({ hosts: [] })).toEqual({ schemaVersion: 6, groups: [], hosts: [], tunnels: [], recent: [], tagColors: {}, terminal, snippets, workspace });
    const v1 = { schemaVersion: 1, groups: [], hosts: [{ id: 'h1', name: 'h', groupId: null, hostname: 'h', hasPassword: false, hasPassphrase: false }] };
    expect(migrate(v1)).toEqual({ ...v1, schemaVersion: 6, tunnels: [], recent: [], tagColors: {}, terminal, snippets, workspace });
    expect(migrate({ ...v1, schemaVersion: 2, tunnels: [] })).toEqual({
      ...v1,
      schemaVersion: 6,
      tunnels: [],
      recent: [],
      tagColors: {},
      terminal,
      snippets,
      workspace,
    });
    const v3 = { ...v1, schemaVersion: 3, tunnels: [], recent: ['h1'], tagColors: { prod: '#ff0000' } };
    expect(migrate(v3)).toEqual({ ...v3, schemaVersion: 6, terminal, snippets, workspace });
    const { restoreWorkspace: _r, ...v4terminal } = { ...terminal, fontSize: 19 };
    const v4 = { ...v3, schemaVersion: 4, terminal: v4terminal };
    expect(migrate(v4)).toEqual({ ...v4, schemaVersion: 6, terminal: { ...v4terminal, restoreWorkspace: true }, snippets, workspace });
    // a version-5 file: restoring is on, nothing saved yet
    expect(migrate({ ...v4, schemaVersion: 5, snippets })).toEqual({
      ...v4,
      schemaVersion: 6,
      terminal: { ...v4terminal, restoreWorkspace: true },
      snippets,
      workspace,
    });
  });

  it('a version-6 document keeps its terminal settings; a value that is not valid falls back to its default alone', () => {
    const base = { schemaVersion: 6, groups: [], hosts: [], tunnels: [], recent: [], tagColors: {}, snippets: [], workspace: null };
    const mine = { ...DEFAULT_TERMINAL_SETTINGS, fontSize: 20, theme: 'light', cursorStyle: 'bar', copyOnSelect: true };
    expect(migrate({ ...base, terminal: mine }).terminal).toEqual(mine);
    const edited = { ...mine, fontSize: 99, theme: 'solarized', fontFamily: 'x; } body { display: none' };
    expect(migrate({ ...base, terminal: edited }).terminal).toEqual({
      ...mine,
      fontSize: DEFAULT_TERMINAL_SETTINGS.fontSize,
      theme: DEFAULT_TERMINAL_SETTINGS.theme,
      fontFamily: DEFAULT_TERMINAL_SETTINGS.fontFamily,
    });
    // a field missing from the file (written by hand, or by a build before it existed) is its default
    const { scrollback: _s, ...withoutScrollback } = mine;
    expect(migrate({ ...base, terminal: withoutScrollback }).terminal.scrollback).toBe(DEFAULT_TERMINAL_SETTINGS.scrollback);
    expect(migrate({ ...base, terminal: 'nope' }).terminal).toEqual(DEFAULT_TERMINAL_SETTINGS);
    // the settings a file from before TERM, locale, bell and word separators existed never had
    const { termType: _t, locale: _l, bell: _b, wordSeparators: _w, ...older } = mine;
    expect(migrate({ ...base, terminal: older }).terminal).toEqual(mine);
    const hostile = { ...mine, termType: 'xterm\nrm -rf ~', locale: 'C.UTF-8; id', wordSeparators: ' \u001b[31m' };
    expect(migrate({ ...base, terminal: hostile }).terminal).toEqual(mine);
    // the close question, the right-click and the rebound shortcuts: a file from before them gets the defaults, a bad value too
    const { confirmClose: _c, rightClick: _rc, keys: _k, ...beforeThem } = mine;
    expect(migrate({ ...base, terminal: beforeThem }).terminal).toEqual(mine);
    const badKeys = { ...mine, rightClick: 'launch', confirmClose: 'yes', keys: { 'tabs.splitRight': 'Ctrl+Shift+KeyY; rm' } };
    expect(migrate({ ...base, terminal: badKeys }).terminal).toEqual(mine);
    const rebound = { ...mine, confirmClose: false, rightClick: 'copyPaste', keys: { 'tabs.splitRight': 'Ctrl+Shift+KeyY' } };
    expect(migrate({ ...base, terminal: rebound }).terminal).toEqual(rebound);
  });

  it('terminal settings are written to the file beside the hosts, survive a reopen, and a host edit does not undo them', async () => {
    const { dir, store } = await fresh();
    const heard: unknown[] = [];
    store.onAppSettings((s) => heard.push(s.terminal.fontSize));
    expect(store.updateAppSettings({ terminal: { fontSize: 18, theme: 'high-contrast' } }).terminal).toMatchObject({
      fontSize: 18,
      theme: 'high-contrast',
      cursorStyle: 'block',
    });
    store.updateAppSettings({ terminal: { fontSize: 18 } }); // no change: no second event
    await store.createHost({ name: 'web', groupId: null, hostname: 'web.example' });
    expect(heard).toEqual([18]);
    const file = JSON.parse(await readFile(path.join(dir, 'settings.json'), 'utf8')) as { schemaVersion: number; terminal: unknown };
    expect(file.schemaVersion).toBe(6);
    expect(file.terminal).toMatchObject({ fontSize: 18, theme: 'high-contrast' });
    const reopened = await openSettings(dir, openNodeConf);
    expect(reopened.doc.terminal).toEqual({ ...DEFAULT_TERMINAL_SETTINGS, fontSize: 18, theme: 'high-contrast' });
    expect(reopened.doc.hosts.map((h) => h.name)).toEqual(['web']);
  });

  it('refuses a document from a newer Warren', () => {
    expect(() => migrate({ schemaVersion: 99, groups: [], hosts: [] })).toThrow(/newer Warren/);
  });

  it.each([
    ['not JSON', '{"schemaVersion":1,"groups":[],"hosts":[{"id":'],
    ['wrong shape', '{"schemaVersion":1,"groups":"nope","hosts":[]}'],
    ['an array', '[1,2,3]'],
  ])('sets a corrupt file (%s) aside, starts empty, and says where it went', async (_what, content) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'warren-corrupt-'));
    await writeFile(path.join(dir, 'settings.json'), content);
    const { doc, notices } = await openSettings(dir, openNodeConf);
    expect(doc.hosts).toEqual([]);
    expect(notices).toHaveLength(1);
    expect(notices[0]?.level).toBe('error');
    const files = await readdir(dir);
    const aside = files.find((f) => f.startsWith('settings.json.corrupt-'));
    expect(aside).toBeDefined();
    expect(notices[0]?.message).toContain(aside);
    expect(await readFile(path.join(dir, aside!), 'utf8')).toBe(content);
  });
});

describe('bulk edits', () => {
  it('creates ten thousand hosts in one write and one change', async () => {
    const { store, dir } = await fresh();
    const g = store.createGroup({ name: 'fleet', parentId: null, defaults: {} });
    const changes: number[] = [];
    store.onChange((_t, change) => changes.push(change.hosts.length));
    const ids = await store.createHosts(Array.from({ length: 10_000 }, (_, i) => ({ name: `web-${i}`, groupId: g.id, hostname: `10.0.${i >> 8}.${i & 255}` })));
    expect(ids).toHaveLength(10_000);
    expect(changes).toEqual([10_000]);
    const again = await openSettings(dir, openNodeConf);
    expect(again.doc.hosts).toHaveLength(10_000);
    await expect(
      store.createHosts([
        { name: 'a', groupId: null, hostname: 'a' },
        { name: 'b', groupId: 'gone', hostname: 'b' },
      ]),
    ).rejects.toThrow(/no group with id gone/);
    expect(store.tree().hosts).toHaveLength(10_000);
  });

  it('moves and deletes a selection in one change each, never a group into its own subgroup', async () => {
    const { store, secrets } = await fresh();
    const a = store.createGroup({ name: 'a', parentId: null, defaults: {} });
    const b = store.createGroup({ name: 'b', parentId: a.id, defaults: {} });
    const h1 = await store.createHost({ name: 'h1', groupId: null, hostname: 'h1', password: 'pw' });
    const h2 = await store.createHost({ name: 'h2', groupId: b.id, hostname: 'h2' });
    const h3 = await store.createHost({ name: 'h3', groupId: null, hostname: 'h3' });
    await store.createTunnel({ name: 't', hostId: h2.id, kind: 'dynamic', bindAddress: '127.0.0.1', bindPort: 1080, autoStart: false, exposed: false });
    const seen: { hosts: string[]; groups: string[]; removed: number }[] = [];
    store.onChange((_t, c) => seen.push({ hosts: c.hosts.map((h) => h.name), groups: c.groups.map((g) => g.name), removed: c.removed.hosts.length }));

    expect(() => store.moveItems({ hostIds: [], groupIds: [a.id], parentId: b.id })).toThrow(/cannot be moved into itself/);
    store.moveItems({ hostIds: [h1.id, h3.id], groupIds: [], parentId: b.id });
    expect(seen).toEqual([{ hosts: ['h1', 'h3'], groups: [], removed: 0 }]);
    expect(
      store
        .tree()
        .hosts.filter((h) => h.groupId === b.id)
        .map((h) => h.name),
    ).toEqual(['h1', 'h2', 'h3']);

    store.noteRecent(h1.id);
    await store.deleteItems({ hostIds: [], groupIds: [a.id] });
    expect(store.tree()).toMatchObject({ groups: [], hosts: [], tunnels: [], recent: [] });
    expect(seen.at(-1)).toEqual({ hosts: [], groups: [], removed: 3 });
    expect(secrets.map.size).toBe(0);
  });

  it('moves and deletes twenty thousand groups (BULK_MAX) in one call each within seconds, not minutes', async () => {
    const { store } = await fresh();
    const groups = Array.from({ length: 20_000 }, (_, i) => ({ id: `g${i}`, name: `g${i}`, parentId: null, defaults: {} }));
    const { groupId } = store.importInventory(JSON.stringify({ format: 'warren-inventory', version: 1, groups, hosts: [], tunnels: [] }), 'many');
    const ids = store
      .tree()
      .groups.filter((g) => g.id !== groupId)
      .map((g) => g.id);
    const dest = store.createGroup({ name: 'dest', parentId: null, defaults: {} });
    let started = performance.now();
    store.moveItems({ hostIds: [], groupIds: ids, parentId: dest.id });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(() => store.moveItems({ hostIds: [], groupIds: [ids[5]!, dest.id], parentId: ids[19_999]! })).toThrow(/"dest" cannot be moved into itself/);
    started = performance.now();
    await store.deleteItems({ hostIds: [], groupIds: [...ids.slice(1), dest.id] });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(store.tree().groups.map((g) => g.name)).toEqual(['many']);
  }, 300_000);

  it('tags a selection without case-duplicates, removes tags, and remembers recents and tag colours', async () => {
    const { store, dir } = await fresh();
    const [x, y] = await store.createHosts([
      { name: 'x', groupId: null, hostname: 'x', tags: ['Prod'] },
      { name: 'y', groupId: null, hostname: 'y' },
    ]);
    store.tagHosts({ ids: [x!, y!], add: ['prod', 'db'], remove: [] });
    expect(store.tree().hosts.map((h) => h.tags)).toEqual([
      ['Prod', 'db'],
      ['prod', 'db'],
    ]);
    store.tagHosts({ ids: [x!], add: [], remove: ['PROD', 'db'] });
    expect(store.host(x!).tags).toBeUndefined();
    store.setTagColor('DB', '#AA0000');
    for (const id of [x!, y!, x!]) store.noteRecent(id);
    const again = await openSettings(dir, openNodeConf);
    expect(again.doc.tagColors).toEqual({ db: '#aa0000' });
    expect(again.doc.recent).toEqual([x, y]);
  });
});

describe('importing a shared inventory file from someone else', () => {
  const file = (parts: { groups?: unknown[]; hosts?: unknown[]; tunnels?: unknown[] }) =>
    JSON.stringify({ format: 'warren-inventory', version: 1, groups: [], hosts: [], tunnels: [], ...parts });
  const h = (id: string, extra: Record<string, unknown> = {}) => ({ id, name: id, groupId: null, hostname: '10.0.0.1', ...extra });

  it('refuses a file whose records share an id (they would become two records with one id), and imports nothing', async () => {
    const { store } = await fresh();
    expect(() => store.importInventory(file({ hosts: [h('a'), h('a')] }), 'x')).toThrow(/host id "a" twice/);
    const g = { id: 'g', name: 'g', parentId: null, defaults: {} };
    expect(() => store.importInventory(file({ groups: [g, { ...g, name: 'other' }] }), 'x')).toThrow(/group id "g" twice/);
    const t = { id: 't', name: 't', hostId: 'a', kind: 'local', bindPort: 8080, destHost: 'db', destPort: 5432 };
    expect(() => store.importInventory(file({ hosts: [h('a')], tunnels: [t, t] }), 'x')).toThrow(/tunnel id "t" twice/);
    expect(store.tree()).toMatchObject({ groups: [], hosts: [], tunnels: [] });
  });

  it('never turns agent forwarding on: the file’s forwardAgent is dropped, and the hosts and groups it was set on are named', async () => {
    const { store } = await fresh();
    const g = { id: 'g', name: 'lab', parentId: null, defaults: { forwardAgent: 'all' } };
    const r = store.importInventory(file({ groups: [g], hosts: [h('a', { groupId: 'g' }), h('b', { forwardAgent: 'confirm:all' })] }), 'x');
    expect(r.agentForwarding).toEqual(['b', 'group lab']);
    const tree = store.tree();
    expect(tree.hosts.every((x) => x.forwardAgent === undefined)).toBe(true);
    expect(tree.groups.every((x) => x.defaults.forwardAgent === undefined)).toBe(true);
    expect(store.resolve(tree.hosts[0]!.id).forwardAgent).toBeNull();
  });

  it("a host's colour is its own or its group's (none turns it off), and an inventory export and import keep both", async () => {
    const { store } = await fresh();
    const prod = store.createGroup({ name: 'prod', parentId: null, defaults: { color: '#e5484d' } });
    const [db, web, lab] = await store.createHosts([
      { name: 'db', groupId: prod.id, hostname: 'db' },
      { name: 'web', groupId: prod.id, hostname: 'web', color: '#3e63dd' },
      { name: 'lab', groupId: prod.id, hostname: 'lab', color: 'none' },
    ]);
    expect([db!, web!, lab!].map((id) => store.resolve(id).color)).toEqual(['#e5484d', '#3e63dd', 'none']);
    expect(store.resolve(db!).sources.color).toMatchObject({ kind: 'group', groupName: 'prod' });
    // the contract takes #rrggbb in lower case, or none
    expect(['#e5484d', 'none', 'red', '#E5484D', '#e5484', 'url(x)'].map((c) => HostSettings.safeParse({ color: c }).success)).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
    const text = JSON.stringify(store.exportInventory());
    const other = (await fresh()).store;
    other.importInventory(text, 'again');
    const g = other.tree().groups.find((x) => x.name === 'prod')!;
    expect(g.defaults.color).toBe('#e5484d');
    expect(other.tree().hosts.map((h) => [h.name, h.color])).toEqual(
      expect.arrayContaining([
        ['db', undefined],
        ['web', '#3e63dd'],
        ['lab', 'none'],
      ]),
    );
  });

  it('refuses a tunnel the editor would refuse (a non-loopback bind nobody confirmed here), and imports nothing', async () => {
    const { store } = await fresh();
    const t = { id: 't', name: 'open', hostId: 'a', kind: 'local', bindAddress: '0.0.0.0', bindPort: 8080, destHost: 'db', destPort: 5432 };
    expect(() => store.importInventory(file({ hosts: [h('a')], tunnels: [t] }), 'x')).toThrow(/tunnel "open".*exposes the port/);
    expect(store.tree().hosts).toEqual([]);
  });

  it('refuses names and notes with control characters or direction overrides (a row that reads as another host), and imports nothing', async () => {
    const { store } = await fresh();
    const g = { id: 'g', name: 'prod\u202e', parentId: null, defaults: {} };
    expect(() => store.importInventory(file({ groups: [g] }), 'x')).toThrow(/names a group "prod\\u202e"/);
    expect(() => store.importInventory(file({ hosts: [h('a', { name: 'db\u202egnp.exe' })] }), 'x')).toThrow(/names a host/);
    expect(() => store.importInventory(file({ hosts: [h('a', { notes: 'line\u001b[2J' })] }), 'x')).toThrow(/notes for host "a"/);
    expect(store.tree().hosts).toEqual([]);
    // lines and tabs are how notes are written
    store.importInventory(file({ hosts: [h('a', { notes: 'line 1\r\nline 2\n\tindented' })] }), 'x');
    expect(store.tree().hosts[0]!.notes).toBe('line 1\r\nline 2\n\tindented');
  });

  it('refuses a host named like a jump hop your hosts reach by address (they would go through the file’s host), not one named like a saved host', async () => {
    const { store } = await fresh();
    await store.createHost({ name: 'prod', groupId: null, hostname: '10.1.0.1', jump: 'jumpbox,alice@gw2:2222' });
    store.createGroup({ name: 'dmz', parentId: null, defaults: { jump: 'edge.example.com' } });
    expect(() => store.importInventory(file({ hosts: [h('a', { name: 'JumpBox', proxyCommand: 'nc evil 22' })] }), 'x')).toThrow(
      /named "JumpBox", which prod uses as a jump host/,
    );
    expect(() => store.importInventory(file({ hosts: [h('gw2')] }), 'x')).toThrow(/which prod uses/);
    expect(() => store.importInventory(file({ hosts: [h('e', { name: 'Edge.example.com' })] }), 'x')).toThrow(/which group dmz uses/);
    expect(store.tree().hosts.map((x) => x.name)).toEqual(['prod']);
    // once a host of that name is saved, hops go to it whatever a file adds later
    await store.createHost({ name: 'jumpbox', groupId: null, hostname: '10.1.0.2' });
    store.importInventory(file({ hosts: [h('jumpbox'), h('other')] }), 'x');
    expect(store.tree().hosts).toHaveLength(4);
  });

  it('breaks a cycle of groups so each shows under the new group, and refuses a chain of ten thousand nested groups at once', async () => {
    const { store } = await fresh();
    const g = (id: string, parentId: string | null) => ({ id, name: id, parentId, defaults: {} });
    const { groupId } = store.importInventory(file({ groups: [g('c', 'a'), g('a', 'b'), g('b', 'a')], hosts: [h('x', { groupId: 'b' })] }), 'x');
    const tree = store.tree();
    const top = (id: string | null): string | null => {
      const seen = new Set<string>();
      for (let p = id; p !== null; p = tree.groups.find((x) => x.id === p)!.parentId) {
        if (p === groupId) return p;
        if (seen.has(p)) return null;
        seen.add(p);
      }
      return null;
    };
    expect(tree.groups.filter((x) => x.id !== groupId).map((x) => top(x.id))).toEqual([groupId, groupId, groupId]);
    expect(top(tree.hosts[0]!.groupId)).toBe(groupId);

    const chain = Array.from({ length: 10_000 }, (_, i) => g(`g${i}`, i === 0 ? null : `g${i - 1}`));
    const started = performance.now();
    expect(() => store.importInventory(file({ groups: chain }), 'y')).toThrow(/nests groups more than 64 deep/);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(store.tree().groups).toHaveLength(4);
    store.importInventory(file({ groups: chain.slice(0, 64) }), 'z');
  });
});
