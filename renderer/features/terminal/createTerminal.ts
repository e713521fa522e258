import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { WebglAddon } from '@xterm/addon-webgl';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal, type IWindowOptions } from '@xterm/xterm';
import type { TerminalSettings } from '../../../shared/settings.js';
import { chordsOf, matches, TERMINAL_KEYS, type Binding } from '../../lib/keybindings.js';
import { themeOf } from '../settings/terminalThemes.js';

export type RendererKind = 'webgl' | 'dom';

export interface TermView {
  term: Terminal;
  fit: FitAddon;
  search: SearchAddon;
  /** applies changed settings to this open terminal and refits it (a bigger font: fewer cells) */
  apply(settings: TerminalSettings): void;
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
  /** Ctrl+= / Ctrl+- / Ctrl+0: a bigger, smaller or the default font */
  onFontSize(step: 1 | -1 | 0): void;
}

/**
 * `?renderer=dom|webgl` or localStorage `warren.renderer` forces a renderer (old GPUs, remote desktops, tests,
 * benchmarks), over the Settings' choice.
 */
function forcedRenderer(setting: TerminalSettings['renderer']): RendererKind | null {
  const choice = new URLSearchParams(location.search).get('renderer') ?? localStorage.getItem('warren.renderer');
  if (choice === 'dom' || choice === 'webgl') return choice;
  return setting === 'auto' ? null : setting;
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

/** The renderer to draw with, and the WebGL addon if that is it (disposing it goes back to the DOM renderer). */
function loadRenderer(term: Terminal, setting: TerminalSettings['renderer'], onLost: () => void): { kind: RendererKind; webgl: WebglAddon | null } {
  const forced = forcedRenderer(setting);
  if (forced === 'dom') return { kind: 'dom', webgl: null };
  let webgl: WebglAddon;
  try {
    webgl = new WebglAddon();
    term.loadAddon(webgl);
  } catch {
    return { kind: 'dom', webgl: null };
  }
  const gpu = glRenderer(term);
  if (forced === null && gpu !== null && SOFTWARE_GL.test(gpu)) {
    console.info(`Warren: WebGL runs in software here (${gpu}); the terminal uses the DOM renderer, which keeps the window responsive.`);
    webgl.dispose();
    return { kind: 'dom', webgl: null };
  }
  webgl.onContextLoss(() => {
    webgl.dispose();
    onLost();
  });
  return { kind: 'webgl', webgl };
}

/** Ctrl+= (and the keypad's +), Ctrl+-, Ctrl+0 (`TERMINAL_KEYS`): the font size, never the page's zoom */
const FONT_KEYS: readonly { step: 1 | -1 | 0; binding: Binding }[] = [
  { step: 1, binding: TERMINAL_KEYS.bigger },
  { step: -1, binding: TERMINAL_KEYS.smaller },
  { step: 0, binding: TERMINAL_KEYS.resetSize },
];
const matching = <T extends { binding: Binding }>(e: KeyboardEvent, list: readonly T[]) => list.find((x) => chordsOf(x.binding).some((c) => matches(e, c)));

/** the selection to the clipboard (Ctrl+Shift+C, a right-click); false when nothing is selected */
export function copySelection(term: Terminal, onError: (e: unknown) => void): boolean {
  const text = term.getSelection();
  if (text) navigator.clipboard.writeText(text).catch(onError);
  return text !== '';
}

/** the clipboard's text to the shell as a paste (bracketed where the shell asked for it): Ctrl+Shift+V, a right-click */
export function pasteClipboard(term: Terminal, onError: (e: unknown) => void): void {
  navigator.clipboard.readText().then((text) => term.paste(text), onError);
}

/** Ctrl+Shift+F/C/V: search, copy, paste; Ctrl+= / - / 0: the font size. Everything else goes to the shell. */
function shortcuts(term: Terminal, hooks: TermHooks): (e: KeyboardEvent) => boolean {
  const actions: readonly { binding: Binding; run(): void }[] = [
    { binding: TERMINAL_KEYS.search, run: hooks.onSearch },
    { binding: TERMINAL_KEYS.copy, run: () => copySelection(term, hooks.onError) },
    { binding: TERMINAL_KEYS.paste, run: () => pasteClipboard(term, hooks.onError) },
  ];
  return (e) => {
    const step = matching(e, FONT_KEYS)?.step;
    if (step !== undefined) {
      if (e.type === 'keydown') {
        e.preventDefault();
        hooks.onFontSize(step);
      }
      return false;
    }
    const action = matching(e, actions);
    if (!action) return true;
    if (e.type === 'keydown') {
      e.preventDefault(); // no second, native paste
      action.run();
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
export function createTerminal(el: HTMLElement, settings: TerminalSettings, hooks: TermHooks): { view: TermView; renderer: RendererKind } {
  const term = new Terminal({
    ...xtermOptions(settings),
    allowProposedApi: true,
    windowOptions: NO_WINDOW_OPS,
    linkHandler: { activate: (_event, uri) => hooks.onLink(uri), allowNonHttpProtocols: true },
  });
  const fit = new FitAddon();
  const search = new SearchAddon();
  term.loadAddon(fit);
  term.loadAddon(search);
  term.parser.registerOscHandler(52, () => true);
  term.loadAddon(new WebLinksAddon((_event, uri) => hooks.onLink(uri)));
  term.attachCustomKeyEventHandler(shortcuts(term, hooks));
  let current = settings;
  // copy on select: what the mouse selected, once the selection is made
  term.onSelectionChange(() => {
    const text = term.getSelection();
    if (current.copyOnSelect && text) navigator.clipboard.writeText(text).catch(hooks.onError);
  });
  term.onBell(bell(el, () => current.bell));
  term.open(el);
  const onLost = () => hooks.onRendererChange('dom');
  let loaded = loadRenderer(term, settings.renderer, onLost);
  const apply = (next: TerminalSettings) => {
    const before = current;
    current = next;
    Object.assign(term.options, xtermOptions(next));
    if (next.renderer !== before.renderer) {
      loaded.webgl?.dispose();
      loaded = loadRenderer(term, next.renderer, onLost);
      hooks.onRendererChange(loaded.kind);
    }
    if (el.clientWidth > 0 && el.clientHeight > 0) fit.fit();
  };
  return { view: { term, fit, search, apply }, renderer: loaded.kind };
}

/** Bells closer together than this ring once: `cat` of a binary file is not an alarm. */
const BELL_GAP_MS = 250;
let audio: AudioContext | null = null;

/**
 * BEL (^G) as the settings say: a flash of the terminal's edge, or a short quiet tone. The element's
 * `data-bells` counts the bells rung, for whoever wants to know (the e2e does).
 */
function bell(el: HTMLElement, kind: () => TerminalSettings['bell']): () => void {
  let last = -Infinity;
  let rung = 0;
  return () => {
    const now = performance.now();
    if (kind() === 'none' || now - last < BELL_GAP_MS) return;
    last = now;
    el.dataset.bells = String(++rung);
    if (kind() === 'visual') {
      el.classList.remove('bell-flash');
      void el.offsetWidth; // restarts the animation
      el.classList.add('bell-flash');
      return;
    }
    audio ??= new AudioContext();
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.value = 0.05;
    tone.connect(gain).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.08);
  };
}

/** The settings as xterm's options; each may change on an open terminal. */
function xtermOptions(s: TerminalSettings) {
  return {
    fontFamily: s.fontFamily,
    fontSize: s.fontSize,
    // the default 1.1: DejaVu Sans Mono (Linux's usual monospace) draws `_` below a cell of the font's own height,
    // where the DOM renderer clipped it (xterm.js #4067: container_info.json read as "container info.json"); a tenth
    // more height holds it, from 12 to 18 px (terminal.css lets what still overflows show)
    lineHeight: s.lineHeight,
    cursorStyle: s.cursorStyle,
    cursorBlink: s.cursorBlink,
    scrollback: s.scrollback,
    theme: themeOf(s),
    wordSeparator: s.wordSeparators,
  };
}
