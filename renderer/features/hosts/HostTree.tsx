import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useImperativeHandle, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent, type Ref } from 'react';
import type { HostRecord, Tree } from '../../../shared/model.js';
import { visible } from '../../../shared/untrusted.js';
import { ContextMenu, type MenuEntry } from '../../lib/ContextMenu.js';
import { countByHost, useTunnelStatuses } from '../tunnels/TunnelStatuses.js';
import { groupPaths, searchHosts, searchIndex, type SearchIndex } from './search.js';
import { tagColor } from './tags.js';
import { hostColor } from './hostColor.js';
import { buildTree, treeRows, type Branch, type Row } from './treeModel.js';
import { groupMenu, hostMenu, selectionMenu, type TreeActions } from './treeMenus.js';
import { TreeRow, type RowHandlers, type TreeItem } from './TreeRows.js';
import { useCollapsed } from './useCollapsed.js';
import { TOP, useTreeDnd } from './useTreeDnd.js';

export const ROW_HEIGHT = 26;

/** What the filter box hands the tree: the keys that move through the results and open them. */
export interface TreeHandle {
  onFilterKey(e: KeyboardEvent): void;
  /** Shows a host or group once it is in the tree (its groups opened), scrolled to and selected: after it is made, moved or copied. */
  reveal(id: string): void;
}

interface HostTreeProps {
  tree: Tree;
  filter: string;
  actions: TreeActions;
  handle?: Ref<TreeHandle>;
  /** the selection changed: how many items are selected */
  onSelection?(items: TreeItem[]): void;
}

const itemKey = (row: Row) => (row.kind === 'host' ? `h:${row.host.id}` : row.kind === 'group' ? `g:${row.node.group.id}` : null);
const hostsUnder = (node: Branch): HostRecord[] => [...node.hosts, ...node.groups.flatMap(hostsUnder)];

/**
 * The sidebar's hosts: favourites and recents on top, then groups and hosts, drawn as a virtual list
 * (only the rows on screen exist, so ten thousand hosts cost what forty do). A filter turns it into
 * the matching hosts, best first. Click, Ctrl/⌘-click and Shift-click select; arrows move, Enter
 * connects (or opens a group), the context-menu key or Shift+F10 opens the menu, Delete deletes.
 */
export function HostTree({ tree, filter, actions, handle, onSelection }: HostTreeProps) {
  const [collapsed, toggle, expand] = useCollapsed();
  const dnd = useTreeDnd(actions.move);
  const statuses = useTunnelStatuses();
  const tunnels = useMemo(() => countByHost(tree.tunnels, statuses), [tree.tunnels, statuses]);
  const filtering = filter.trim() !== '';

  const root = useMemo(() => buildTree(tree), [tree.groups, tree.hosts]); // eslint-disable-line react-hooks/exhaustive-deps
  const paths = useMemo(() => groupPaths(tree.groups), [tree.groups]);
  // made when a search first needs it, and kept while the hosts and groups stay as they are
  const indexed = useRef<{ hosts: HostRecord[]; paths: Map<string, string>; index: SearchIndex } | null>(null);
  const indexOf = (): SearchIndex => {
    const known = indexed.current;
    if (known?.hosts === tree.hosts && known.paths === paths) return known.index;
    const index = searchIndex(tree, paths);
    indexed.current = { hosts: tree.hosts, paths, index };
    return index;
  };
  // a result row stays the same object while its host does, so a keystroke redraws only the rows that changed
  const resultRows = useRef(new Map<string, Row>());
  const rows = useMemo((): Row[] => {
    if (filtering) {
      const before = resultRows.current;
      const now = new Map<string, Row>();
      const list = searchHosts(indexOf(), filter).map((hit): Row => {
        const old = before.get(hit.host.id);
        const where = hit.where || 'top level';
        const row =
          old?.kind === 'host' && old.host === hit.host && old.where === where
            ? old
            : { kind: 'host' as const, key: hit.host.id, host: hit.host, depth: 0, where };
        now.set(hit.host.id, row);
        return row;
      });
      resultRows.current = now;
      return list;
    }
    const byId = new Map(tree.hosts.map((h) => [h.id, h]));
    const pathOf = (h: HostRecord) => (h.groupId === null ? 'top level' : (paths.get(h.groupId) ?? 'top level'));
    const favourites = tree.hosts.filter((h) => h.favourite).toSorted((a, b) => a.name.localeCompare(b.name));
    const recent = tree.recent.flatMap((id) => byId.get(id) ?? []).slice(0, 5);
    return treeRows(root, (id) => !collapsed.has(id), { favourites, recent, pathOf });
  }, [filtering, filter, tree, root, paths, collapsed]); // eslint-disable-line react-hooks/exhaustive-deps

  const [activeKey, setActiveKey] = useState<string | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [anchor, setAnchor] = useState<number | null>(null);
  const [menu, setMenu] = useState<{ at: { x: number; y: number }; label: string; items: MenuEntry[] } | null>(null);
  const [lastFilter, setLastFilter] = useState(filter);
  // a new filter puts the cursor on its best match
  if (lastFilter !== filter) {
    setLastFilter(filter);
    setActiveKey(filtering ? (rows[0]?.key ?? null) : null);
    setSelected(new Set());
  }
  const activeIndex = activeKey === null ? -1 : rows.findIndex((r) => r.key === activeKey);

  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    getItemKey: (i) => rows[i]!.key,
  });

  const itemOf = (row: Row): TreeItem | null =>
    row.kind === 'host' ? { kind: 'host', host: row.host } : row.kind === 'group' ? { kind: 'group', group: row.node.group } : null;
  const selectedItems = (): TreeItem[] => {
    const seen = new Set<string>();
    const out: TreeItem[] = [];
    for (const row of rows) {
      const key = itemKey(row);
      if (key && selected.has(key) && !seen.has(key)) {
        seen.add(key);
        out.push(itemOf(row)!);
      }
    }
    return out;
  };
  const select = (next: ReadonlySet<string>) => {
    setSelected(next);
    if (next.size <= 1 && selected.size <= 1) return; // the sidebar only needs to know of a selection of several
    if (onSelection) {
      const items = rows.flatMap((r) => {
        const key = itemKey(r);
        return key && next.has(key) ? [{ key, item: itemOf(r)! }] : [];
      });
      onSelection([...new Map(items.map((x) => [x.key, x.item])).values()]);
    }
  };

  /** Moves the cursor to row i (scrolled into view); with `extend`, selects from the anchor to it. */
  const moveTo = (i: number, extend = false) => {
    const step = i >= activeIndex ? 1 : -1;
    let n = Math.max(0, Math.min(rows.length - 1, i));
    while (rows[n]?.kind === 'section' && n + step >= 0 && n + step < rows.length) n += step;
    const row = rows[n];
    if (!row || row.kind === 'section') return;
    setActiveKey(row.key);
    virtual.scrollToIndex(n, { align: 'auto' });
    if (extend) {
      const from = anchor ?? (activeIndex >= 0 ? activeIndex : n);
      setAnchor(from);
      select(new Set(rows.slice(Math.min(from, n), Math.max(from, n) + 1).flatMap((r) => itemKey(r) ?? [])));
    } else {
      setAnchor(n);
      select(new Set([itemKey(row)!]));
    }
  };

  const openMenu = (row: Row, at: { x: number; y: number }) => {
    const key = itemKey(row);
    if (!key) return;
    setActiveKey(row.key);
    if (selected.has(key) && selected.size > 1) {
      setMenu({ at, label: `${selected.size} selected`, items: selectionMenu(selectedItems(), actions) });
      return;
    }
    select(new Set([key]));
    if (row.kind === 'host') setMenu({ at, label: visible(row.host.name), items: hostMenu(row.host, tunnels.get(row.host.id), actions) });
    else if (row.kind === 'group')
      setMenu({ at, label: visible(row.node.group.name), items: groupMenu({ kind: 'group', group: row.node.group }, hostsUnder(row.node), actions) });
  };

  const onKey = (e: KeyboardEvent, fromFilter: boolean) => {
    const row = rows[activeIndex];
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 260) / ROW_HEIGHT) - 1);
    if (e.key === 'ArrowDown') moveTo(activeIndex < 0 ? 0 : activeIndex + 1, e.shiftKey);
    else if (e.key === 'ArrowUp') moveTo(activeIndex < 0 ? 0 : activeIndex - 1, e.shiftKey);
    else if (e.key === 'PageDown') moveTo(activeIndex + page, e.shiftKey);
    else if (e.key === 'PageUp') moveTo(activeIndex - page, e.shiftKey);
    else if (e.key === 'Home' && !fromFilter) moveTo(0);
    else if (e.key === 'End' && !fromFilter) moveTo(rows.length - 1);
    else if (e.key === 'Enter') {
      const target = row ?? (fromFilter ? rows.find((r) => r.kind === 'host') : undefined);
      if (target?.kind === 'host') actions.connect(target.host);
      else if (target?.kind === 'group') toggle(target.node.group.id);
      else return;
    } else if (e.key === 'ArrowRight' && !fromFilter && row?.kind === 'group') {
      if (!row.open) toggle(row.node.group.id);
      else moveTo(activeIndex + 1);
    } else if (e.key === 'ArrowLeft' && !fromFilter && row && row.kind !== 'section') {
      if (row.kind === 'group' && row.open) toggle(row.node.group.id);
      else {
        const parent = rows.slice(0, activeIndex).findLastIndex((r) => r.kind === 'group' && r.depth < row.depth);
        if (parent >= 0) moveTo(parent);
      }
    } else if ((e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey)) && row) {
      const el = document.getElementById(rowId(row.key));
      const r = el?.getBoundingClientRect();
      openMenu(row, r ? { x: r.left + 24, y: r.bottom } : { x: 40, y: 40 });
    } else if (e.key === 'Delete' && !fromFilter && selected.size > 0) actions.remove(selectedItems());
    else if (e.key === 'a' && (e.ctrlKey || e.metaKey) && !fromFilter) select(new Set(rows.flatMap((r) => itemKey(r) ?? [])));
    else if (e.key === 'Escape' && !fromFilter && selected.size > 1) select(new Set(row ? [itemKey(row)!] : []));
    else return;
    e.preventDefault();
    e.stopPropagation();
  };

  // a row to show once the tree holds it (a call's change reaches the tree after the call returns)
  const [revealing, setRevealing] = useState<string | null>(null);
  useImperativeHandle(handle, () => ({ onFilterKey: (e) => onKey(e, true), reveal: setRevealing }));
  useEffect(() => {
    if (revealing === null) return;
    const at = rows.findIndex((r) => r.key === revealing);
    if (at >= 0) {
      setRevealing(null);
      moveTo(at);
      return;
    }
    if (filtering) return setRevealing(null);
    const byId = new Map(tree.groups.map((g) => [g.id, g]));
    let parent = tree.hosts.find((h) => h.id === revealing)?.groupId ?? byId.get(revealing)?.parentId ?? null;
    const closed: string[] = [];
    for (let depth = 0; parent !== null && depth < 64; depth++, parent = byId.get(parent)?.parentId ?? null) {
      if (collapsed.has(parent)) closed.push(parent);
    }
    if (closed.length > 0) expand(closed);
  }, [revealing, rows]); // eslint-disable-line react-hooks/exhaustive-deps

  // rows get one stable set of handlers that always calls the latest closures
  const latest = useRef({
    rows,
    selected,
    activeIndex,
    anchor,
    moveTo,
    openMenu,
    select,
    dnd,
    actions,
    toggle,
    tagColors: tree.tagColors,
    groups: tree.groups,
  });
  latest.current = { rows, selected, activeIndex, anchor, moveTo, openMenu, select, dnd, actions, toggle, tagColors: tree.tagColors, groups: tree.groups };
  const handlers = useMemo(
    (): RowHandlers => ({
      click(row: Row, e: MouseEvent) {
        const l = latest.current;
        const i = l.rows.indexOf(row);
        const key = itemKey(row);
        if (!key || i < 0) return;
        scroller.current?.focus({ preventScroll: true });
        if (e.shiftKey) return l.moveTo(i, true);
        if (e.ctrlKey || e.metaKey) {
          const next = new Set(l.selected);
          if (!next.delete(key)) next.add(key);
          setActiveKey(row.key);
          setAnchor(i);
          return l.select(next);
        }
        l.moveTo(i);
        if (row.kind === 'group') l.toggle(row.node.group.id);
      },
      doubleClick(row: Row) {
        if (row.kind === 'host') latest.current.actions.connect(row.host);
      },
      menu: (row, at) => latest.current.openMenu(row, at),
      connect: (host) => latest.current.actions.connect(host),
      dragSource: (item) => latest.current.dnd.dragSource(item),
      dropTarget: (parentId) => latest.current.dnd.dropTarget(parentId),
      tagColor: (tag) => tagColor(tag, latest.current.tagColors),
      hostColor: (host) => hostColor(host, latest.current.groups),
    }),
    [],
  );

  const empty = rows.length === 0;
  const activeRow = rows[activeIndex];
  return (
    <>
      <div
        ref={scroller}
        className="tree"
        data-testid="tree"
        role="tree"
        aria-label="Hosts"
        aria-multiselectable
        aria-activedescendant={activeRow ? rowId(activeRow.key) : undefined}
        tabIndex={0}
        onKeyDown={(e) => onKey(e, false)}
        onFocus={(e) => {
          if (e.target === e.currentTarget && activeIndex < 0 && rows.length > 0) moveTo(0);
        }}
        {...dnd.dropTarget(null)}
      >
        {filtering && !empty && (
          <div className="tree-results" data-testid="tree-results" aria-live="polite">
            {rows.length} match{rows.length === 1 ? '' : 'es'} · ↑↓ to choose, Enter to connect
          </div>
        )}
        <div className="tree-rows" style={{ height: virtual.getTotalSize() }}>
          {virtual.getVirtualItems().map((v) => {
            const row = rows[v.index]!;
            const key = itemKey(row);
            const groupOf = row.kind === 'group' ? row.node.group.id : row.kind === 'host' ? (row.host.groupId ?? TOP) : null;
            return (
              // keyed by place, not by row: when a filter or a fold changes what the rows show, React
              // updates the rows already drawn instead of making new ones
              <div key={v.index} className="tree-slot" style={{ transform: `translateY(${v.start}px)` }}>
                <TreeRow
                  row={row}
                  id={rowId(row.key)}
                  active={row.key === activeKey}
                  selected={key !== null && selected.has(key)}
                  dropOver={dnd.over !== null && dnd.over === groupOf}
                  tunnels={row.kind === 'host' ? tunnels.get(row.host.id) : undefined}
                  handlers={handlers}
                />
              </div>
            );
          })}
        </div>
        {empty && (
          <p className="tree-empty">{filtering ? `No host matches “${filter.trim()}”.` : 'No hosts yet. Add one with New host, or quick-connect above.'}</p>
        )}
        <div className={dnd.over === TOP ? 'tree-root-drop drop-over' : 'tree-root-drop'} data-testid="tree-root-drop" {...dnd.dropTarget(null)}>
          Drop here to move to the top level
        </div>
      </div>
      {menu && <ContextMenu at={menu.at} label={menu.label} items={menu.items} onClose={() => setMenu(null)} />}
    </>
  );
}

const rowId = (key: string) => `tree-row-${key.replace(/[^\w-]/g, '_')}`;
