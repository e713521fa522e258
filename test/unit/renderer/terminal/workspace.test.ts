// The saved workspace: what the renderer saves of its tabs and brings back, the schema the main process
// validates it with (bounded sizes, ids, titles), and the keeper that adds the panes' directories.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { noTabs, openLocalTab, openTab, tabsReducer, tabTitle, type TabAction, type Tabs } from '../../../../renderer/features/terminal/tabs.js';
import { fromSaved, toSaved } from '../../../../renderer/features/terminal/workspace.js';
import { splitFocused } from '../../../../renderer/features/terminal/panes.js';
import { pruneWorkspace, WorkspaceKeeper, type WorkspaceStore } from '../../../../electron/store/workspace.js';
import { StoredWorkspace, Workspace, WORKSPACE_LIMITS, type SavedTab } from '../../../../shared/workspace.js';

const run = (...actions: TabAction[]) => actions.reduce(tabsReducer, noTabs);

/** db split in two (the new pane focused), then web renamed and red, db active */
function workspace(): Tabs {
  const db = openTab({ hostId: 'db' }, 'db');
  const web = openTab({ quick: { hostname: '10.0.0.5', user: 'root' } }, 'root@10.0.0.5');
  let tabs = run(db, web, { type: 'rename', id: web.id, name: 'logs' }, { type: 'color', id: web.id, color: '#E5484D' });
  tabs = tabsReducer(tabs, splitFocused(tabs.list[0]!, 'row'));
  return tabsReducer(tabs, { type: 'activate', id: db.id });
}

const tab = (over: Partial<SavedTab> = {}): SavedTab => ({
  title: 'db',
  n: 1,
  target: { hostId: 'db' },
  layout: { kind: 'pane', id: 'p1' },
  focus: 'p1',
  zoomed: null,
  ...over,
});

describe('saving and restoring the tabs', () => {
  it('brings back the order, titles, numbers, colours, splits, focus and the active tab, as tabs that connect afresh', () => {
    const before = workspace();
    const saved = toSaved(before);
    expect(Workspace.parse(saved)).toEqual(saved);
    const { list, active } = fromSaved(JSON.parse(JSON.stringify(saved)) as Workspace);
    const after = tabsReducer(noTabs, { type: 'restore', list, active });
    expect(after.list.map(tabTitle)).toEqual(['db', 'logs']);
    expect(after.list.map((t) => t.color)).toEqual([undefined, '#e5484d']);
    expect(after.list[1]!.target).toEqual({ quick: { hostname: '10.0.0.5', user: 'root' } });
    expect(after.list[0]!.panes.layout).toEqual(before.list[0]!.panes.layout);
    expect(after.list[0]!.panes.focus).toBe(before.list[0]!.panes.focus);
    expect(after.active).toBe(after.list[0]!.id);
    expect(after.list.every((t) => t.state === 'connecting')).toBe(true);
    // every pane keeps its id (the main process knows its directory under it) and is marked to go back there
    expect(after.list[0]!.restored).toEqual(Object.keys(before.list[0]!.panes.state));
    // new tab ids: never one of the page's own
    expect(after.list.map((t) => t.id)).not.toContain(before.list[0]!.id);
  });

  it('restored tabs come before any opened meanwhile, which keeps the keys', () => {
    const saved = toSaved(workspace());
    const mine = openTab({ hostId: 'x' }, 'x');
    const after = tabsReducer(run(mine), { type: 'restore', ...fromSaved(saved) });
    expect(after.list.map(tabTitle)).toEqual(['db', 'logs', 'x']);
    expect(after.active).toBe(mine.id);
  });

  it('saves no broadcast, and nothing when there are no tabs', () => {
    const tabs = tabsReducer(workspace(), { type: 'broadcast', panes: Object.keys(workspace().list[0]!.panes.state) });
    expect(JSON.stringify(toSaved(tabs))).not.toContain('broadcast');
    expect(toSaved(noTabs)).toEqual({ tabs: [], active: null });
  });

  it('brings back local shell tabs, numbered, with their splits (local panes too), beside host tabs', () => {
    let tabs = run(openLocalTab(), openTab({ hostId: 'db' }, 'db'), openLocalTab());
    tabs = tabsReducer(tabs, splitFocused(tabs.list[2]!, 'column'));
    const saved = toSaved(tabs);
    expect(saved.tabs.map((t) => t.target)).toEqual([{ local: true }, { hostId: 'db' }, { local: true }]);
    expect(Workspace.parse(JSON.parse(JSON.stringify(saved)))).toEqual(saved);
    const after = tabsReducer(noTabs, { type: 'restore', ...fromSaved(saved) });
    expect(after.list.map(tabTitle)).toEqual(['Local', 'db', 'Local (2)']);
    expect(Object.keys(after.list[2]!.panes.state)).toHaveLength(2);
    expect(pruneWorkspace({ ...saved, cwds: {} }, () => false).workspace?.tabs.map((t) => t.title)).toEqual(['Local', 'Local']);
  });

  it('keeps within the limits: the first 64 tabs', () => {
    const many = run(...Array.from({ length: 70 }, (_, i) => openTab({ hostId: 'db' }, `t${i}`)));
    const saved = toSaved(many);
    expect(saved.tabs).toHaveLength(WORKSPACE_LIMITS.tabs);
    expect(saved.active).toBe(0); // the active one (the 70th) was not kept
    expect(Workspace.safeParse(saved).success).toBe(true);
  });
});

describe('the workspace schema', () => {
  it('takes a valid workspace and refuses what is out of bounds', () => {
    expect(Workspace.safeParse({ tabs: [tab()], active: 0 }).success).toBe(true);
    expect(Workspace.safeParse({ tabs: [tab({ target: { local: true } })], active: 0 }).success).toBe(true);
    const bad: unknown[] = [
      { tabs: [tab()], active: 1 }, // no such tab
      { tabs: [tab({ title: 'db\u001b[31m' })], active: 0 }, // control characters
      { tabs: [tab({ name: 'a\u202eb' })], active: 0 }, // a direction mark
      { tabs: [tab({ focus: 'p2' })], active: 0 }, // focus outside the layout
      { tabs: [tab(), tab()], active: 0 }, // one pane id twice
      { tabs: [tab({ layout: { kind: 'pane', id: '../x' }, focus: '../x' })], active: 0 }, // an id
      { tabs: [tab({ color: 'red' })], active: 0 },
      { tabs: Array.from({ length: 65 }, (_, i) => tab({ layout: { kind: 'pane', id: `p${i}` }, focus: `p${i}` })), active: 0 },
      { tabs: [tab()], active: 0, extra: true },
    ];
    for (const w of bad) expect(Workspace.safeParse(w).success, JSON.stringify(w).slice(0, 120)).toBe(false);
    // what a target carries besides its fields is not kept
    expect(Workspace.parse({ tabs: [tab({ target: { hostId: 'db', extra: 1 } as never })], active: 0 }).tabs[0]!.target).toEqual({ hostId: 'db' });
  });

  it('refuses a layout nested deeper than the limit without walking it (a hostile renderer)', () => {
    let layout: unknown = { kind: 'pane', id: 'p0' };
    for (let i = 1; i < 100_000; i++) layout = { kind: 'split', id: `s${i}`, dir: 'row', ratio: 0.5, a: layout, b: { kind: 'pane', id: `p${i}` } };
    expect(Workspace.safeParse({ tabs: [tab({ layout: layout as never, focus: 'p0' })], active: 0 }).success).toBe(false);
    // too many panes in one tab
    let wide: unknown = { kind: 'pane', id: 'p0' };
    for (let i = 1; i <= WORKSPACE_LIMITS.panesPerTab; i++)
      wide = { kind: 'split', id: `s${i}`, dir: 'row', ratio: 0.5, a: { kind: 'pane', id: `p${i}` }, b: wide };
    expect(Workspace.safeParse({ tabs: [tab({ layout: wide as never, focus: 'p0' })], active: 0 }).success).toBe(false);
  });
});

describe('pruneWorkspace', () => {
  it('drops the tabs of deleted hosts, names them, keeps quick connects, and the active tab where it can', () => {
    const ws: StoredWorkspace = {
      tabs: [
        tab({ title: 'gone', layout: { kind: 'pane', id: 'a' }, focus: 'a', target: { hostId: 'gone' } }),
        tab({ title: 'db', layout: { kind: 'pane', id: 'b' }, focus: 'b' }),
        tab({ title: 'q', layout: { kind: 'pane', id: 'c' }, focus: 'c', target: { quick: { hostname: 'h' } } }),
      ],
      active: 2,
      cwds: {},
    };
    const { workspace, dropped } = pruneWorkspace(ws, (id) => id === 'db');
    expect(dropped).toEqual(['gone']);
    expect(workspace?.tabs.map((t) => t.title)).toEqual(['db', 'q']);
    expect(workspace?.active).toBe(1);
    expect(pruneWorkspace({ ...ws, active: 0 }, (id) => id === 'db').workspace?.active).toBe(0);
    expect(pruneWorkspace({ ...ws, tabs: ws.tabs.slice(0, 1) }, () => false)).toEqual({ workspace: null, dropped: ['gone'] });
  });
});

describe('WorkspaceKeeper', () => {
  afterEach(() => vi.useRealTimers());
  function keeper(enabled = true) {
    const box = { saved: null as StoredWorkspace | null, writes: 0, enabled };
    const store: WorkspaceStore = {
      read: () => box.saved,
      write: (ws) => {
        box.saved = ws === null ? null : StoredWorkspace.parse(ws);
        box.writes++;
      },
      enabled: () => box.enabled,
      hostExists: () => true,
    };
    return { box, keeper: new WorkspaceKeeper(store, 100) };
  }

  it("keeps each saved pane's last directory, written a moment after it changes, and forgets closed panes'", () => {
    vi.useFakeTimers();
    const { box, keeper: k } = keeper();
    const two = {
      tabs: [tab({ layout: { kind: 'split', id: 's', dir: 'row', ratio: 0.5, a: { kind: 'pane', id: 'p1' }, b: { kind: 'pane', id: 'p2' } } })],
      active: 0,
    };
    k.save(two);
    k.noteCwd('p2', '/tmp');
    k.noteCwd('p2', '/var/tmp');
    expect(box.saved?.cwds).toEqual({});
    vi.advanceTimersByTime(150);
    expect(box.saved?.cwds).toEqual({ p2: '/var/tmp' });
    expect(box.writes).toBe(2);
    expect(k.cwdOf('p2')).toBe('/var/tmp');
    expect(k.get().workspace?.tabs).toHaveLength(1);
    // p2 closed: its directory goes with it
    k.save({ tabs: [tab()], active: 0 });
    expect(box.saved?.cwds).toEqual({});
    // a pane not (yet) saved: its directory is kept for the save that brings it
    k.noteCwd('p9', '/srv');
    vi.advanceTimersByTime(150);
    expect(box.writes).toBe(3);
    k.save({ tabs: [tab({ layout: { kind: 'pane', id: 'p9' }, focus: 'p9' })], active: 0 });
    expect(box.saved?.cwds).toEqual({ p9: '/srv' });
  });

  it('off: nothing is restored, a save clears what was kept, directories are not written', () => {
    vi.useFakeTimers();
    const { box, keeper: k } = keeper();
    k.save({ tabs: [tab()], active: 0 });
    box.enabled = false;
    expect(k.get()).toEqual({ workspace: null, dropped: [] });
    k.save({ tabs: [tab()], active: 0 });
    expect(box.saved).toBeNull();
    k.noteCwd('p1', '/tmp');
    vi.advanceTimersByTime(150);
    expect(box.saved).toBeNull();
  });
});
