// The tabs as the main process saves them (shared/workspace.ts) and back. Pure: useWorkspace saves and
// restores with these. What a tab is doing (connecting, open…) and the broadcast are not saved: a
// restored tab connects afresh, and never broadcasts until asked again.
import { layoutPanes, WORKSPACE_LIMITS, type SavedTab, type Workspace } from '../../../shared/workspace.js';
import type { Panes } from './panes.js';
import { newTabId, type Tab, type Tabs } from './tabs.js';

/** a title the saved schema takes: control characters and direction marks out, at most 200 characters */
const cleanTitle = (s: string): string => s.replace(/[\p{Cc}\p{Cf}]/gu, '').slice(0, 200) || '?';

function savedTab(tab: Tab): SavedTab {
  const { layout, focus, zoomed } = tab.panes;
  return {
    title: cleanTitle(tab.title),
    n: Math.min(999, Math.max(1, tab.n)),
    ...(tab.name !== undefined && { name: cleanTitle(tab.name) }),
    ...(tab.color && { color: tab.color }),
    target: tab.target,
    layout,
    focus,
    zoomed,
  };
}

/** What is saved of the tabs: in order, as many as the limits take, and the active one's index. */
export function toSaved(tabs: Tabs): Workspace {
  const kept: Tab[] = [];
  let panes = 0;
  for (const tab of tabs.list) {
    const n = layoutPanes(tab.panes.layout).length;
    if (kept.length === WORKSPACE_LIMITS.tabs) break;
    if (n > WORKSPACE_LIMITS.panesPerTab || panes + n > WORKSPACE_LIMITS.panes) continue;
    kept.push(tab);
    panes += n;
  }
  const active = kept.findIndex((t) => t.id === tabs.active);
  return { tabs: kept.map(savedTab), active: active >= 0 ? active : kept.length > 0 ? 0 : null };
}

/** The saved tabs as new tabs (ids of this page, every pane connecting and marked to return to its directory). */
export function fromSaved(ws: Workspace): { list: Tab[]; active: string | null } {
  const list = ws.tabs.map((t): Tab => {
    const ids = layoutPanes(t.layout);
    const panes: Panes = { layout: t.layout, focus: t.focus, zoomed: t.zoomed, state: Object.fromEntries(ids.map((p) => [p, 'connecting'])) };
    return {
      id: newTabId(),
      title: t.title,
      n: t.n,
      ...(t.name !== undefined && { name: t.name }),
      ...(t.color && { color: t.color }),
      target: t.target,
      state: 'connecting',
      panes,
      restored: ids,
    };
  });
  return { list, active: ws.active === null ? null : (list[ws.active]?.id ?? null) };
}
