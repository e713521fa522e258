import { randomUUID } from 'node:crypto';
import { sep } from 'node:path';
import type { CallArgs, StreamEvent } from '../../shared/contract.js';
import type { Prompt, PromptAnswer } from '../../shared/prompts.js';
import { WarrenError } from '../../shared/errors.js';
import { unsafeNameReason } from '../../shared/untrusted.js';
import type { ConflictChoice, ConflictPolicy, Direction, FileError, TransferFile, TransferJob, TransfersEvent, TransferState, TransferTotals } from '../../shared/sftp.js';
import type { Endpoint } from '../ssh/connections.js';
import { asWarrenError, isFinal, retryDelay, Waker, type Backoff } from '../ssh/retry.js';
import { copyFile } from './copy.js';
import { failureOf, fileError, refusedName, unsafeLocalName, type Files, type Handle, type Side, type Stat } from './files.js';
import type { SftpSession, SftpSessions } from './session.js';

/** files in flight at once, over all hosts (small files: each is a few round trips, so many overlap) */
const MAX_FILES = 64;
const TICK_MS = 250;
const CONFLICT_TIMEOUT_MS = 10 * 60_000;
/** a browser upload that sends nothing for this long fails */
const BROWSER_IDLE_MS = 120_000;
/** a browser download pauses with this much sent but not acknowledged */
const DOWNLOAD_WINDOW = 8 << 20;
const DOWNLOAD_READS = 16;
const SCANS = 8;

export interface TransferDeps {
  sessions: SftpSessions;
  local: Files;
  endpointOf(target: CallArgs<'transfers.enqueue'>['target']): Endpoint;
  prompts: { ask(p: Prompt, timeoutMs?: number): Promise<PromptAnswer> };
  /** how long paused files wait before Warren reconnects and resumes them, attempt after attempt */
  backoff: Backoff;
}

/** one enqueue call: its conflict policy, which "apply to all" changes for the rest of it */
interface Batch {
  policy: ConflictPolicy;
  /** conflict questions are asked one at a time, so an "apply to all" answers the ones waiting */
  turn: Promise<unknown>;
}

interface Job {
  row: TransferJob;
  endpoint: Endpoint;
  batch: Batch;
  preserve: { mtime: boolean; mode: boolean };
  counts: Record<TransferState, number>;
  tasks: Task[];
  /** folders this job made, dated once their files are in (preserve mtime) */
  dirs: { path: string; mtime: number }[];
  scan: AbortController;
  /** why walking the folder stopped, if it did */
  scanError: FileError | null;
  seen: number;
}

interface Task {
  row: TransferFile;
  job: Job;
  src: Stat & { linkTarget?: string };
  /** its folder was made by this job, so nothing can be in the way */
  fresh: boolean;
  /** the temporary name beside the destination the copy is written under, while one exists */
  temp: string | null;
  /** how far `temp` is written without a gap: where a resume starts */
  committed: number;
  /** the permissions of the file it replaces, kept on the new one */
  keepMode: number | undefined;
  controller: AbortController | null;
  /** the bytes come from the page (upload.*) or go to it (download.file) */
  browser: boolean;
  /** `next`: where the next chunk must start (chunks are taken in order); `received`: bytes written */
  upload: { files: Files; where: string; handle: Handle; next: number; received: number; timer: NodeJS.Timeout; release(): void } | null;
  seen: number;
}

const FINISHED: ReadonlySet<TransferState> = new Set(['done', 'skipped', 'failed', 'cancelled']);
const cancelled = () => new WarrenError('CANCELLED', 'The transfer was cancelled.', { reason: 'cancelled' });
const smooth = (rate: number, now: number) => Math.max(0, rate === 0 ? now : rate * 0.7 + now * 0.3);
const eta = (total: number, bytes: number, rate: number) => (rate > 0 ? Math.max(0, (total - bytes) / rate) : null);
const secs = (ms: number) => Math.floor(ms / 1000);

/** `.name.1a2b3c4d.warren-part` beside the destination */
const tempName = (files: Files, to: string, id: string) => files.join(files.dirname(to), `.${files.basename(to).slice(0, 200)}.${id.slice(0, 8)}.warren-part`);

/** An error about the temporary file is reported about the file the user asked for (`where`: " on host"). */
function aboutTarget(e: unknown, temp: string, to: string, files: Files, where: string): unknown {
  if (!(e instanceof WarrenError) || e.detail?.path !== temp) return e;
  const dir = files.dirname(to);
  switch (e.detail.reason) {
    case 'permission-denied':
      return fileError('permission-denied', files.side, to, `Permission denied${where}: ${to} cannot be written, because the folder ${dir} is not writable (Warren writes a temporary file beside it, then renames it into place).`);
    case 'no-such-file':
      return fileError('no-such-file', files.side, to, `${to} cannot be written: the folder ${dir} does not exist${where}.`);
    default:
      return new WarrenError(e.code, e.message.split(temp).join(to), { ...e.detail, path: to });
  }
}
const whereOf = (files: Files, label: string) => (files.side === 'remote' ? ` on ${label}` : ' on this computer');

/**
 * The transfer queue: jobs (an enqueued file or folder) made of files, up to MAX_FILES in flight over
 * all hosts, each pipelined within (copy.ts). Every file is written under a temporary name beside its
 * destination and renamed over it only when complete. A lost connection pauses the host's files,
 * keeping what was written; Warren reconnects with backoff and resumes them from there by itself
 * (`resume` does it at once). Progress goes to watchers a few times a second.
 */
export class TransferService {
  private readonly jobs = new Map<string, Job>();
  private readonly tasks = new Map<string, Task>();
  private readonly queued = new Set<Task>();
  private readonly active = new Set<Task>();
  private running = 0;
  private readonly dirtyJobs = new Set<Job>();
  private readonly dirtyTasks = new Set<Task>();
  private removed: string[] = [];
  private readonly listeners = new Set<(e: TransfersEvent) => void>();
  private readonly downloads = new Map<string, { unacked: number; wake(): void }>();
  private readonly ticker: NodeJS.Timeout;
  private lastTick = performance.now();
  private flushing = false;
  /** hosts whose paused files wait to be resumed, by endpoint key */
  private readonly reconnecting = new Map<string, AbortController>();
  private readonly waker = new Waker();
  private totals: TransferTotals = { total: 0, bytes: 0, rate: 0, eta: null, running: 0, queued: 0 };

  constructor(private readonly deps: TransferDeps) {
    this.ticker = setInterval(() => this.tick(), TICK_MS);
    this.ticker.unref();
  }

  // ---------------------------------------------------------------- the contract

  enqueue(i: CallArgs<'transfers.enqueue'>): { ids: string[] } {
    const endpoint = this.deps.endpointOf(i.target);
    const batch: Batch = { policy: i.conflict, turn: Promise.resolve() };
    const jobs = i.items.map((item) => this.newJob(endpoint, i.direction, item.from, item.to, batch, i.preserve));
    let next = 0;
    const scanner = async () => {
      for (let j = jobs[next++]; j; j = jobs[next++]) await this.scan(j);
    };
    for (let n = 0; n < Math.min(SCANS, jobs.length); n++) void scanner();
    return { ids: jobs.map((j) => j.row.id) };
  }

  cancel(id?: string): void {
    for (const job of this.jobsOf(id)) job.scan.abort();
    for (const t of this.tasksOf(id)) {
      if (t.row.state === 'running') {
        t.controller?.abort();
        if (t.upload) void this.abortUpload(t, cancelled());
      } else if (t.row.state === 'queued' || t.row.state === 'paused') {
        this.queued.delete(t);
        this.discard(t);
        this.setState(t, 'cancelled');
        this.settle(t.job);
      }
    }
  }

  retry(id?: string): void {
    for (const job of this.jobsOf(id)) {
      if (job.tasks.length > 0 || job.row.scanning || job.row.from === 'browser') continue;
      job.scanError = null;
      job.row.scanning = true;
      void this.scan(job);
    }
    for (const t of this.tasksOf(id)) {
      if ((t.row.state !== 'failed' && t.row.state !== 'cancelled') || t.browser || t.row.error?.reason === 'refused') continue;
      this.discard(t);
      this.setBytes(t, 0);
      this.requeue(t);
    }
    this.pump();
  }

  resume(id?: string): void {
    for (const t of this.tasksOf(id)) if (t.row.state === 'paused' && !t.browser) this.requeue(t);
    this.pump();
  }

  /** resume from sleep, network back: paused files try now */
  wake(): void {
    this.waker.wake();
  }

  clear(): void {
    for (const job of this.jobs.values()) {
      this.refresh(job);
      if (job.row.scanning || !FINISHED.has(job.row.state)) continue;
      this.jobs.delete(job.row.id);
      this.dirtyJobs.delete(job);
      this.removed.push(job.row.id);
      for (const t of job.tasks) {
        this.tasks.delete(t.row.id);
        this.dirtyTasks.delete(t);
        this.removed.push(t.row.id);
      }
    }
  }

  /** Serves one `transfers.watch` stream: everything now, then changes, until it is aborted. */
  async watch(emit: (e: TransfersEvent) => void, signal: AbortSignal): Promise<void> {
    for (const job of this.jobs.values()) this.refresh(job);
    emit({ reset: true, jobs: [...this.jobs.values()].map((j) => j.row), files: [...this.tasks.values()].map((t) => t.row), removed: [], total: this.totals });
    this.listeners.add(emit);
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    this.listeners.delete(emit);
  }

  // ---------------------------------------------------------------- browser mode: the page's files

  async beginUpload(i: CallArgs<'upload.begin'>): Promise<{ id: string; jobId: string; path: string; skipped: boolean }> {
    const endpoint = this.deps.endpointOf(i.target);
    let job = i.jobId === undefined ? undefined : this.jobs.get(i.jobId);
    if (i.jobId !== undefined && (!job || job.endpoint.key !== endpoint.key || job.row.from !== 'browser')) throw new WarrenError('NOT_FOUND', 'That upload job is gone; begin the upload again.');
    if (job) job.row.kind = 'dir';
    job ??= this.newJob(endpoint, 'upload', 'browser', i.path, { policy: i.conflict, turn: Promise.resolve() }, { mtime: i.mtime !== undefined, mode: false });
    job.row.scanning = false;
    const t = this.add(job, i.path.split('/').pop() ?? i.path, i.path, { kind: 'file', size: i.size, mtime: i.mtime ?? Date.now(), mode: 0o644 }, false, 'browser');
    this.setState(t, 'running');
    const { session, release } = await this.deps.sessions.acquire(endpoint).catch((e: unknown) => Promise.reject(this.finish(t, e)));
    try {
      await this.makeParents(session.files, session.files.dirname(i.path));
      if (!(await this.destination(t, session.files))) {
        release();
        this.finish(t, 'skipped');
        return { id: t.row.id, jobId: job.row.id, path: t.row.to, skipped: true };
      }
      const temp = (t.temp = tempName(session.files, t.row.to, t.row.id));
      const handle = await session.files.open(temp, 'write').catch((e: unknown) => Promise.reject(aboutTarget(e, temp, t.row.to, session.files, whereOf(session.files, session.label))));
      const timer = setTimeout(() => void this.abortUpload(t, new WarrenError('CANCELLED', `The page stopped sending ${t.row.to}.`, { reason: 'cancelled' })), BROWSER_IDLE_MS);
      t.upload = { files: session.files, where: whereOf(session.files, session.label), handle, next: 0, received: 0, timer, release };
      return { id: t.row.id, jobId: job.row.id, path: t.row.to, skipped: false };
    } catch (e) {
      release();
      throw this.finish(t, e);
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
    const refuse = (why: string) => this.abortUpload(t, new WarrenError('BAD_REQUEST', `Upload of ${t.row.to} stopped: ${why}. Nothing was kept; begin the upload again.`, { side: 'remote', path: t.row.to }));
    if (offset !== u.next) throw await refuse(`a chunk at byte ${offset} arrived where byte ${u.next} was due (chunks are sent in order, each where the last ended)`);
    if (offset + data.byteLength > t.row.size) throw await refuse(`a chunk ending at byte ${offset + data.byteLength} goes past the ${t.row.size} bytes upload.begin declared`);
    u.next += data.byteLength;
    u.timer.refresh();
    try {
      await u.handle.write(Buffer.from(data.buffer, data.byteOffset, data.byteLength), 0, data.byteLength, offset);
    } catch (e) {
      throw await this.abortUpload(t, aboutTarget(e, t.temp!, t.row.to, u.files, u.where));
    }
    u.received += data.byteLength;
    this.progress(t, data.byteLength);
  }

  async endUpload(id: string): Promise<void> {
    const t = this.uploading(id);
    const u = t.upload!;
    if (u.received !== t.row.size) throw new WarrenError('BAD_REQUEST', `${t.row.to}: ${u.received} of ${t.row.size} bytes arrived; send the rest before ending the upload.`);
    const temp = t.temp!;
    t.upload = null;
    clearTimeout(u.timer);
    try {
      await u.handle.close();
      await this.place(t, u.files);
      this.finish(t, 'done');
    } catch (e) {
      await u.files.unlink(temp).catch(() => {});
      t.temp = null;
      throw this.finish(t, aboutTarget(e, temp, t.row.to, u.files, u.where));
    } finally {
      u.release();
    }
  }

  /** Stops a browser upload and drops its partial file; returns the reason, for rethrowing. */
  private async abortUpload(t: Task, why: unknown): Promise<unknown> {
    const u = t.upload;
    if (!u) return why;
    t.upload = null;
    clearTimeout(u.timer);
    await u.handle.close().catch(() => {});
    await u.files.unlink(t.temp!).catch(() => {});
    t.temp = null;
    u.release();
    return this.finish(t, why);
  }

  /** Serves a `download.file` stream: the file's bytes in order, pausing while the page is behind. */
  async download(target: CallArgs<'transfers.enqueue'>['target'], path: string, emit: (e: StreamEvent<'download.file'>) => void, signal: AbortSignal): Promise<void> {
    const endpoint = this.deps.endpointOf(target);
    const job = this.newJob(endpoint, 'download', path, 'browser', { policy: 'overwrite', turn: Promise.resolve() }, { mtime: false, mode: false });
    job.row.scanning = false;
    await this.deps.sessions.use(endpoint, async (s) => {
      const st = await s.files.stat(path).catch((e: unknown) => Promise.reject(this.noStart(job, e)));
      if (st?.kind !== 'file') throw this.noStart(job, fileError(st ? 'other' : 'no-such-file', 'remote', path, st ? `${path} is not a regular file.` : `${path} does not exist on ${s.label}.`));
      // the browser saves it under this name
      const name = s.files.basename(path);
      const why = unsafeNameReason(name);
      if (why !== null) throw this.noStart(job, refusedName(path, name, why, { server: s.label, folder: 'the browser\'s downloads', outcome: 'It is not downloaded.' }));
      const t = this.add(job, path, 'browser', st, true, 'browser');
      const controller = (t.controller = new AbortController());
      const flow = { unacked: 0, wake: () => {} };
      const wake = () => flow.wake();
      if (signal.aborted) controller.abort();
      signal.addEventListener('abort', () => controller.abort(), { once: true });
      controller.signal.addEventListener('abort', wake, { once: true });
      this.setState(t, 'running');
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
          for (let got = 0; got < len; ) {
            const n = await src.read(b, got, len - got, at + got);
            if (n === 0) throw fileError('other', 'remote', path, `${path} got shorter while it was being downloaded; try again.`);
            got += n;
          }
          return bytes;
        };
        const reads: Promise<Uint8Array<ArrayBuffer>>[] = [];
        for (let pos = 0; pos < st.size || reads.length > 0; ) {
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
          this.progress(t, data.length);
        }
        this.finish(t, 'done');
      } catch (e) {
        const err = this.finish(t, e);
        if (!signal.aborted) throw err;
      } finally {
        this.downloads.delete(t.row.id);
        await h?.close().catch(() => {});
      }
    });
  }

  private noStart(job: Job, e: unknown): unknown {
    job.scanError = failureOf(e, { side: 'remote', path: job.row.from });
    this.settle(job);
    return e;
  }

  ack(id: string, bytes: number): void {
    const flow = this.downloads.get(id);
    if (!flow) return; // it ended while the acknowledgement was on its way
    flow.unacked = Math.max(0, flow.unacked - bytes);
    flow.wake();
  }

  close(): void {
    clearInterval(this.ticker);
    for (const c of this.reconnecting.values()) c.abort();
    this.cancel();
  }

  // ---------------------------------------------------------------- jobs and their files

  private newJob(endpoint: Endpoint, direction: Direction, from: string, to: string, batch: Batch, preserve: Job['preserve']): Job {
    const row: TransferJob = { id: randomUUID(), direction, host: endpoint.label, from, to, kind: 'file', state: 'queued', scanning: true, files: 0, filesDone: 0, total: 0, bytes: 0, rate: 0, eta: null, error: null, retryAt: null, createdAt: Date.now() };
    const counts = { queued: 0, running: 0, paused: 0, done: 0, skipped: 0, failed: 0, cancelled: 0 };
    const job: Job = { row, endpoint, batch, preserve, counts, tasks: [], dirs: [], scan: new AbortController(), scanError: null, seen: 0 };
    this.jobs.set(row.id, job);
    this.dirtyJobs.add(job);
    return job;
  }

  private sides(job: Job, s: SftpSession): [Files, Files] {
    return job.row.direction === 'upload' ? [this.deps.local, s.files] : [s.files, this.deps.local];
  }

  /** Finds what a job is: a file becomes its one task; a folder is walked, its folders made on the other side as it goes. */
  private async scan(job: Job): Promise<void> {
    const { from, to } = job.row;
    const srcSide: Side = job.row.direction === 'upload' ? 'local' : 'remote';
    try {
      await this.deps.sessions.use(job.endpoint, async (s) => {
        const [src, dst] = this.sides(job, s);
        const top = await src.stat(from); // a top-level symlink is followed
        if (!top) throw fileError('no-such-file', src.side, from, `${from} does not exist${src.side === 'remote' ? ` on ${s.label}` : ' on this computer'}.`);
        if (job.scan.signal.aborted) return;
        if (top.kind === 'file') return void this.add(job, from, to, top, false);
        if (top.kind !== 'dir') throw fileError('other', src.side, from, `${from} is not a regular file or a folder, so it is not copied.`);
        job.row.kind = 'dir';
        await this.walk(job, src, dst, from, to, await this.makeDir(job, dst, to, top, false), s.label);
      });
    } catch (e) {
      job.scanError = failureOf(e, { side: srcSide, path: from });
    } finally {
      if (job.scan.signal.aborted) job.scanError ??= failureOf(cancelled(), { side: srcSide, path: from });
      job.row.scanning = false;
      this.settle(job);
    }
  }

  /**
   * A folder's entries join the job, its folders walked in turn. From a host, a name that cannot be one
   * file in the folder it would be written into (`../x`, `/etc/y`, `a/b`, a control character) is refused:
   * it fails in the job, by name, and nothing is written for it; the others are copied.
   */
  private async walk(job: Job, src: Files, dst: Files, dir: string, to: string, fresh: boolean, label: string): Promise<void> {
    const listed = await src.readdir(dir);
    const entries = src.side === 'remote' ? listed.filter((e) => !this.refuse(job, e, dir, to, fresh, label)) : listed;
    const links = entries.filter((e) => e.kind === 'symlink');
    const targets = new Map(await Promise.all(links.map(async (e) => [e.name, await src.readlink(src.join(dir, e.name))] as const)));
    if (job.scan.signal.aborted) return;
    for (const e of entries) {
      const from = src.join(dir, e.name);
      const dest = dst.join(to, e.name);
      if (e.kind === 'file') this.add(job, from, dest, e, fresh);
      else if (e.kind === 'symlink') this.add(job, from, dest, { ...e, linkTarget: targets.get(e.name)! }, fresh);
      else if (e.kind === 'other') {
        const t = this.add(job, from, dest, { ...e, size: 0 }, fresh, 'hold');
        this.setState(t, 'skipped', { path: from, side: src.side, reason: 'other', message: `${from} is not a regular file, folder or symlink (a device, socket or pipe), so it is not copied.` });
      }
    }
    for (const e of entries) {
      if (e.kind !== 'dir') continue;
      const dest = dst.join(to, e.name);
      await this.walk(job, src, dst, src.join(dir, e.name), dest, await this.makeDir(job, dst, dest, e, fresh), label);
    }
  }

  /** A name from the host that cannot be written: true, and it is a failed file of the job (never retried). */
  private refuse(job: Job, e: Stat & { name: string }, dir: string, to: string, fresh: boolean, label: string): boolean {
    const why = unsafeLocalName(e.name);
    if (why === null) return false;
    // the paths as the host gave them, never joined: a join would resolve the `..` in them
    const from = `${dir.replace(/\/$/, '')}/${e.name}`;
    const t = this.add(job, from, `${to}${sep}${e.name}`, { ...e, size: 0 }, fresh, 'hold');
    this.setState(t, 'failed', failureOf(refusedName(from, e.name, why, { server: label, folder: to, outcome: 'Nothing was written for it; the other files are copied.' }), { side: 'remote', path: from }));
    return true;
  }

  /** Makes a folder unless it is there (then the copy merges into it); true when this made it. */
  private async makeDir(job: Job, dst: Files, path: string, src: Stat, parentFresh: boolean): Promise<boolean> {
    if (!parentFresh) {
      const there = await dst.lstat(path);
      if (there?.kind === 'dir') return false;
      if (there) throw fileError('exists', dst.side, path, `${path} exists and is not a folder, so the folder cannot be copied there.`);
    }
    await dst.mkdir(path, job.preserve.mode ? src.mode & 0o777 : undefined);
    if (job.preserve.mtime) job.dirs.push({ path, mtime: src.mtime });
    return true;
  }

  /** mkdir -p, for a browser upload into folders that do not exist yet */
  private async makeParents(files: Files, dir: string): Promise<void> {
    const there = await files.lstat(dir);
    if (there) return;
    if (files.dirname(dir) !== dir) await this.makeParents(files, files.dirname(dir));
    await files.mkdir(dir).catch(async (e: unknown) => {
      if ((await files.lstat(dir))?.kind !== 'dir') throw e; // made meanwhile by another upload: fine
    });
  }

  /** A file joins its job: queued (and started when there is room), or held (the page drives it, or it is not copied). */
  private add(job: Job, from: string, to: string, src: Task['src'], fresh: boolean, how: 'queue' | 'hold' | 'browser' = 'queue'): Task {
    const size = src.kind === 'file' ? src.size : 0;
    const row: TransferFile = { id: randomUUID(), jobId: job.row.id, from, to, size, bytes: 0, rate: 0, eta: null, state: 'queued', error: null, resumable: false };
    const t: Task = { row, job, src, fresh, temp: null, committed: 0, keepMode: undefined, controller: null, browser: how === 'browser', upload: null, seen: 0 };
    this.tasks.set(row.id, t);
    job.tasks.push(t);
    job.counts.queued++;
    job.row.files++;
    job.row.total += size;
    this.dirtyTasks.add(t);
    this.dirtyJobs.add(job);
    if (how === 'queue') {
      this.queued.add(t);
      this.pump();
    }
    return t;
  }

  private pump(): void {
    while (this.running < MAX_FILES) {
      const t = this.queued.values().next().value;
      if (!t) return;
      this.queued.delete(t);
      this.running++;
      void this.run(t).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async run(t: Task): Promise<void> {
    t.controller = new AbortController();
    this.setState(t, 'running');
    this.setBytes(t, t.committed);
    try {
      const skipped = await this.deps.sessions.use(t.job.endpoint, (s) => this.transfer(t, s));
      this.finish(t, skipped ? 'skipped' : 'done');
    } catch (e) {
      this.finish(t, e);
    }
  }

  /** One file: where it goes (conflict policy), the copy under a temporary name, then into place. True when skipped. */
  private async transfer(t: Task, s: SftpSession): Promise<boolean> {
    const [src, dst] = this.sides(t.job, s);
    const signal = t.controller!.signal;
    if (t.temp === null) {
      if (!(await this.destination(t, dst))) return true;
      t.temp = tempName(dst, t.row.to, t.row.id);
      t.committed = 0;
    }
    if (signal.aborted) throw cancelled();
    const temp = t.temp;
    try {
      if (t.src.kind === 'symlink') await dst.symlink(t.src.linkTarget!, temp);
      else await this.copyFile(t, src, dst, temp, s, signal);
      await this.place(t, dst);
      return false;
    } catch (e) {
      if (failureOf(e, { side: dst.side, path: temp }).reason !== 'connection-lost') {
        await dst.unlink(temp).catch(() => {});
        t.temp = null;
        t.committed = 0;
      }
      throw aboutTarget(e, temp, t.row.to, dst, whereOf(dst, s.label));
    }
  }

  private async copyFile(t: Task, src: Files, dst: Files, temp: string, s: SftpSession, signal: AbortSignal): Promise<void> {
    const from = t.committed > 0 ? Math.min(t.committed, (await dst.lstat(temp))?.size ?? 0) : 0;
    this.setBytes(t, from);
    await copyFile(src, t.row.from, dst, temp, from > 0 ? 'resume' : 'write', {
      from,
      size: t.src.size,
      slots: s.slots,
      signal,
      progress: (n, committed) => {
        t.committed = committed;
        this.progress(t, n);
      },
      changed: () => fileError('other', src.side, t.row.from, `${t.row.from} got shorter while it was being copied; try again.`),
    });
  }

  /** The finished temporary file gets its attributes and takes the destination's name. */
  private async place(t: Task, dst: Files): Promise<void> {
    const temp = t.temp!;
    if (t.src.kind !== 'symlink') {
      const mode = t.job.preserve.mode ? t.src.mode & 0o777 : t.keepMode;
      const mtime = t.job.preserve.mtime ? t.src.mtime : undefined;
      if (mode !== undefined || mtime !== undefined) await dst.setattrs(temp, { mode, mtime });
    }
    await dst.replace(temp, t.row.to);
    t.temp = null;
  }

  /** Settles where the file goes (`t.row.to`) by the conflict policy when something is there; false to skip it. */
  private async destination(t: Task, dst: Files): Promise<boolean> {
    if (t.fresh) return true;
    let existing = await dst.lstat(t.row.to);
    // An upload onto a link to a file replaces the file it points to (the link stays); a dangling link is
    // replaced itself. A download never writes through a link on this computer: the link may be a server's
    // (an earlier download made it, pointing anywhere), so the link itself is what gets replaced.
    if (existing?.kind === 'symlink' && t.src.kind === 'file' && dst.side === 'remote') {
      const real = await dst.realpath(t.row.to).catch(() => null);
      const target = real === null ? null : await dst.stat(real);
      if (real !== null && target?.kind === 'file') {
        t.row.to = real;
        existing = target;
      }
    }
    if (!existing) return true;
    if (existing.kind === 'dir') throw fileError('exists', dst.side, t.row.to, `${t.row.to} is a folder; a file cannot replace it.`);
    const choice = await this.choose(t, existing);
    if (choice === 'skip' || (choice === 'newer' && secs(t.src.mtime) <= secs(existing.mtime))) return false;
    if (choice === 'rename') t.row.to = await freeName(dst, t.row.to);
    else if (existing.kind === 'file') t.keepMode = existing.mode; // a link's 0777 is not a file's
    this.dirtyTasks.add(t);
    return true;
  }

  private choose(t: Task, existing: Stat): Promise<ConflictChoice> | ConflictChoice {
    const batch = t.job.batch;
    if (batch.policy !== 'ask') return batch.policy;
    const turn = batch.turn.then(async (): Promise<ConflictChoice> => {
      if (batch.policy !== 'ask') return batch.policy;
      const answer = await this.deps.prompts.ask(
        { kind: 'conflict', direction: t.job.row.direction, path: t.row.to, source: t.row.from, existing: { kind: existing.kind, size: existing.size, mtime: existing.mtime }, incoming: { size: t.src.size, mtime: t.src.mtime } },
        CONFLICT_TIMEOUT_MS,
      );
      if (!('conflict' in answer)) throw new WarrenError('CANCELLED', `You did not say what to do with ${t.row.to}.`, { reason: 'cancelled' });
      if (answer.applyToAll) batch.policy = answer.conflict;
      return answer.conflict;
    });
    batch.turn = turn.catch(() => {});
    return turn;
  }

  /** A file is over: done or skipped, or the error that stopped it (returned, for rethrowing). */
  private finish(t: Task, outcome: unknown): unknown {
    t.controller = null;
    if (outcome === 'done' || outcome === 'skipped') {
      if (outcome === 'skipped') t.job.row.total -= t.row.size;
      this.setState(t, outcome);
    } else {
      const error = failureOf(outcome, { side: t.job.row.direction === 'upload' ? 'remote' : 'local', path: t.row.to });
      // not about a file (the host could not be reached, nobody answered a question): the host's waiting files stop too
      const hostWide = !(outcome instanceof WarrenError && typeof outcome.detail?.path === 'string');
      const state = error.reason === 'cancelled' ? 'cancelled' : error.reason === 'connection-lost' && !t.browser ? 'paused' : 'failed';
      this.setState(t, state, error);
      if (state === 'paused' || (state === 'failed' && hostWide)) this.stopHost(t, state, error);
      if (state === 'paused') void this.reconnect(t.job.endpoint);
    }
    this.settle(t.job);
    return outcome;
  }

  /**
   * A host's files were paused by a lost connection: wait (backoff), reconnect, and resume them, until
   * that works, none is left paused, or the failure is one trying again cannot fix (authentication,
   * host key), which then shows on the paused files.
   */
  private async reconnect(endpoint: Endpoint): Promise<void> {
    if (this.reconnecting.has(endpoint.key)) return;
    const controller = new AbortController();
    this.reconnecting.set(endpoint.key, controller);
    const paused = () => [...this.tasks.values()].filter((t) => t.row.state === 'paused' && !t.browser && t.job.endpoint.key === endpoint.key);
    const scheduled = new Set<Job>();
    const schedule = (at: number | null) => {
      for (const job of at === null ? scheduled : new Set(paused().map((t) => t.job))) {
        job.row.retryAt = at;
        scheduled.add(job);
        this.dirtyJobs.add(job);
      }
    };
    try {
      for (let attempt = 1; paused().length > 0; attempt++) {
        const delay = retryDelay(attempt, this.deps.backoff);
        schedule(Date.now() + delay);
        if (!(await this.waker.sleep(delay, controller.signal))) return;
        if (paused().length === 0) return;
        try {
          await this.deps.sessions.use(endpoint, async () => {});
        } catch (e) {
          const error = asWarrenError(e);
          if (!isFinal(error)) continue;
          const message = `${error.message} Warren stopped reconnecting by itself: resume once that is fixed.`;
          for (const t of paused()) this.setState(t, 'paused', { ...failureOf(error, { side: 'remote', path: t.row.to }), message });
          return;
        }
        for (const t of paused()) this.requeue(t);
        this.pump();
      }
    } finally {
      schedule(null);
      this.reconnecting.delete(endpoint.key);
    }
  }

  /** The files waiting for the same host stop as `t` did: paused until `resume`, or failed. */
  private stopHost(t: Task, state: 'paused' | 'failed', error: FileError): void {
    for (const q of [...this.queued]) {
      if (q.job.endpoint.key !== t.job.endpoint.key) continue;
      this.queued.delete(q);
      this.setState(q, state, error);
      this.settle(q.job);
    }
  }

  private requeue(t: Task): void {
    this.setState(t, 'queued', null);
    this.queued.add(t);
  }

  /** Drops a partial copy nobody will resume (best effort). */
  private discard(t: Task): void {
    const temp = t.temp;
    t.temp = null;
    t.committed = 0;
    if (temp === null) return;
    const remove = (files: Files) => files.unlink(temp).catch(() => {});
    if (t.job.row.direction === 'download') void remove(this.deps.local);
    else void this.deps.sessions.use(t.job.endpoint, (s) => remove(s.files)).catch(() => {});
  }

  /** A job with nothing left to do dates the folders it made; when the whole queue is done, watchers hear it at once. */
  private settle(job: Job): void {
    this.dirtyJobs.add(job);
    if (!this.flushing && this.active.size === 0 && this.queued.size === 0 && ![...this.jobs.values()].some((j) => j.row.scanning)) {
      this.flushing = true;
      setImmediate(() => {
        this.flushing = false;
        this.tick();
      });
    }
    const c = job.counts;
    if (job.row.scanning || c.queued + c.running + c.paused > 0 || job.dirs.length === 0) return;
    const dirs = job.dirs.splice(0).reverse(); // deepest first: dating a folder's children changes its own time
    const date = async (dst: Files) => {
      for (const d of dirs) await dst.setattrs(d.path, { mtime: d.mtime }).catch(() => {});
    };
    if (job.row.direction === 'download') void date(this.deps.local);
    else void this.deps.sessions.use(job.endpoint, (s) => date(s.files)).catch(() => {});
  }

  private uploading(id: string): Task {
    const t = this.tasks.get(id);
    if (!t?.upload) throw new WarrenError('NOT_FOUND', t ? `The upload of ${t.row.to} is over (${t.row.state}).` : 'There is no such upload; begin it again.');
    return t;
  }

  private jobsOf(id: string | undefined): Job[] {
    if (id === undefined) return [...this.jobs.values()];
    const job = this.jobs.get(id);
    return job ? [job] : [];
  }

  private tasksOf(id: string | undefined): Task[] {
    if (id === undefined) return [...this.tasks.values()];
    const job = this.jobs.get(id);
    if (job) return job.tasks;
    const t = this.tasks.get(id);
    if (!t) throw new WarrenError('NOT_FOUND', 'There is no such transfer; it may have been cleared.');
    return [t];
  }

  // ---------------------------------------------------------------- progress

  private setState(t: Task, state: TransferState, error?: FileError | null): void {
    const job = t.job;
    job.counts[t.row.state]--;
    job.counts[state]++;
    if (state === 'running') this.active.add(t);
    else this.active.delete(t);
    if (FINISHED.has(state) && !FINISHED.has(t.row.state)) job.row.filesDone++;
    if (!FINISHED.has(state) && FINISHED.has(t.row.state)) job.row.filesDone--;
    t.row.state = state;
    if (error !== undefined) t.row.error = error;
    t.row.resumable = state === 'paused' && t.temp !== null;
    if (state !== 'running') {
      t.row.rate = 0;
      t.row.eta = null;
    }
    this.dirtyTasks.add(t);
    this.dirtyJobs.add(job);
  }

  private progress(t: Task, bytes: number): void {
    t.row.bytes += bytes;
    t.job.row.bytes += bytes;
  }

  private setBytes(t: Task, bytes: number): void {
    t.job.row.bytes += bytes - t.row.bytes;
    t.row.bytes = bytes;
    t.seen = bytes;
    this.dirtyTasks.add(t);
  }

  private refresh(job: Job): void {
    const c = job.counts;
    job.row.error = job.scanError ?? job.tasks.find((t) => t.row.state === 'failed' || t.row.state === 'paused')?.row.error ?? null;
    const finished = c.done + c.skipped + c.failed + c.cancelled;
    job.row.state =
      c.running > 0 || job.row.scanning ? 'running'
      : c.queued > 0 ? (finished + c.paused > 0 ? 'running' : 'queued')
      : c.paused > 0 ? 'paused'
      : c.failed > 0 || (job.scanError !== null && job.scanError.reason !== 'cancelled') ? 'failed'
      : c.cancelled > 0 || job.scanError !== null ? 'cancelled'
      : c.skipped > 0 && c.skipped === job.row.files ? 'skipped'
      : 'done';
    if (job.row.state !== 'running') job.row.rate = 0;
    if (job.row.state !== 'paused') job.row.retryAt = null;
    job.row.eta = job.row.state === 'running' ? eta(job.row.total, job.row.bytes, job.row.rate) : null;
  }

  /** Rates and ETAs, then one event with what changed since the last. */
  private tick(): void {
    const now = performance.now();
    const dt = (now - this.lastTick) / 1000;
    this.lastTick = now;
    if (this.active.size === 0 && this.dirtyJobs.size === 0 && this.dirtyTasks.size === 0 && this.removed.length === 0) return;
    const busy = new Set<Job>();
    for (const t of this.active) {
      t.row.rate = smooth(t.row.rate, (t.row.bytes - t.seen) / dt);
      t.seen = t.row.bytes;
      t.row.eta = eta(t.row.size, t.row.bytes, t.row.rate);
      this.dirtyTasks.add(t);
      busy.add(t.job);
    }
    let total = 0;
    let bytes = 0;
    let rate = 0;
    for (const job of this.jobs.values()) {
      if (busy.has(job)) {
        job.row.rate = smooth(job.row.rate, Math.max(0, job.row.bytes - job.seen) / dt);
        this.dirtyJobs.add(job);
      }
      job.seen = job.row.bytes;
      if (this.dirtyJobs.has(job)) this.refresh(job);
      if (job.row.state === 'running' || job.row.state === 'queued') {
        total += job.row.total;
        bytes += job.row.bytes;
        rate += job.row.rate;
      }
    }
    const queued = [...this.jobs.values()].reduce((n, j) => n + j.counts.queued, 0);
    this.totals = { total, bytes, rate, eta: eta(total, bytes, rate), running: this.active.size, queued };
    if (this.dirtyJobs.size === 0 && this.dirtyTasks.size === 0 && this.removed.length === 0) return;
    const event: TransfersEvent = { reset: false, jobs: [...this.dirtyJobs].map((j) => j.row), files: [...this.dirtyTasks].map((t) => t.row), removed: this.removed, total: this.totals };
    this.dirtyJobs.clear();
    this.dirtyTasks.clear();
    this.removed = [];
    for (const l of this.listeners) l(event);
  }
}

/** `name (1).ext`, `name (2).ext`, …: the first name free beside `to` */
async function freeName(files: Files, to: string): Promise<string> {
  const dir = files.dirname(to);
  const base = files.basename(to);
  const dot = base.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [base.slice(0, dot), base.slice(dot)] : [base, ''];
  for (let n = 1; n < 1000; n++) {
    const candidate = files.join(dir, `${stem} (${n})${ext}`);
    if (!(await files.lstat(candidate))) return candidate;
  }
  throw fileError('exists', files.side, to, `${to} exists, and so do ${stem} (1)${ext} to (999).`);
}
