import { describe, expect, it } from 'vitest';
import { rank, remember, RECENT_MAX, SHOWN, type Command } from '../../../../renderer/features/palette/commands.js';

const cmd = (id: string, title: string, detail?: string): Command => ({ id, kind: 'host', title, detail, run: () => {} });
const commands = [
  cmd('connect:1', 'Connect to db-primary', 'postgres@10.0.0.5 · Production / Databases'),
  cmd('connect:2', 'Connect to db-replica', 'postgres@10.0.0.6 · Production / Databases'),
  cmd('connect:3', 'Connect to web-1', 'deploy@10.0.1.1 · Production / Web'),
  cmd('view:settings', 'Go to Settings'),
  cmd('theme:light', 'Theme: light'),
];
const ids = (cs: Command[]) => cs.map((c) => c.id);

describe('the command palette ranks', () => {
  it('with no query: recent first, most recent first, then the rest in order', () => {
    expect(ids(rank(commands, '', ['view:settings', 'connect:3']))).toEqual(['view:settings', 'connect:3', 'connect:1', 'connect:2', 'theme:light']);
    expect(ids(rank(commands, '  ', ['gone']))).toEqual(ids(commands));
  });

  it('by fuzzy score: letters in order, the best match first; nothing that does not match', () => {
    expect(ids(rank(commands, 'replica', []))).toEqual(['connect:2']);
    expect(ids(rank(commands, 'cnrep', []))[0]).toBe('connect:2');
    expect(ids(rank(commands, 'settings', []))[0]).toBe('view:settings');
    expect(rank(commands, 'zzz', [])).toEqual([]);
  });

  it('the detail (address, group) finds a command too, below a title match', () => {
    expect(ids(rank(commands, '10.0.1.1', []))).toEqual(['connect:3']);
    expect(ids(rank(commands, 'web', []))[0]).toBe('connect:3');
  });

  it('a recent command goes ahead of an equal one', () => {
    expect(ids(rank(commands, 'db', [])).slice(0, 2)).toEqual(['connect:1', 'connect:2']);
    expect(ids(rank(commands, 'db', ['connect:2'])).slice(0, 2)).toEqual(['connect:2', 'connect:1']);
  });

  it('draws at most SHOWN rows, and remembers RECENT_MAX ids, each once', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => cmd(`connect:${i}`, `Connect to host-${i}`));
    expect(rank(many, '', [])).toHaveLength(SHOWN);
    expect(rank(many, 'host', [])).toHaveLength(SHOWN);
    let recent: string[] = [];
    for (let i = 0; i < 30; i++) recent = remember(recent, `c${i % 25}`);
    expect(recent).toHaveLength(RECENT_MAX);
    expect(recent[0]).toBe('c4');
    expect(new Set(recent).size).toBe(recent.length);
  });
});
