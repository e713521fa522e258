import type { Target } from '../../../shared/model.js';

export type TabState = 'connecting' | 'open' | 'reconnecting' | 'exited' | 'failed';

export interface Tab {
  id: string;
  title: string;
  target: Target;
  state: TabState;
}

export interface Tabs {
  list: Tab[];
  active: string | null;
}

export type TabAction =
  | { type: 'open'; id: string; title: string; target: Target }
  | { type: 'close'; id: string }
  | { type: 'activate'; id: string }
  | { type: 'state'; id: string; state: TabState };

export const noTabs: Tabs = { list: [], active: null };

let lastTab = 0;
export function openTab(target: Target, title: string): TabAction {
  return { type: 'open', id: `tab-${++lastTab}`, title, target };
}

export function tabsReducer(tabs: Tabs, action: TabAction): Tabs {
  switch (action.type) {
    case 'open': {
      const { id, title, target } = action;
      return { list: [...tabs.list, { id, title, target, state: 'connecting' }], active: id };
    }
    case 'close': {
      const index = tabs.list.findIndex((t) => t.id === action.id);
      if (index < 0) return tabs;
      const list = tabs.list.filter((t) => t.id !== action.id);
      const active = tabs.active !== action.id ? tabs.active : (list[Math.min(index, list.length - 1)]?.id ?? null);
      return { list, active };
    }
    case 'activate':
      return { ...tabs, active: action.id };
    case 'state':
      return { ...tabs, list: tabs.list.map((t) => (t.id === action.id ? { ...t, state: action.state } : t)) };
  }
}
