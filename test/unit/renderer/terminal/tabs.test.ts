// The terminal tab bar's state: opening, closing (which tab takes over), activating, connection states,
// numbered duplicate titles, renaming, reordering, closing others / to the right.
import { describe, expect, it } from 'vitest';
import type { Target } from '../../../../shared/model.js';
import { cycle, duplicate, moveBy, noTabs, openTab, tabsReducer, tabTitle, type TabAction, type Tabs } from '../../../../renderer/features/terminal/tabs.js';

const db: Target = { hostId: 'db' };
const run = (...actions: TabAction[]) => actions.reduce(tabsReducer, noTabs);
const titles = (t: Tabs) => t.list.map((x) => x.title);
const activeTitle = (t: Tabs) => t.list.find((x) => x.id === t.active)?.title ?? null;

/** three tabs a, b, c opened in that order (c is active) */
function three() {
  const [a, b, c] = [openTab(db, 'a'), openTab({ hostId: 'web' }, 'b'), openTab({ quick: { hostname: '10.0.0.5', user: 'root' } }, 'c')];
  return { ids: { a: a.id, b: b.id, c: c.id }, tabs: run(a, b, c) };
}

describe('tabs', () => {
  it('a new tab goes to the end, is active, and starts connecting', () => {
    const { tabs } = three();
    expect(titles(tabs)).toEqual(['a', 'b', 'c']);
    expect(activeTitle(tabs)).toBe('c');
    expect(tabs.list.map((t) => t.state)).toEqual(['connecting', 'connecting', 'connecting']);
  });

  it('the same host opened twice is two tabs (two shells), each with its own id', () => {
    const first = openTab(db, 'db');
    const second = openTab(db, 'db');
    expect(second.id).not.toBe(first.id);
    const tabs = run(first, second);
    expect(tabs.list).toHaveLength(2);
    expect(tabs.active).toBe(second.id);
  });

  it('closing the active tab activates the one to its right', () => {
    const { ids, tabs } = three();
    const t = tabsReducer(tabsReducer(tabs, { type: 'activate', id: ids.b }), { type: 'close', id: ids.b });
    expect(titles(t)).toEqual(['a', 'c']);
    expect(activeTitle(t)).toBe('c');
  });

  it('closing the active last tab activates its left neighbour', () => {
    const { ids, tabs } = three();
    const t = tabsReducer(tabs, { type: 'close', id: ids.c });
    expect(titles(t)).toEqual(['a', 'b']);
    expect(activeTitle(t)).toBe('b');
  });

  it('closing a background tab keeps the active one', () => {
    const { ids, tabs } = three();
    const t = tabsReducer(tabs, { type: 'close', id: ids.a });
    expect(titles(t)).toEqual(['b', 'c']);
    expect(t.active).toBe(ids.c);
  });

  it('closing the only tab leaves no tab and nothing active', () => {
    const only = openTab(db, 'db');
    const t = run(only, { type: 'close', id: only.id });
    expect(t.list).toEqual([]);
    expect(t.active).toBeNull();
  });

  it('closing a tab that is already gone changes nothing', () => {
    const { tabs } = three();
    expect(tabsReducer(tabs, { type: 'close', id: 'tab-gone' })).toBe(tabs);
    expect(tabsReducer(noTabs, { type: 'close', id: 'tab-gone' })).toBe(noTabs);
  });

  it('clicking a tab activates it without reordering', () => {
    const { ids, tabs } = three();
    const t = tabsReducer(tabs, { type: 'activate', id: ids.a });
    expect(activeTitle(t)).toBe('a');
    expect(titles(t)).toEqual(['a', 'b', 'c']);
  });

  it('a state change reaches only its tab (the dot of the others stays)', () => {
    const { ids, tabs } = three();
    const t = tabsReducer(tabsReducer(tabs, { type: 'state', id: ids.b, state: 'open' }), { type: 'state', id: ids.c, state: 'failed' });
    expect(t.list.map((x) => x.state)).toEqual(['connecting', 'open', 'failed']);
    expect(t.active).toBe(ids.c);
  });

  it('a late state event of a closed tab does not bring it back', () => {
    const { ids, tabs } = three();
    const t = tabsReducer(tabsReducer(tabs, { type: 'close', id: ids.b }), { type: 'state', id: ids.b, state: 'exited' });
    expect(titles(t)).toEqual(['a', 'c']);
  });

  it('a unicode title is kept as given', () => {
    expect(titles(run(openTab(db, 'Ünïcödé 服务器 🚀')))).toEqual(['Ünïcödé 服务器 🚀']);
  });

  it('never changes the state it was given (React compares by identity)', () => {
    const { ids, tabs } = three();
    const before = structuredClone(tabs);
    tabsReducer(tabs, { type: 'close', id: ids.c });
    tabsReducer(tabs, { type: 'state', id: ids.a, state: 'open' });
    tabsReducer(tabs, { type: 'activate', id: ids.a });
    expect(tabs).toEqual(before);
  });

  it('a second and third tab to one host are numbered, other hosts are not', () => {
    const t = run(openTab(db, 'db'), openTab(db, 'db'), openTab({ hostId: 'web' }, 'web'), openTab(db, 'db'));
    expect(t.list.map(tabTitle)).toEqual(['db', 'db (2)', 'web', 'db (3)']);
  });

  it('a number stays with its tab when others close or move, and a new tab takes the lowest free one', () => {
    const [a, b, c] = [openTab(db, 'db'), openTab(db, 'db'), openTab(db, 'db')];
    let t = run(a, b, c, { type: 'close', id: b.id }, { type: 'move', id: c.id, to: 0 });
    expect(t.list.map(tabTitle)).toEqual(['db (3)', 'db']);
    t = tabsReducer(t, openTab(db, 'db'));
    expect(t.list.map(tabTitle)).toEqual(['db (3)', 'db', 'db (2)']);
  });

  it('a renamed tab shows its name (trimmed) and frees its number; an empty name restores the default', () => {
    const [a, b] = [openTab(db, 'db'), openTab(db, 'db')];
    let t = run(a, b, { type: 'rename', id: a.id, name: '  prod db  ' });
    expect(t.list.map(tabTitle)).toEqual(['prod db', 'db (2)']);
    t = tabsReducer(t, openTab(db, 'db'));
    expect(t.list.map(tabTitle)).toEqual(['prod db', 'db (2)', 'db']);
    // back to the default: 1 is taken now, so it takes the lowest free number
    t = tabsReducer(t, { type: 'rename', id: a.id, name: '   ' });
    expect(t.list.map(tabTitle)).toEqual(['db (3)', 'db (2)', 'db']);
    expect(t.list[0]!.name).toBeUndefined();
  });

  it('renaming to the default of a tab that has none, or a gone tab, changes nothing', () => {
    const { ids, tabs } = three();
    expect(tabsReducer(tabs, { type: 'rename', id: ids.a, name: '' })).toBe(tabs);
    expect(tabsReducer(tabs, { type: 'rename', id: 'tab-gone', name: 'x' })).toBe(tabs);
  });

  it('move puts a tab at an index, clamped to the ends, and keeps the active tab', () => {
    const { ids, tabs } = three();
    expect(titles(tabsReducer(tabs, { type: 'move', id: ids.a, to: 2 }))).toEqual(['b', 'c', 'a']);
    expect(titles(tabsReducer(tabs, { type: 'move', id: ids.c, to: -5 }))).toEqual(['c', 'a', 'b']);
    expect(titles(tabsReducer(tabs, { type: 'move', id: ids.b, to: 99 }))).toEqual(['a', 'c', 'b']);
    expect(tabsReducer(tabs, { type: 'move', id: ids.a, to: 2 }).active).toBe(ids.c);
    expect(tabsReducer(tabs, { type: 'move', id: ids.a, to: 0 })).toBe(tabs);
  });

  it('moveBy steps one place and stops at the ends', () => {
    const { ids, tabs } = three();
    expect(titles(tabsReducer(tabs, moveBy(tabs, ids.b, -1)))).toEqual(['b', 'a', 'c']);
    expect(titles(tabsReducer(tabs, moveBy(tabs, ids.b, 1)))).toEqual(['a', 'c', 'b']);
    expect(tabsReducer(tabs, moveBy(tabs, ids.c, 1))).toBe(tabs);
    expect(tabsReducer(tabs, moveBy(tabs, ids.a, -1))).toBe(tabs);
  });

  it('cycle goes to the next or previous tab, round the ends', () => {
    const { ids, tabs } = three();
    expect(cycle(tabs, 1)).toBe(ids.a);
    expect(cycle(tabs, -1)).toBe(ids.b);
    expect(cycle(tabsReducer(tabs, { type: 'activate', id: ids.a }), -1)).toBe(ids.c);
    expect(cycle(noTabs, 1)).toBeNull();
  });

  it('close others keeps one tab and makes it active', () => {
    const { ids, tabs } = three();
    const t = tabsReducer(tabs, { type: 'closeOthers', id: ids.b });
    expect(titles(t)).toEqual(['b']);
    expect(t.active).toBe(ids.b);
    expect(tabsReducer(tabs, { type: 'closeOthers', id: 'tab-gone' })).toBe(tabs);
  });

  it('close tabs to the right keeps the active tab if it is left of them, else activates the kept one', () => {
    const { ids, tabs } = three();
    const t = tabsReducer(tabs, { type: 'closeRight', id: ids.a });
    expect(titles(t)).toEqual(['a']);
    expect(t.active).toBe(ids.a);
    const kept = tabsReducer(tabsReducer(tabs, { type: 'activate', id: ids.a }), { type: 'closeRight', id: ids.b });
    expect(titles(kept)).toEqual(['a', 'b']);
    expect(kept.active).toBe(ids.a);
    expect(tabsReducer(tabs, { type: 'closeRight', id: ids.c })).toBe(tabs);
  });

  it('a colour is set, changed and taken off; a duplicate keeps it; anything but #rrggbb takes it off', () => {
    const { ids, tabs } = three();
    const red = tabsReducer(tabs, { type: 'color', id: ids.a, color: '#E5484D' });
    expect(red.list[0]?.color).toBe('#e5484d');
    expect(red.list[1]?.color).toBeUndefined();
    const copy = tabsReducer(red, duplicate(red.list[0]!));
    expect(copy.list.at(-1)).toMatchObject({ title: 'a', n: 2, color: '#e5484d' });
    expect(tabsReducer(red, { type: 'color', id: ids.a, color: 'red; background: url(x)' }).list[0]).not.toHaveProperty('color');
    expect(tabsReducer(red, { type: 'color', id: ids.a, color: null }).list[0]).not.toHaveProperty('color');
    expect(tabsReducer(red, { type: 'color', id: ids.a, color: '#e5484d' }).list[0]).toBe(red.list[0]);
  });
});
