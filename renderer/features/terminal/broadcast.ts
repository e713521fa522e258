// Broadcast input: what is typed into one receiving pane goes to every receiving pane's shell. Each
// pane's session registers how it delivers input; a pane that receives hands what its xterm produces to
// the bus instead of its own session.
import { createContext, useContext } from 'react';
import { paneCount } from './panes.js';
import { allPanes, type TabAction, type Tabs } from './tabs.js';

type Deliver = (data: string) => void;

/** where each pane's input goes (its session, or its type-ahead while it connects) */
export class InputBus {
  private readonly sinks = new Map<string, Deliver>();

  register(pane: string, deliver: Deliver): () => void {
    this.sinks.set(pane, deliver);
    return () => {
      if (this.sinks.get(pane) === deliver) this.sinks.delete(pane);
    };
  }

  /** `data` from pane `from`: to every receiving pane if `from` receives, else to `from` alone */
  input(from: string, data: string, receiving: ReadonlySet<string>): void {
    if (!receiving.has(from) || isTerminalReply(data)) {
      this.sinks.get(from)?.(data);
      return;
    }
    for (const pane of receiving) this.sinks.get(pane)?.(data);
  }
}

/**
 * What xterm answers a program's query with on its own (cursor position, device attributes, status,
 * focus in/out, colour queries): meant for that pane's program only, never broadcast.
 */
export function isTerminalReply(data: string): boolean {
  return /^\x1b\[[?>=]?[\d;]*[cnRt]$|^\x1b\[[IO]$|^\x1b\][\d;]*rgb:[0-9a-fA-F/]+(\x07|\x1b\\)$|^\x1bP.*\x1b\\$/.test(data);
}

/**
 * Ctrl+Shift+B: stop broadcasting; or, when nothing broadcasts, broadcast to the active tab's panes if it
 * is split, else to every tab. Null: nothing to broadcast to (one tab, one pane): the key is the shell's.
 */
export function broadcastKey(tabs: Tabs): TabAction | null {
  if (tabs.broadcast.length > 0) return { type: 'broadcast', panes: [] };
  const active = tabs.list.find((t) => t.id === tabs.active);
  if (!active) return null;
  if (paneCount(active.panes) > 1) return { type: 'broadcast', panes: Object.keys(active.panes.state) };
  const every = allPanes(tabs);
  return every.length > 1 ? { type: 'broadcast', panes: every } : null;
}

export interface Broadcast {
  bus: InputBus;
  receiving: ReadonlySet<string>;
}

const none: Broadcast = { bus: new InputBus(), receiving: new Set() };
export const BroadcastContext = createContext<Broadcast>(none);
export const useBroadcast = (): Broadcast => useContext(BroadcastContext);
