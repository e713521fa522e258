// A tab's split panes: its layout tree, the pane that has the keys, the one zoomed (if any) and each
// pane's connection state. Each pane is its own shell on the host's shared connection.
import { hasPane, neighbour, paneIds, removePane, setRatio, single, splitPane, type Direction, type Layout, type SplitDir } from './layout.js';
import type { TabState } from './tabs.js';

export interface Panes {
  layout: Layout;
  /** the pane that has the keys (the one the terminal's context menu and the pane keys act on) */
  focus: string;
  /** the pane shown alone over the whole tab, the others kept running behind it */
  zoomed: string | null;
  state: Record<string, TabState>;
}

export type PaneAction =
  | { type: 'split'; id: string; pane: string; dir: SplitDir; newPane: string }
  | { type: 'closePane'; id: string; pane: string }
  | { type: 'focusPane'; id: string; pane: string }
  | { type: 'focusDir'; id: string; direction: Direction }
  | { type: 'zoom'; id: string }
  | { type: 'ratio'; id: string; split: string; ratio: number };

let lastPane = 0;
/** this page's own prefix: a pane restored from the saved workspace keeps its id, and a new one never takes it */
const PAGE = Array.from(crypto.getRandomValues(new Uint8Array(5)), (b) => b.toString(36).padStart(2, '0')).join('');
export const newPaneId = (): string => `pane-${PAGE}-${++lastPane}`;

export function onePane(pane: string): Panes {
  return { layout: single(pane), focus: pane, zoomed: null, state: { [pane]: 'connecting' } };
}

/** the focused pane split along `dir`; the new pane (a new shell to the same host) takes the keys */
export function splitFocused(tab: { id: string; panes: Panes }, dir: SplitDir): PaneAction {
  return { type: 'split', id: tab.id, pane: tab.panes.focus, dir, newPane: newPaneId() };
}

/** most urgent first: what the tab's dot shows of its panes */
const URGENCY: TabState[] = ['failed', 'reconnecting', 'connecting', 'open', 'exited'];
export function panesState(p: Panes): TabState {
  const states = new Set(Object.values(p.state));
  return URGENCY.find((s) => states.has(s)) ?? 'connecting';
}

export const paneCount = (p: Panes): number => Object.keys(p.state).length;

/**
 * The panes after `action`, or null when it closed the last one (the tab closes). Anything aimed at a
 * pane that is not there leaves them as they are.
 */
export function panesReducer(p: Panes, action: PaneAction): Panes | null {
  switch (action.type) {
    case 'split': {
      if (!hasPane(p.layout, action.pane) || action.newPane in p.state) return p;
      const layout = splitPane(p.layout, action.pane, action.dir, action.newPane, `split-${action.newPane}`);
      return { layout, focus: action.newPane, zoomed: null, state: { ...p.state, [action.newPane]: 'connecting' } };
    }
    case 'closePane': {
      if (!hasPane(p.layout, action.pane)) return p;
      const layout = removePane(p.layout, action.pane);
      if (!layout) return null;
      const { [action.pane]: _gone, ...state } = p.state;
      // the keys go to the pane that took the space (the nearest to the left, above, or the first)
      let focus = p.focus;
      if (focus === action.pane) {
        const near = (['left', 'up', 'right', 'down'] as const).map((d) => neighbour(p.layout, action.pane, d)).find((id) => id !== null);
        focus = near ?? paneIds(layout)[0]!;
      }
      return { layout, focus, zoomed: p.zoomed === action.pane ? null : p.zoomed, state };
    }
    case 'focusPane':
      if (!hasPane(p.layout, action.pane) || p.focus === action.pane) return p;
      return { ...p, focus: action.pane, zoomed: p.zoomed && action.pane !== p.zoomed ? null : p.zoomed };
    case 'focusDir': {
      // from a zoomed pane, as tmux does: back to the split view, the keys to its neighbour
      const next = neighbour(p.layout, p.focus, action.direction);
      return next ? { ...p, focus: next, zoomed: null } : p;
    }
    case 'zoom':
      if (paneCount(p) < 2) return p;
      return { ...p, zoomed: p.zoomed ? null : p.focus };
    case 'ratio': {
      const layout = setRatio(p.layout, action.split, action.ratio);
      return layout === p.layout ? p : { ...p, layout };
    }
  }
}

/** one pane's connection state */
export function withPaneState(p: Panes, pane: string, state: TabState): Panes {
  if (!(pane in p.state) || p.state[pane] === state) return p;
  return { ...p, state: { ...p.state, [pane]: state } };
}
