// The rows the contract shows for the transfer queue: every job and file, their states and counts,
// bytes, rates and ETAs, the totals, and the transfers.watch events — everything now, then what
// changed, a few times a second (or at once when the whole queue is done).
import { randomUUID } from 'node:crypto';
import type { Direction, FileError, TransferFile, TransferJob, TransfersEvent, TransferState, TransferTotals } from '../../shared/sftp.js';
import type { Endpoint } from '../ssh/connections.js';
import { unlessAborted } from '../ssh/retry.js';
import { FINISHED, type Batch, type Job, type Task } from './job.js';

const TICK_MS = 250;

const smooth = (rate: number, now: number) => Math.max(0, rate === 0 ? now : rate * 0.7 + now * 0.3);
const eta = (total: number, bytes: number, rate: number) => (rate > 0 ? Math.max(0, (total - bytes) / rate) : null);

export class Board {
  readonly jobs = new Map<string, Job>();
  readonly tasks = new Map<string, Task>();
  /** the files running now */
  readonly active = new Set<Task>();
  private readonly dirtyJobs = new Set<Job>();
  private readonly dirtyTasks = new Set<Task>();
  private removed: string[] = [];
  private readonly listeners = new Set<(e: TransfersEvent) => void>();
  private readonly ticker: NodeJS.Timeout;
  private lastTick = performance.now();
  private flushing = false;
  private totals: TransferTotals = { total: 0, bytes: 0, rate: 0, eta: null, running: 0, queued: 0 };

  constructor() {
    this.ticker = setInterval(() => this.tick(), TICK_MS);
    this.ticker.unref();
  }

  /** Serves one `transfers.watch` stream: everything now, then changes, until it is aborted. */
  async watch(emit: (e: TransfersEvent) => void, signal: AbortSignal): Promise<void> {
    for (const job of this.jobs.values()) this.refresh(job);
    emit({ reset: true, jobs: [...this.jobs.values()].map((j) => j.row), files: [...this.tasks.values()].map((t) => t.row), removed: [], total: this.totals });
    this.listeners.add(emit);
    await unlessAborted(new Promise<never>(() => {}), signal); // a fresh one each time: nothing piles up on it
    this.listeners.delete(emit);
  }

  newJob(endpoint: Endpoint, direction: Direction, from: string, to: string, batch: Batch, preserve: Job['preserve']): Job {
    const row: TransferJob = {
      id: randomUUID(),
      direction,
      host: endpoint.label,
      from,
      to,
      kind: 'file',
      state: 'queued',
      scanning: true,
      files: 0,
      filesDone: 0,
      total: 0,
      bytes: 0,
      rate: 0,
      eta: null,
      error: null,
      retryAt: null,
      createdAt: Date.now(),
    };
    const counts = { queued: 0, running: 0, paused: 0, done: 0, skipped: 0, failed: 0, cancelled: 0 };
    const job: Job = { row, endpoint, batch, preserve, counts, tasks: [], dirs: [], scan: new AbortController(), scanError: null, seen: 0 };
    this.jobs.set(row.id, job);
    this.dirtyJobs.add(job);
    return job;
  }

  /** A file joins its job, queued; `browser`: the page's bytes, not the queue's. */
  add(job: Job, from: string, to: string, src: Task['src'], fresh: boolean, browser: boolean): Task {
    const size = src.kind === 'file' ? src.size : 0;
    const row: TransferFile = {
      id: randomUUID(),
      jobId: job.row.id,
      from,
      to,
      size,
      bytes: 0,
      rate: 0,
      eta: null,
      state: 'queued',
      error: null,
      resumable: false,
      parts: 1,
    };
    const t: Task = { row, job, src, fresh, temp: null, committed: 0, parts: null, keepMode: undefined, controller: null, browser, upload: null, seen: 0 };
    this.tasks.set(row.id, t);
    job.tasks.push(t);
    job.counts.queued++;
    job.row.files++;
    job.row.total += size;
    this.dirtyTasks.add(t);
    this.dirtyJobs.add(job);
    return t;
  }

  /** Drops the finished jobs (and their files) from the rows. */
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

  setState(t: Task, state: TransferState, error?: FileError | null): void {
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

  progress(t: Task, bytes: number): void {
    t.row.bytes += bytes;
    t.job.row.bytes += bytes;
  }

  setBytes(t: Task, bytes: number): void {
    t.job.row.bytes += bytes - t.row.bytes;
    t.row.bytes = bytes;
    t.seen = bytes;
    this.dirtyTasks.add(t);
  }

  /** a file's row changed: it goes in the next event */
  changed(t: Task): void {
    this.dirtyTasks.add(t);
  }

  /** a job's row changed: it goes in the next event */
  changedJob(job: Job): void {
    this.dirtyJobs.add(job);
  }

  /** the next event now, not at the next tick (the whole queue is done: watchers hear it at once) */
  flushSoon(): void {
    if (this.flushing) return;
    this.flushing = true;
    setImmediate(() => {
      this.flushing = false;
      this.tick();
    });
  }

  close(): void {
    clearInterval(this.ticker);
  }

  private refresh(job: Job): void {
    const c = job.counts;
    job.row.error = job.scanError ?? job.tasks.find((t) => t.row.state === 'failed' || t.row.state === 'paused')?.row.error ?? null;
    const finished = c.done + c.skipped + c.failed + c.cancelled;
    job.row.state =
      c.running > 0 || job.row.scanning
        ? 'running'
        : c.queued > 0
          ? finished + c.paused > 0
            ? 'running'
            : 'queued'
          : c.paused > 0
            ? 'paused'
            : c.failed > 0 || (job.scanError !== null && job.scanError.reason !== 'cancelled')
              ? 'failed'
              : c.cancelled > 0 || job.scanError !== null
                ? 'cancelled'
                : c.skipped > 0 && c.skipped === job.row.files
                  ? 'skipped'
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
    const event: TransfersEvent = {
      reset: false,
      jobs: [...this.dirtyJobs].map((j) => j.row),
      files: [...this.dirtyTasks].map((t) => t.row),
      removed: this.removed,
      total: this.totals,
    };
    this.dirtyJobs.clear();
    this.dirtyTasks.clear();
    this.removed = [];
    for (const l of this.listeners) l(event);
  }
}
