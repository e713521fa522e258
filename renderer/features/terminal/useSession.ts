import { useCallback, useEffect, useRef, useState } from 'react';
import type { StreamEvent } from '../../../shared/contract.js';
import { WarrenError } from '../../../shared/errors.js';
import { isLocal, type TerminalTarget } from '../../../shared/model.js';
import { visible } from '../../../shared/untrusted.js';
import { useClient } from '../../lib/client.js';
import { useFeedback } from '../../lib/feedback.js';
import { AckBatcher } from './AckBatcher.js';
import { useBroadcast } from './broadcast.js';
import { localShellNote, type TabState } from './tabs.js';
import type { TermView } from './createTerminal.js';

type Event = StreamEvent<'terminal.session'>;
type Opened = Extract<Event, { type: 'opened' }>;
type Exit = Extract<Event, { type: 'exit' }>;
type Reconnecting = Extract<Event, { type: 'reconnecting' }>;
export type Runs = Extract<Event, { type: 'runs' }>;

interface Session {
  state: TabState;
  /** the latest progress line while connecting */
  status: string;
  opened: Opened | null;
  exit: Exit | null;
  error: WarrenError | null;
  /** set while the connection is down and the session waits to reconnect */
  reconnecting: Reconnecting | null;
  /** the file the session is logged to (on the machine running the main process), or null */
  logFile: string | null;
  /** what it runs instead of a login shell on a terminal (a remote command, no terminal), or null */
  runs: Runs | null;
}

const connecting: Session = {
  state: 'connecting',
  status: 'Connecting…',
  opened: null,
  exit: null,
  error: null,
  reconnecting: null,
  logFile: null,
  runs: null,
};

export function exitText({ code, signal }: Exit): string {
  if (code !== null) return `session ended (code ${code})`;
  return signal !== null ? `session ended (signal ${signal})` : 'session ended';
}

/** Acks and resizes fail only when the session is already gone, which the stream itself reports. */
const quietly = (p: Promise<unknown>) => void p.catch(() => {});

/**
 * One `terminal.session` stream driving an xterm: output is written and acknowledged once drawn,
 * keystrokes and size changes go back, and whether the terminal is `shown`. `retry` opens a fresh
 * session in the same terminal. Keystrokes go through the broadcast bus as `pane`: to this session, or,
 * while the pane receives broadcast input, to every receiving pane's. The main process remembers the
 * shell's directory under `pane`; a `restored` pane's first shell returns to it (never a retry's).
 */
export function useSession(view: TermView | null, target: TerminalTarget, shown: boolean, pane: string, restored = false) {
  const client = useClient();
  const { reportError } = useFeedback();
  const { bus, receiving } = useBroadcast();
  const latestReceiving = useRef(receiving);
  latestReceiving.current = receiving;
  const [attempt, setAttempt] = useState(0);
  const [session, setSession] = useState(connecting);

  useEffect(() => {
    if (!view) return;
    const { term } = view;
    const requested = { cols: term.cols, rows: term.rows };
    let sessionId: string | null = null;
    let acks: AckBatcher | null = null;
    /** keys typed while connecting go to the shell once it opens, as a tty buffers type-ahead */
    let typeahead: string | null = '';
    /** while the connection is down, keys are dropped (never sent to a shell that was not meant) */
    let offline = false;

    const onEvent = (event: Event) => {
      switch (event.type) {
        case 'status':
          setSession((s) => ({ ...s, status: event.message }));
          return;
        case 'runs':
          // without a terminal nobody turns \n into \r\n: xterm does it, or each line would start where the last ended
          term.options.convertEol = !event.pty;
          setSession((s) => ({ ...s, runs: event }));
          return;
        case 'opened': {
          const id = event.sessionId;
          sessionId = id;
          acks = new AckBatcher((bytes) => quietly(client.call('terminal.ack', { sessionId: id, bytes })));
          if (term.cols !== requested.cols || term.rows !== requested.rows) {
            quietly(client.call('terminal.resize', { sessionId: id, cols: term.cols, rows: term.rows }));
          }
          if (typeahead) client.call('terminal.input', { sessionId: id, data: typeahead }).catch(reportError);
          typeahead = null;
          if (offline) term.write('\r\n\x1b[32m[reconnected]\x1b[0m\r\n');
          else if (isLocal(target) && localShellNote()) term.write(`\x1b[2m[Local: ${localShellNote()}]\x1b[0m\r\n`);
          offline = false;
          setSession((s) => ({ ...s, state: 'open', opened: event, reconnecting: null }));
          return;
        }
        case 'data': {
          // the server opens the session before it sends output, so `acks` is set by now
          const bytes = event.data.byteLength;
          term.write(event.data, () => acks?.add(bytes));
          return;
        }
        case 'reconnecting':
          if (!offline) term.write(`\r\n\x1b[33m[connection lost: ${visible(event.error.message)}]\x1b[0m\r\n`);
          offline = true;
          setSession((s) => ({ ...s, state: 'reconnecting', reconnecting: event }));
          return;
        case 'log':
          if (event.error) reportError(WarrenError.fromWire(event.error));
          setSession((s) => ({ ...s, logFile: event.path }));
          return;
        case 'exit':
          sessionId = null;
          typeahead = null;
          term.write(`\r\n[${exitText(event)}]\r\n`);
          setSession((s) => ({ ...s, state: 'exited', exit: event, logFile: null }));
          return;
      }
    };
    const onEnd = (error: WarrenError | null) => {
      sessionId = null;
      typeahead = null;
      setSession((s) => {
        if (error) return { ...s, state: 'failed', error, logFile: null };
        return s.state === 'exited' ? s : { ...s, state: 'exited', logFile: null };
      });
    };

    const params = { target, ...requested, pane, ...(restored && attempt === 0 && { restore: true }) };
    const unsubscribe = client.subscribe('terminal.session', params, { onEvent, onEnd });
    const deliver = (data: string) => {
      if (offline) return;
      if (sessionId) client.call('terminal.input', { sessionId, data }).catch(reportError);
      else if (typeahead !== null && typeahead.length < 4096) typeahead += data;
    };
    const unregister = bus.register(pane, deliver);
    const input = term.onData((data) => bus.input(pane, data, latestReceiving.current));
    const resize = term.onResize(({ cols, rows }) => {
      if (sessionId) quietly(client.call('terminal.resize', { sessionId, cols, rows }));
    });
    return () => {
      unsubscribe();
      unregister();
      input.dispose();
      resize.dispose();
      acks?.dispose();
    };
  }, [client, reportError, view, target, attempt, bus, pane, restored]);

  const retry = useCallback(() => {
    setSession(connecting);
    setAttempt((n) => n + 1);
  }, []);

  const sessionId = session.opened?.sessionId;
  // a hidden tab's flood is paced by the main process, so that it does not slow the tab in front
  useEffect(() => {
    if (sessionId) quietly(client.call('terminal.background', { sessionId, background: !shown }));
  }, [client, sessionId, shown]);
  const reconnectNow = useCallback(() => {
    if (sessionId) client.call('terminal.reconnect', { sessionId }).catch(reportError);
  }, [client, reportError, sessionId]);

  return { ...session, retry, reconnectNow };
}
