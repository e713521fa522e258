// The terminal tab bar's state: opening, closing (which tab takes over), activating, connection states.
import { describe, expect, it } from 'vitest';
import type { Target } from '../../../../shared/model.js';
import { noTabs, openTab, tabsReducer, type TabAction, type Tabs } from '../../../../renderer/features/terminal/tabs.js';

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
});
