import { useEffect, useRef, type Dispatch } from 'react';
import { chordsOf, matches, TAB_KEYS, type Binding } from '../../lib/keybindings.js';
import { broadcastKey } from './broadcast.js';
import type { Direction, SplitDir } from './layout.js';
import { paneCount, splitFocused } from './panes.js';
import { cycle, duplicate, moveBy, openLocalTab, type TabAction, type Tabs } from './tabs.js';

export type TabShortcut =
  | { kind: 'duplicate' }
  | { kind: 'localShell' }
  | { kind: 'close' }
  | { kind: 'cycle'; by: 1 | -1 }
  | { kind: 'move'; by: 1 | -1 }
  | { kind: 'goto'; index: number }
  | { kind: 'split'; dir: SplitDir }
  | { kind: 'focusPane'; direction: Direction }
  | { kind: 'zoom' }
  | { kind: 'broadcast' };

/** the order of `TAB_KEYS.focus`'s chords */
const DIRECTIONS: Direction[] = ['left', 'right', 'up', 'down'];

type Keys = Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'shiftKey' | 'altKey' | 'metaKey'>;

/**
 * The tab keys (`TAB_KEYS` in `lib/keybindings.ts`, which the Settings view lists and rebinds), by default: Ctrl+Shift+T
 * duplicate, Ctrl+Shift+L a new local shell, Ctrl+Shift+W close, Ctrl+Tab / Ctrl+Shift+Tab next / previous, Ctrl+Shift+PageUp / PageDown
 * move the tab, Alt+1…9 go to tab N. Only these exact combinations: plain Ctrl+W, Ctrl+T, Ctrl+PageUp,
 * Alt+letter and the rest stay the shell's. Letters and digits go by the physical key (`code`), as the
 * terminal's Ctrl+Shift+C/V/F do, so a layout does not change them.
 * Panes: Ctrl+Shift+E splits the focused pane to the right, Ctrl+Shift+O down (Terminator's keys),
 * Ctrl+Shift+W closes it (the tab with its last pane), Ctrl+Shift+arrows move the focus and Ctrl+Shift+Z
 * zooms it; the arrows and Z are the shell's while the tab has one pane. Ctrl+Shift+B starts
 * broadcasting input (to the tab's panes, or to every tab) and stops it.
 */
export function tabShortcut(e: Keys): TabShortcut | null {
  const K = TAB_KEYS;
  const is = (b: Binding) => chordsOf(b).findIndex((c) => matches(e, c));
  if (is(K.duplicate) >= 0) return { kind: 'duplicate' };
  if (is(K.localShell) >= 0) return { kind: 'localShell' };
  if (is(K.close) >= 0) return { kind: 'close' };
  if (is(K.splitRight) >= 0) return { kind: 'split', dir: 'row' };
  if (is(K.splitDown) >= 0) return { kind: 'split', dir: 'column' };
  if (is(K.zoom) >= 0) return { kind: 'zoom' };
  if (is(K.broadcast) >= 0) return { kind: 'broadcast' };
  const focus = is(K.focus);
  if (focus >= 0) return { kind: 'focusPane', direction: DIRECTIONS[focus]! };
  if (is(K.moveLeft) >= 0) return { kind: 'move', by: -1 };
  if (is(K.moveRight) >= 0) return { kind: 'move', by: 1 };
  if (is(K.next) >= 0) return { kind: 'cycle', by: 1 };
  if (is(K.previous) >= 0) return { kind: 'cycle', by: -1 };
  const tab = is(K.goto);
  if (tab >= 0) return { kind: 'goto', index: tab };
  return null;
}

/** what a shortcut does to these tabs, or null when it does nothing (Alt+7 with five tabs) */
export function shortcutAction(tabs: Tabs, s: TabShortcut): TabAction | null {
  const active = tabs.list.find((t) => t.id === tabs.active);
  switch (s.kind) {
    case 'duplicate':
      return active ? duplicate(active) : null;
    case 'localShell':
      return openLocalTab();
    case 'close':
      if (!active) return null;
      return paneCount(active.panes) > 1 ? { type: 'closePane', id: active.id, pane: active.panes.focus } : { type: 'close', id: active.id };
    case 'split':
      return active ? splitFocused(active, s.dir) : null;
    case 'focusPane':
      return active && paneCount(active.panes) > 1 ? { type: 'focusDir', id: active.id, direction: s.direction } : null;
    case 'zoom':
      return active && paneCount(active.panes) > 1 ? { type: 'zoom', id: active.id } : null;
    case 'broadcast':
      return broadcastKey(tabs);
    case 'move':
      return active ? moveBy(tabs, active.id, s.by) : null;
    case 'cycle': {
      const id = cycle(tabs, s.by);
      return id ? { type: 'activate', id } : null;
    }
    case 'goto': {
      const tab = tabs.list[s.index];
      return tab ? { type: 'activate', id: tab.id } : null;
    }
  }
}

/** typing into a field of Warren's own (a rename box, a search, a dialog): its keys are its own */
function ownField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.closest('[role=dialog], [role=menu]')) return true;
  if (target.classList.contains('xterm-helper-textarea')) return false;
  return target.isContentEditable || target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

/**
 * The tab keys while the terminals are on screen. They are caught on the window in the capture phase,
 * before xterm's own keydown handler on its textarea sees them, so xterm neither eats them nor sends
 * them to the shell; every other key goes on to the shell as before.
 */
export function useTabKeys(tabs: Tabs, dispatch: Dispatch<TabAction>, enabled: boolean): void {
  const latest = useRef(tabs);
  useEffect(() => {
    latest.current = tabs;
  }, [tabs]);
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      const s = tabShortcut(e);
      if (!s || ownField(e.target)) return;
      const action = shortcutAction(latest.current, s);
      // Alt+N with no tab N goes on to the shell (readline's digit argument), and so do the pane keys
      // of a tab with one pane
      if (!action && (s.kind === 'goto' || s.kind === 'focusPane' || s.kind === 'zoom' || s.kind === 'broadcast')) return;
      e.preventDefault();
      e.stopPropagation();
      if (action) dispatch(action);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [dispatch, enabled]);
}
