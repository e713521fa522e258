// Browser mode's transfers, where the page holds the files: uploads the page sends in chunks
// (upload.begin / chunk / end: in order, within the declared size, under a temporary name until the
// end), and downloads streamed to it (download.file, paused while the page is behind on its
// acknowledgements). Both are files of the queue's jobs, shown with the others.
import type { CallArgs } from '../../shared/contract.js';
import type { DownloadEvent } from './links.js';
import { WarrenError } from '../../shared/errors.js';
import { unsafeNameReason } from '../../shared/untrusted.js';
import type { Endpoint } from '../ssh/connections.js';
import { destination, type Ask } from './conflicts.js';
import { failureOf, fileError, refusedName, type Files, type Handle, type Stat } from './files.js';
import { cancelled, type Job, type Task } from './job.js';
import { aboutTarget, place, tempName, whereOf } from './partial.js';
import type { Board } from './progress.js';
import type { SftpSession, SftpSessions } from './session.js';

/** a browser upload that sends nothing for this long fails */
const BROWSER_IDLE_MS = 120_000;
/** a browser download pauses with this much sent but not acknowledged */
const DOWNLOAD_WINDOW = 8 << 20;
const DOWNLOAD_READS = 16;

type Target = CallArgs<'transfers.enqueue'>['target'];

export interface BrowserDeps {
  sessions: SftpSessions;
  endpointOf(target: Target): Promise<Endpoint>;
  board: Board;
  ask: Ask;
  /** a file is over: done or skipped, or the error that stopped it (returned, for rethrowing) */
  finish(t: Task, outcome: unknown): unknown;
  settle(job: Job): void;
}

export class BrowserTransfers {
  private readonly downloads = new Map<string, { unacked: number; wake(): void }>();

  constructor(private readonly d: BrowserDeps) {}

  async beginUpload(i: CallArgs<'upload.begin'>): Promise<{ id: string; jobId: string; path: string; skipped: boolean }> {
    const endpoint = await this.d.endpointOf(i.target);
    let job = i.jobId === undefined ? undefined : this.d.board.jobs.get(i.jobId);
    if (i.jobId !== undefined && (!job || job.endpoint.key !== endpoint.key || job.row.from !== 'browser'))
      throw new WarrenError('NOT_FOUND', 'That upload job is gone; begin the upload again.');
    if (job) job.row.kind = 'dir';
    job ??= this.d.board.newJob(
      endpoint,
      'upload',
      'browser',
      i.path,
      { policy: i.conflict, turn: Promise.resolve() },
      { mtime: i.mtime !== undefined, mode: false },
    );
    job.row.scanning = false;
    const t = this.d.board.add(
      job,
      i.path.split('/').pop() ?? i.path,
      i.path,
      { kind: 'file', size: i.size, mtime: i.mtime ?? Date.now(), mode: 0o644 },
      false,
      true,
    );
    this.d.board.setState(t, 'running');
    const { session, release } = await this.d.sessions.acquire(endpoint).catch((e: unknown) => Promise.reject(this.d.finish(t, e)));
    try {
      await makeParents(session.files, session.files.dirname(i.path));
      if (!(await destination(t, session.files, this.d.ask, () => this.d.board.changed(t)))) {
        release();
        this.d.finish(t, 'skipped');
        return { id: t.row.id, jobId: job.row.id, path: t.row.to, skipped: true };
      }
      const temp = (t.temp = tempName(session.files, t.row.to, t.row.id));
      const handle = await session.files
        .open(temp, 'write')
        .catch((e: unknown) => Promise.reject(aboutTarget(e, temp, t.row.to, session.files, whereOf(session.files, session.label))));
      const timer = setTimeout(
        () => void this.abortUpload(t, new WarrenError('CANCELLED', `The page stopped sending ${t.row.to}.`, { reason: 'cancelled' })),
        BROWSER_IDLE_MS,
      );
      t.upload = { files: session.files, where: whereOf(session.files, session.label), handle, next: 0, received: 0, timer, release };
      return { id: t.row.id, jobId: job.row.id, path: t.row.to, skipped: false };
    } catch (e) {
      release();
      throw this.d.finish(t, e);
    }
  }

  /**
   * One chunk of a browser upload. It must start where the last one ended and stay within the size
   * `upload.begin` declared; anything else aborts the upload (its temporary file removed) as BAD_REQUEST.
   * Checked as the call arrives, before any await: calls in flight arrive in the order they were sent.
   */
  async uploadChunk(id: string, offset: number, data: Uint8Array): Promise<void> {
    const t = this.uploading(id);
    const u = t.upload!;
    const refuse = (why: string) =>
      this.abortUpload(
        t,
        new WarrenError('BAD_REQUEST', `Upload of ${t.row.to} stopped: ${why}. Nothing was kept; begin the upload again.`, { side: 'remote', path: t.row.to }),
      );
    if (offset !== u.next)
      throw await refuse(`a chunk at byte ${offset} arrived where byte ${u.next} was due (chunks are sent in order, each where the last ended)`);
    if (offset + data.byteLength > t.row.size)
      throw await refuse(`a chunk ending at byte ${offset + data.byteLength} goes past the ${t.row.size} bytes upload.begin declared`);
    u.next += data.byteLength;
    u.timer.refresh();
    try {
      await u.handle.write(Buffer.from(data.buffer, data.byteOffset, data.byteLength), 0, data.byteLength, offset);
    } catch (e) {
      throw await this.abortUpload(t, aboutTarget(e, t.temp!, t.row.to, u.files, u.where));
    }
    u.received += data.byteLength;
    this.d.board.progress(t, data.byteLength);
  }

  async endUpload(id: string): Promise<void> {
    const t = this.uploading(id);
    const u = t.upload!;
    if (u.received !== t.row.size)
      throw new WarrenError('BAD_REQUEST', `${t.row.to}: ${u.received} of ${t.row.size} bytes arrived; send the rest before ending the upload.`);
    const temp = t.temp!;
    t.upload = null;
    clearTimeout(u.timer);
    try {
      await u.handle.close();
      await place(t, u.files);
      this.d.finish(t, 'done');
    } catch (e) {
      await u.files.unlink(temp).catch(() => {});
      t.temp = null;
      throw this.d.finish(t, aboutTarget(e, temp, t.row.to, u.files, u.where));
    } finally {
      u.release();
    }
  }

  /** Stops a browser upload and drops its partial file; returns the reason, for rethrowing. */
  async abortUpload(t: Task, why: unknown): Promise<unknown> {
    const u = t.upload;
    if (!u) return why;
    t.upload = null;
    clearTimeout(u.timer);
    await u.handle.close().catch(() => {});
    await u.files.unlink(t.temp!).catch(() => {});
    t.temp = null;
    u.release();
    return this.d.finish(t, why);
  }

  /** The file's size and mtime, or the error a download of `path` to the browser would end with before its first byte: not a regular file, or a name a browser must not save. */
  async checkDownload(target: Target, path: string): Promise<{ size: number; mtime: number }> {
    const { st } = await this.d.sessions.use(await this.d.endpointOf(target), (s) => this.downloadable(s, path));
    return { size: st.size, mtime: st.mtime };
  }

  private async downloadable(s: SftpSession, path: string): Promise<{ st: Stat; name: string }> {
    const st = await s.files.stat(path);
    if (st?.kind !== 'file')
      throw fileError(st ? 'other' : 'no-such-file', 'remote', path, st ? `${path} is not a regular file.` : `${path} does not exist on ${s.label}.`);
    // the browser saves it under this name
    const name = s.files.basename(path);
    const why = unsafeNameReason(name);
    if (why !== null) throw refusedName(path, name, why, { server: s.label, folder: "the browser's downloads", outcome: 'It is not downloaded.' });
    return { st, name };
  }

  /**
   * A download to the browser (browser mode's HTTP download serves it): the file's bytes from `from` in
   * order, through `emit`, pausing while more than 8 MiB are unacknowledged (`ack`). In the queue as a row.
   */
  async download(target: Target, path: string, from: number, emit: (e: DownloadEvent) => void, signal: AbortSignal): Promise<void> {
    const endpoint = await this.d.endpointOf(target);
    const job = this.d.board.newJob(endpoint, 'download', path, 'browser', { policy: 'overwrite', turn: Promise.resolve() }, { mtime: false, mode: false });
    job.row.scanning = false;
    let started = false;
    await this.d.sessions
      .use(endpoint, async (s) => {
        started = true;
        const { st, name } = await this.downloadable(s, path).catch((e: unknown) => Promise.reject(this.noStart(job, e)));
        if (from > st.size)
          throw this.noStart(
            job,
            fileError('other', 'remote', path, `${path} is shorter (${st.size} bytes) than the part already downloaded (${from}); download it again.`),
          );
        const t = this.d.board.add(job, path, 'browser', st, true, true);
        const controller = (t.controller = new AbortController());
        const flow = { unacked: 0, wake: () => {} };
        const wake = () => flow.wake();
        const stop = () => controller.abort();
        if (signal.aborted) controller.abort();
        signal.addEventListener('abort', stop, { once: true });
        controller.signal.addEventListener('abort', wake, { once: true });
        this.d.board.setState(t, 'running');
        this.downloads.set(t.row.id, flow);
        let h: Handle | null = null;
        try {
          h = await s.files.open(path, 'read');
          const src = h;
          emit({ type: 'start', id: t.row.id, name, size: st.size, mtime: st.mtime });
          const chunk = s.slots.size;
          const readAt = async (at: number, len: number) => {
            const bytes = new Uint8Array(len);
            const b = Buffer.from(bytes.buffer);
            for (let got = 0; got < len;) {
              const n = await src.read(b, got, len - got, at + got);
              if (n === 0) throw fileError('other', 'remote', path, `${path} got shorter while it was being downloaded; try again.`);
              got += n;
            }
            return bytes;
          };
          const reads: Promise<Uint8Array<ArrayBuffer>>[] = [];
          if (from > 0) this.d.board.setBytes(t, from);
          for (let pos = from; pos < st.size || reads.length > 0;) {
            while (reads.length < DOWNLOAD_READS && pos < st.size && flow.unacked + (reads.length + 1) * chunk <= DOWNLOAD_WINDOW) {
              const read = readAt(pos, Math.min(chunk, st.size - pos));
              read.catch(() => {}); // awaited below, in order; this only keeps an early failure from going unhandled
              reads.push(read);
              pos += Math.min(chunk, st.size - pos);
            }
            if (controller.signal.aborted) throw cancelled();
            if (reads.length === 0) {
              await new Promise<void>((resolve) => (flow.wake = resolve));
              continue;
            }
            const data = await reads.shift()!;
            emit({ type: 'data', data });
            flow.unacked += data.length;
            this.d.board.progress(t, data.length);
          }
          this.d.finish(t, 'done');
        } catch (e) {
          const err = this.d.finish(t, e);
          if (!signal.aborted) throw err;
        } finally {
          signal.removeEventListener('abort', stop); // the stream's signal outlives the download
          this.downloads.delete(t.row.id);
          await h?.close().catch(() => {});
        }
      })
      .catch((e: unknown) => {
        // the host could not be reached: the job says so rather than sitting there "done" with no file
        throw started ? e : this.noStart(job, e);
      });
  }

  ack(id: string, bytes: number): void {
    const flow = this.downloads.get(id);
    if (!flow) return; // it ended while the acknowledgement was on its way
    flow.unacked = Math.max(0, flow.unacked - bytes);
    flow.wake();
  }

  private noStart(job: Job, e: unknown): unknown {
    job.scanError = failureOf(e, { side: 'remote', path: job.row.from });
    this.d.settle(job);
    return e;
  }

  private uploading(id: string): Task {
    const t = this.d.board.tasks.get(id);
    if (!t?.upload) throw new WarrenError('NOT_FOUND', t ? `The upload of ${t.row.to} is over (${t.row.state}).` : 'There is no such upload; begin it again.');
    return t;
  }
}

/** mkdir -p, for a browser upload into folders that do not exist yet */
async function makeParents(files: Files, dir: string): Promise<void> {
  const there = await files.lstat(dir);
  if (there) return;
  if (files.dirname(dir) !== dir) await makeParents(files, files.dirname(dir));
  await files.mkdir(dir).catch(async (e: unknown) => {
    if ((await files.lstat(dir))?.kind !== 'dir') throw e; // made meanwhile by another upload: fine
  });
}
