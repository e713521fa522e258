import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type HTMLAttributes, type ReactNode } from 'react';

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
 * A windowed list of rows of one height (@tanstack/react-virtual, as the host tree): only the rows in
 * view and a few around them are in the DOM, so ten thousand entries scroll as smoothly as ten.
 * Remount it (a `key`) to start again at the top.
 */
export function VirtualList<T>({ items, rowHeight, renderRow, keepInView, footer, ...rest }: VirtualListProps<T>) {
  const ref = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: items.length, getScrollElement: () => ref.current, estimateSize: () => rowHeight, overscan: OVERSCAN });

  useEffect(() => {
    if (keepInView !== null && keepInView !== undefined && keepInView < items.length) virtual.scrollToIndex(keepInView, { align: 'auto' });
  }, [keepInView]); // eslint-disable-line react-hooks/exhaustive-deps

  const shown = virtual.getVirtualItems();
  return (
    <div ref={ref} {...rest}>
      <div className="vlist-space" style={{ height: virtual.getTotalSize() }}>
        <div className="vlist-rows" style={{ transform: `translateY(${shown[0]?.start ?? 0}px)` }}>
          {shown.map((v) => renderRow(items[v.index]!, v.index))}
        </div>
      </div>
      {footer}
    </div>
  );
}
