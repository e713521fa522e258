import { useEffect, useLayoutEffect, useRef, useState, type HTMLAttributes, type ReactNode } from 'react';

const OVERSCAN = 6;

interface VirtualListProps<T> extends Omit<HTMLAttributes<HTMLDivElement>, 'children' | 'onScroll'> {
  items: readonly T[];
  /** every row is this tall (px), so where row n sits is known without measuring */
  rowHeight: number;
  /** one row, with its key */
  renderRow(item: T, index: number): ReactNode;
  /** a row to keep in view (the keyboard's current one) */
  keepInView?: number | null | undefined;
  /** shown under the rows, e.g. "empty folder" */
  footer?: ReactNode;
}

/**
 * A windowed list: only the rows in view (and a few around them) are in the DOM, so ten thousand
 * entries scroll as smoothly as ten. Remount it (a `key`) to start again at the top.
 */
export function VirtualList<T>({ items, rowHeight, renderRow, keepInView, footer, ...rest }: VirtualListProps<T>) {
  const ref = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(0);
  const [height, setHeight] = useState(0);

  useLayoutEffect(() => {
    const el = ref.current!;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const el = ref.current;
    if (!el || keepInView === null || keepInView === undefined) return;
    const y = keepInView * rowHeight;
    if (y < el.scrollTop) el.scrollTop = y;
    else if (y + rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = y + rowHeight - el.clientHeight;
  }, [keepInView, rowHeight]);

  const first = Math.max(0, Math.floor(top / rowHeight) - OVERSCAN);
  const last = Math.min(items.length, Math.ceil((top + height) / rowHeight) + OVERSCAN);
  return (
    <div ref={ref} {...rest} onScroll={(e) => setTop(e.currentTarget.scrollTop)}>
      <div className="vlist-space" style={{ height: items.length * rowHeight }}>
        <div className="vlist-rows" style={{ transform: `translateY(${first * rowHeight}px)` }}>
          {items.slice(first, last).map((item, i) => renderRow(item, first + i))}
        </div>
      </div>
      {footer}
    </div>
  );
}
