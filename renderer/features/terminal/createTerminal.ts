import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { WebglAddon } from '@xterm/addon-webgl';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal, type ITheme } from '@xterm/xterm';

export type RendererKind = 'webgl' | 'dom';

export interface TermView {
  term: Terminal;
  fit: FitAddon;
  search: SearchAddon;
}

export interface TermHooks {
  /** Ctrl+Shift+F */
  onSearch(): void;
  /** the WebGL renderer gave up (context lost) and the DOM renderer took over */
  onRendererChange(renderer: RendererKind): void;
  /** the clipboard refused */
  onError(error: unknown): void;
}

const fontFamily =
  '"JetBrains Mono", "Cascadia Mono", "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", "Ubuntu Mono", monospace';

const theme: ITheme = {
  background: '#0f1115',
  foreground: '#d4d7dd',
  cursor: '#e8e8e8',
  cursorAccent: '#0f1115',
  selectionBackground: '#34466a',
  black: '#1c1f24',
  red: '#e06c75',
  green: '#98c379',
  yellow: '#e5c07b',
  blue: '#61afef',
  magenta: '#c678dd',
  cyan: '#56b6c2',
  white: '#c8ccd4',
  brightBlack: '#5c6370',
  brightRed: '#ef7b84',
  brightGreen: '#a9d48a',
  brightYellow: '#f0cf8d',
  brightBlue: '#74bdf7',
  brightMagenta: '#d08ae6',
  brightCyan: '#69c7d2',
  brightWhite: '#f0f2f5',
};

/** `?renderer=dom` or localStorage `warren.renderer` = 'dom' skips WebGL (old GPUs, remote desktops, tests). */
function domForced(): boolean {
  return new URLSearchParams(location.search).get('renderer') === 'dom' || localStorage.getItem('warren.renderer') === 'dom';
}

function loadRenderer(term: Terminal, onLost: () => void): RendererKind {
  if (domForced()) return 'dom';
  try {
    const webgl = new WebglAddon();
    webgl.onContextLoss(() => {
      webgl.dispose();
      onLost();
    });
    term.loadAddon(webgl);
    return 'webgl';
  } catch {
    return 'dom';
  }
}

/** Ctrl+Shift+F/C/V: search, copy, paste. Everything else goes to the shell. */
function shortcuts(term: Terminal, hooks: TermHooks): (e: KeyboardEvent) => boolean {
  const actions: Record<string, () => void> = {
    KeyF: hooks.onSearch,
    KeyC: () => {
      const text = term.getSelection();
      if (text) navigator.clipboard.writeText(text).catch(hooks.onError);
    },
    KeyV: () => {
      navigator.clipboard.readText().then((text) => term.paste(text), hooks.onError);
    },
  };
  return (e) => {
    const action = e.ctrlKey && e.shiftKey && !e.altKey && !e.metaKey ? actions[e.code] : undefined;
    if (!action) return true;
    if (e.type === 'keydown') {
      e.preventDefault(); // no second, native paste
      action();
    }
    return false;
  };
}

/** An xterm with its addons, opened in `el`. The caller fits it and disposes `term`. */
export function createTerminal(el: HTMLElement, hooks: TermHooks): { view: TermView; renderer: RendererKind } {
  const term = new Terminal({ fontFamily, fontSize: 14, theme, cursorBlink: true, allowProposedApi: true });
  term.options.scrollback = 10000;
  const fit = new FitAddon();
  const search = new SearchAddon();
  term.loadAddon(fit);
  term.loadAddon(search);
  term.loadAddon(new WebLinksAddon((_event, url) => window.open(url, '_blank', 'noopener')));
  term.attachCustomKeyEventHandler(shortcuts(term, hooks));
  term.open(el);
  const renderer = loadRenderer(term, () => hooks.onRendererChange('dom'));
  return { view: { term, fit, search }, renderer };
}
