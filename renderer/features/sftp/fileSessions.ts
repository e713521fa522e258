import type { Target } from '../../../shared/model.js';

/** One host's file browser in the Files view. */
export interface FileSession {
  id: string;
  title: string;
  target: Target;
}

export interface FileSessions {
  list: FileSession[];
  active: string | null;
}

export type FileSessionAction = { type: 'open'; title: string; target: Target } | { type: 'close'; id: string } | { type: 'activate'; id: string };

export const noFileSessions: FileSessions = { list: [], active: null };

/** one browser per host: opening it again shows the one already open */
const idOf = (t: Target) => ('hostId' in t ? `files-${t.hostId}` : `files-${t.quick.user ?? ''}@${t.quick.hostname}:${t.quick.port ?? 22}`);

export function fileSessionsReducer(state: FileSessions, action: FileSessionAction): FileSessions {
  switch (action.type) {
    case 'open': {
      const id = idOf(action.target);
      const list = state.list.some((s) => s.id === id) ? state.list : [...state.list, { id, title: action.title, target: action.target }];
      return { list, active: id };
    }
    case 'close': {
      const index = state.list.findIndex((s) => s.id === action.id);
      if (index < 0) return state;
      const list = state.list.filter((s) => s.id !== action.id);
      const active = state.active !== action.id ? state.active : (list[Math.min(index, list.length - 1)]?.id ?? null);
      return { list, active };
    }
    case 'activate':
      return { ...state, active: action.id };
  }
}
