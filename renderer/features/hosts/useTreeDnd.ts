import { useState, type DragEvent } from 'react';

/** What is being dragged in the tree. */
export interface DragItem {
  kind: 'host' | 'group';
  id: string;
}

const MIME = 'application/x-warren-tree-item';
/** the drop key of the top level (group ids are never this) */
export const TOP = ':top';

function readItem(e: DragEvent): DragItem | null {
  try {
    const item = JSON.parse(e.dataTransfer.getData(MIME)) as Partial<DragItem>;
    return (item.kind === 'host' || item.kind === 'group') && typeof item.id === 'string' ? { kind: item.kind, id: item.id } : null;
  } catch {
    return null;
  }
}

/**
 * Native HTML5 drag and drop for the tree: rows are dragged, and rows, the tree and the top-level
 * zone are drop targets that name the group to move into (null: the top level).
 */
export function useTreeDnd(onMove: (item: DragItem, parentId: string | null) => void) {
  const [over, setOver] = useState<string | null>(null);

  const dragSource = (item: DragItem) => ({
    draggable: true,
    onDragStart: (e: DragEvent) => {
      e.stopPropagation();
      e.dataTransfer.setData(MIME, JSON.stringify(item));
      e.dataTransfer.effectAllowed = 'move';
    },
    onDragEnd: () => setOver(null),
  });

  const dropTarget = (parentId: string | null) => {
    const key = parentId ?? TOP;
    return {
      onDragOver: (e: DragEvent) => {
        if (!e.dataTransfer.types.includes(MIME)) return;
        e.preventDefault();
        e.stopPropagation();
        e.dataTransfer.dropEffect = 'move';
        setOver(key);
      },
      onDragLeave: (e: DragEvent) => {
        if (!(e.relatedTarget instanceof Node && e.currentTarget.contains(e.relatedTarget))) setOver((o) => (o === key ? null : o));
      },
      onDrop: (e: DragEvent) => {
        e.preventDefault();
        e.stopPropagation();
        setOver(null);
        const item = readItem(e);
        if (item) onMove(item, parentId);
      },
    };
  };

  return { over, dragSource, dropTarget };
}
