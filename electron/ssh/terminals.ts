import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Client, ClientChannel, ExecOptions, ShellOptions } from 'ssh2';
import { RUNS_MAX, type TerminalEvent } from '../../shared/terminal.js';
import { WarrenError } from '../../shared/errors.js';
import { parseForwardAgent } from '../../shared/model.js';
import { hasHiddenCharacters } from '../../shared/untrusted.js';
import type { ConnectionManager, Endpoint, Lease } from './connections.js';
import { CookedInput } from './cooked.js';
import { channelOpenError } from './errors.js';
import { DEFAULT_BACKOFF, isFinal, supervise, unlessAborted, Waker, type Backoff } from './retry.js';
import { createLogFile, LOG_HIGH_WATER, LOG_LOW_WATER, SessionLog } from './session-log.js';
import { describeShellRequest, withConfigEnv, type ShellRequest } from './shell-env.js';

/** Output in a stream is sent in batches: at most this often… */
const FLUSH_MS = 4;
/**
 * …or as soon as this much is waiting. Fewer, larger writes are cheaper for xterm (a write, its
 * callback and an acknowledgement each): 256 KiB batches took a flood from 2.5 to 2.15 s here.
 */
const BATCH_BYTES = 256 * 1024;
/** Above this many bytes sent but not yet drawn by the renderer, the channel is paused… */
export const HIGH_WATER = 1024 * 1024;
/** …and it resumes once the renderer has caught up to this. */
export const LOW_WATER = 256 * 1024;
/**
 * A session in a tab the user is not looking at is paced: at most `bytes` of output per `everyMs`
 * (2.5 MiB/s), so a flood in a hidden tab cannot take the CPU (of the main process, the renderer and
 * the server) from the tab being typed in. It is at full speed again as soon as it is shown.
 */
export const BACKGROUND = { bytes: 128 * 1024, everyMs: 50 };

/** The longest directory Warren types back into a shell (PATH_MAX on Linux). */
const MAX_CWD = 4096;
/** `ESC ] 7 ;` */
const OSC7 = Buffer.from('\u001b]7;');
/** the longest OSC 7 URL read: a host and a MAX_CWD-character path, percent-encoded (up to 12 bytes a character) */
const MAX_OSC7 = 256 + 12 * MAX_CWD;

/**
 * Why `p` cannot be typed back into a shell as the directory to return to, or null when it can. It
 * must be absolute (or `~`-relative) and free of control characters: a remote tty's line discipline
 * acts on ^U, ^C, newline and their kin even inside quotes, so a server that announced
 * `/tmp^Utouch pwned` would have Warren type `touch pwned` as a command. Direction marks and
 * invisible characters are refused too (`hasHiddenCharacters`: what `visible` would escape).
 */
export function unsafeCwdReason(p: string): string | null {
  if (!(p === '~' || p.startsWith('~/') || p.startsWith('/'))) return 'it is not an absolute path';
  if (hasHiddenCharacters(p)) return 'it contains control characters or invisible direction marks';
  // The directory goes back quoted, and quoting must mean the same in every shell the host may run:
  // fish reads \ inside '…' (so \' would end the quoting early and run the rest), csh expands ! even
  // there. A path with ' goes in "…", where $, ` and " are special. Any such directory is not restored.
  if (/[\\!]/.test(p)) return 'it contains \\ or !, which not every shell reads literally inside quotes';
  if (p.includes("'") && /[$`"]/.test(p)) return 'it contains both \' and one of $ ` ", which no quoting keeps literal in every shell';
  if (p.length > MAX_CWD) return `it is longer than ${MAX_CWD} characters`;
  return null;
}

/**
 * The shell's working directory, to reopen it there after a reconnect: from OSC 7 when the remote
 * shell reports it (`ESC ] 7 ; file://host/path BEL`), else from the `cd` commands the user types.
 * What a server prints is never typed back as it came: a directory is kept only if
 * `unsafeCwdReason` accepts it, else the last good one stays, and it goes back quoted.
 */
export class CwdTracker {
  /** absolute, or `~`-relative; null while unknown (the login directory) */
  path: string | null = null;
  /** told of each new directory */
  onChange: ((path: string) => void) | null = null;
  private previous: string | null = null;
  /** the line being typed; null once it holds editing keys we cannot follow */
  private line: string | null = '';

  input(data: string): void {
    for (const ch of data) {
      if (ch === '\r' || ch === '\n') {
        if (this.line !== null) this.commit(this.line);
        this.line = '';
      } else if (ch === '\u0003' || ch === '\u0015') this.line = '';
      else if (this.line === null) continue;
      else if (ch === '\u007f' || ch === '\b') this.line = this.line.slice(0, -1);
      else if (ch < ' ')
        this.line = null; // arrows, tab completion, history: untrackable
      else this.line += ch;
    }
  }

  /** Every OSC 7 in `chunk`, in order (one split across chunks is missed). */
  output(chunk: Buffer): void {
    for (let at = chunk.indexOf(OSC7); at >= 0; at = chunk.indexOf(OSC7, at)) {
      at += OSC7.length;
      const start = at;
      // the URL ends at BEL or ESC \ (any other ESC cuts it off, as it does in the terminal's parser)
      while (at < chunk.length && chunk[at] !== 0x07 && chunk[at] !== 0x1b && at - start <= MAX_OSC7) at++;
      const terminated = chunk[at] === 0x07 || (chunk[at] === 0x1b && chunk[at + 1] === 0x5c);
      if (!terminated) continue;
      const p = fileUrlPath(chunk.toString('utf8', start, at));
      if (p !== null && unsafeCwdReason(p) === null) this.set(p);
    }
  }

  /** the command that returns a fresh shell to the directory, or null */
  restoreCommand(): string | null {
    if (this.path === null) return null;
    const p = this.path;
    // literal in sh, bash, zsh, fish and csh alike, given what unsafeCwdReason lets through
    const quoted = (s: string) => (s.includes("'") ? `"${s}"` : `'${s}'`);
    // a leading space keeps it out of the history where HISTCONTROL=ignorespace (Debian, Ubuntu)
    return ` cd -- ${p === '~' ? '~' : p.startsWith('~/') ? `~/${quoted(p.slice(2))}` : quoted(p)}\r`;
  }

  /** a typed line: each `cd` of a `;` / `&&` list, in order (`mkdir -p x && cd x`); anything else is left alone */
  private commit(line: string): void {
    for (const command of commandList(line) ?? []) this.commitCd(command);
  }

  private commitCd(command: string): void {
    const m = /^\s*cd(?:\s+(.+?))?\s*$/.exec(command);
    if (!m) return;
    let arg = m[1] ?? '~';
    if (/[;&|$`<>(){}*?]/.test(arg)) return; // not a plain path: do not guess
    arg = arg.replace(/^(['"])(.*)\1$/, '$2').replace(/\\(.)/g, '$1');
    if (arg === '-') return this.set(this.previous ?? '~');
    const base = this.path ?? '~';
    const next = arg.startsWith('/') || arg === '~' || arg.startsWith('~/') ? arg : path.posix.join(base, arg);
    const p = path.posix.normalize(next).replace(/\/$/, '') || '/';
    if (unsafeCwdReason(p) === null) this.set(p);
  }

  /** Starts from a directory remembered elsewhere (a restored pane's), if it is one `unsafeCwdReason` accepts. */
  seed(p: string): boolean {
    if (unsafeCwdReason(p) !== null) return false;
    this.path = p;
    return true;
  }

  private set(p: string): void {
    if (p === this.path) return;
    this.previous = this.path;
    this.path = p;
    this.onChange?.(p);
  }
}

/**
 * The commands of a line joined by `;` or `&&` (outside quotes), or null when the line has a pipe, `||`,
 * a background `&` or an unclosed quote: there a `cd` may run in a subshell, or not at all. A `cd` after
 * `&&` is taken as run (the command before it is assumed to succeed).
 */
export function commandList(line: string): string[] | null {
  const out: string[] = [];
  let current = '';
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      // inside "…" a backslash escapes the next character; inside '…' nothing does
      if (ch === '\\' && quote === '"') current += ch + (line[++i] ?? '');
      else {
        if (ch === quote) quote = null;
        current += ch;
      }
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '\\') {
      current += ch + (line[++i] ?? '');
      continue;
    } else if (ch === '#' && /(^|\s)$/.test(current)) break;
    else if (ch === '|') return null;
    else if (ch === '&') {
      if (line[i + 1] !== '&') return null;
      i++;
      out.push(current);
      current = '';
      continue;
    } else if (ch === ';') {
      out.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  if (quote) return null;
  out.push(current);
  return out;
}

/**
 * The decoded path of OSC 7's `file://host/path`, or null for anything else: another scheme, no host part
 * (`file:tmp/x`, which URL parsing would make absolute), a malformed URL or %-escape.
 */
function fileUrlPath(text: string): string | null {
  if (!/^file:\/\/[^/]*\//i.test(text) || !URL.canParse(text)) return null;
  const url = new URL(text);
  try {
    return decodeURIComponent(url.pathname);
  } catch {
    return null; // a broken %-escape
  }
}

/** What a session's keystrokes go to and its output comes from: an SSH shell channel, or a local pty (`electron/local/`). */
export interface ShellIO {
  write(data: string): void;
  resize(cols: number, rows: number): void;
  pause(): void;
  resume(): void;
}

/** A process of this machine run as a session (a local shell): its output, and how it ended. */
export interface LocalProcess extends ShellIO {
  /** returns what stops the listening */
  onData(listener: (chunk: Buffer) => void): () => void;
  /** settles when the process has exited */
  exited: Promise<{ code: number | null; signal: string | null }>;
  /** the session ended first (the tab closed, the stream went away): end the process */
  kill(): void;
}

/** An SSH shell channel as a session's ShellIO. */
function channelIO(channel: ClientChannel): ShellIO {
  return {
    write: (data) => channel.write(data),
    resize: (cols, rows) => channel.setWindow(rows, cols, 0, 0),
    pause: () => channel.pause(),
    resume: () => channel.resume(),
  };
}

interface Session {
  id: string;
  /** null while the connection is down */
  channel: ShellIO | null;
  size: { cols: number; rows: number };
  unacked: number;
  paused: boolean;
  /** in a tab not shown: paced to BACKGROUND */
  background: boolean;
  /** the background's current beat: when it began (performance.now()) and the bytes sent in it */
  beat: { start: number; bytes: number };
  resumeTimer: NodeJS.Timeout | null;
  cwd: CwdTracker;
  /** a restored pane: its first shell returns to the directory it was seeded with */
  restoreFirst: boolean;
  waker: Waker;
  /** the endpoint's label (the host's name), which a log file is named after */
  label: string;
  /** the stream's events: a log that stops on its own says so here */
  emit: (e: TerminalEvent) => void;
  /** logged to a file (`terminal.log.start`); `logStarting` while that file is being created */
  log: SessionLog | null;
  logStarting: boolean;
  /** its channel has a pseudo-terminal (not with RequestTTY no): only then is it resized */
  pty: boolean;
  /** without one, what is typed is echoed and edited here, a line at a time (null while no channel is open) */
  cooked: CookedInput | null;
}

/** What a session runs: a command instead of the login shell (or null), with a terminal or (RequestTTY no) without. */
interface SessionPlan {
  command: { text: string; from: string } | null;
  pty: boolean;
  /** where RequestTTY no was said */
  ptyFrom: string | null;
}

function planOf(endpoint: Endpoint): SessionPlan {
  const o = endpoint.spec.sshOptions;
  const pty = o?.requestTty !== 'no';
  return { command: endpoint.command ?? null, pty, ptyFrom: pty ? null : `RequestTTY no in ${o?.requestTtyAt ?? 'ssh_config'}` };
}

const clip = (s: string) => (s.length > RUNS_MAX ? `${s.slice(0, RUNS_MAX - 1)}\u2026` : s);

/** held back by its log: more is waiting for the disk than the log lets pile up */
const logBehind = (s: Session, mark: number) => s.log !== null && s.log.backlog >= mark;

/** A pane of the saved workspace: the directory it was in (its first shell returns there), and where its new ones go. */
export interface PaneCwd {
  cwd: string | null;
  onCwd(path: string): void;
}

/** A background session that has used its beat's bytes: when it may go on (performance.now()), else null. */
function pacedUntil(s: Session): number | null {
  if (!s.background || s.beat.bytes < BACKGROUND.bytes) return null;
  const end = s.beat.start + BACKGROUND.everyMs;
  return end > performance.now() ? end : null;
}

/** Drops a paced resume still to come (the session ends, is shown, or has a new channel). */
function cancelResume(s: Session): void {
  if (s.resumeTimer) clearTimeout(s.resumeTimer);
  s.resumeTimer = null;
}

/**
 * Terminal sessions: a PTY shell channel on the endpoint's shared connection, output batched every
 * few milliseconds and paused while the renderer is behind (it acknowledges what it has drawn), so
 * a flood never freezes the window or grows memory without bound. When the connection drops, the
 * session stays (scrollback and all): it reconnects with backoff and reopens the shell in the last
 * known directory, until an authentication or host-key failure stops it.
 */
export class TerminalService {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly connections: ConnectionManager,
    /** TERM and the locale for each new shell to the endpoint, read when it opens (the settings may have changed) */
    private readonly shellRequest: (endpoint: Endpoint) => ShellRequest,
    private readonly backoff: Backoff = DEFAULT_BACKOFF,
    /** where session logs go unless the user names a folder (`<data dir>/session-logs`) */
    private readonly logDir: string | null = null,
  ) {}

  /** Runs one session for the life of a `terminal.session` stream. */
  async run(endpoint: Endpoint, size: { cols: number; rows: number }, emit: (e: TerminalEvent) => void, signal: AbortSignal, pane?: PaneCwd): Promise<void> {
    const s = this.register(endpoint.label, size, emit, pane);
    const plan = planOf(endpoint);
    s.pty = plan.pty;
    if (plan.command || !plan.pty) {
      const command = plan.command && { text: clip(plan.command.text), from: clip(plan.command.from) };
      emit({ type: 'runs', command, pty: plan.pty, ptyFrom: plan.ptyFrom && clip(plan.ptyFrom) });
    }
    try {
      await supervise({
        signal,
        backoff: this.backoff,
        waker: s.waker,
        // the first connect fails to the user (Retry), and so does a fresh connection with no shell at all;
        // once a shell ran, a loss is retried until a failure trying again cannot fix
        final: (e, { retrying }) => isFinal(e) || !retrying,
        waiting: (attempt, nextRetryAt, error) => emit({ type: 'reconnecting', attempt, nextRetryAt, error: error.toWire() }),
        life: async ({ retrying, up }) => {
          let opened: { lease: Lease; value: ClientChannel };
          const request = withConfigEnv(this.shellRequest(endpoint), endpoint.spec.sshOptions, process.env);
          try {
            opened = await this.connections.acquireSession(
              endpoint,
              (client) => openShell(client, s.size, endpoint, request, plan),
              (message) => emit({ type: 'status', message }),
            );
          } catch (e) {
            if (e instanceof WarrenError) throw e;
            // the shell would not open: the first time that is the user's to see; later it keeps the backoff growing
            const refused = new WarrenError(
              'CHANNEL',
              `${endpoint.label} refused to open a shell: ${channelOpenError(e as Error).why}. The account may have no login shell, or the server limits sessions (MaxSessions).`,
            );
            if (!retrying) throw refused;
            return refused;
          }
          const { lease, value: channel } = opened;
          try {
            if (signal.aborted) {
              channel.close();
              return null;
            }
            const how = plan.pty ? `${s.size.cols}×${s.size.rows}, ${describeShellRequest(request)}` : `no terminal: ${plan.ptyFrom}`;
            if (plan.command) lease.log(`Running ${plan.command.from} instead of the login shell (${how}): ${plan.command.text}`);
            else lease.log(`Shell channel opened (${how})`);
            // a directory is typed back into a login shell only: into a command (tmux, say) it would be keys for it
            const restore = plan.command === null && (retrying || s.restoreFirst);
            s.restoreFirst = false;
            const outcome = await this.shell(lease, channel, s, emit, signal, restore);
            if (!(outcome instanceof WarrenError)) return null;
            // a shell that opened and was lost starts the backoff again
            up();
            return outcome;
          } finally {
            lease.release();
          }
        },
      });
    } finally {
      await this.unregister(s);
    }
  }

  /**
   * Runs a process of this machine (a local shell, started by `electron/local/`) as a session until it exits
   * or `signal` aborts (then it is killed): the same session table as SSH shells, so input, resize,
   * acknowledgements, the background pace, the working directory and the log work for it alike. It is
   * never reconnected. `pane` follows its directory; the process was started in the remembered one.
   */
  async runLocal(
    proc: LocalProcess,
    label: string,
    size: { cols: number; rows: number },
    emit: (e: TerminalEvent) => void,
    signal: AbortSignal,
    pane?: PaneCwd,
  ): Promise<void> {
    const s = this.register(label, size, emit, pane);
    s.channel = proc;
    const out = this.pump(s, proc, emit);
    const stopData = proc.onData(out.onData);
    try {
      emit({ type: 'opened', sessionId: s.id, connectionId: 'local', reused: false });
      const exit = await unlessAborted(proc.exited, signal);
      out.flush();
      if (exit === null) proc.kill();
      else emit({ type: 'exit', ...exit });
    } finally {
      // what a killed shell still prints goes nowhere (and never pauses it again)
      stopData();
      s.channel = null;
      await this.unregister(s);
    }
  }

  /** A new session in the table, following `pane`'s directory (seeded with the remembered one). */
  private register(label: string, size: { cols: number; rows: number }, emit: (e: TerminalEvent) => void, pane?: PaneCwd): Session {
    const s: Session = {
      id: randomUUID(),
      channel: null,
      size,
      unacked: 0,
      paused: false,
      background: false,
      beat: { start: 0, bytes: 0 },
      resumeTimer: null,
      cwd: new CwdTracker(),
      restoreFirst: false,
      waker: new Waker(),
      label,
      emit,
      log: null,
      logStarting: false,
      pty: true,
      cooked: null,
    };
    if (pane) {
      s.restoreFirst = pane.cwd !== null && s.cwd.seed(pane.cwd);
      s.cwd.onChange = pane.onCwd;
    }
    this.sessions.set(s.id, s);
    return s;
  }

  private async unregister(s: Session): Promise<void> {
    cancelResume(s);
    this.sessions.delete(s.id);
    const log = s.log;
    s.log = null;
    await log?.close();
  }

  /**
   * Logs what the session shows to a new plain-text file in `folder` (absolute; by default the data
   * dir's `session-logs`, created 0700), named after the host and the time; until `stopLog`, the
   * session's end, or a write that fails (then a `log` event says why and the session goes on).
   */
  async startLog(sessionId: string, opts: { timestamps: boolean; folder?: string }): Promise<{ path: string }> {
    const s = this.session(sessionId);
    if (s.log || s.logStarting) throw new WarrenError('CONFLICT', `This session is already logged${s.log ? ` to ${s.log.file}` : ''}.`);
    const folder = opts.folder ?? this.logDir;
    if (folder === null) throw new WarrenError('BAD_REQUEST', 'No folder for session logs was given.');
    s.logStarting = true;
    let created: Awaited<ReturnType<typeof createLogFile>>;
    try {
      created = await createLogFile(folder, s.label, opts.folder === undefined);
    } finally {
      s.logStarting = false;
    }
    if (!this.sessions.has(s.id)) {
      await created.sink.close();
      throw new WarrenError('NOT_FOUND', 'That terminal session has ended.');
    }
    const log = new SessionLog(created.file, created.sink, opts.timestamps);
    log.onDrain = () => this.maybeResume(s);
    log.onFail = (e) => {
      if (s.log !== log) return;
      s.log = null;
      s.emit({ type: 'log', path: null, error: e.toWire() });
      this.maybeResume(s);
    };
    s.log = log;
    s.emit({ type: 'log', path: log.file, error: null });
    return { path: log.file };
  }

  /** where logs go by default */
  logFolder(): string {
    if (this.logDir === null) throw new WarrenError('NOT_FOUND', 'Session logs have no default folder here.');
    return this.logDir;
  }

  /** Stops the session's log, writing what is left; nothing when it is not logged. */
  async stopLog(sessionId: string): Promise<void> {
    const s = this.session(sessionId);
    const log = s.log;
    if (!log) return;
    s.log = null;
    s.emit({ type: 'log', path: null, error: null });
    await log.close();
    this.maybeResume(s);
  }

  input(sessionId: string, data: string): void {
    const s = this.session(sessionId);
    if (!s.channel) throw new WarrenError('DISCONNECTED', 'The connection is down and Warren is reconnecting; what you typed was not sent.');
    s.cwd.input(data);
    if (s.cooked) s.cooked.input(data);
    else s.channel.write(data);
  }

  resize(sessionId: string, cols: number, rows: number): void {
    const s = this.session(sessionId);
    s.size = { cols, rows };
    if (s.pty) s.channel?.resize(cols, rows);
  }

  ack(sessionId: string, bytes: number): void {
    const s = this.sessions.get(sessionId);
    if (!s) return; // the session ended while the acknowledgement was on its way
    s.unacked = Math.max(0, s.unacked - bytes);
    this.maybeResume(s);
  }

  /** The session's tab was hidden (true) or shown (false). */
  setBackground(sessionId: string, background: boolean): void {
    const s = this.sessions.get(sessionId);
    if (!s || s.background === background) return;
    s.background = background;
    if (!background) cancelResume(s);
    this.maybeResume(s);
  }

  /** A paused channel resumes once the renderer has caught up and, in the background, its beat is over. */
  private maybeResume(s: Session): void {
    if (!s.paused || s.unacked > LOW_WATER || s.resumeTimer || logBehind(s, LOG_LOW_WATER + 1)) return;
    const until = pacedUntil(s);
    if (until !== null) {
      s.resumeTimer = setTimeout(() => {
        s.resumeTimer = null;
        this.maybeResume(s);
      }, until - performance.now());
      return;
    }
    s.paused = false;
    s.channel?.resume();
  }

  /** The session's working directory as far as Warren knows it (OSC 7 or a typed `cd`, vetted): absolute or `~`-relative, or null. */
  cwd(sessionId: string): string | null {
    return this.session(sessionId).cwd.path;
  }

  /** "Reconnect now": the session stops waiting for its next attempt. */
  reconnect(sessionId: string): void {
    this.session(sessionId).waker.wake();
  }

  /** Resume from sleep, network back: every waiting session tries at once. */
  wakeAll(): void {
    for (const s of this.sessions.values()) s.waker.wake();
  }

  /** One shell on one connection; returns how it ended, or the error that lost the connection. */
  private async shell(
    lease: Lease,
    channel: ClientChannel,
    s: Session,
    emit: (e: TerminalEvent) => void,
    signal: AbortSignal,
    restore: boolean,
  ): Promise<'exit' | 'aborted' | WarrenError> {
    const io = channelIO(channel);
    s.channel = io;
    s.unacked = 0;
    s.paused = false;
    cancelResume(s);
    emit({ type: 'opened', sessionId: s.id, connectionId: lease.connectionId, reused: lease.reused });
    const back = restore ? s.cwd.restoreCommand() : null;
    if (back) {
      lease.log(`Returning to the last working directory (${s.cwd.path})`);
      channel.write(back);
    }

    const out = this.pump(s, io, emit);
    channel.on('data', out.onData);
    channel.stderr.on('data', out.onData);
    if (!s.pty)
      s.cooked = new CookedInput(
        (text) => channel.write(text),
        (text) => out.onData(Buffer.from(text)),
        () => channel.end(),
      );

    let exit: { code: number | null; signal: string | null } = { code: null, signal: null };
    channel.on('exit', (code: number | null, sig?: string) => {
      exit = { code: code ?? null, signal: sig ?? null };
    });
    const ended = new Promise<'ended'>((resolve) => channel.once('close', () => resolve('ended')));
    let outcome: 'ended' | 'aborted' | WarrenError;
    try {
      outcome = (await unlessAborted(Promise.race([ended, lease.closed]), signal)) ?? 'aborted';
    } finally {
      out.flush();
      s.channel = null;
      s.cooked = null;
    }
    if (outcome === 'ended' && exit.code === null && exit.signal === null) {
      // a channel closed without an exit status: when the connection is going down, ssh2 closes its
      // channels just before it reports the connection closed, so give that a moment to arrive
      const lost = await Promise.race([lease.closed, new Promise<null>((r) => setTimeout(() => r(null), 250))]);
      if (lost) return lost;
    }
    if (outcome instanceof WarrenError) return outcome;
    if (outcome === 'aborted') {
      lease.log('Shell channel closed by the user');
      channel.close();
      return 'aborted';
    }
    lease.log(`Shell exited${exit.code !== null ? ` with status ${exit.code}` : exit.signal ? ` on ${exit.signal}` : ''}`);
    emit({ type: 'exit', ...exit });
    return 'exit';
  }

  /**
   * A session's output path: each chunk followed for the directory and logged, then batched (at once after
   * a quiet spell, else every few ms) and sent; `io` is paused while the renderer is behind, the log is
   * behind or a background beat is used up (`maybeResume` resumes it).
   */
  private pump(s: Session, io: ShellIO, emit: (e: TerminalEvent) => void): { onData(chunk: Buffer): void; flush(): void } {
    let batch: Buffer[] = [];
    let batchBytes = 0;
    let timer: NodeJS.Timeout | null = null;
    const flush = () => {
      if (timer) clearTimeout(timer);
      timer = null;
      if (batchBytes === 0) return;
      // a standalone copy: a view into ssh2's pooled buffers would drag the whole pool along
      const data = new Uint8Array(batchBytes);
      let at = 0;
      for (const chunk of batch) {
        data.set(chunk, at);
        at += chunk.length;
      }
      s.unacked += batchBytes;
      batch = [];
      batchBytes = 0;
      emit({ type: 'data', data });
      if (s.background) {
        const now = performance.now();
        if (now - s.beat.start >= BACKGROUND.everyMs) s.beat = { start: now, bytes: 0 };
        s.beat.bytes += data.length;
      }
      if (!s.paused && (s.unacked >= HIGH_WATER || pacedUntil(s) !== null || logBehind(s, LOG_HIGH_WATER))) {
        s.paused = true;
        io.pause();
        this.maybeResume(s); // a paced pause ends with its beat, acknowledged or not
      }
    };
    let lastData = 0;
    const onData = (chunk: Buffer) => {
      s.cwd.output(chunk);
      s.log?.write(chunk);
      batch.push(chunk);
      batchBytes += chunk.length;
      // after a quiet spell (an echoed keystroke) send at once; in a stream, gather for a few ms
      const quiet = timer === null && performance.now() - lastData >= FLUSH_MS;
      if (batchBytes >= (s.background ? BACKGROUND.bytes : BATCH_BYTES) || quiet) flush();
      else timer ??= setTimeout(flush, FLUSH_MS);
      lastData = performance.now();
    };
    return { onData, flush };
  }

  private session(id: string): Session {
    const s = this.sessions.get(id);
    if (!s) throw new WarrenError('NOT_FOUND', 'That terminal session has ended.');
    return s;
  }
}

/**
 * The session's channel on the connection: the login shell, or the plan's command instead, on a
 * pseudo-terminal unless the plan has none; with scoped agent forwarding when the host has it. Rejects with
 * ssh2's error when refused.
 */
function openShell(client: Client, size: { cols: number; rows: number }, endpoint: Endpoint, request: ShellRequest, plan: SessionPlan): Promise<ClientChannel> {
  // connect() gave ssh2 Warren's forwarding agent; ssh2 asks for it once per connection (sshd refuses a
  // second request, and gives every session the same agent socket)
  const forward = parseForwardAgent(endpoint.spec.forwardAgent) !== null;
  const pty = plan.pty ? { term: request.term, cols: size.cols, rows: size.rows } : false;
  const options = { agentForward: forward, env: request.env } as ShellOptions;
  return new Promise((resolve, reject) => {
    const done = (err: Error | undefined, ch: ClientChannel) => (err ? reject(err) : resolve(ch));
    if (plan.command) client.exec(plan.command.text, { ...options, ...(pty && { pty }) } as ExecOptions, done);
    else client.shell(pty, options, done);
  });
}
