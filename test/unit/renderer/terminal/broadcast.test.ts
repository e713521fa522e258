// Broadcast input: which panes receive (set, toggled, left when they close), where a keystroke goes,
// what is never broadcast (xterm's own replies to a program), and Ctrl+Shift+B.
import { describe, expect, it } from 'vitest';
import { broadcastKey, InputBus, isTerminalReply } from '../../../../renderer/features/terminal/broadcast.js';
import { paneIds } from '../../../../renderer/features/terminal/layout.js';
import { splitFocused } from '../../../../renderer/features/terminal/panes.js';
import { noTabs, openTab, tabsReducer, type TabAction, type Tabs } from '../../../../renderer/features/terminal/tabs.js';

const run = (tabs: Tabs, ...actions: TabAction[]) => actions.reduce(tabsReducer, tabs);

/** tab 1 split in three panes, tab 2 with one; tab 1 active */
function setup() {
  let tabs = run(noTabs, openTab({ hostId: 'db' }, 'db'));
  tabs = run(tabs, splitFocused(tabs.list[0]!, 'row'));
  tabs = run(tabs, splitFocused(tabs.list[0]!, 'column'));
  tabs = run(tabs, openTab({ hostId: 'web' }, 'web'));
  const one = paneIds(tabs.list[0]!.panes.layout);
  const two = paneIds(tabs.list[1]!.panes.layout);
  return { tabs: run(tabs, { type: 'activate', id: tabs.list[0]!.id }), one, two };
}

describe('broadcast', () => {
  it('sets, toggles and stops the receiving panes; unknown panes are ignored', () => {
    const { tabs, one, two } = setup();
    const on = run(tabs, { type: 'broadcast', panes: [...one, 'pane-gone', one[0]!] });
    expect(on.broadcast).toEqual(one);
    const plus = run(on, { type: 'broadcastToggle', panes: two });
    expect(plus.broadcast).toEqual([...one, ...two]);
    expect(run(plus, { type: 'broadcastToggle', panes: two }).broadcast).toEqual(one);
    // some in, some out: the toggle adds the rest
    expect(run(on, { type: 'broadcastToggle', panes: [one[0]!, two[0]!] }).broadcast).toEqual([...one, two[0]]);
    expect(run(on, { type: 'broadcast', panes: [] }).broadcast).toEqual([]);
    expect(run(tabs, { type: 'broadcast', panes: [] })).toBe(tabs);
  });

  it('a pane or tab that closes leaves the broadcast', () => {
    const { tabs, one, two } = setup();
    const on = run(tabs, { type: 'broadcast', panes: [...one, ...two] });
    expect(run(on, { type: 'closePane', id: tabs.list[0]!.id, pane: one[1]! }).broadcast).toEqual([one[0], one[2], ...two]);
    expect(run(on, { type: 'close', id: tabs.list[1]!.id }).broadcast).toEqual(one);
  });

  it('keys typed in a receiving pane go to every receiving pane; elsewhere only to their own', () => {
    const bus = new InputBus();
    const got: Record<string, string> = { a: '', b: '', c: '' };
    for (const p of ['a', 'b', 'c']) bus.register(p, (d) => (got[p] += d));
    const receiving = new Set(['a', 'b']);
    bus.input('a', 'ls\r', receiving);
    bus.input('c', 'pwd\r', receiving);
    expect(got).toEqual({ a: 'ls\r', b: 'ls\r', c: 'pwd\r' });
    // xterm's answer to a program's cursor-position query stays with that program
    bus.input('b', '\x1b[12;40R', receiving);
    expect(got).toEqual({ a: 'ls\r', b: 'ls\r\x1b[12;40R', c: 'pwd\r' });
  });

  it('an unregistered pane (closed, or an old session) gets nothing, and a stale unregister keeps the new sink', () => {
    const bus = new InputBus();
    let first = '';
    let second = '';
    const off = bus.register('a', (d) => (first += d));
    bus.register('a', (d) => (second += d));
    off();
    bus.input('a', 'x', new Set());
    expect([first, second]).toEqual(['', 'x']);
  });

  it("knows xterm's own replies from keys", () => {
    for (const reply of ['\x1b[12;40R', '\x1b[?1;2c', '\x1b[>0;276;0c', '\x1b[0n', '\x1b[I', '\x1b[O', '\x1b]11;rgb:0f0f/1111/1515\x1b\\'])
      expect(isTerminalReply(reply)).toBe(true);
    for (const key of ['a', 'echo 1\r', '\x1b[A', '\x1b[1;5C', '\x03', '\x1bOP', '\x1b[200~pasted\x1b[201~']) expect(isTerminalReply(key)).toBe(false);
  });

  it("Ctrl+Shift+B: the split tab's panes, else every tab, and again to stop", () => {
    const { tabs, one, two } = setup();
    expect(broadcastKey(tabs)).toEqual({ type: 'broadcast', panes: one });
    const second = run(tabs, { type: 'activate', id: tabs.list[1]!.id });
    expect(broadcastKey(second)).toEqual({ type: 'broadcast', panes: [...one, ...two] });
    expect(broadcastKey(run(tabs, { type: 'broadcast', panes: two }))).toEqual({ type: 'broadcast', panes: [] });
    expect(broadcastKey(run(noTabs, openTab({ hostId: 'db' }, 'db')))).toBeNull();
  });
});
