import type { Target } from '../../../shared/model.js';

/** The folder a host's remote pane is asked to show: `path` (null: the home folder); `seq` counts the asks. */
export interface PaneStart {
  path: string | null;
  seq: number;
}

/** One host's file browser in the Files view. */
export interface FileSession {
  id: string;
  title: string;
  target: Target;
  /** where its remote pane goes: the home folder, or a terminal's working directory ("Open files here") */
  start: PaneStart;
}

export interface FileSessions {
  list: FileSession[];
  active: string | null;
}

export type FileSessionAction =
  /** `path`: show that folder (in the browser already open too); without it an open browser stays where it is */
  { type: 'open'; title: string; target: Target; path?: string | null } | { type: 'close'; id: string } | { type: 'activate'; id: string };

export const noFileSessions: FileSessions = { list: [], active: null };

/** one browser per host: opening it again shows the one already open */
const idOf = (t: Target) => ('hostId' in t ? `files-${t.hostId}` : `files-${t.quick.user ?? ''}@${t.quick.hostname}:${t.quick.port ?? 22}`);

export function fileSessionsReducer(state: FileSessions, action: FileSessionAction): FileSessions {
  switch (action.type) {
    case 'open': {
      const id = idOf(action.target);
      const open = state.list.find((s) => s.id === id);
      const path = action.path;
      let list = state.list;
      if (!open) list = [...list, { id, title: action.title, target: action.target, start: { path: path ?? null, seq: 0 } }];
      else if (path !== undefined) list = list.map((s) => (s.id === id ? { ...s, start: { path, seq: s.start.seq + 1 } } : s));
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
