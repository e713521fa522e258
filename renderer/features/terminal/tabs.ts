import type { TerminalTarget } from '../../../shared/model.js';
import { PALETTE } from '../../lib/palette.js';
import { newPaneId, onePane, panesReducer, panesState, withPaneState, type PaneAction, type Panes } from './panes.js';

export type TabState = 'connecting' | 'open' | 'reconnecting' | 'exited' | 'failed';

export interface Tab {
  id: string;
  /** the default title: the host's name, user@host for a quick connect, `Local` for a local shell */
  title: string;
  /** which of the tabs with this default title it is (1, 2, …): shown as `db (2)` from 2 on */
  n: number;
  /** the user's own name for it, which replaces the default (never empty) */
  name?: string;
  /** a host's shells, or local ones (`{ local: true }`: on the machine running the main process) */
  target: TerminalTarget;
  /** what its dot shows: its panes' most urgent state (one failed, reconnecting or connecting shows) */
  state: TabState;
  /** its terminals: one, or split panes */
  panes: Panes;
  /** the colour the user gave it (`#rrggbb`), shown as a stripe and a tint; a duplicate keeps it */
  color?: string;
  /** brought back with the saved workspace: these panes' first shells return to their directories */
  restored?: readonly string[];
}

/** the colours a tab can be given, in the menu's order (a host's are the same) */
export const TAB_COLORS = PALETTE;

export interface Tabs {
  list: Tab[];
  active: string | null;
  /** the panes that receive broadcast input (what is typed in one goes to all of them); empty: none */
  broadcast: readonly string[];
}

export type TabAction =
  /** a tab with one pane, `pane` (ids made by the caller: a reducer stays pure) */
  | { type: 'open'; id: string; pane: string; title: string; target: TerminalTarget; color?: string }
  | { type: 'close'; id: string }
  /** the saved workspace's tabs, before any opened meanwhile; `active` is one of them */
  | { type: 'restore'; list: Tab[]; active: string | null }
  | { type: 'closeOthers'; id: string }
  | { type: 'closeRight'; id: string }
  | { type: 'activate'; id: string }
  | { type: 'rename'; id: string; name: string }
  | { type: 'move'; id: string; to: number }
  /** a pane's state (the focused pane's when none is named) */
  | { type: 'state'; id: string; pane?: string; state: TabState }
  | { type: 'color'; id: string; color: string | null }
  /** these panes receive broadcast input, and no others (none: broadcasting stops) */
  | { type: 'broadcast'; panes: readonly string[] }
  /** these panes join the broadcast, or leave it if every one of them is in it */
  | { type: 'broadcastToggle'; panes: readonly string[] }
  | PaneAction;

export const noTabs: Tabs = { list: [], active: null, broadcast: [] };

let lastTab = 0;
export const newTabId = (): string => `tab-${++lastTab}`;
export function openTab(target: TerminalTarget, title: string, color?: string): Extract<TabAction, { type: 'open' }> {
  return { type: 'open', id: newTabId(), pane: newPaneId(), title, target, ...(color ? { color } : {}) };
}

/** a new tab with a local shell: `Local`, `Local (2)`, … */
export const openLocalTab = (): Extract<TabAction, { type: 'open' }> => openTab({ local: true }, LOCAL_TITLE);
export const LOCAL_TITLE = 'Local';
/** where a local shell runs, when that is not simply this computer: in browser mode, on the server's machine */
export const localShellNote = (): string | null =>
  window.warrenDesktop?.desktop === true ? null : "a shell on the machine running Warren's server (browser mode)";

/** a new tab, a new shell, to the same target (the connection is shared), under the same default title and colour */
export function duplicate(tab: Tab): Extract<TabAction, { type: 'open' }> {
  return openTab(tab.target, tab.title, tab.color);
}

/**
 * The number a new tab titled `title` takes: the smallest one no other tab showing that default
 * title holds. A tab keeps its number when others close or move, so `db (3)` stays `db (3)`.
 */
export function freeNumber(list: readonly Tab[], title: string): number {
  const taken = new Set(list.filter((t) => t.name === undefined && t.title === title).map((t) => t.n));
  let n = 1;
  while (taken.has(n)) n++;
  return n;
}

/** What the tab bar shows: the user's name, or the default with its number from the second on. */
export function tabTitle(tab: Pick<Tab, 'title' | 'n' | 'name'>): string {
  if (tab.name !== undefined) return tab.name;
  return tab.n > 1 ? `${tab.title} (${tab.n})` : tab.title;
}

/** `tab` `by` places along (−1 left, +1 right), stopping at the ends: Ctrl+Shift+PageUp/PageDown. */
export function moveBy(tabs: Tabs, id: string, by: number): TabAction {
  const index = tabs.list.findIndex((t) => t.id === id);
  return { type: 'move', id, to: Math.max(0, Math.min(tabs.list.length - 1, index + by)) };
}

/** the tab `by` places from the active one, round the ends (Ctrl+Tab / Ctrl+Shift+Tab) */
export function cycle(tabs: Tabs, by: number): string | null {
  const n = tabs.list.length;
  if (n === 0) return null;
  const index = tabs.list.findIndex((t) => t.id === tabs.active);
  return tabs.list[(((index + by) % n) + n) % n]!.id;
}

/** closes every tab `keep` rejects; the active one stays active if kept, else `fallback` */
function closeWhere(tabs: Tabs, keep: (t: Tab, i: number) => boolean, fallback: string): Tabs {
  const list = tabs.list.filter(keep);
  if (list.length === tabs.list.length) return tabs;
  const active = list.some((t) => t.id === tabs.active) ? tabs.active : fallback;
  return { ...tabs, list, active };
}

/** the tab with these panes (and the state they add up to) */
function withPanes(tabs: Tabs, tab: Tab, panes: Panes): Tabs {
  if (panes === tab.panes) return tabs;
  const next = { ...tab, panes, state: panesState(panes) };
  return { ...tabs, list: tabs.list.map((t) => (t.id === tab.id ? next : t)) };
}

/** every pane of every tab, in tab order */
export const allPanes = (tabs: Tabs): string[] => tabs.list.flatMap((t) => Object.keys(t.panes.state));

export function tabsReducer(tabs: Tabs, action: TabAction): Tabs {
  const next = reduce(tabs, action);
  // a pane that closed leaves the broadcast
  if (next.broadcast.length === 0 || next.list === tabs.list) return next;
  const open = new Set(allPanes(next));
  const broadcast = next.broadcast.filter((p) => open.has(p));
  return broadcast.length === next.broadcast.length ? next : { ...next, broadcast };
}

function reduce(tabs: Tabs, action: TabAction): Tabs {
  switch (action.type) {
    case 'open': {
      const { id, title, target, color } = action;
      const n = freeNumber(tabs.list, title);
      const panes = onePane(action.pane);
      return { ...tabs, list: [...tabs.list, { id, title, n, target, state: panesState(panes), panes, ...(color ? { color } : {}) }], active: id };
    }
    case 'restore': {
      if (action.list.length === 0) return tabs;
      const list = [...action.list, ...tabs.list];
      return { ...tabs, list, active: tabs.active ?? action.active ?? list[0]!.id };
    }
    case 'close': {
      const index = tabs.list.findIndex((t) => t.id === action.id);
      if (index < 0) return tabs;
      const list = tabs.list.filter((t) => t.id !== action.id);
      const active = tabs.active !== action.id ? tabs.active : (list[Math.min(index, list.length - 1)]?.id ?? null);
      return { ...tabs, list, active };
    }
    case 'closeOthers':
      if (!tabs.list.some((t) => t.id === action.id)) return tabs;
      return closeWhere(tabs, (t) => t.id === action.id, action.id);
    case 'closeRight': {
      const index = tabs.list.findIndex((t) => t.id === action.id);
      if (index < 0) return tabs;
      return closeWhere(tabs, (_t, i) => i <= index, action.id);
    }
    case 'activate':
      if (!tabs.list.some((t) => t.id === action.id)) return tabs;
      return { ...tabs, active: action.id };
    case 'rename': {
      const tab = tabs.list.find((t) => t.id === action.id);
      if (!tab) return tabs;
      const name = action.name.trim();
      let renamed: Tab;
      if (name) renamed = { ...tab, name };
      else {
        // back to the default title, under a number no other tab of that title shows now
        const { name: _old, ...rest } = tab;
        renamed = tab.name === undefined ? tab : { ...rest, n: freeNumber(tabs.list, tab.title) };
      }
      if (renamed === tab || (renamed.name === tab.name && renamed.n === tab.n)) return tabs;
      return { ...tabs, list: tabs.list.map((t) => (t.id === action.id ? renamed : t)) };
    }
    case 'move': {
      const from = tabs.list.findIndex((t) => t.id === action.id);
      const to = Math.max(0, Math.min(tabs.list.length - 1, action.to));
      if (from < 0 || from === to) return tabs;
      const list = tabs.list.filter((t) => t.id !== action.id);
      list.splice(to, 0, tabs.list[from]!);
      return { ...tabs, list };
    }
    case 'state': {
      const tab = tabs.list.find((t) => t.id === action.id);
      return tab ? withPanes(tabs, tab, withPaneState(tab.panes, action.pane ?? tab.panes.focus, action.state)) : tabs;
    }
    case 'split':
    case 'closePane':
    case 'focusPane':
    case 'focusDir':
    case 'zoom':
    case 'ratio': {
      const tab = tabs.list.find((t) => t.id === action.id);
      if (!tab) return tabs;
      const panes = panesReducer(tab.panes, action);
      return panes ? withPanes(tabs, tab, panes) : reduce(tabs, { type: 'close', id: tab.id });
    }
    case 'broadcast': {
      const open = new Set(allPanes(tabs));
      const broadcast = [...new Set(action.panes)].filter((p) => open.has(p));
      return broadcast.length === 0 && tabs.broadcast.length === 0 ? tabs : { ...tabs, broadcast };
    }
    case 'broadcastToggle': {
      const on = new Set(tabs.broadcast);
      const leave = action.panes.length > 0 && action.panes.every((p) => on.has(p));
      for (const p of action.panes) {
        if (leave) on.delete(p);
        else on.add(p);
      }
      return reduce(tabs, { type: 'broadcast', panes: [...on] });
    }
    case 'color': {
      const color = action.color && /^#[0-9a-f]{6}$/i.test(action.color) ? action.color.toLowerCase() : undefined;
      return {
        ...tabs,
        list: tabs.list.map((t) => {
          if (t.id !== action.id || t.color === color) return t;
          const { color: _old, ...rest } = t;
          return color ? { ...rest, color } : rest;
        }),
      };
    }
  }
}
