import { Copy, Laptop, Palette, Pencil, RadioTower, X } from 'lucide-react';
import { useEffect, useRef, useState, type CSSProperties, type Dispatch, type DragEvent, type KeyboardEvent } from 'react';
import { visible } from '../../../shared/untrusted.js';
import { ContextMenu, type MenuEntry } from '../../lib/ContextMenu.js';
import { keyHint, TAB_KEYS } from '../../lib/keybindings.js';
import { Tab } from '../../lib/Tab.js';
import { useTargetColor } from '../hosts/hostColor.js';
import { isLocal } from '../../../shared/model.js';
import { duplicate, localShellNote, TAB_COLORS, tabTitle, type Tab as TabModel, type TabAction, type Tabs } from './tabs.js';

/** what a dragged tab carries (so a host dragged from the tree, or a file, is not taken for one) */
const TAB_DRAG_TYPE = 'application/x-warren-tab';

/**
 * The terminal tabs. A tab is clicked to activate it; double-click or F2 renames it in place; drag it
 * to reorder; right-click, the context-menu key or Shift+F10 opens its menu; ←/→ move between tabs.
 * The bar scrolls sideways (a mouse wheel too) and keeps the active tab in view.
 */
export function TabBar({ tabs, dispatch }: { tabs: Tabs; dispatch: Dispatch<TabAction> }) {
  const bar = useRef<HTMLDivElement>(null);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [menu, setMenu] = useState<{ id: string; at: { x: number; y: number } } | null>(null);
  const dragged = useRef<string | null>(null);
  const [dropAt, setDropAt] = useState<number | null>(null);

  const tabEl = (id: string) => bar.current?.querySelector<HTMLElement>(`[data-tab-id="${CSS.escape(id)}"]`) ?? null;

  // the active tab in view: after a click, a key, a new tab at the end, a close
  useEffect(() => {
    const el = tabs.active ? tabEl(tabs.active) : null;
    const b = bar.current;
    if (!el || !b) return;
    const r = el.getBoundingClientRect();
    const br = b.getBoundingClientRect();
    if (r.left < br.left) b.scrollLeft -= br.left - r.left;
    else if (r.right > br.right) b.scrollLeft += r.right - br.right;
  }, [tabs.active, tabs.list]);

  // which of a tab's panes receive broadcast input: all, some or none
  const receiving = new Set(tabs.broadcast);
  const onAir = (tab: TabModel): 'all' | 'some' | 'none' => {
    const panes = Object.keys(tab.panes.state);
    const n = panes.filter((p) => receiving.has(p)).length;
    return n === 0 ? 'none' : n === panes.length ? 'all' : 'some';
  };

  const menuItems = (tab: TabModel): MenuEntry[] => {
    const index = tabs.list.findIndex((t) => t.id === tab.id);
    const items: MenuEntry[] = [
      { id: 'tab-menu-rename', label: 'Rename', icon: <Pencil size={14} />, hint: 'F2', onSelect: () => setRenaming(tab.id) },
      { id: 'tab-menu-duplicate', label: 'Duplicate', icon: <Copy size={14} />, hint: keyHint(TAB_KEYS.duplicate), onSelect: () => dispatch(duplicate(tab)) },
      {
        kind: 'swatches',
        id: 'tab-menu-color',
        label: 'Colour',
        icon: <Palette size={14} />,
        options: TAB_COLORS,
        value: tab.color ?? null,
        onPick: (color) => dispatch({ type: 'color', id: tab.id, color }),
      },
      {
        id: 'tab-menu-broadcast',
        label: onAir(tab) === 'all' ? 'Stop broadcasting to this tab' : 'Broadcast to this tab',
        icon: <RadioTower size={14} />,
        onSelect: () => dispatch({ type: 'broadcastToggle', panes: Object.keys(tab.panes.state) }),
      },
      'separator',
      { id: 'tab-menu-close', label: 'Close', icon: <X size={14} />, hint: keyHint(TAB_KEYS.close), onSelect: () => dispatch({ type: 'close', id: tab.id }) },
    ];
    if (tabs.list.length > 1) items.push({ id: 'tab-menu-close-others', label: 'Close others', onSelect: () => dispatch({ type: 'closeOthers', id: tab.id }) });
    if (index < tabs.list.length - 1)
      items.push({ id: 'tab-menu-close-right', label: 'Close tabs to the right', onSelect: () => dispatch({ type: 'closeRight', id: tab.id }) });
    return items;
  };

  const onTabKey = (e: KeyboardEvent, tab: TabModel, index: number) => {
    if (renaming === tab.id) return;
    if (e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey)) {
      const r = e.currentTarget.getBoundingClientRect();
      setMenu({ id: tab.id, at: { x: r.left + 12, y: r.bottom } });
    } else if (e.key === 'F2') setRenaming(tab.id);
    else if ((e.key === 'ArrowLeft' || e.key === 'ArrowRight') && !e.ctrlKey && !e.altKey && !e.shiftKey) {
      const next = tabs.list[index + (e.key === 'ArrowLeft' ? -1 : 1)];
      if (!next) return;
      dispatch({ type: 'activate', id: next.id });
      tabEl(next.id)?.focus();
    } else if (e.key === 'Enter' || e.key === ' ') dispatch({ type: 'activate', id: tab.id });
    else return;
    e.preventDefault();
    e.stopPropagation();
  };

  // where a dragged tab would land: before the first tab whose middle is right of the pointer
  const insertionIndex = (x: number) => {
    const els = [...(bar.current?.querySelectorAll<HTMLElement>('[data-tab-id]') ?? [])];
    const i = els.findIndex((el) => {
      const r = el.getBoundingClientRect();
      return x < r.left + r.width / 2;
    });
    return i < 0 ? els.length : i;
  };
  const onDragOver = (e: DragEvent) => {
    if (!dragged.current || !e.dataTransfer.types.includes(TAB_DRAG_TYPE)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
    setDropAt(insertionIndex(e.clientX));
  };
  const onDrop = (e: DragEvent) => {
    const id = dragged.current;
    if (!id || !e.dataTransfer.types.includes(TAB_DRAG_TYPE)) return;
    e.preventDefault();
    const at = insertionIndex(e.clientX);
    const from = tabs.list.findIndex((t) => t.id === id);
    if (from >= 0) dispatch({ type: 'move', id, to: from < at ? at - 1 : at });
    endDrag();
  };
  const endDrag = () => {
    dragged.current = null;
    setDropAt(null);
  };

  const hostColor = useTargetColor();
  const menuTab = menu && tabs.list.find((t) => t.id === menu.id);
  return (
    <div
      ref={bar}
      className="tabbar"
      role="tablist"
      aria-label="Terminals"
      data-testid="tabbar"
      onWheel={(e) => {
        if (bar.current && e.deltaY !== 0 && e.deltaX === 0) bar.current.scrollLeft += e.deltaY;
      }}
      onDragOver={onDragOver}
      onDrop={onDrop}
      onDragLeave={(e) => {
        if (!(e.relatedTarget instanceof Node && bar.current?.contains(e.relatedTarget))) setDropAt(null);
      }}
    >
      {tabs.list.map((tab, index) => {
        const title = tabTitle(tab);
        // its own colour, else its host's
        const color = tab.color ?? hostColor(tab.target);
        const local = isLocal(tab.target);
        const drop = dropAt === index ? 'before' : dropAt === tabs.list.length && index === tabs.list.length - 1 ? 'after' : undefined;
        return (
          <Tab
            key={tab.id}
            title={title}
            active={tab.id === tabs.active}
            testId="tab"
            closeTestId="tab-close"
            data={{
              'data-state': tab.state,
              'data-tab-id': tab.id,
              ...(drop ? { 'data-drop': drop } : {}),
              ...(tab.color ? { 'data-color': tab.color } : {}),
              ...(color ? { 'data-shown-color': color } : {}),
              'data-broadcast': onAir(tab),
              ...(local ? { 'data-local': 'true' } : {}),
            }}
            lead={
              <>
                <span className={`tab-dot ${tab.state}`} />
                {local && <Laptop size={13} className="tab-local" data-testid="tab-local-icon" aria-label="Local shell" />}
                {onAir(tab) !== 'none' && <RadioTower size={13} className="tab-broadcast" aria-label="Receives broadcast input" />}
              </>
            }
            onActivate={() => dispatch({ type: 'activate', id: tab.id })}
            onClose={() => dispatch({ type: 'close', id: tab.id })}
            titleSlot={
              renaming === tab.id ? (
                <RenameInput
                  initial={visible(title)}
                  onDone={(name) => {
                    setRenaming(null);
                    if (name !== null) dispatch({ type: 'rename', id: tab.id, name });
                    tabEl(tab.id)?.focus();
                  }}
                />
              ) : tab.name === undefined && tab.n > 1 ? (
                // the number never gives way to the ellipsis: 30 tabs to one host stay told apart
                <span className="tab-title numbered">
                  <span className="tab-title-base">{visible(tab.title)}</span>
                  <span className="tab-title-n"> ({tab.n})</span>
                </span>
              ) : undefined
            }
            attrs={{
              // a local tab's tooltip says where its shell runs
              ...(local && { title: `${visible(title)}: ${localShellNote() ?? 'a shell on this computer'}` }),
              tabIndex: tab.id === tabs.active ? 0 : -1,
              style: color ? ({ '--tab-color': color } as CSSProperties) : undefined,
              draggable: renaming !== tab.id,
              onDoubleClick: (e) => {
                if (e.target instanceof Element && e.target.closest('button, input')) return;
                setRenaming(tab.id);
              },
              onContextMenu: (e) => {
                e.preventDefault();
                setMenu({ id: tab.id, at: { x: e.clientX, y: e.clientY } });
              },
              onKeyDown: (e) => onTabKey(e, tab, index),
              onDragStart: (e) => {
                dragged.current = tab.id;
                e.dataTransfer.effectAllowed = 'move';
                e.dataTransfer.setData(TAB_DRAG_TYPE, tab.id);
              },
              onDragEnd: endDrag,
            }}
          />
        );
      })}
      {menu && menuTab && <ContextMenu at={menu.at} label={`Tab ${visible(tabTitle(menuTab))}`} items={menuItems(menuTab)} onClose={() => setMenu(null)} />}
    </div>
  );
}

/**
 * The tab's name, edited in place: Enter saves (an empty name restores the default), Escape cancels,
 * leaving the box saves. `onDone(null)`: nothing changed.
 */
function RenameInput({ initial, onDone }: { initial: string; onDone(name: string | null): void }) {
  const done = useRef(false);
  const finish = (name: string | null) => {
    if (done.current) return;
    done.current = true;
    onDone(name === initial ? null : name);
  };
  return (
    <input
      className="tab-rename"
      data-testid="tab-rename"
      aria-label="Tab name"
      defaultValue={initial}
      maxLength={200}
      spellCheck={false}
      ref={(el) => {
        if (el && !done.current && document.activeElement !== el) {
          el.focus();
          el.select();
        }
      }}
      onClick={(e) => e.stopPropagation()}
      onKeyDown={(e) => {
        e.stopPropagation();
        if (e.key === 'Enter') finish(e.currentTarget.value);
        else if (e.key === 'Escape') finish(null);
        else return;
        e.preventDefault();
      }}
      onBlur={(e) => finish(e.currentTarget.value)}
    />
  );
}
