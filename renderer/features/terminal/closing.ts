import type { TabAction, Tabs, TabState } from './tabs.js';

/** a shell still connected, or on its way (an exited or failed one has nothing left to lose) */
export const isLive = (state: TabState): boolean => state !== 'exited' && state !== 'failed';

/** what closing would end: how many live shells, to which hosts (tab titles, each once) */
export interface LiveClosing {
  sessions: number;
  titles: string[];
}

/** the live shells `action` would close (closing a tab, its others, those to its right, a pane), or null when none */
export function liveClosing(tabs: Tabs, action: TabAction): LiveClosing | null {
  const index = 'id' in action ? tabs.list.findIndex((t) => t.id === action.id) : -1;
  if (index < 0) return null;
  let closed: [title: string, state: TabState][];
  switch (action.type) {
    case 'close':
    case 'closeOthers':
    case 'closeRight': {
      const which = tabs.list.filter((_t, i) => (action.type === 'close' ? i === index : action.type === 'closeOthers' ? i !== index : i > index));
      closed = which.flatMap((t) => Object.values(t.panes.state).map((s): [string, TabState] => [t.title, s]));
      break;
    }
    case 'closePane': {
      const tab = tabs.list[index]!;
      const state = tab.panes.state[action.pane];
      closed = state ? [[tab.title, state]] : [];
      break;
    }
    default:
      return null;
  }
  const live = closed.filter(([, s]) => isLive(s));
  return live.length > 0 ? { sessions: live.length, titles: [...new Set(live.map(([t]) => t))] } : null;
}

/** "Close 2 live sessions to db?", "Close 3 live sessions to db and web?" */
export function closeQuestion({ sessions, titles }: LiveClosing): string {
  const to = titles.length > 1 ? `${titles.slice(0, -1).join(', ')} and ${titles[titles.length - 1]!}` : titles[0]!;
  return `Close ${sessions === 1 ? 'the live session' : `${sessions} live sessions`} to ${to}?`;
}

/** any shell of any tab still live (the window's close asks then) */
export const anyLive = (tabs: Tabs): boolean => tabs.list.some((t) => Object.values(t.panes.state).some(isLive));
