import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { WebglAddon } from '@xterm/addon-webgl';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal, type ITheme, type IWindowOptions } from '@xterm/xterm';

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
  /** a link in the output was clicked (an OSC 8 hyperlink's real target, or a URL in the text) */
  onLink(uri: string): void;
}

const fontFamily = '"JetBrains Mono", "Cascadia Mono", "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", "Ubuntu Mono", monospace';

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

/** `?renderer=dom|webgl` or localStorage `warren.renderer` forces a renderer (old GPUs, remote desktops, tests, benchmarks). */
function forcedRenderer(): RendererKind | null {
  const choice = new URLSearchParams(location.search).get('renderer') ?? localStorage.getItem('warren.renderer');
  return choice === 'dom' || choice === 'webgl' ? choice : null;
}

/**
 * GPUs emulated on the CPU (SwiftShader, llvmpipe, Windows' Basic Render Driver): WebGL there froze
 * the UI for up to 0.85 s under an output flood, while the DOM renderer stayed under 80 ms.
 */
const SOFTWARE_GL = /swiftshader|llvmpipe|softpipe|software|basic render driver/i;

/** What the GL context the WebGL addon draws with says it runs on (its canvas is the terminal's only WebGL one). */
function glRenderer(term: Terminal): string | null {
  for (const canvas of term.element?.querySelectorAll('.xterm-screen canvas') ?? []) {
    // the addon's own context; null for the 2D canvases beside it
    const gl = (canvas as HTMLCanvasElement).getContext('webgl2');
    if (!gl) continue;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  }
  return null;
}

function loadRenderer(term: Terminal, onLost: () => void): RendererKind {
  const forced = forcedRenderer();
  if (forced === 'dom') return 'dom';
  let webgl: WebglAddon;
  try {
    webgl = new WebglAddon();
    term.loadAddon(webgl);
  } catch {
    return 'dom';
  }
  const gpu = glRenderer(term);
  if (forced === null && gpu !== null && SOFTWARE_GL.test(gpu)) {
    console.info(`Warren: WebGL runs in software here (${gpu}); the terminal uses the DOM renderer, which keeps the window responsive.`);
    webgl.dispose();
    return 'dom';
  }
  webgl.onContextLoss(() => {
    webgl.dispose();
    onLost();
  });
  return 'webgl';
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

/**
 * Window operations (CSI … t) a server could ask for: none. xterm's defaults are all off; they stay off
 * here whatever a later version defaults to. The reports would type server-controlled text into the
 * shell as if the user had (CSI 21 t: the title the server set), the rest move, resize or raise the window.
 */
const NO_WINDOW_OPS: Required<IWindowOptions> = {
  restoreWin: false,
  minimizeWin: false,
  setWinPosition: false,
  setWinSizePixels: false,
  raiseWin: false,
  lowerWin: false,
  refreshWin: false,
  setWinSizeChars: false,
  maximizeWin: false,
  fullscreenWin: false,
  getWinState: false,
  getWinPosition: false,
  getWinSizePixels: false,
  getScreenSizePixels: false,
  getCellSizePixels: false,
  getWinSizeChars: false,
  getScreenSizeChars: false,
  getIconTitle: false,
  getWinTitle: false,
  pushTitle: false,
  popTitle: false,
  setWinLines: false,
};

/**
 * An xterm with its addons, opened in `el`; the caller fits it and disposes `term`. It does only what
 * the user does. Whatever the server prints stays on the screen:
 * - a title (OSC 0/1/2) is never shown (nothing listens to `onTitleChange`; the tab keeps the host's name);
 * - OSC 52 never reaches the clipboard, in either direction: its handler swallows it (copy and paste
 *   are the user's Ctrl+Shift+C / V);
 * - links (OSC 8, and URLs in the text) open only on the user's click, through `hooks.onLink`'s
 *   confirmation; non-web schemes reach it too, to be refused there by name;
 * - the replies xterm sends back on its own (cursor position, device attributes, colour queries, DECRQSS)
 *   carry only its own state in fixed forms: DECRQSS answers an unknown request `ESC P 0 $ r ESC \`
 *   without echoing it, and no window report is on (NO_WINDOW_OPS).
 */
export function createTerminal(el: HTMLElement, hooks: TermHooks): { view: TermView; renderer: RendererKind } {
  const term = new Terminal({
    fontFamily,
    fontSize: 14,
    // DejaVu Sans Mono (Linux's usual monospace) draws `_` below a cell of the font's own height, where the DOM
    // renderer clipped it (xterm.js #4067: container_info.json read as "container info.json"); a tenth more
    // height holds it, from 12 to 18 px (terminal.css lets what still overflows show)
    lineHeight: 1.1,
    theme,
    cursorBlink: true,
    allowProposedApi: true,
    windowOptions: NO_WINDOW_OPS,
    linkHandler: { activate: (_event, uri) => hooks.onLink(uri), allowNonHttpProtocols: true },
  });
  term.options.scrollback = 10000;
  const fit = new FitAddon();
  const search = new SearchAddon();
  term.loadAddon(fit);
  term.loadAddon(search);
  term.parser.registerOscHandler(52, () => true);
  term.loadAddon(new WebLinksAddon((_event, uri) => hooks.onLink(uri)));
  term.attachCustomKeyEventHandler(shortcuts(term, hooks));
  term.open(el);
  const renderer = loadRenderer(term, () => hooks.onRendererChange('dom'));
  return { view: { term, fit, search }, renderer };
}
