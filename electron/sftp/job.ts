// What the transfer queue is made of, shared by its modules: a job (one enqueued file or folder, or
// one browser upload or download) and its files (tasks), with the state each carries from the walk to
// the copy, the conflict policy, the reconnect and the progress rows.
import { WarrenError } from '../../shared/errors.js';
import type { ConflictPolicy, FileError, TransferFile, TransferJob, TransferState } from '../../shared/sftp.js';
import type { Endpoint } from '../ssh/connections.js';
import type { Files, Handle, Stat } from './files.js';

/** one enqueue call: its conflict policy, which "apply to all" changes for the rest of it */
export interface Batch {
  policy: ConflictPolicy;
  /** conflict questions are asked one at a time, so an "apply to all" answers the ones waiting */
  turn: Promise<unknown>;
}

export interface Job {
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

export interface Task {
  row: TransferFile;
  job: Job;
  src: Stat & { linkTarget?: string };
  /** its folder was made by this job, so nothing can be in the way */
  fresh: boolean;
  /** the temporary name beside the destination the copy is written under, while one exists */
  temp: string | null;
  /** how far `temp` is written without a gap: where a resume starts (copied in parts: the bytes the parts have written) */
  committed: number;
  /** a copy in parts (copyInParts): each part's range and how far it is written without a gap */
  parts: { start: number; end: number; committed: number }[] | null;
  /** the permissions of the file it replaces, kept on the new one */
  keepMode: number | undefined;
  controller: AbortController | null;
  /** the bytes come from the page (upload.*) or go to it (a download link) */
  browser: boolean;
  /** `next`: where the next chunk must start (chunks are taken in order); `received`: bytes written */
  upload: { files: Files; where: string; handle: Handle; next: number; received: number; timer: NodeJS.Timeout; release(): void } | null;
  seen: number;
}

/** how a file joins its job: queued (started when there is room), or held (the page drives it, or it is not copied) */
export type How = 'queue' | 'hold' | 'browser';

export const FINISHED: ReadonlySet<TransferState> = new Set(['done', 'skipped', 'failed', 'cancelled']);

export const cancelled = () => new WarrenError('CANCELLED', 'The transfer was cancelled.', { reason: 'cancelled' });

/** [where a job's files come from, where they go] */
export const sides = (job: Job, local: Files, remote: Files): [Files, Files] => (job.row.direction === 'upload' ? [local, remote] : [remote, local]);
