import { Columns2, Maximize2, Minimize2, RadioTower, Rows2, X } from 'lucide-react';
import type { Dispatch } from 'react';
import type { MenuEntry } from '../../lib/ContextMenu.js';
import { keyHint, TAB_KEYS } from '../../lib/keybindings.js';
import { paneCount, splitFocused } from './panes.js';
import type { Tab, TabAction } from './tabs.js';

interface PaneMenuProps {
  tab: Tab;
  /** the pane the menu was opened on */
  pane: string;
  /** the panes that receive broadcast input */
  receiving: ReadonlySet<string>;
  dispatch: Dispatch<TabAction>;
  /** the pane's session's own items (open files here, log to a file), first */
  session?: MenuEntry[];
}

/** The terminal's menu (right-click on a pane): the session's items, split right or down, zoom, broadcast, close. */
export function paneMenu({ tab, pane, receiving, dispatch, session = [] }: PaneMenuProps): MenuEntry[] {
  const { panes } = tab;
  const split = paneCount(panes) > 1;
  const at = { ...tab, panes: { ...panes, focus: pane } };
  const items: MenuEntry[] = [
    ...session,
    ...(session.length > 0 ? ['separator' as const] : []),
    {
      id: 'pane-menu-split-right',
      label: 'Split right',
      icon: <Columns2 size={14} />,
      hint: keyHint(TAB_KEYS.splitRight),
      onSelect: () => dispatch(splitFocused(at, 'row')),
    },
    {
      id: 'pane-menu-split-down',
      label: 'Split down',
      icon: <Rows2 size={14} />,
      hint: keyHint(TAB_KEYS.splitDown),
      onSelect: () => dispatch(splitFocused(at, 'column')),
    },
  ];
  if (split) {
    const zoomed = panes.zoomed === pane;
    items.push({
      id: 'pane-menu-zoom',
      label: zoomed ? 'Unzoom pane' : 'Zoom pane',
      icon: zoomed ? <Minimize2 size={14} /> : <Maximize2 size={14} />,
      hint: keyHint(TAB_KEYS.zoom),
      onSelect: () => {
        dispatch({ type: 'focusPane', id: tab.id, pane });
        dispatch({ type: 'zoom', id: tab.id });
      },
    });
  }
  items.push('separator', ...broadcastItems({ tab, pane, receiving, dispatch }), 'separator', {
    id: 'pane-menu-close',
    label: split ? 'Close pane' : 'Close tab',
    icon: <X size={14} />,
    hint: keyHint(TAB_KEYS.close),
    onSelect: () => dispatch({ type: 'closePane', id: tab.id, pane }),
  });
  return items;
}

/** the broadcast's items: stop it, this tab's panes, this pane in or out */
function broadcastItems({ tab, pane, receiving, dispatch }: PaneMenuProps): MenuEntry[] {
  const { panes } = tab;
  const split = paneCount(panes) > 1;
  const icon = <RadioTower size={14} />;
  const here = Object.keys(panes.state);
  const items: MenuEntry[] = [];
  if (receiving.size > 0)
    items.push({
      id: 'pane-menu-broadcast-stop',
      label: 'Stop broadcasting',
      icon,
      hint: keyHint(TAB_KEYS.broadcast),
      onSelect: () => dispatch({ type: 'broadcast', panes: [] }),
    });
  if (split && !here.every((p) => receiving.has(p)))
    items.push({
      id: 'pane-menu-broadcast-tab',
      label: "Broadcast to this tab's panes",
      icon: receiving.size > 0 ? undefined : icon,
      hint: receiving.size > 0 ? undefined : keyHint(TAB_KEYS.broadcast),
      onSelect: () => dispatch({ type: 'broadcast', panes: here }),
    });
  items.push({
    id: 'pane-menu-broadcast-pane',
    label: receiving.has(pane) ? 'Leave the broadcast' : receiving.size > 0 ? 'Join the broadcast' : 'Start a broadcast with this pane',
    onSelect: () => dispatch({ type: 'broadcastToggle', panes: [pane] }),
  });
  return items;
}
