import { useState, type KeyboardEvent, type MouseEvent } from 'react';
import type { Entry } from '../../../shared/sftp.js';

interface Selection {
  /** the folder it belongs to: another folder starts with nothing selected */
  path: string | undefined;
  selected: ReadonlySet<string>;
  /** the row the keyboard is on, and where a shift-click range starts */
  cursor: string | null;
}

const MOVES: Record<string, (i: number, n: number) => number> = {
  ArrowDown: (i) => i + 1,
  ArrowUp: (i) => i - 1,
  PageDown: (i) => i + 20,
  PageUp: (i) => i - 20,
  Home: () => 0,
  End: (_i, n) => n - 1,
};

/** Which entries of the listed folder are selected: click, Ctrl/Cmd-click, Shift-click, arrows, Ctrl+A. */
export function useSelection(entries: Entry[], path: string | undefined) {
  const [state, setState] = useState<Selection>({ path, selected: new Set(), cursor: null });
  const current = state.path === path ? state : { path, selected: new Set<string>(), cursor: null };
  const set = (selected: Iterable<string>, cursor: string | null) => setState({ path, selected: new Set(selected), cursor });
  const indexOf = (name: string | null) => entries.findIndex((e) => e.name === name);

  const click = (entry: Entry, e: MouseEvent) => {
    if (e.shiftKey && current.cursor !== null) {
      const [a, b] = [indexOf(current.cursor), indexOf(entry.name)].sort((x, y) => x - y);
      set(
        entries.slice(Math.max(0, a!), b! + 1).map((x) => x.name),
        current.cursor,
      );
    } else if (e.ctrlKey || e.metaKey) {
      const next = new Set(current.selected);
      if (!next.delete(entry.name)) next.add(entry.name);
      set(next, entry.name);
    } else {
      set([entry.name], entry.name);
    }
  };

  /** true when the key was a selection key (and is handled) */
  const key = (e: KeyboardEvent): boolean => {
    const move = MOVES[e.key];
    if (move && entries.length > 0) {
      const at = Math.min(entries.length - 1, Math.max(0, move(indexOf(current.cursor), entries.length)));
      set([entries[at]!.name], entries[at]!.name);
    } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'a') {
      set(
        entries.map((x) => x.name),
        current.cursor,
      );
    } else if (e.key === 'Escape' && current.selected.size > 0) {
      set([], null);
    } else {
      return false;
    }
    e.preventDefault();
    return true;
  };

  return {
    selected: current.selected,
    cursor: current.cursor,
    /** the selected entries, in list order */
    chosen: entries.filter((x) => current.selected.has(x.name)),
    click,
    key,
    only: (name: string) => set([name], name),
  };
}
