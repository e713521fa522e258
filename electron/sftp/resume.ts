// Partial copies that outlive the process. While a file is copied, a record in `<data dir>/transfers/`
// names its temporary file and how far it is written without a gap (per part, for a copy in parts); the
// same copy enqueued again — the next `warren cp` after a kill, the app after a restart — continues from
// there instead of starting over, as sftp's reget/reput do. The record is keyed by where the file comes
// from and goes to and the source's size and time, so a source changed meanwhile starts afresh. It is
// written at most once a second (to a temporary name, then renamed) and so lags the copy, never leads it:
// a resume never trusts bytes that were not written. It goes when the copy ends, whatever the end.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Task } from './job.js';

const NOTE_EVERY_MS = 1000;
/** a record is a few hundred bytes; anything larger is not one of ours */
const MAX_RECORD = 64 * 1024;

type Parts = NonNullable<Task['parts']>;
export interface ResumeRecord {
  temp: string;
  committed: number;
  parts: Parts | null;
}

const isNat = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** what a record file holds, when it is one this Warren wrote for a source of `size` bytes */
function recordOf(text: string, size: number): ResumeRecord | null {
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    if (v.v !== 1 || typeof v.temp !== 'string' || !isNat(v.committed) || v.committed > size) return null;
    if (v.parts === null) return { temp: v.temp, committed: v.committed, parts: null };
    if (!Array.isArray(v.parts) || v.parts.length === 0 || v.parts.length > 64) return null;
    const parts = v.parts as { start: unknown; end: unknown; committed: unknown }[];
    for (const p of parts)
      if (!isNat(p.start) || !isNat(p.end) || !isNat(p.committed) || p.start > p.committed || p.committed > p.end || p.end > size) return null;
    return { temp: v.temp, committed: v.committed, parts: parts as Parts };
  } catch {
    return null;
  }
}

export class ResumeRecords {
  private readonly noted = new WeakMap<Task, number>();
  private readonly keys = new WeakMap<Task, string>();
  /** the writes and removals of each record, one after another (a late write never brings back a dropped record) */
  private readonly chains = new Map<string, Promise<void>>();

  /** `dir` null: nothing outlives the process (tests of the queue alone) */
  constructor(private readonly dir: string | null) {}

  private fileOf(t: Task): string | null {
    if (this.dir === null || t.browser) return null;
    let key = this.keys.get(t);
    if (!key) {
      const { spec } = t.job.endpoint;
      const what = [t.job.row.direction, `${spec.user}@${spec.hostname}:${spec.port}`, t.row.from, t.row.to, t.src.size, Math.round(t.src.mtime)];
      key = createHash('sha256').update(JSON.stringify(what)).digest('hex').slice(0, 32);
      this.keys.set(t, key);
    }
    return path.join(this.dir, `${key}.json`);
  }

  /** A partial copy an earlier run left of this very copy, if there is one. */
  async load(t: Task): Promise<ResumeRecord | null> {
    const file = this.fileOf(t);
    if (file === null) return null;
    const text = await readFile(file, 'utf8').catch(() => null);
    return text === null || text.length > MAX_RECORD ? null : recordOf(text, t.src.size);
  }

  /** Called as the copy goes on; writes at most once a second. */
  note(t: Task): void {
    const file = this.fileOf(t);
    const now = performance.now();
    if (file === null || t.temp === null || now - (this.noted.get(t) ?? -Infinity) < NOTE_EVERY_MS) return;
    this.noted.set(t, now);
    const record = JSON.stringify({ v: 1, temp: t.temp, committed: t.committed, parts: t.parts?.map((p) => ({ ...p })) ?? null });
    const temp = `${file}.${process.pid}.tmp`;
    this.then(file, async () => {
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      await writeFile(temp, record, { mode: 0o600 });
      await rename(temp, file);
    });
  }

  /** The copy is over (done, skipped, failed or cancelled): nothing is left to resume. */
  drop(t: Task): void {
    const file = this.fileOf(t);
    this.noted.delete(t);
    if (file !== null) this.then(file, () => rm(file, { force: true }));
  }

  /** Every write and removal still to happen. */
  async settled(): Promise<void> {
    await Promise.all(this.chains.values());
  }

  private then(file: string, op: () => Promise<void>): void {
    // a record is a convenience: a copy never fails for it
    const next = (this.chains.get(file) ?? Promise.resolve()).then(op).catch(() => {});
    this.chains.set(file, next);
    void next.then(() => {
      if (this.chains.get(file) === next) this.chains.delete(file);
    });
  }
}
