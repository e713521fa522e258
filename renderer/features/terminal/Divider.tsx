import { useRef, type Dispatch, type KeyboardEvent, type PointerEvent, type RefObject } from 'react';
import type { Divider as DividerModel } from './layout.js';
import type { TabAction } from './tabs.js';

const KEY_STEP = 0.05;

/**
 * The line between a split's two sides: drag it (the pointer is captured, so a fast drag keeps it) or
 * focus it and use the arrow keys. Its position is the split's ratio, measured in the tab's area.
 */
export function Divider({
  tabId,
  divider,
  area,
  dispatch,
}: {
  tabId: string;
  divider: DividerModel;
  area: RefObject<HTMLDivElement | null>;
  dispatch: Dispatch<TabAction>;
}) {
  const { id, dir, ratio, area: r } = divider;
  const dragging = useRef(false);
  const row = dir === 'row';
  const set = (value: number) => dispatch({ type: 'ratio', id: tabId, split: id, ratio: value });

  const ratioAt = (e: PointerEvent) => {
    const box = area.current?.getBoundingClientRect();
    if (!box || box.width === 0 || box.height === 0) return null;
    return row ? ((e.clientX - box.left) / box.width - r.x) / r.w : ((e.clientY - box.top) / box.height - r.y) / r.h;
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const less = row ? 'ArrowLeft' : 'ArrowUp';
    const more = row ? 'ArrowRight' : 'ArrowDown';
    if (e.key === less) set(ratio - KEY_STEP);
    else if (e.key === more) set(ratio + KEY_STEP);
    else if (e.key === 'Home') set(0);
    else if (e.key === 'End') set(1);
    else return;
    e.preventDefault();
    e.stopPropagation();
  };

  // the line's place: along the split at its ratio, across the split's whole span
  const style = row
    ? { left: `${(r.x + r.w * ratio) * 100}%`, top: `${r.y * 100}%`, height: `${r.h * 100}%` }
    : { top: `${(r.y + r.h * ratio) * 100}%`, left: `${r.x * 100}%`, width: `${r.w * 100}%` };
  return (
    <div
      className={`pane-divider ${dir}`}
      role="separator"
      tabIndex={0}
      aria-orientation={row ? 'vertical' : 'horizontal'}
      aria-label={row ? 'Resize the panes side by side' : 'Resize the panes one above the other'}
      aria-valuemin={10}
      aria-valuemax={90}
      aria-valuenow={Math.round(ratio * 100)}
      data-testid="pane-divider"
      data-dir={dir}
      style={style}
      onKeyDown={onKeyDown}
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        e.preventDefault();
        e.currentTarget.setPointerCapture(e.pointerId);
        dragging.current = true;
      }}
      onPointerMove={(e) => {
        if (!dragging.current) return;
        const value = ratioAt(e);
        if (value !== null) set(value);
      }}
      onPointerUp={(e) => {
        dragging.current = false;
        e.currentTarget.releasePointerCapture(e.pointerId);
      }}
      onPointerCancel={() => (dragging.current = false)}
    />
  );
}
