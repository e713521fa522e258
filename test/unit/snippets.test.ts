import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HostStore } from '../../electron/store/hosts.js';
import type { Secrets } from '../../electron/store/secrets.js';
import { openNodeConf, openSettings } from '../../electron/store/settings.js';
import { fill, placeholders, SnippetInput, snippetsFor, type Snippet } from '../../shared/snippets.js';

describe('snippet placeholders', () => {
  it('{{name}} and {{name:default}}, each name once, in order of first use', () => {
    expect(placeholders('tail -n {{lines:100}} {{file}} | grep {{ pattern }}; echo {{file}}')).toEqual([
      { name: 'lines', fallback: '100' },
      { name: 'file', fallback: '' },
      { name: 'pattern', fallback: '' },
    ]);
    expect(placeholders('echo {{}} {{1x}} {not}')).toEqual([]);
  });

  it('fill puts the values in, a missing one as its default, and leaves other braces alone', () => {
    expect(fill('tail -n {{lines:100}} {{file}}; echo {{file}} ${HOME} {x}', { file: '/var/log/syslog' })).toBe(
      'tail -n 100 /var/log/syslog; echo /var/log/syslog ${HOME} {x}',
    );
  });

  it('a command keeps tabs and newlines but no other control character; a name none', () => {
    const ok = (command: string, name = 'n') => SnippetInput.safeParse({ name, command, scope: { kind: 'global' } }).success;
    expect(ok('uptime\n\tdf -h')).toBe(true);
    expect(ok('echo \u001b[2J')).toBe(false);
    expect(ok('a\u0000b')).toBe(false);
    expect(ok('ls', 'bad\u202ename')).toBe(false);
  });
});

describe('which snippets a terminal offers', () => {
  const s = (id: string, name: string, scope: Snippet['scope']): Snippet => ({ id, name, command: 'true', scope });
  const all = [
    s('g', 'global', { kind: 'global' }),
    s('outer', 'outer group', { kind: 'group', groupId: 'G1' }),
    s('inner', 'inner group', { kind: 'group', groupId: 'G2' }),
    s('other-group', 'elsewhere', { kind: 'group', groupId: 'G9' }),
    s('mine', 'this host', { kind: 'host', hostId: 'H' }),
    s('theirs', 'another host', { kind: 'host', hostId: 'X' }),
  ];
  it("the host's own, then its groups' from the innermost out, then the global ones; nobody else's", () => {
    expect(snippetsFor(all, 'H', ['G2', 'G1']).map((x) => x.id)).toEqual(['mine', 'inner', 'outer', 'g']);
    expect(snippetsFor(all, null, []).map((x) => x.id)).toEqual(['g']);
  });
});

describe('snippets in the store', () => {
  const secrets = { get: async () => null, set: async () => {}, delete: async () => {} } as unknown as Secrets;
  it('saves, replaces and deletes them; watchers hear each change; a host or group deleted takes its snippets along', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'warren-snippets-'));
    const { conf, doc } = await openSettings(dir, openNodeConf);
    const store = new HostStore(conf, doc, secrets);
    const heard: number[] = [];
    store.onAppSettings((x) => heard.push(x.snippets.length));
    const host = await store.createHost({ name: 'web', groupId: null, hostname: 'web.example' });
    const group = store.createGroup({ name: 'prod', parentId: null, defaults: {} });
    const g = store.saveSnippet(undefined, { name: 'disk', command: 'df -h', scope: { kind: 'global' } });
    store.saveSnippet(undefined, { name: 'logs', command: 'journalctl -n {{n:50}}', scope: { kind: 'host', hostId: host.id } });
    store.saveSnippet(undefined, { name: 'deploy', command: './deploy', scope: { kind: 'group', groupId: group.id } });
    expect(() => store.saveSnippet(undefined, { name: 'x', command: 'x', scope: { kind: 'host', hostId: 'nope' } })).toThrow(/There is no host with id nope/);
    expect(store.saveSnippet(g.id, { name: 'disk', command: 'df -hT', scope: { kind: 'global' } })).toEqual({
      id: g.id,
      name: 'disk',
      command: 'df -hT',
      scope: { kind: 'global' },
    });
    await store.deleteItems({ hostIds: [host.id], groupIds: [group.id] });
    expect(store.appSettings().snippets.map((x) => x.name)).toEqual(['disk']);
    store.deleteSnippet(g.id);
    expect(() => store.deleteSnippet(g.id)).toThrow(/gone/);
    expect(heard).toEqual([1, 2, 3, 3, 1, 0]);
    // written: a reopen has them
    store.saveSnippet(undefined, { name: 'again', command: 'uptime', scope: { kind: 'global' } });
    expect((await openSettings(dir, openNodeConf)).doc.snippets.map((x) => x.command)).toEqual(['uptime']);
  });
});
