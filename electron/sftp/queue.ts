// The transfer queue's core, TransferService as the contract serves it: jobs in, their files run up
// to MAX_FILES at once over all hosts, each copied under a temporary name and placed; a file's end
// (done, skipped, paused, failed, cancelled) and what it means for its host's other files; cancel,
// retry, resume, clear. The walk (walk.ts), conflicts (conflicts.ts), rows and events (progress.ts),
// browser streaming (browser.ts) and the host reconnect (reconnect.ts) live beside it.
import type { CallArgs } from '../../shared/contract.js';
import type { Prompt, PromptAnswer } from '../../shared/prompts.js';
import { WarrenError } from '../../shared/errors.js';
import type { FileError, TransfersEvent } from '../../shared/sftp.js';
import type { DownloadEvent } from './links.js';
import type { Endpoint } from '../ssh/connections.js';
import { asWarrenError, type Backoff } from '../ssh/retry.js';
import { BrowserTransfers } from './browser.js';
import { destination, type Ask } from './conflicts.js';
import { copyFile } from './copy.js';
import { failureOf, fileError, type Files } from './files.js';
import { cancelled, sides, type How, type Job, type Task } from './job.js';
import { aboutTarget, isTempOf, place, tempName, whereOf } from './partial.js';
import { Board } from './progress.js';
import type { ResumeRecords } from './resume.js';
import { HostReconnects } from './reconnect.js';
import type { SftpChannel, SftpSession, SftpSessions } from './session.js';
import { scan, type WalkDeps } from './walk.js';

/** how long close() waits for cancelled copies to stop and their temporary files to go */
const CLOSE_WAIT_MS = 3000;
/** a file at least this large, on a link at least this long, is copied in parts */
const PARTS_MIN_BYTES = 32 * 1024 * 1024;
const PARTS_MIN_RTT_MS = 10;
/** how many parts such a file is copied in (each SFTP channel's requests in flight are its own) */
export const PARTS = 8;
/** files in flight at once, over all hosts (small files: each is a few round trips, so many overlap) */
const MAX_FILES = 64;
/** jobs of one enqueue walked at once */
const SCANS = 8;

export interface TransferDeps {
  sessions: SftpSessions;
  local: Files;
  endpointOf(target: CallArgs<'transfers.enqueue'>['target']): Promise<Endpoint>;
  prompts: { ask(p: Prompt, timeoutMs?: number): Promise<PromptAnswer> };
  /** how long paused files wait before Warren reconnects and resumes them, attempt after attempt */
  backoff: Backoff;
  /** partial copies an earlier run left, to continue (resume.ts) */
  records: ResumeRecords;
}

/**
 * The transfer queue: jobs (an enqueued file or folder) made of files, up to MAX_FILES in flight over
 * all hosts, each pipelined within (copy.ts). Every file is written under a temporary name beside its
 * destination and renamed over it only when complete. A lost connection pauses the host's files,
 * keeping what was written; Warren reconnects with backoff and resumes them from there by itself
 * (`resume` does it at once). Progress goes to watchers a few times a second.
 */
export class TransferService {
  private readonly board = new Board();
  private readonly queued = new Set<Task>();
  /** temporary files being removed (close waits for them) */
  private readonly removals = new Set<Promise<void>>();
  private running = 0;
  private readonly reconnects: HostReconnects;
  private readonly browser: BrowserTransfers;
  private readonly walk: WalkDeps;
  private readonly ask: Ask = (p, timeoutMs) => this.deps.prompts.ask(p, timeoutMs);

  constructor(private readonly deps: TransferDeps) {
    const board = this.board;
    const settle = (job: Job) => this.settle(job);
    const ask = this.ask;
    this.reconnects = new HostReconnects({ sessions: deps.sessions, board, backoff: deps.backoff, requeue: (t) => this.requeue(t), pump: () => this.pump() });
    this.browser = new BrowserTransfers({
      sessions: deps.sessions,
      endpointOf: deps.endpointOf,
      board,
      ask,
      finish: (t, outcome) => this.finish(t, outcome),
      settle,
    });
    this.walk = { sessions: deps.sessions, local: deps.local, board, add: this.add.bind(this), settle };
  }

  // ---------------------------------------------------------------- the contract

  async enqueue(i: CallArgs<'transfers.enqueue'>): Promise<{ ids: string[] }> {
    const endpoint = await this.deps.endpointOf(i.target);
    const batch = { policy: i.conflict, turn: Promise.resolve() };
    const jobs = i.items.map((item) => this.board.newJob(endpoint, i.direction, item.from, item.to, batch, i.preserve));
    let next = 0;
    const scanner = async () => {
      for (let j = jobs[next++]; j; j = jobs[next++]) await scan(j, this.walk);
    };
    for (let n = 0; n < Math.min(SCANS, jobs.length); n++) void scanner();
    return { ids: jobs.map((j) => j.row.id) };
  }

  cancel(id?: string): void {
    for (const job of this.jobsOf(id)) job.scan.abort();
    for (const t of this.tasksOf(id)) {
      if (t.row.state === 'running') {
        t.controller?.abort();
        if (t.upload) void this.browser.abortUpload(t, cancelled());
      } else if (t.row.state === 'queued' || t.row.state === 'paused') {
        this.queued.delete(t);
        this.discard(t);
        this.board.setState(t, 'cancelled');
        this.settle(t.job);
      }
    }
  }

  retry(id?: string): void {
    for (const job of this.jobsOf(id)) {
      if (job.tasks.length > 0 || job.row.scanning || job.row.from === 'browser' || job.row.to === 'browser') continue; // the page drives those
      job.scanError = null;
      job.row.scanning = true;
      void scan(job, this.walk);
    }
    for (const t of this.tasksOf(id)) {
      if ((t.row.state !== 'failed' && t.row.state !== 'cancelled') || t.browser || t.row.error?.reason === 'refused') continue;
      this.discard(t);
      this.board.setBytes(t, 0);
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
    this.reconnects.wake();
  }

  clear(): void {
    this.board.clear();
  }

  /** Serves one `transfers.watch` stream: everything now, then changes, until it is aborted. */
  watch(emit: (e: TransfersEvent) => void, signal: AbortSignal): Promise<void> {
    return this.board.watch(emit, signal);
  }

  // ---------------------------------------------------------------- browser mode: the page's files (browser.ts)

  beginUpload(i: CallArgs<'upload.begin'>): Promise<{ id: string; jobId: string; path: string; skipped: boolean }> {
    return this.browser.beginUpload(i);
  }

  uploadChunk(id: string, offset: number, data: Uint8Array): Promise<void> {
    return this.browser.uploadChunk(id, offset, data);
  }

  endUpload(id: string): Promise<void> {
    return this.browser.endUpload(id);
  }

  checkDownload(target: CallArgs<'transfers.enqueue'>['target'], path: string): Promise<{ size: number; mtime: number }> {
    return this.browser.checkDownload(target, path);
  }

  download(target: CallArgs<'transfers.enqueue'>['target'], path: string, from: number, emit: (e: DownloadEvent) => void, signal: AbortSignal): Promise<void> {
    return this.browser.download(target, path, from, emit, signal);
  }

  ack(id: string, bytes: number): void {
    this.browser.ack(id, bytes);
  }

  /**
   * Cancels everything and waits (at most CLOSE_WAIT_MS) for the copies under way to stop and for their
   * temporary files to be removed, so a quit or a Ctrl-C of `warren cp` leaves no `.warren-part` behind.
   */
  async close(): Promise<void> {
    this.board.close();
    this.reconnects.close();
    this.cancel();
    const until = performance.now() + CLOSE_WAIT_MS;
    while (this.board.active.size > 0 && performance.now() < until) await new Promise((r) => setTimeout(r, 20));
    await Promise.race([
      Promise.allSettled([...this.removals, this.deps.records.settled()]),
      new Promise((r) => setTimeout(r, Math.max(0, until - performance.now()))),
    ]);
  }

  // ---------------------------------------------------------------- running files

  /** A file joins its job: queued (and started when there is room), or held (the page drives it, or it is not copied). */
  private add(job: Job, from: string, to: string, src: Task['src'], fresh: boolean, how: How = 'queue'): Task {
    const t = this.board.add(job, from, to, src, fresh, how === 'browser');
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
    this.board.setState(t, 'running');
    this.board.setBytes(t, t.committed);
    try {
      const skipped = await this.deps.sessions.use(t.job.endpoint, (s) => this.transfer(t, s));
      this.finish(t, skipped ? 'skipped' : 'done');
    } catch (e) {
      this.finish(t, e);
    }
  }

  /** One file: where it goes (conflict policy), the copy under a temporary name, then into place. True when skipped. */
  private async transfer(t: Task, s: SftpSession): Promise<boolean> {
    const [src, dst] = sides(t.job, this.deps.local, s.files);
    const signal = t.controller!.signal;
    if (t.temp === null) {
      if (!(await destination(t, dst, this.ask, () => this.board.changed(t)))) return true;
      // the same copy, stopped in an earlier run (killed, crashed): on from what it wrote
      const earlier = await this.deps.records.load(t);
      const left = earlier && isTempOf(dst, earlier.temp, t.row.to) ? await dst.lstat(earlier.temp) : null;
      if (earlier && left?.kind === 'file') {
        t.temp = earlier.temp;
        t.committed = earlier.committed;
        t.parts = earlier.parts;
      } else {
        t.temp = tempName(dst, t.row.to, t.row.id);
        t.committed = 0;
        t.parts = null;
      }
    }
    if (signal.aborted) throw cancelled();
    const temp = t.temp;
    try {
      if (t.src.kind === 'symlink') await dst.symlink(t.src.linkTarget!, temp);
      else await this.copyFile(t, src, dst, temp, s, signal);
      await place(t, dst);
      return false;
    } catch (e) {
      if (failureOf(e, { side: dst.side, path: temp }).reason !== 'connection-lost') {
        await dst.unlink(temp).catch(() => {});
        t.temp = null;
        t.committed = 0;
        t.parts = null;
      }
      throw aboutTarget(e, temp, t.row.to, dst, whereOf(dst, s.label));
    }
  }

  private async copyFile(t: Task, src: Files, dst: Files, temp: string, s: SftpSession, signal: AbortSignal): Promise<void> {
    // (a copy paused in one stream goes on in one stream: its gap-free prefix is what it has)
    if (t.parts !== null || (t.committed === 0 && t.src.size >= PARTS_MIN_BYTES && (s.rttMs() ?? 0) >= PARTS_MIN_RTT_MS))
      return this.copyInParts(t, src, dst, temp, s, signal);
    const from = t.committed > 0 ? Math.min(t.committed, (await dst.lstat(temp))?.size ?? 0) : 0;
    this.board.setBytes(t, from);
    await copyFile(src, t.row.from, dst, temp, from > 0 ? 'resume' : 'write', {
      from,
      size: t.src.size,
      slots: s.slots,
      signal,
      progress: (n, committed) => {
        t.committed = committed;
        this.board.progress(t, n);
        this.deps.records.note(t);
      },
      changed: () => fileError('other', src.side, t.row.from, `${t.row.from} got shorter while it was being copied; try again.`),
    });
  }

  /**
   * A large file on a long link, in PARTS ranges copied at once, each on an SFTP channel of its own on
   * the host's connection (one channel's window caps what one stream carries per round trip; sshd's is
   * 2 MiB, so an upload 50 ms away tops out near 40 MB/s on one). Each part writes its range in place in
   * the temporary file and keeps its own gap-free prefix, which a resume continues from. A server that
   * refuses more channels gets the parts on fewer (at worst the session's own).
   */
  private async copyInParts(t: Task, src: Files, dst: Files, temp: string, s: SftpSession, signal: AbortSignal): Promise<void> {
    const size = t.src.size;
    const temporary = t.parts === null ? null : await dst.lstat(temp);
    // no temporary file, or one shorter than a part claims (it was changed meanwhile): start again
    if (t.parts === null || temporary === null || t.parts.some((p) => p.committed > p.start && p.committed > temporary.size)) {
      const step = Math.ceil(size / PARTS);
      t.parts = Array.from({ length: PARTS }, (_, i) => ({ start: i * step, end: Math.min(size, (i + 1) * step), committed: i * step })).filter(
        (p) => p.start < p.end,
      );
      await (await dst.open(temp, 'write')).close();
    }
    if (signal.aborted) throw cancelled();
    const parts = t.parts;
    const done = () => parts.reduce((n, p) => n + (p.committed - p.start), 0);
    t.committed = done();
    this.board.setBytes(t, t.committed);
    const waiting = parts.filter((p) => p.committed < p.end);
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) stop.abort();
    const local = this.deps.local;
    let failure: unknown = null;
    /** one channel's worker: the parts still waiting, one after another, until none is left or one failed */
    const work = async (ch: { files: Files; slots: SftpSession['slots'] }) => {
      const [from, to] = t.job.row.direction === 'upload' ? [local, ch.files] : [ch.files, local];
      for (let p = waiting.shift(); p && failure === null; p = waiting.shift()) {
        const part = p;
        try {
          await copyFile(from, t.row.from, to, temp, 'resume', {
            from: part.committed,
            size: part.end,
            slots: ch.slots,
            signal: stop.signal,
            progress: (n, committed) => {
              part.committed = committed;
              t.committed = done();
              this.board.progress(t, n);
              this.deps.records.note(t);
            },
            changed: () => fileError('other', src.side, t.row.from, `${t.row.from} got shorter while it was being copied; try again.`),
          });
        } catch (e) {
          failure ??= e;
          stop.abort();
        }
      }
    };
    // the session's own channel starts at once; a channel for each other part joins as the server opens it
    // (three round trips each: 150 ms of nothing moving 50 ms away, had they all been waited for), as many
    // as the session grants; one that opens when no part is left closes again
    const extra: SftpChannel[] = [];
    t.row.parts = 1;
    this.board.changed(t);
    const others = waiting.length - 1; // counted before the first worker takes its part
    try {
      await Promise.all([
        work(s),
        ...Array.from({ length: others }, async () => {
          const ch = await s.extraChannel(stop.signal);
          if (ch === null) return;
          extra.push(ch);
          if (waiting.length === 0 || failure !== null) return;
          t.row.parts++;
          this.board.changed(t);
          await work(ch);
        }),
      ]);
    } finally {
      signal.removeEventListener('abort', onAbort);
      for (const ch of extra) ch.close();
    }
    if (signal.aborted) throw cancelled();
    if (failure !== null) throw failure;
  }

  // ---------------------------------------------------------------- a file's end, and its host's

  /** A file is over: done or skipped, or the error that stopped it (returned, for rethrowing). */
  private finish(t: Task, outcome: unknown): unknown {
    t.controller = null;
    // a partial copy kept (paused by a lost connection) can be continued, by this run or a later one
    if (t.temp === null) this.deps.records.drop(t);
    if (outcome === 'done' || outcome === 'skipped') {
      if (outcome === 'skipped') t.job.row.total -= t.row.size;
      this.board.setState(t, outcome);
    } else {
      const error = failureOf(outcome, { side: t.job.row.direction === 'upload' ? 'remote' : 'local', path: t.row.to });
      // not about a file (the host could not be reached, nobody answered a question): the host's waiting files stop too
      const hostWide = !(outcome instanceof WarrenError && typeof outcome.detail?.path === 'string');
      const state = error.reason === 'cancelled' ? 'cancelled' : error.reason === 'connection-lost' && !t.browser ? 'paused' : 'failed';
      this.board.setState(t, state, error);
      if (state === 'paused' || (state === 'failed' && hostWide)) this.stopHost(t, state, error);
      if (state === 'paused') this.reconnects.start(t.job.endpoint, asWarrenError(outcome));
    }
    this.settle(t.job);
    return outcome;
  }

  /** The files waiting for the same host stop as `t` did: paused until `resume`, or failed. */
  private stopHost(t: Task, state: 'paused' | 'failed', error: FileError): void {
    for (const q of [...this.queued]) {
      if (q.job.endpoint.key !== t.job.endpoint.key) continue;
      this.queued.delete(q);
      this.board.setState(q, state, error);
      this.settle(q.job);
    }
  }

  private requeue(t: Task): void {
    this.board.setState(t, 'queued', null);
    this.queued.add(t);
  }

  /** Drops a partial copy nobody will resume (best effort). */
  private discard(t: Task): void {
    const temp = t.temp;
    t.temp = null;
    t.committed = 0;
    t.parts = null;
    this.deps.records.drop(t);
    if (temp === null) return;
    const remove = (files: Files) => files.unlink(temp).catch(() => {});
    const removal =
      t.job.row.direction === 'download' ? remove(this.deps.local) : this.deps.sessions.use(t.job.endpoint, (s) => remove(s.files)).catch(() => {});
    this.removals.add(removal);
    void removal.finally(() => this.removals.delete(removal));
  }

  /** A job with nothing left to do dates the folders it made; when the whole queue is done, watchers hear it at once. */
  private settle(job: Job): void {
    this.board.changedJob(job);
    if (this.board.active.size === 0 && this.queued.size === 0 && ![...this.board.jobs.values()].some((j) => j.row.scanning)) this.board.flushSoon();
    const c = job.counts;
    if (job.row.scanning || c.queued + c.running + c.paused > 0 || job.dirs.length === 0) return;
    const dirs = job.dirs.splice(0).reverse(); // deepest first: dating a folder's children changes its own time
    const date = async (dst: Files) => {
      for (const d of dirs) await dst.setattrs(d.path, { mtime: d.mtime }).catch(() => {});
    };
    if (job.row.direction === 'download') void date(this.deps.local);
    else void this.deps.sessions.use(job.endpoint, (s) => date(s.files)).catch(() => {});
  }

  private jobsOf(id: string | undefined): Job[] {
    if (id === undefined) return [...this.board.jobs.values()];
    const job = this.board.jobs.get(id);
    return job ? [job] : [];
  }

  private tasksOf(id: string | undefined): Task[] {
    if (id === undefined) return [...this.board.tasks.values()];
    const job = this.board.jobs.get(id);
    if (job) return job.tasks;
    const t = this.board.tasks.get(id);
    if (!t) throw new WarrenError('NOT_FOUND', 'There is no such transfer; it may have been cleared.');
    return [t];
  }
}
