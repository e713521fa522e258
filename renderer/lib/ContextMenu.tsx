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
/** a row of colour swatches (one choice, or none): ←/→ move along it */
export interface MenuSwatches {
  kind: 'swatches';
  /** the row's data-testid; each swatch is `${id}-${n}`, "none" is `${id}-none` */
  id: string;
  label: string;
  icon?: ReactNode;
  options: readonly { color: string; label: string }[];
  value: string | null;
  onPick(color: string | null): void;
}
export type MenuEntry = MenuItem | MenuSwatches | 'separator';

const isSwatches = (e: MenuEntry): e is MenuSwatches => typeof e === 'object' && 'kind' in e;
const BUTTONS = '[role=menuitem], [role=menuitemradio]';

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

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const { width, height } = el.getBoundingClientRect();
    setPos({ x: Math.max(4, Math.min(at.x, window.innerWidth - width - 4)), y: Math.max(4, Math.min(at.y, window.innerHeight - height - 4)) });
    el.querySelector<HTMLElement>(BUTTONS)?.focus();
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
      // back where it was, unless what the item did took the focus elsewhere (an inline rename box)
      const now = document.activeElement;
      const lost = now === null || now === document.body || !now.isConnected;
      if (lost && opener instanceof HTMLElement && opener.isConnected) opener.focus();
    };
  }, [onClose, opener]);

  const run = (select: () => void) => {
    onClose();
    select();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    // a portal's events still bubble through the React tree: keys in the menu stay in the menu
    e.stopPropagation();
    const buttons = [...(ref.current?.querySelectorAll<HTMLElement>(BUTTONS) ?? [])];
    const i = buttons.indexOf(document.activeElement as HTMLElement);
    const focus = (n: number) => buttons[(n + buttons.length) % buttons.length]?.focus();
    const row = (b: HTMLElement | undefined) => b?.closest('.context-menu-swatches') ?? b;
    // ↑/↓ go from row to row (a row of swatches is one stop), ←/→ along a row of swatches
    const step = (by: 1 | -1) => {
      let n = i;
      do n = (n + by + buttons.length) % buttons.length;
      while (n !== i && row(buttons[n]) === row(buttons[i]));
      const r = row(buttons[n]);
      const checked = r instanceof HTMLElement && r !== buttons[n] ? r.querySelector<HTMLElement>('[aria-checked=true]') : null;
      (checked ?? (by < 0 && r !== buttons[n] ? r?.querySelector<HTMLElement>(BUTTONS) : buttons[n]))?.focus();
    };
    const inRow = row(buttons[i]) !== buttons[i];
    if (e.key === 'ArrowDown') step(1);
    else if (e.key === 'ArrowUp') step(-1);
    else if (inRow && e.key === 'ArrowRight') focus(i + 1);
    else if (inRow && e.key === 'ArrowLeft') focus(i - 1);
    else if (e.key === 'Home') focus(0);
    else if (e.key === 'End') focus(buttons.length - 1);
    else if (e.key === 'Escape' || e.key === 'Tab') onClose();
    else if (e.key.length === 1 && /\S/.test(e.key)) {
      const starts = (b: HTMLElement) => (b.getAttribute('aria-label') ?? b.textContent ?? '').trim().toLowerCase().startsWith(e.key.toLowerCase());
      const from = buttons.findIndex((b, n) => n > i && starts(b));
      const n = from >= 0 ? from : buttons.findIndex(starts);
      if (n >= 0) focus(n);
    } else return;
    e.preventDefault();
  };

  return createPortal(
    <div ref={ref} className="context-menu" role="menu" aria-label={label} data-testid="context-menu" style={{ left: pos.x, top: pos.y }} onKeyDown={onKeyDown}>
      {items.map((item, n) =>
        item === 'separator' ? (
          <div key={`sep${n}`} className="context-menu-separator" role="separator" />
        ) : isSwatches(item) ? (
          <Swatches key={item.id} entry={item} onPick={(color) => run(() => item.onPick(color))} />
        ) : (
          <button
            key={item.id}
            type="button"
            role="menuitem"
            tabIndex={-1}
            className={item.danger ? 'context-menu-item danger' : 'context-menu-item'}
            data-testid={item.id}
            onClick={() => run(item.onSelect)}
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

/** a labelled row of colour swatches, "none" first; the chosen one is checked */
function Swatches({ entry, onPick }: { entry: MenuSwatches; onPick(color: string | null): void }) {
  const choices = [{ color: null, label: 'No colour' }, ...entry.options];
  return (
    <div className="context-menu-swatches" role="group" aria-label={entry.label} data-testid={entry.id}>
      <span className="context-menu-icon">{entry.icon}</span>
      <span className="context-menu-swatches-label">{entry.label}</span>
      {choices.map(({ color, label }, n) => (
        <button
          key={color ?? 'none'}
          type="button"
          role="menuitemradio"
          tabIndex={-1}
          aria-checked={entry.value === color}
          aria-label={label}
          title={label}
          className={color ? 'context-menu-swatch' : 'context-menu-swatch none'}
          data-testid={color ? `${entry.id}-${n}` : `${entry.id}-none`}
          data-color={color ?? undefined}
          style={color ? { background: color } : undefined}
          onClick={() => onPick(color)}
        />
      ))}
    </div>
  );
}
