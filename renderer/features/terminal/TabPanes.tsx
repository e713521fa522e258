import { useCallback, useMemo, useRef, useState, type CSSProperties, type Dispatch } from 'react';
import { ContextMenu, type MenuEntry } from '../../lib/ContextMenu.js';
import { useTargetColor } from '../hosts/hostColor.js';
import { useBroadcast } from './broadcast.js';
import { Divider } from './Divider.js';
import { dividers, paneRects, type Rect } from './layout.js';
import { paneCount } from './panes.js';
import { paneMenu } from './paneMenu.js';
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
  const [menu, setMenu] = useState<{ pane: string; at: { x: number; y: number }; session: MenuEntry[] } | null>(null);
  const closeMenu = useCallback(() => setMenu(null), []);
  const { receiving } = useBroadcast();
  // the terminals' edge: the tab's colour, else its host's
  const hostColor = useTargetColor();
  const color = tab.color ?? hostColor(tab.target);
  const edge = color ? ({ '--pane-edge': `2px solid ${color}` } as CSSProperties) : null;

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
            style={{ ...placed(panes.zoomed === pane ? WHOLE : (rects.get(pane) ?? WHOLE)), ...edge }}
            dispatch={dispatch}
            onMenu={(at, session) => {
              dispatch({ type: 'focusPane', id: tab.id, pane });
              setMenu({ pane, at, session });
            }}
          />
        );
      })}
      {lines.map((d) => (
        <Divider key={d.id} tabId={tab.id} divider={d} area={area} dispatch={dispatch} />
      ))}
      {menu && panes.state[menu.pane] && (
        <ContextMenu at={menu.at} label="Terminal" items={paneMenu({ tab, pane: menu.pane, receiving, dispatch, session: menu.session })} onClose={closeMenu} />
      )}
    </div>
  );
}
