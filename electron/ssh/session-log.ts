// A terminal session logged to a plain-text file on the machine running the main process.
import fs from 'node:fs/promises';
import path from 'node:path';
import { WarrenError } from '../../shared/errors.js';
import { LogText, safeFileName } from './log-text.js';

/** Above this many bytes waiting for the disk, the session's channel is paused (`full`)… */
export const LOG_HIGH_WATER = 1024 * 1024;
/** …and it goes on once the queue is down to this. */
export const LOG_LOW_WATER = 256 * 1024;
/** A queue this long means the pause did not hold: the log stops rather than grow without bound. */
const LOG_HARD_MAX = 16 * 1024 * 1024;

/** where the bytes go: a file, or in tests whatever fails as a disk would */
export interface LogSink {
  write(data: Buffer): Promise<unknown>;
  close(): Promise<void>;
}

/** Why a log file could not be written, in words, naming the file. */
function logError(e: unknown, file: string): WarrenError {
  const code = (e as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOSPC' || code === 'EDQUOT'
      ? 'the disk is full'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EROFS'
          ? 'the file system is read-only'
          : code === 'ENOENT' || code === 'ENOTDIR'
            ? 'the folder does not exist'
            : (e as Error).message;
  return new WarrenError('STORE', `The session log ${file} could not be written: ${why}. Logging stopped; the session goes on.`, { code: code ?? null });
}

const stamp = (d: Date) =>
  d
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/[-:]/g, '')
    .replace('T', '-');

/**
 * Creates `<folder>/<host>-<yyyymmdd-hhmmss>.log` (a `-2`, `-3`… before `.log` if that exists), mode
 * 0600, never through an existing file or link (O_EXCL). The default folder is created 0700. The name
 * is made here from the host's name, sanitised; nothing a server sent goes into it.
 */
export async function createLogFile(folder: string, host: string, ownFolder: boolean, now = new Date()): Promise<{ file: string; sink: LogSink }> {
  if (!path.isAbsolute(folder)) throw new WarrenError('BAD_REQUEST', `The log folder must be an absolute path, not ${JSON.stringify(folder)}.`);
  if (ownFolder) {
    await fs.mkdir(folder, { recursive: true, mode: 0o700 }).catch((e: unknown) => Promise.reject(logError(e, folder)));
    await fs.chmod(folder, 0o700);
  }
  const st = await fs.stat(folder).catch((e: unknown) => Promise.reject(logError(e, folder)));
  if (!st.isDirectory()) throw new WarrenError('BAD_REQUEST', `${folder} is not a folder.`);
  const base = `${safeFileName(host)}-${stamp(now)}`;
  for (let n = 1; n <= 100; n++) {
    const file = path.join(folder, `${base}${n === 1 ? '' : `-${n}`}.log`);
    try {
      const handle = await fs.open(file, 'wx', 0o600);
      await handle.chmod(0o600); // whatever the umask
      // a write that fills the disk writes part (a short write, no error): the rest is written after it,
      // where the full disk fails with ENOSPC
      const write = async (data: Buffer) => {
        for (let at = 0; at < data.length;) {
          const { bytesWritten } = await handle.write(data, at);
          if (bytesWritten === 0) throw Object.assign(new Error('no space left'), { code: 'ENOSPC' });
          at += bytesWritten;
        }
      };
      return { file, sink: { write, close: () => handle.close() } };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw logError(e, file);
    }
  }
  throw new WarrenError('CONFLICT', `Too many session logs named ${base}*.log in ${folder}.`);
}

/**
 * One session's log: output goes through `LogText` into a write queue that one writer drains in order.
 * The queue is bounded: above LOG_HIGH_WATER of `backlog` the terminal pauses its channel (as it does
 * for a renderer that is behind) until `onDrain` says it is down to LOG_LOW_WATER. A write that fails
 * (a full disk) stops the log: the queue is dropped, the file closed, and `onFail` says why.
 */
export class SessionLog {
  private readonly text: LogText;
  private queue: string[] = [];
  private queued = 0;
  private writing: Promise<void> | null = null;
  private failed = false;
  private closed = false;
  onDrain: () => void = () => {};
  onFail: (e: WarrenError) => void = () => {};

  constructor(
    readonly file: string,
    private readonly sink: LogSink,
    timestamps: boolean,
    now?: () => Date,
  ) {
    this.text = new LogText(timestamps, now);
  }

  /** the bytes waiting for the disk */
  get backlog(): number {
    return this.queued;
  }

  write(chunk: Uint8Array): void {
    if (this.closed) return;
    this.enqueue(this.text.push(chunk));
  }

  /** Writes what is left (the unfinished last line) and closes the file; a failure was already reported. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.enqueue(this.text.end());
    this.closed = true;
    while (this.writing) await this.writing;
    await this.sink.close().catch(() => {});
  }

  private enqueue(text: string): void {
    if (text === '' || this.failed) return;
    this.queue.push(text);
    this.queued += Buffer.byteLength(text);
    if (this.queued > LOG_HARD_MAX) {
      this.fail(new WarrenError('STORE', `The session log ${this.file} could not keep up with the session's output. Logging stopped; the session goes on.`));
      return;
    }
    this.writing ??= this.drain();
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0 && !this.failed) {
        const data = Buffer.from(this.queue.join(''));
        this.queue = [];
        await this.sink.write(data);
        this.queued -= data.length;
        if (this.queued <= LOG_LOW_WATER) this.onDrain();
      }
    } catch (e) {
      this.fail(e instanceof WarrenError ? e : logError(e, this.file));
    } finally {
      this.writing = null;
    }
  }

  private fail(e: WarrenError): void {
    if (this.failed) return;
    this.failed = true;
    this.closed = true;
    this.queue = [];
    this.queued = 0;
    void this.sink.close().catch(() => {});
    this.onFail(e);
  }
}
