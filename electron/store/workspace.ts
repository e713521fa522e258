// The terminal workspace the renderer saves (tabs, split layouts, the active tab) and each pane's last
// working directory, which only the main process knows (its sessions' CwdTrackers). Saved in the
// settings document, so a reload, a server restart or an app restart brings the tabs back.
import { layoutPanes, type StoredWorkspace, type Workspace } from '../../shared/workspace.js';

/** What the keeper needs of the store: the saved workspace, and whether restoring is on. */
export interface WorkspaceStore {
  read(): StoredWorkspace | null;
  write(ws: StoredWorkspace | null): void;
  /** "Restore the workspace" is on (and this process was not started with it off) */
  enabled(): boolean;
  hostExists(id: string): boolean;
}

/** The workspace without the tabs of hosts that are gone, and the titles of those tabs. */
export function pruneWorkspace(ws: StoredWorkspace, hostExists: (id: string) => boolean): { workspace: Workspace | null; dropped: string[] } {
  const dropped: string[] = [];
  const activeTab = ws.active === null ? null : ws.tabs[ws.active];
  const tabs = ws.tabs.filter((t) => {
    const keep = !('hostId' in t.target) || hostExists(t.target.hostId);
    if (!keep) dropped.push(t.name ?? t.title);
    return keep;
  });
  if (tabs.length === 0) return { workspace: null, dropped };
  const kept = activeTab ? tabs.indexOf(activeTab) : -1;
  return { workspace: { tabs, active: kept >= 0 ? kept : 0 }, dropped };
}

/** The workspace with the directories known for its panes (no others). */
export function withCwds(ws: Workspace, ...known: Record<string, string>[]): StoredWorkspace {
  const cwds: Record<string, string> = {};
  for (const pane of ws.tabs.flatMap((t) => layoutPanes(t.layout))) {
    for (const k of known) if (Object.hasOwn(k, pane)) cwds[pane] = k[pane]!;
  }
  return { ...ws, cwds };
}

/** the most panes whose directories are remembered beyond the saved ones (closed panes are forgotten at the next save) */
const LIVE_MAX = 1024;

/**
 * Keeps the workspace: saves from the renderer are written at once (the renderer debounces them), a
 * pane's new directory a moment later (`delayMs`), and what is pending on `close`.
 */
export class WorkspaceKeeper {
  /** directories reported by live sessions, by pane */
  private readonly live = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: WorkspaceStore,
    private readonly delayMs = 500,
  ) {}

  get(): { workspace: Workspace | null; dropped: string[] } {
    const ws = this.store.enabled() ? this.store.read() : null;
    return ws ? pruneWorkspace(ws, (id) => this.store.hostExists(id)) : { workspace: null, dropped: [] };
  }

  save(ws: Workspace): void {
    this.cancel();
    if (!this.store.enabled()) {
      // off: nothing kept, so turning it on later never brings back an old workspace
      if (this.store.read() !== null) this.store.write(null);
      return;
    }
    this.store.write(withCwds(ws, this.store.read()?.cwds ?? {}, Object.fromEntries(this.live)));
  }

  /** the directory a restored pane returns to */
  cwdOf(pane: string): string | null {
    return this.live.get(pane) ?? this.store.read()?.cwds[pane] ?? null;
  }

  /** a session's shell is now in `path` */
  noteCwd(pane: string, path: string): void {
    this.live.delete(pane);
    this.live.set(pane, path);
    if (this.live.size > LIVE_MAX) this.live.delete(this.live.keys().next().value!);
    const saved = this.store.read();
    if (!saved || saved.cwds[pane] === path || !saved.tabs.some((t) => layoutPanes(t.layout).includes(pane))) return;
    if (this.timer) return;
    // a write that fails (a full disk) loses only a directory, and the next save tries again
    this.timer = setTimeout(() => {
      try {
        this.flush();
      } catch {
        /* kept in `live` for the next save */
      }
    }, this.delayMs);
    this.timer.unref();
  }

  /** writes the directories not yet written */
  flush(): void {
    this.cancel();
    const saved = this.store.read();
    if (!saved || !this.store.enabled()) return;
    const next = withCwds(saved, saved.cwds, Object.fromEntries(this.live));
    if (JSON.stringify(next.cwds) !== JSON.stringify(saved.cwds)) this.store.write(next);
  }

  private cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
