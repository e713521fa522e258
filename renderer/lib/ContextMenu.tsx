import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

export interface MenuItem {
  /** the item's data-testid */
  id: string;
  label: string;
  icon?: ReactNode;
  /** a key that does the same, shown at the end: "Enter", "Del" */
  hint?: string;
  danger?: boolean;
  onSelect(): void;
}
export type MenuEntry = MenuItem | 'separator';

interface ContextMenuProps {
  /** where it opens (viewport coordinates); it moves in to stay on screen */
  at: { x: number; y: number };
  label: string;
  items: MenuEntry[];
  onClose(): void;
}

/**
 * A menu of labelled actions, opened by right-click, the row's "more" button, the context-menu key or
 * Shift+F10. Arrow keys, Home/End and a letter move through it, Enter runs an item, Escape or a click
 * elsewhere closes it and focus goes back where it was.
 */
export function ContextMenu({ at, label, items, onClose }: ContextMenuProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [pos, setPos] = useState(at);
  const [opener] = useState(() => document.activeElement);
  const actions = items.filter((i): i is MenuItem => i !== 'separator');

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const { width, height } = el.getBoundingClientRect();
    setPos({ x: Math.max(4, Math.min(at.x, window.innerWidth - width - 4)), y: Math.max(4, Math.min(at.y, window.innerHeight - height - 4)) });
    el.querySelector<HTMLElement>('[role=menuitem]')?.focus();
  }, [at]);

  useEffect(() => {
    const away = (e: Event) => {
      if (!(e.target instanceof Node && ref.current?.contains(e.target))) onClose();
    };
    window.addEventListener('pointerdown', away, true);
    window.addEventListener('blur', onClose);
    window.addEventListener('resize', onClose);
    return () => {
      window.removeEventListener('pointerdown', away, true);
      window.removeEventListener('blur', onClose);
      window.removeEventListener('resize', onClose);
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    };
  }, [onClose, opener]);

  const run = (item: MenuItem) => {
    onClose();
    item.onSelect();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    // a portal's events still bubble through the React tree: keys in the menu stay in the menu
    e.stopPropagation();
    const buttons = [...(ref.current?.querySelectorAll<HTMLElement>('[role=menuitem]') ?? [])];
    const i = buttons.indexOf(document.activeElement as HTMLElement);
    const focus = (n: number) => buttons[(n + buttons.length) % buttons.length]?.focus();
    if (e.key === 'ArrowDown') focus(i + 1);
    else if (e.key === 'ArrowUp') focus(i - 1);
    else if (e.key === 'Home') focus(0);
    else if (e.key === 'End') focus(buttons.length - 1);
    else if (e.key === 'Escape' || e.key === 'Tab') onClose();
    else if (e.key.length === 1 && /\S/.test(e.key)) {
      const from = actions.findIndex((a, n) => n > i && a.label.toLowerCase().startsWith(e.key.toLowerCase()));
      const n = from >= 0 ? from : actions.findIndex((a) => a.label.toLowerCase().startsWith(e.key.toLowerCase()));
      if (n >= 0) focus(n);
    } else return;
    e.preventDefault();
  };

  return createPortal(
    <div ref={ref} className="context-menu" role="menu" aria-label={label} data-testid="context-menu" style={{ left: pos.x, top: pos.y }} onKeyDown={onKeyDown}>
      {items.map((item, n) =>
        item === 'separator' ? (
          <div key={`sep${n}`} className="context-menu-separator" role="separator" />
        ) : (
          <button
            key={item.id}
            type="button"
            role="menuitem"
            tabIndex={-1}
            className={item.danger ? 'context-menu-item danger' : 'context-menu-item'}
            data-testid={item.id}
            onClick={() => run(item)}
          >
            <span className="context-menu-icon">{item.icon}</span>
            <span className="context-menu-label">{item.label}</span>
            {item.hint && <kbd className="context-menu-hint">{item.hint}</kbd>}
          </button>
        ),
      )}
    </div>,
    document.body,
  );
}
