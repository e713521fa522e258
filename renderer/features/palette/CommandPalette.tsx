import { ArrowLeftRight, FolderTree, Laptop, Plug, Search, Settings, SquareChevronRight, Stethoscope, type LucideIcon } from 'lucide-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { visible } from '../../../shared/untrusted.js';
import { APP_KEYS, chordsOf, matches, type Binding } from '../../lib/keybindings.js';
import { rank, remember, type Command, type CommandKind } from './commands.js';
import './palette.css';

const RECENT_KEY = 'warren.palette.recent';
const ICONS: Record<CommandKind, LucideIcon> = {
  host: Plug,
  local: Laptop,
  files: FolderTree,
  doctor: Stethoscope,
  tunnel: ArrowLeftRight,
  snippet: SquareChevronRight,
  view: Search,
  setting: Settings,
};

function loadRecent(): string[] {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * Ctrl+Shift+P anywhere, or Ctrl+K outside a terminal (in a terminal Ctrl+K is the shell's: kill to the
 * end of the line): a fuzzy list of everything Warren can do — connect to a host, open its files,
 * diagnose it, switch a tunnel, go to a view, change a setting — recent first. ↑/↓ and Enter, Esc closes.
 */
export function CommandPalette({ commands }: { commands: () => Command[] }) {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const inTerminal = e.target instanceof Element && e.target.closest('.xterm') !== null;
      const is = (b: Binding) => chordsOf(b).some((c) => matches(e, c));
      if (is(APP_KEYS.palette) || (is(APP_KEYS.paletteOutside) && !inTerminal)) {
        e.preventDefault();
        e.stopPropagation();
        setOpen((o) => !o);
      }
    };
    // capture: ahead of xterm, which would send Ctrl+Shift+P to the shell as ^P
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
  return open ? <Palette commands={commands()} onClose={() => setOpen(false)} /> : null;
}

function Palette({ commands, onClose }: { commands: Command[]; onClose(): void }) {
  const [query, setQuery] = useState('');
  const [recent, setRecent] = useState(loadRecent);
  const [active, setActive] = useState(0);
  const shown = useMemo(() => rank(commands, query, recent), [commands, query, recent]);
  const list = useRef<HTMLUListElement>(null);
  const [opener] = useState(() => document.activeElement);
  const close = () => {
    onClose();
    if (opener instanceof HTMLElement) opener.focus();
  };
  const run = (c: Command | undefined) => {
    if (!c) return;
    const next = remember(recent, c.id);
    setRecent(next);
    localStorage.setItem(RECENT_KEY, JSON.stringify(next));
    onClose();
    c.run();
  };
  useEffect(() => {
    list.current?.querySelector('[aria-selected=true]')?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  return (
    <div className="palette-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div className="palette" role="dialog" aria-modal="true" aria-label="Command palette" data-testid="palette">
        <input
          data-testid="palette-input"
          autoFocus
          spellCheck={false}
          placeholder="Connect, open files, switch a tunnel, go to a view…"
          aria-controls="palette-list"
          aria-activedescendant={shown[active] ? `palette-${active}` : undefined}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') close();
            else if (e.key === 'ArrowDown') setActive((i) => Math.min(i + 1, shown.length - 1));
            else if (e.key === 'ArrowUp') setActive((i) => Math.max(i - 1, 0));
            else if (e.key === 'Enter') run(shown[active]);
            else return;
            e.preventDefault();
          }}
        />
        <ul className="palette-list" id="palette-list" role="listbox" ref={list}>
          {shown.length === 0 && <li className="palette-empty">Nothing matches</li>}
          {shown.map((c, i) => {
            const Icon = ICONS[c.kind];
            return (
              <li
                key={c.id}
                id={`palette-${i}`}
                role="option"
                data-testid="palette-item"
                data-id={c.id}
                aria-selected={i === active}
                onMouseMove={() => setActive(i)}
                onClick={() => run(c)}
              >
                <Icon size={14} />
                {/* names are the user's, details may hold a server's words: controls shown, never obeyed */}
                <span className="palette-title">{visible(c.title)}</span>
                {c.detail && <span className="palette-detail">{visible(c.detail)}</span>}
              </li>
            );
          })}
        </ul>
      </div>
    </div>
  );
}
