// The tree watch's changes: diffTree finds what the store replaced, applyTreeChange rebuilds the tree
// from them, sharing every record the change did not touch.
import { describe, expect, it } from 'vitest';
import { applyTreeChange, diffTree } from '../../shared/inventory.js';
import type { Tree } from '../../shared/model.js';
import { group, host, tunnel } from './renderer/fixtures.js';

const base = (): Tree => ({
  groups: [group({ id: 'prod' }), group({ id: 'lab' })],
  hosts: Array.from({ length: 1000 }, (_, i) => host({ id: `h${i}`, groupId: i % 2 ? 'prod' : 'lab' })),
  tunnels: [tunnel({ id: 't1', hostId: 'h1' })],
  recent: ['h3'],
  tagColors: {},
});

describe('diffTree / applyTreeChange', () => {
  it('a tree that did not change gives no change', () => {
    const t = base();
    expect(diffTree(t, { ...t, hosts: [...t.hosts] })).toBeNull();
  });

  it('one host edited among a thousand: the change carries that host alone, and applying it shares the rest', () => {
    const t = base();
    const edited = { ...t.hosts[500]!, name: 'renamed' };
    const next = { ...t, hosts: t.hosts.map((h, i) => (i === 500 ? edited : h)) };
    const change = diffTree(t, next)!;
    expect(change).toEqual({ groups: [], hosts: [edited], tunnels: [], removed: { groups: [], hosts: [], tunnels: [] } });
    const applied = applyTreeChange(t, change);
    expect(applied).toEqual(next);
    expect(applied.hosts[499]).toBe(t.hosts[499]);
    expect(applied.groups).toBe(t.groups);
    expect(applied.tunnels).toBe(t.tunnels);
  });

  it('adds at the end, removes, and keeps the order of the store', () => {
    const t = base();
    const added = host({ id: 'new' });
    const next: Tree = {
      ...t,
      groups: [t.groups[1]!],
      hosts: [...t.hosts.filter((h) => h.id !== 'h0' && h.id !== 'h999'), added],
      tunnels: [],
      recent: ['new', 'h3'],
      tagColors: { prod: '#ff0000' },
    };
    const change = diffTree(t, next)!;
    expect(change.hosts).toEqual([added]);
    expect(change.removed).toEqual({ groups: ['prod'], hosts: ['h0', 'h999'], tunnels: ['t1'] });
    expect(change.recent).toEqual(['new', 'h3']);
    expect(change.tagColors).toEqual({ prod: '#ff0000' });
    expect(applyTreeChange(t, change)).toEqual(next);
  });

  it('replays a run of random edits to the same tree as the store holds', () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    let store = base();
    let mirror = store;
    for (let step = 0; step < 300; step++) {
      const hosts = [...store.hosts];
      const op = rand(3);
      if (op === 0 && hosts.length > 0) hosts.splice(rand(hosts.length), 1);
      else if (op === 1 && hosts.length > 0) {
        const i = rand(hosts.length);
        hosts[i] = { ...hosts[i]!, name: `n${step}` };
      } else hosts.push(host({ id: `x${step}` }));
      const next = { ...store, hosts, recent: step % 10 === 0 ? [`x${step}`] : store.recent };
      const change = diffTree(store, next);
      if (change) mirror = applyTreeChange(mirror, change);
      store = next;
    }
    expect(mirror).toEqual(store);
  });
});
