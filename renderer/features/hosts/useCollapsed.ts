import { useCallback, useEffect, useState } from 'react';

const KEY = 'warren.tree.collapsed';

function load(): string[] {
  try {
    const ids: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(ids) ? ids.filter((id) => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

/** Which groups the user folded; remembered across reloads. Groups are open until folded. */
export function useCollapsed(): [ReadonlySet<string>, (groupId: string) => void, (groupIds: readonly string[]) => void] {
  const [collapsed, setCollapsed] = useState(() => new Set(load()));
  useEffect(() => localStorage.setItem(KEY, JSON.stringify([...collapsed])), [collapsed]);
  const toggle = useCallback(
    (groupId: string) =>
      setCollapsed((prev) => {
        const next = new Set(prev);
        if (!next.delete(groupId)) next.add(groupId);
        return next;
      }),
    [],
  );
  const expand = useCallback(
    (groupIds: readonly string[]) =>
      setCollapsed((prev) => {
        const next = new Set(prev);
        for (const id of groupIds) next.delete(id);
        return next;
      }),
    [],
  );
  return [collapsed, toggle, expand];
}
