// A tab's split panes in the tab reducer: splitting gives the new pane the keys, closing gives them to a
// neighbour (and the last pane takes its tab), zoom, focus by direction, the tab's state from its panes;
// and the pane keys, which stay the shell's while a tab has one pane.
import { describe, expect, it } from 'vitest';
import { paneIds } from '../../../../renderer/features/terminal/layout.js';
import { splitFocused } from '../../../../renderer/features/terminal/panes.js';
import { shortcutAction, tabShortcut } from '../../../../renderer/features/terminal/tabKeys.js';
import { noTabs, openTab, tabsReducer, type Tab, type TabAction, type Tabs } from '../../../../renderer/features/terminal/tabs.js';

const run = (tabs: Tabs, ...actions: TabAction[]) => actions.reduce(tabsReducer, tabs);
const only = (t: Tabs): Tab => t.list[0]!;
const cs = { ctrlKey: true, shiftKey: true, altKey: false, metaKey: false };

/** one tab split right, then its right pane split down: a | (b / c), c focused */
function abc() {
  let tabs = run(noTabs, openTab({ hostId: 'db' }, 'db'));
  tabs = run(tabs, splitFocused(only(tabs), 'row'));
  tabs = run(tabs, splitFocused(only(tabs), 'column'));
  const [a, b, c] = paneIds(only(tabs).panes.layout) as [string, string, string];
  return { tabs, id: only(tabs).id, a, b, c };
}

describe('split panes', () => {
  it('a split adds a connecting pane that takes the keys', () => {
    const { tabs, c } = abc();
    expect(Object.keys(only(tabs).panes.state)).toHaveLength(3);
    expect(only(tabs).panes.focus).toBe(c);
    expect(only(tabs).panes.state[c]).toBe('connecting');
  });

  it("the tab's state is its panes' most urgent one", () => {
    const { tabs, id, a, b, c } = abc();
    const open = run(tabs, ...[a, b, c].map((pane): TabAction => ({ type: 'state', id, pane, state: 'open' })));
    expect(only(open).state).toBe('open');
    expect(only(run(open, { type: 'state', id, pane: b, state: 'reconnecting' })).state).toBe('reconnecting');
    expect(only(run(open, { type: 'state', id, pane: a, state: 'failed' }, { type: 'state', id, pane: b, state: 'connecting' })).state).toBe('failed');
    expect(only(run(open, { type: 'state', id, pane: a, state: 'exited' })).state).toBe('open');
    expect(run(open, { type: 'state', id, pane: 'pane-gone', state: 'failed' })).toBe(open);
  });

  it('closing the focused pane gives the keys to its neighbour; the last pane closes the tab', () => {
    const { tabs, id, a, b, c } = abc();
    const noC = run(tabs, { type: 'closePane', id, pane: c });
    expect(paneIds(only(noC).panes.layout)).toEqual([a, b]);
    expect(only(noC).panes.focus).toBe(a);
    expect(only(noC).panes.state).not.toHaveProperty(c);
    // closing one that has not the keys leaves them where they are
    expect(only(run(tabs, { type: 'closePane', id, pane: a })).panes.focus).toBe(c);
    const gone = run(noC, { type: 'closePane', id, pane: a }, { type: 'closePane', id, pane: b });
    expect(gone.list).toHaveLength(0);
    expect(gone.active).toBeNull();
  });

  it('focus moves by direction, and stays at an edge', () => {
    const { tabs, id, a, b } = abc();
    const left = run(tabs, { type: 'focusDir', id, direction: 'left' });
    expect(only(left).panes.focus).toBe(a);
    expect(run(left, { type: 'focusDir', id, direction: 'left' })).toBe(left);
    expect(only(run(left, { type: 'focusDir', id, direction: 'right' })).panes.focus).toBe(b);
    expect(only(run(tabs, { type: 'focusDir', id, direction: 'up' })).panes.focus).toBe(b);
    expect(only(run(tabs, { type: 'focusPane', id, pane: a })).panes.focus).toBe(a);
    expect(run(tabs, { type: 'focusPane', id, pane: 'pane-gone' })).toBe(tabs);
  });

  it('zoom toggles the focused pane; a move by direction or a split ends it; one pane does not zoom', () => {
    const { tabs, id, c } = abc();
    const zoomed = run(tabs, { type: 'zoom', id });
    expect(only(zoomed).panes.zoomed).toBe(c);
    expect(only(run(zoomed, { type: 'zoom', id })).panes.zoomed).toBeNull();
    expect(only(run(zoomed, { type: 'focusDir', id, direction: 'left' })).panes.zoomed).toBeNull();
    expect(only(run(zoomed, splitFocused(only(zoomed), 'row'))).panes.zoomed).toBeNull();
    const one = run(noTabs, openTab({ hostId: 'db' }, 'db'));
    expect(run(one, { type: 'zoom', id: only(one).id })).toBe(one);
  });

  it('a divider ratio is kept per split', () => {
    const { tabs, id } = abc();
    const layout = only(tabs).panes.layout;
    if (layout.kind !== 'split') throw new Error('split expected');
    const moved = run(tabs, { type: 'ratio', id, split: layout.id, ratio: 0.3 });
    expect(only(moved).panes.layout).toMatchObject({ ratio: 0.3 });
  });
});

describe('pane keys', () => {
  const key = (k: string, code: string) => ({ key: k, code, ...cs });

  it('Ctrl+Shift+E / O split, Z zooms, arrows move; Ctrl+Shift+W closes the focused pane', () => {
    const { tabs, id, c } = abc();
    expect(tabShortcut(key('E', 'KeyE'))).toEqual({ kind: 'split', dir: 'row' });
    expect(tabShortcut(key('O', 'KeyO'))).toEqual({ kind: 'split', dir: 'column' });
    expect(tabShortcut(key('Z', 'KeyZ'))).toEqual({ kind: 'zoom' });
    expect(tabShortcut(key('ArrowLeft', 'ArrowLeft'))).toEqual({ kind: 'focusPane', direction: 'left' });
    expect(shortcutAction(tabs, { kind: 'close' })).toEqual({ type: 'closePane', id, pane: c });
    expect(shortcutAction(tabs, { kind: 'zoom' })).toEqual({ type: 'zoom', id });
    expect(shortcutAction(tabs, { kind: 'focusPane', direction: 'up' })).toEqual({ type: 'focusDir', id, direction: 'up' });
    expect(shortcutAction(tabs, { kind: 'split', dir: 'row' })).toMatchObject({ type: 'split', id, pane: c, dir: 'row' });
  });

  it('with one pane, the arrows and Z are the shell’s, and Ctrl+Shift+W closes the tab', () => {
    const one = run(noTabs, openTab({ hostId: 'db' }, 'db'));
    expect(shortcutAction(one, { kind: 'zoom' })).toBeNull();
    expect(shortcutAction(one, { kind: 'focusPane', direction: 'left' })).toBeNull();
    expect(shortcutAction(one, { kind: 'close' })).toEqual({ type: 'close', id: only(one).id });
    // plain Ctrl+E, Ctrl+O and Ctrl+arrows stay the shell's
    expect(tabShortcut({ ...key('e', 'KeyE'), shiftKey: false })).toBeNull();
    expect(tabShortcut({ ...key('o', 'KeyO'), shiftKey: false })).toBeNull();
    expect(tabShortcut({ ...key('ArrowLeft', 'ArrowLeft'), shiftKey: false })).toBeNull();
  });
});
