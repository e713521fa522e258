import { Columns2, Maximize2, Minimize2, RadioTower, Rows2, X } from 'lucide-react';
import { useCallback, useMemo, useRef, useState, type Dispatch } from 'react';
import { ContextMenu, type MenuEntry } from '../../lib/ContextMenu.js';
import { useBroadcast } from './broadcast.js';
import { Divider } from './Divider.js';
import { dividers, paneRects, type Rect } from './layout.js';
import { paneCount, splitFocused } from './panes.js';
import type { Tab, TabAction } from './tabs.js';
import { TerminalPane } from './TerminalPane.js';

const pct = (n: number) => `${n * 100}%`;
const placed = (r: Rect) => ({ left: pct(r.x), top: pct(r.y), width: pct(r.w), height: pct(r.h) });
const WHOLE: Rect = { x: 0, y: 0, w: 1, h: 1 };

interface TabPanesProps {
  tab: Tab;
  /** the tab chosen in the tab bar */
  active: boolean;
  /** the terminals view is on screen */
  shown: boolean;
  dispatch: Dispatch<TabAction>;
}

/**
 * One tab's terminals: its panes laid out flat from the layout's rectangles (so a split or a close
 * never remounts a pane, and no shell restarts), the dividers between them, and the terminal's menu
 * (right-click): split right or down, zoom, close the pane.
 */
export function TabPanes({ tab, active, shown, dispatch }: TabPanesProps) {
  const area = useRef<HTMLDivElement>(null);
  const { panes } = tab;
  const rects = useMemo(() => paneRects(panes.layout), [panes.layout]);
  const lines = useMemo(() => (panes.zoomed ? [] : dividers(panes.layout)), [panes.layout, panes.zoomed]);
  const split = paneCount(panes) > 1;
  const [menu, setMenu] = useState<{ pane: string; at: { x: number; y: number } } | null>(null);
  const closeMenu = useCallback(() => setMenu(null), []);
  const { receiving } = useBroadcast();

  const menuItems = (pane: string): MenuEntry[] => {
    const at = { ...tab, panes: { ...panes, focus: pane } };
    const items: MenuEntry[] = [
      {
        id: 'pane-menu-split-right',
        label: 'Split right',
        icon: <Columns2 size={14} />,
        hint: 'Ctrl+Shift+E',
        onSelect: () => dispatch(splitFocused(at, 'row')),
      },
      {
        id: 'pane-menu-split-down',
        label: 'Split down',
        icon: <Rows2 size={14} />,
        hint: 'Ctrl+Shift+O',
        onSelect: () => dispatch(splitFocused(at, 'column')),
      },
    ];
    if (split) {
      const zoomed = panes.zoomed === pane;
      items.push({
        id: 'pane-menu-zoom',
        label: zoomed ? 'Unzoom pane' : 'Zoom pane',
        icon: zoomed ? <Minimize2 size={14} /> : <Maximize2 size={14} />,
        hint: 'Ctrl+Shift+Z',
        onSelect: () => {
          dispatch({ type: 'focusPane', id: tab.id, pane });
          dispatch({ type: 'zoom', id: tab.id });
        },
      });
    }
    items.push('separator', ...broadcastItems(pane), 'separator', {
      id: 'pane-menu-close',
      label: split ? 'Close pane' : 'Close tab',
      icon: <X size={14} />,
      hint: 'Ctrl+Shift+W',
      onSelect: () => dispatch({ type: 'closePane', id: tab.id, pane }),
    });
    return items;
  };

  const broadcastItems = (pane: string): MenuEntry[] => {
    const icon = <RadioTower size={14} />;
    const here = Object.keys(panes.state);
    const items: MenuEntry[] = [];
    if (receiving.size > 0)
      items.push({
        id: 'pane-menu-broadcast-stop',
        label: 'Stop broadcasting',
        icon,
        hint: 'Ctrl+Shift+B',
        onSelect: () => dispatch({ type: 'broadcast', panes: [] }),
      });
    if (split && !here.every((p) => receiving.has(p)))
      items.push({
        id: 'pane-menu-broadcast-tab',
        label: "Broadcast to this tab's panes",
        icon: receiving.size > 0 ? undefined : icon,
        hint: receiving.size > 0 ? undefined : 'Ctrl+Shift+B',
        onSelect: () => dispatch({ type: 'broadcast', panes: here }),
      });
    items.push({
      id: 'pane-menu-broadcast-pane',
      label: receiving.has(pane) ? 'Leave the broadcast' : receiving.size > 0 ? 'Join the broadcast' : 'Start a broadcast with this pane',
      onSelect: () => dispatch({ type: 'broadcastToggle', panes: [pane] }),
    });
    return items;
  };

  return (
    <div className="tab-panes" ref={area} data-active={active} data-testid="tab-panes" data-panes={paneCount(panes)} data-zoomed={panes.zoomed !== null}>
      {Object.keys(panes.state).map((pane) => {
        const hidden = panes.zoomed !== null && panes.zoomed !== pane;
        const focused = panes.focus === pane;
        return (
          <TerminalPane
            key={pane}
            tab={tab}
            pane={pane}
            active={active && focused}
            focused={focused}
            split={split}
            hidden={hidden}
            zoomedOf={panes.zoomed === pane ? paneCount(panes) : null}
            shown={shown && active && !hidden}
            style={placed(panes.zoomed === pane ? WHOLE : (rects.get(pane) ?? WHOLE))}
            dispatch={dispatch}
            onMenu={(at) => {
              dispatch({ type: 'focusPane', id: tab.id, pane });
              setMenu({ pane, at });
            }}
          />
        );
      })}
      {lines.map((d) => (
        <Divider key={d.id} tabId={tab.id} divider={d} area={area} dispatch={dispatch} />
      ))}
      {menu && panes.state[menu.pane] && <ContextMenu at={menu.at} label="Terminal" items={menuItems(menu.pane)} onClose={closeMenu} />}
    </div>
  );
}
