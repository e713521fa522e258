// The contract's terminal section: one shell per `terminal.session` stream, its input, size and flow control.
import { z } from 'zod';
import { WireError } from './errors.js';
import { Id, TerminalTarget } from './model.js';
import { Bytes, call, ok, stream } from './spec.js';
import { PaneKey } from './workspace.js';

/** the most of a command (and of where it was set) a `runs` event carries */
export const RUNS_MAX = 4096;

export const TerminalEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('status'), message: z.string() }),
  /**
   * sent once, before the first `opened`, when the session runs something else than a login shell on a
   * terminal: the command it runs instead (ssh_config's RemoteCommand, a host's Remote command) and where
   * that was set; `pty` false when it has no terminal (RequestTTY no), `ptyFrom` the line that said so
   */
  z.object({
    type: z.literal('runs'),
    command: z.object({ text: z.string().max(RUNS_MAX), from: z.string().max(RUNS_MAX) }).nullable(),
    pty: z.boolean(),
    ptyFrom: z.string().max(RUNS_MAX).nullable(),
  }),
  z.object({ type: z.literal('opened'), sessionId: Id, connectionId: Id, reused: z.boolean() }),
  z.object({ type: z.literal('data'), data: Bytes }),
  z.object({ type: z.literal('exit'), code: z.number().nullable(), signal: z.string().nullable() }),
  /** the connection dropped: the session waits, then reconnects (an `opened` follows, same sessionId) */
  z.object({ type: z.literal('reconnecting'), attempt: z.number(), nextRetryAt: z.number(), error: WireError }),
  /** the session's log file: `path` while it is written, null once stopped (`error`: it stopped on its own, e.g. a full disk) */
  z.object({ type: z.literal('log'), path: z.string().nullable(), error: WireError.nullable() }),
]);
export type TerminalEvent = z.infer<typeof TerminalEvent>;

const Cols = z.number().int().min(2).max(1000);
const Rows = z.number().int().min(1).max(500);

export const terminalCalls = {
  'terminal.input': call(z.object({ sessionId: Id, data: z.string().max(1 << 20) }).strict(), ok),
  'terminal.resize': call(z.object({ sessionId: Id, cols: Cols, rows: Rows }).strict(), ok),
  /** the renderer has drawn this many bytes; the main process resumes a paused channel */
  'terminal.ack': call(
    z
      .object({
        sessionId: Id,
        bytes: z
          .number()
          .int()
          .min(0)
          .max(1 << 30),
      })
      .strict(),
    ok,
  ),
  /** the session's tab was hidden (a flood there then gets a small window) or shown again */
  'terminal.background': call(z.object({ sessionId: Id, background: z.boolean() }).strict(), ok),
  /** "reconnect now" for a session waiting to reconnect */
  'terminal.reconnect': call(z.object({ sessionId: Id }).strict(), ok),
  /**
   * the shell's working directory as Warren tracks it (OSC 7, or the `cd`s typed): absolute or `~`-relative
   * (`~`, `~/src`), or null when unknown (the shell reports none and no `cd` was followed)
   */
  'terminal.cwd': call(z.object({ sessionId: Id }).strict(), z.object({ path: z.string().nullable() })),
  /**
   * logs what the session shows to a new plain-text file (escape sequences removed, `\n` line ends, each
   * line stamped with `timestamps`) on the machine running the main process: in `folder` (absolute), by
   * default `logs.folder`; the file is named by the main process after the host and the time, mode 0600
   */
  'terminal.log.start': call(
    z
      .object({
        sessionId: Id,
        timestamps: z.boolean().default(false),
        folder: z.string().min(1).max(4096).optional(),
      })
      .strict(),
    z.object({ path: z.string() }),
  ),
  /** stops the session's log (nothing when it is not logged) */
  'terminal.log.stop': call(z.object({ sessionId: Id }).strict(), ok),
  /** where session logs go by default: `<data dir>/session-logs` */
  'terminal.log.folder': call(z.object({}).strict(), z.object({ path: z.string() })),
};

export const terminalStreams = {
  /**
   * one terminal: the stream's life is the session's; unsubscribing closes the shell. `{ local: true }` is a
   * shell on the machine running the main process (browser mode: its server), the user's login shell in the
   * home directory; refused (BAD_REQUEST, reason `local-shell-off`) where local shells are turned off
   */
  'terminal.session': stream(
    z
      .object({
        target: TerminalTarget,
        cols: Cols,
        rows: Rows,
        /** the workspace pane it runs in: the main process remembers the shell's directory under it */
        pane: PaneKey.optional(),
        /** a pane brought back with the workspace: the shell returns to the directory remembered for it */
        restore: z.boolean().optional(),
      })
      .strict(),
    TerminalEvent,
  ),
};
