import { useState } from 'react';
import type { Direction, TransferFile, TransferJob, TransfersEvent, TransferState, TransferTotals } from '../../../shared/sftp.js';
import { useStream } from '../../lib/useStream.js';
import { baseName, separatorOf } from './paths.js';

/** The transfer queue as `transfers.watch` describes it. */
export interface Transfers {
  jobs: ReadonlyMap<string, TransferJob>;
  files: ReadonlyMap<string, TransferFile>;
  total: TransferTotals;
}

const none: Transfers = { jobs: new Map(), files: new Map(), total: { total: 0, bytes: 0, rate: 0, eta: null, running: 0, queued: 0 } };

/** A reset replaces everything; later events bring only what changed, and what was cleared. */
function applyTransfers(state: Transfers, e: TransfersEvent): Transfers {
  const jobs = new Map(e.reset ? [] : state.jobs);
  const files = new Map(e.reset ? [] : state.files);
  for (const j of e.jobs) jobs.set(j.id, j);
  for (const f of e.files) files.set(f.id, f);
  for (const id of e.removed) {
    jobs.delete(id);
    files.delete(id);
  }
  return { jobs, files, total: e.total };
}

export function useTransfers(): Transfers {
  const [state, setState] = useState(none);
  useStream('transfers.watch', (e) => setState((s) => applyTransfers(s, e)));
  return state;
}

/** Browser-mode jobs: the page sends the bytes (`from`) or takes them (`to`), so only the page can start them again. */
export const isBrowserJob = (job: TransferJob | undefined) => job?.from === 'browser' || job?.to === 'browser';

/** The name a row shows: where the file lands, or for a download to the browser, what it is. */
export const nameOf = (x: { from: string; to: string }) => baseName(x.to === 'browser' ? x.from : x.to);

export const FINISHED: ReadonlySet<TransferState> = new Set(['done', 'skipped', 'failed', 'cancelled']);

/** Files that landed somewhere under `dir` in that direction: when the count grows, the pane lists its folder again. */
export function countLanded(t: Transfers, direction: Direction, dir: string): number {
  const prefix = dir.endsWith(separatorOf(dir)) ? dir : dir + separatorOf(dir);
  let n = 0;
  for (const f of t.files.values()) if (f.state === 'done' && f.to.startsWith(prefix) && t.jobs.get(f.jobId)?.direction === direction) n++;
  return n;
}

export type QueueRow = { kind: 'job'; job: TransferJob } | { kind: 'file'; file: TransferFile; job: TransferJob | undefined };

/** Oldest job first; a folder (or a drop of several files) gets a row of its own above its files. */
export function queueRows(t: Transfers): QueueRow[] {
  const byJob = new Map<string, TransferFile[]>();
  for (const f of t.files.values()) {
    const list = byJob.get(f.jobId);
    if (list) list.push(f);
    else byJob.set(f.jobId, [f]);
  }
  const rows: QueueRow[] = [];
  for (const job of [...t.jobs.values()].sort((a, b) => a.createdAt - b.createdAt)) {
    const files = byJob.get(job.id) ?? [];
    if (job.kind === 'dir' || files.length === 0) rows.push({ kind: 'job', job });
    for (const file of files) rows.push({ kind: 'file', file, job });
  }
  return rows;
}
