// Per-host terminal settings: the override's schema, the merge (app ← groups, outer to inner ← host), and
// how the store keeps them (old documents without them, edits, inventory files, ssh_config re-imports).
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportSelection } from '../../electron/sshconfig/export.js';
import { HostStore } from '../../electron/store/hosts.js';
import type { Secrets } from '../../electron/store/secrets.js';
import { migrate, openNodeConf, openSettings, SCHEMA_VERSION } from '../../electron/store/settings.js';
import { HostInput, HostPatch } from '../../shared/inventory.js';
import { DEFAULT_TERMINAL_SETTINGS as D } from '../../shared/settings.js';
import { effectiveTerminal, TerminalOverride, type OverrideGroup } from '../../shared/terminal-profile.js';

const secrets: Secrets = { backend: 'vault', detail: 'memory', get: async () => null, set: async () => {}, delete: async () => {} };

async function fresh() {
  const dir = await mkdtemp(path.join(tmpdir(), 'warren-profile-'));
  const { conf, doc } = await openSettings(dir, openNodeConf);
  return new HostStore(conf, doc, secrets);
}

describe('the terminal override', () => {
  it('takes only the per-host fields, each validated as the app setting is', () => {
    expect(TerminalOverride.parse({ theme: 'high-contrast', fontSize: 20, termType: 'vt100', locale: 'C.UTF-8', bell: 'none', cursorStyle: 'bar' })).toEqual({
      theme: 'high-contrast',
      fontSize: 20,
      termType: 'vt100',
      locale: 'C.UTF-8',
      bell: 'none',
      cursorStyle: 'bar',
    });
    // app-wide settings are not per host
    expect(TerminalOverride.safeParse({ renderer: 'dom' }).success).toBe(false);
    expect(TerminalOverride.safeParse({ restoreWorkspace: false }).success).toBe(false);
    // a font family that would end xterm's CSS declaration, a size out of range, a TERM with a space
    expect(TerminalOverride.safeParse({ fontFamily: 'x; } body { color: red' }).success).toBe(false);
    expect(TerminalOverride.safeParse({ fontSize: 33 }).success).toBe(false);
    expect(TerminalOverride.safeParse({ termType: 'xterm 256' }).success).toBe(false);
    expect(TerminalOverride.safeParse({ locale: 'en_US.UTF-8; rm' }).success).toBe(false);
  });

  it('travels in the contract: a host created with one, a patch replacing it, null clearing it', () => {
    expect(HostInput.safeParse({ name: 'a', groupId: null, hostname: 'a', terminal: { fontSize: 9 } }).success).toBe(true);
    expect(HostInput.safeParse({ name: 'a', groupId: null, hostname: 'a', terminal: { fontSize: 'big' } }).success).toBe(false);
    expect(HostPatch.parse({ terminal: null })).toEqual({ terminal: null });
    expect(HostPatch.safeParse({ terminal: { scrollback: 5 } }).success).toBe(false);
  });
});

describe('effectiveTerminal', () => {
  const groups: OverrideGroup[] = [
    { id: 'prod', name: 'prod', parentId: null, terminal: { theme: 'high-contrast', fontSize: 20, termType: 'screen' } },
    { id: 'db', name: 'db', parentId: 'prod', terminal: { fontSize: 16 } },
    { id: 'bare', name: 'bare', parentId: 'prod' },
  ];
  const groupOf = (id: string) => groups.find((g) => g.id === id);

  it('is the app’s settings where nothing overrides them', () => {
    const { settings, sources } = effectiveTerminal(D, null, undefined, groupOf);
    expect(settings).toEqual(D);
    expect(Object.values(sources).every((s) => s.kind === 'app')).toBe(true);
  });

  it('applies the groups from the outermost in, then the host, each field on its own, and says where each came from', () => {
    const { settings, sources } = effectiveTerminal(D, 'db', { termType: 'vt100' }, groupOf);
    expect(settings).toEqual({ ...D, theme: 'high-contrast', fontSize: 16, termType: 'vt100' });
    expect(sources.theme).toEqual({ kind: 'group', groupId: 'prod', groupName: 'prod' });
    expect(sources.fontSize).toEqual({ kind: 'group', groupId: 'db', groupName: 'db' });
    expect(sources.termType).toEqual({ kind: 'host' });
    expect(sources.locale).toEqual({ kind: 'app' });
    // a group with no override of its own passes its parent's on
    expect(effectiveTerminal(D, 'bare', undefined, groupOf).settings.fontSize).toBe(20);
    // the base is not changed
    expect(D.fontSize).toBe(14);
  });

  it('ends a chain at a missing or looping parent instead of hanging', () => {
    const loop: OverrideGroup[] = [
      { id: 'a', name: 'a', parentId: 'b', terminal: { fontSize: 10 } },
      { id: 'b', name: 'b', parentId: 'a', terminal: { fontSize: 12, bell: 'sound' } },
    ];
    const { settings } = effectiveTerminal(D, 'a', undefined, (id) => loop.find((g) => g.id === id));
    expect(settings.fontSize).toBe(10); // a is the innermost
    expect(settings.bell).toBe('sound');
    expect(effectiveTerminal(D, 'gone', undefined, groupOf).settings).toEqual(D);
  });
});

describe('the store', () => {
  it('reads a document written before overrides existed, at the same schema version', () => {
    const doc = migrate({
      schemaVersion: SCHEMA_VERSION,
      groups: [{ id: 'g', name: 'g', parentId: null, defaults: {} }],
      hosts: [{ id: 'h', name: 'h', groupId: 'g', hostname: 'h.example', hasPassword: false, hasPassphrase: false }],
      tunnels: [],
      recent: [],
      tagColors: {},
      terminal: D,
      snippets: [],
      workspace: null,
    });
    expect(doc.hosts[0]?.terminal).toBeUndefined();
    expect(doc.groups[0]?.terminal).toBeUndefined();
  });

  it('gives a host’s terminals app ← groups ← host, and forgets an override cleared with null', async () => {
    const store = await fresh();
    const prod = store.createGroup({ name: 'prod', parentId: null, defaults: {}, terminal: { theme: 'high-contrast', fontSize: 20 } });
    const h = await store.createHost({ name: 'db', groupId: prod.id, hostname: 'db', terminal: { locale: 'none' } });
    store.updateAppSettings({ terminal: { termType: 'xterm' } });
    expect(store.terminalSettings(h.id)).toMatchObject({ theme: 'high-contrast', fontSize: 20, locale: 'none', termType: 'xterm' });
    expect(store.terminalSettings(null)).toMatchObject({ theme: 'dark', fontSize: 14, termType: 'xterm' });
    await store.updateHost(h.id, { terminal: null });
    expect(store.host(h.id).terminal).toBeUndefined();
    // groups.update without terminal keeps it; null drops it
    store.updateGroup({ id: prod.id, name: 'production' });
    expect(store.terminalSettings(h.id).fontSize).toBe(20);
    store.updateGroup({ id: prod.id, terminal: null });
    expect(store.tree().groups.find((g) => g.id === prod.id)?.terminal).toBeUndefined();
    expect(store.terminalSettings(h.id)).toMatchObject({ theme: 'dark', fontSize: 14 });
  });

  it('an inventory file carries the overrides and Remote commands; an ssh_config import again keeps them', async () => {
    const a = await fresh();
    const g = a.createGroup({ name: 'prod', parentId: null, defaults: { remoteCommand: 'tmux new -A -s main' }, terminal: { fontSize: 18 } });
    await a.createHost({ name: 'web', groupId: g.id, hostname: 'web', terminal: { termType: 'vt100' } });
    const b = await fresh();
    // a command the file makes your terminals run on the server is named, as a ProxyCommand is
    expect(b.importInventory(JSON.stringify(a.exportInventory()), 'shared').remoteCommands).toEqual(['group prod']);
    const web = b.tree().hosts.find((h) => h.name === 'web')!;
    expect(web.terminal).toEqual({ termType: 'vt100' });
    expect(b.resolve(web.id).remoteCommand).toBe('tmux new -A -s main');
    expect(b.terminalSettings(web.id)).toMatchObject({ fontSize: 18, termType: 'vt100' });

    const plan = [{ alias: 'box', settings: { hostname: 'box.example' }, tunnels: [], notApplied: [] }];
    b.importPlan('Imported', plan);
    await b.updateHost(b.tree().hosts.find((h) => h.name === 'box')!.id, { terminal: { theme: 'light' }, remoteCommand: 'htop' });
    b.importPlan('Imported', plan);
    const box = b.tree().hosts.find((h) => h.name === 'box')!;
    expect(box).toMatchObject({ terminal: { theme: 'light' }, remoteCommand: 'htop' });
  });

  it('exports a Remote command to ssh_config as RemoteCommand with a terminal (% doubled), and leaves one that spans lines out', async () => {
    const store = await fresh();
    await store.createHost({ name: 'a', groupId: null, hostname: 'a', remoteCommand: 'date +%s; exec bash' });
    await store.createHost({ name: 'b', groupId: null, hostname: 'b', remoteCommand: 'echo one\necho two' });
    const text = exportSelection(store.tree(), (id) => store.resolve(id), { hostIds: store.tree().hosts.map((h) => h.id), groupIds: [] });
    expect(text).toMatch(/Host a\n(?: {2}.*\n)* {2}RemoteCommand date \+%%s; exec bash\n {2}RequestTTY yes\n/);
    expect(text).toMatch(/Host b\n(?: {2}.*\n)* {2}# its Remote command is not written: it spans lines or holds \$\{\n/);
    expect(text).not.toContain('echo one');
  });
});
