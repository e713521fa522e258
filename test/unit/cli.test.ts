// The `warren` command's parser (electron/cli/commands.ts) and the quick read of the tree the listings
// use (electron/store/peek.ts), which must take exactly what the store would and decline the rest.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError } from '../../electron/cli/commands.js';
import { peekTree } from '../../electron/store/peek.js';
import { migrate, SCHEMA_VERSION } from '../../electron/store/settings.js';

const parse = (line: string) => {
  const r = parseCommandLine(line.split(' ').filter(Boolean));
  return { command: r.command?.name ?? null, flags: r.flags, positionals: r.positionals, dashDash: r.dashDash };
};
const usageError = (line: string) => {
  try {
    parseCommandLine(line.split(' ').filter(Boolean));
  } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
  return null;
};

describe('parseCommandLine', () => {
  it('takes global options before and after the command, the command’s own after it, and values in every spelling', () => {
    expect(parse('--data-dir /d ls --json')).toEqual({ command: 'ls', flags: { 'data-dir': '/d', json: true }, positionals: [], dashDash: false });
    expect(parse('doctor box --timeout=3 -Fcfg')).toMatchObject({ command: 'doctor', flags: { timeout: '3', F: 'cfg' }, positionals: ['box'] });
    expect(parse('-F cfg exec box -- ls -la --json')).toEqual({
      command: 'exec',
      flags: { F: 'cfg' },
      positionals: ['box', 'ls', '-la', '--json'],
      dashDash: true,
    });
    expect(parse('tunnel status web --json')).toMatchObject({ command: 'tunnel', positionals: ['status', 'web'], flags: { json: true } });
    expect(parse('ls -h')).toMatchObject({ command: 'ls', flags: { help: true } });
    // a command's options may come before it, too
    expect(parse('--timeout 3 doctor box')).toMatchObject({ command: 'doctor', flags: { timeout: '3' }, positionals: ['box'] });
    expect(parse('--json ls')).toMatchObject({ command: 'ls', flags: { json: true } });
    expect(parse('')).toMatchObject({ command: null });
  });

  it('names what it refuses: unknown options (global or the command’s), values missing or given to a switch, unknown commands', () => {
    expect(usageError('ls --frob')).toBe('unknown option --frob for warren ls');
    expect(usageError('ls --timeout 3')).toBe('unknown option --timeout for warren ls');
    expect(usageError('--timeout 3 ls')).toBe('unknown option --timeout for warren ls');
    expect(usageError('exec box ls -la')).toMatch(/^unknown option -l for warren exec \(the remote command goes after --/);
    expect(usageError('doctor box --timeout')).toBe('option --timeout needs a value (SEC)');
    expect(usageError('ls --json=1')).toBe('option --json takes no value');
    expect(usageError('-hz ls')).toBe('unknown option -z for warren ls');
    expect(usageError('frob')).toMatch(/^unknown command "frob"/);
    expect(usageError('--data-dir /d ls')).toBeNull();
  });
});

describe('peekTree', () => {
  const doc = (over: Record<string, unknown> = {}) => ({
    schemaVersion: SCHEMA_VERSION,
    groups: [{ id: 'g1', name: 'prod', parentId: null, defaults: { user: 'alice' } }],
    hosts: [{ id: 'h1', name: 'box', groupId: 'g1', hostname: 'box.example', port: 2222, hasPassword: false, hasPassphrase: false }],
    tunnels: [
      {
        id: 't1',
        name: 'web',
        hostId: 'h1',
        kind: 'local',
        bindAddress: '127.0.0.1',
        bindPort: 8080,
        destHost: 'x',
        destPort: 80,
        autoStart: false,
        exposed: false,
        hasSocksPassword: false,
      },
    ],
    recent: [],
    tagColors: {},
    snippets: [],
    ...over,
  });
  const peek = async (content: unknown) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'warren-peek-'));
    if (content !== undefined) await writeFile(path.join(dir, 'settings.json'), typeof content === 'string' ? content : JSON.stringify(content));
    return peekTree(dir);
  };

  it('takes a current document, the same records the store reads from it; no file is an empty tree', async () => {
    const d = doc();
    const tree = await peek(d);
    const stored = migrate(d);
    expect(tree).toEqual({ groups: stored.groups, hosts: stored.hosts, tunnels: stored.tunnels });
    expect(await peek(undefined)).toEqual({ groups: [], hosts: [], tunnels: [] });
  });

  it('declines what only the store may judge: an older schema, bad JSON, wrong types, dangling references, a parent loop', async () => {
    const h = doc().hosts[0]!;
    const g = doc().groups[0]!;
    for (const bad of [
      '{not json',
      { ...doc(), schemaVersion: SCHEMA_VERSION - 1 },
      doc({ hosts: [{ ...h, port: '22' }] }),
      doc({ hosts: [{ ...h, groupId: 'nope' }] }),
      doc({ hosts: [{ ...h, name: 7 }] }),
      doc({ groups: [{ ...g, parentId: 'g1' }] }),
      doc({ groups: [{ ...g, defaults: { user: 5 } }] }),
      doc({ tunnels: [{ ...doc().tunnels[0], hostId: 'gone' }] }),
      doc({ tunnels: [{ ...doc().tunnels[0], kind: 'sideways' }] }),
      [],
    ]) {
      expect([bad, await peek(bad)]).toEqual([bad, null]);
    }
  });
});
