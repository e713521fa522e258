import { LoaderCircle, Minimize2, RadioTower, RotateCw, ScrollText, WifiOff, X } from 'lucide-react';
import { visible } from '../../../shared/untrusted.js';
import { useCallback, useEffect, useRef, useState, type CSSProperties, type Dispatch } from 'react';
import { isLocal } from '../../../shared/model.js';
import { useFeedback } from '../../lib/feedback.js';
import { useCountdown } from '../../lib/useCountdown.js';
import { setActiveTerminal } from '../snippets/activeTerminal.js';
import type { MenuEntry } from '../../lib/ContextMenu.js';
import { useBroadcast } from './broadcast.js';
import { useSettings } from '../settings/SettingsProvider.js';
import { ConnectError } from './ConnectError.js';
import { copySelection, pasteClipboard } from './createTerminal.js';
import { LinkDialog } from './LinkDialog.js';
import { linkOf, openLink, type Link } from './links.js';
import { SearchBar } from './SearchBar.js';
import { SessionLogPanel } from './SessionLog.js';
import { useSessionTools } from './sessionTools.js';
import type { Tab, TabAction } from './tabs.js';
import { exitText, useSession, type Runs } from './useSession.js';
import { useHostTerminal } from './useHostTerminal.js';
import { useXterm } from './useXterm.js';
import { themeOf } from '../settings/terminalThemes.js';

interface TerminalPaneProps {
  tab: Tab;
  /** which of the tab's panes (each its own shell) */
  pane: string;
  /** it has the keys: its tab is the one chosen in the tab bar, and it is that tab's focused pane */
  active: boolean;
  /** the focused pane of its tab (marked when the tab is split) */
  focused: boolean;
  /** its tab has more than one pane */
  split: boolean;
  /** behind another pane that is zoomed */
  hidden: boolean;
  /** it is zoomed over the tab's other panes: how many panes the tab has */
  zoomedOf: number | null;
  /** on screen: its tab is active while the terminals view is shown, and no other pane is zoomed (a hidden one is paced) */
  shown: boolean;
  /** where it lies in its tab's area */
  style: CSSProperties;
  dispatch: Dispatch<TabAction>;
  /** the terminal's menu, asked for at a point (right-click), with the session's own items */
  onMenu(at: { x: number; y: number }, session: MenuEntry[]): void;
}

/** One pane's terminal. Panes of inactive tabs stay mounted (hidden), so their shells keep running. */
export function TerminalPane({ tab, pane, active, focused, split, hidden, zoomedOf, shown, style, dispatch, onMenu }: TerminalPaneProps) {
  const { reportError } = useFeedback();
  const { rightClick } = useSettings().terminal;
  const host = useRef<HTMLDivElement>(null);
  const [searching, setSearching] = useState(false);
  const [showLog, setShowLog] = useState(false);
  const [link, setLink] = useState<Link | null>(null);
  const openSearch = useCallback(() => setSearching(true), []);
  const confirmLink = useCallback((uri: string) => setLink(linkOf(uri, window.warrenDesktop !== undefined)), []);
  const settings = useHostTerminal(tab.target);
  const { view, renderer } = useXterm(host, settings, { onSearch: openSearch, onError: reportError, onLink: confirmLink });
  const session = useSession(view, tab.target, shown, pane, tab.restored?.includes(pane) === true);
  const tools = useSessionTools(tab, session);
  const { receiving } = useBroadcast();
  const broadcasting = receiving.has(pane);

  useEffect(() => dispatch({ type: 'state', id: tab.id, pane, state: session.state }), [dispatch, tab.id, pane, session.state]);
  // the chosen tab's terminal takes the keys, unless the tab bar has them (←/→ walking the tabs)
  useEffect(() => {
    if (active && !document.activeElement?.closest('[role=tablist]')) view?.term.focus();
  }, [active, view]);
  // the pane with the keys is where a snippet from the palette goes, typed as the keyboard types (so a
  // broadcast carries it to every receiving pane too)
  useEffect(() => {
    if (!active || !view) return;
    return setActiveTerminal({ hostId: 'hostId' in tab.target ? tab.target.hostId : null, title: tab.title, type: (text) => view.term.input(text) });
  }, [active, view, tab.target, tab.title]);
  // its size in cells, on the element (where the row of a line on screen is known from)
  const [size, setSize] = useState<{ cols: number; rows: number } | null>(null);
  useEffect(() => {
    if (!view) return;
    setSize({ cols: view.term.cols, rows: view.term.rows });
    const resized = view.term.onResize(setSize);
    return () => resized.dispose();
  }, [view]);

  const closeSearch = () => {
    setSearching(false);
    view?.term.focus();
  };
  const closeLog = () => {
    setShowLog(false);
    view?.term.focus();
  };
  const closeLink = () => {
    setLink(null);
    view?.term.focus();
  };

  return (
    <div
      className="term-pane"
      // the margin round the cells in the pane's own theme's background (the app's is the document's)
      style={{ ...style, '--term-bg': themeOf(settings).background } as CSSProperties}
      data-term-theme={settings.theme}
      data-testid="terminal"
      data-pane-id={pane}
      data-active={active}
      data-focused={focused}
      data-split={split && zoomedOf === null}
      data-zoomed={zoomedOf !== null}
      data-broadcast={broadcasting}
      data-hidden={hidden}
      onPointerDown={() => {
        if (!focused) dispatch({ type: 'focusPane', id: tab.id, pane });
      }}
      onContextMenu={(e) => {
        e.preventDefault();
        // PuTTY's and Windows Terminal's right-click, if chosen; Shift+right-click is the menu whatever the setting
        if (rightClick === 'menu' || e.shiftKey || !view || !(e.target instanceof Element) || !e.target.closest('.term-host'))
          return onMenu({ x: e.clientX, y: e.clientY }, tools.menu);
        if (rightClick === 'copyPaste' && copySelection(view.term, reportError)) view.term.clearSelection();
        else pasteClipboard(view.term, reportError);
        view.term.focus();
      }}
      data-renderer={renderer}
      data-cols={size?.cols}
      data-rows={size?.rows}
      data-session-id={session.opened?.sessionId}
      data-connection-id={session.opened?.connectionId}
      data-reused={session.opened?.reused}
    >
      <div className="term-host" ref={host} />
      {session.state === 'connecting' && (
        <div className="term-status" data-testid="term-status">
          <LoaderCircle size={14} className="spin" /> {session.status}
        </div>
      )}
      {session.runs && <RunsNote runs={session.runs} />}
      {session.reconnecting && <ReconnectBar reconnecting={session.reconnecting} onNow={session.reconnectNow} />}
      {session.state === 'exited' && (
        <div className="term-exit">
          <span>{session.exit ? exitText(session.exit) : 'session ended'}</span>
          <button type="button" data-testid="reconnect" onClick={session.retry}>
            <RotateCw size={14} /> Reconnect
          </button>
        </div>
      )}
      {session.error && <ConnectError error={session.error} target={tab.target} title={tab.title} onRetry={session.retry} />}
      <div className="term-corner">
        {searching && view && <SearchBar search={view.search} onClose={closeSearch} />}
        {broadcasting && (
          <button
            type="button"
            className="term-tool term-broadcast"
            data-testid="pane-broadcast"
            title={`What you type here goes to the ${receiving.size} panes marked so. Click or Ctrl+Shift+B to stop broadcasting`}
            onClick={() => dispatch({ type: 'broadcast', panes: [] })}
          >
            <RadioTower size={13} /> Broadcast · {receiving.size}
          </button>
        )}
        {zoomedOf !== null && (
          <button
            type="button"
            className="term-tool term-zoomed"
            data-testid="pane-zoomed"
            title="Zoomed: the tab's other panes run behind this one. Click or Ctrl+Shift+Z to show them all"
            onClick={() => dispatch({ type: 'zoom', id: tab.id })}
          >
            <Minimize2 size={13} /> Zoomed · 1 of {zoomedOf}
          </button>
        )}
        {session.opened && !isLocal(tab.target) && (
          <button
            type="button"
            className="term-tool"
            data-testid="term-log"
            title="The connection's session log"
            aria-pressed={showLog}
            onClick={() => setShowLog((s) => !s)}
          >
            <ScrollText size={13} /> Log
          </button>
        )}
        {tools.corner}
      </div>
      {showLog && session.opened && <SessionLogPanel connectionId={session.opened.connectionId} onClose={closeLog} />}
      {link && (
        <LinkDialog
          link={link}
          onCancel={closeLink}
          onOpen={() => {
            openLink(link.uri);
            closeLink();
          }}
        />
      )}
    </div>
  );
}

/** How long the note of a remote command stays (one without a terminal stays until closed: it is how the session behaves). */
const RUNS_NOTE_MS = 10_000;

/** Once, as the session opens: the command it runs instead of the login shell and where that was set, or that it has no terminal. */
function RunsNote({ runs }: { runs: Runs }) {
  const [shown, setShown] = useState(true);
  useEffect(() => {
    if (!runs.pty) return;
    const timer = setTimeout(() => setShown(false), RUNS_NOTE_MS);
    return () => clearTimeout(timer);
  }, [runs]);
  if (!shown) return null;
  return (
    <div className="term-runs" data-testid="term-runs" role="status">
      <span>
        {runs.command && (
          <>
            Runs <code>{visible(runs.command.text)}</code> instead of the login shell ({visible(runs.command.from)}).{' '}
          </>
        )}
        {!runs.pty &&
          `No terminal (${visible(runs.ptyFrom ?? 'RequestTTY no')}): programs see no tty; what you type is echoed and sent a line at a time, as ssh -T does.`}
      </span>
      <button type="button" className="icon-button" aria-label="Close the note" data-testid="term-runs-close" onClick={() => setShown(false)}>
        <X size={14} />
      </button>
    </div>
  );
}

/** The connection is down: why, a countdown to the next attempt, and "reconnect now". Typing is paused. */
function ReconnectBar({ reconnecting, onNow }: { reconnecting: { attempt: number; nextRetryAt: number; error: { message: string } }; onNow(): void }) {
  const seconds = useCountdown(reconnecting.nextRetryAt) ?? 0;
  return (
    <div className="term-reconnect" data-testid="term-reconnecting" title={reconnecting.error.message}>
      <WifiOff size={14} />
      <span>
        Connection lost. {seconds > 0 ? `Reconnecting in ${seconds} s` : 'Reconnecting…'} (attempt {reconnecting.attempt}). Typing is paused.
      </span>
      <button type="button" data-testid="reconnect-now" onClick={onNow}>
        <RotateCw size={14} /> Reconnect now
      </button>
    </div>
  );
}
