// The terminal a snippet goes to: the one shown and focused. Its pane registers while it is.
export interface ActiveTerminal {
  /** the saved host it runs on (null: a quick connection) */
  hostId: string | null;
  title: string;
  /** types text into it as the keyboard would (through the same path: held while offline) */
  type(text: string): void;
}

let current: ActiveTerminal | null = null;

/** Marks `t` as the active terminal; the returned function unmarks it if it still is. */
export function setActiveTerminal(t: ActiveTerminal): () => void {
  current = t;
  return () => {
    if (current === t) current = null;
  };
}

export function activeTerminal(): ActiveTerminal | null {
  return current;
}
