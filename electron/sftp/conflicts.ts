// What happens when something is already where a file goes: the batch's conflict policy (overwrite,
// skip, rename, newer, or ask — one question at a time, "apply to all" answering the ones waiting),
// links at the destination, and `freeName` for a rename.
import { WarrenError } from '../../shared/errors.js';
import type { Prompt, PromptAnswer } from '../../shared/prompts.js';
import type { ConflictChoice } from '../../shared/sftp.js';
import { fileError, type Files, type Stat } from './files.js';
import type { Task } from './job.js';

const CONFLICT_TIMEOUT_MS = 10 * 60_000;
const secs = (ms: number) => Math.floor(ms / 1000);

export type Ask = (p: Prompt, timeoutMs?: number) => Promise<PromptAnswer>;

/**
 * Settles where the file goes (`t.row.to`) by the conflict policy when something is there; false to
 * skip it. `changed`: the file's row changed (another name, or the mode it keeps).
 */
export async function destination(t: Task, dst: Files, ask: Ask, changed: () => void): Promise<boolean> {
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
  const choice = await choose(t, existing, ask);
  if (choice === 'skip' || (choice === 'newer' && secs(t.src.mtime) <= secs(existing.mtime))) return false;
  if (choice === 'rename') t.row.to = await freeName(dst, t.row.to);
  else if (existing.kind === 'file') t.keepMode = existing.mode; // a link's 0777 is not a file's
  changed();
  return true;
}

function choose(t: Task, existing: Stat, ask: Ask): Promise<ConflictChoice> | ConflictChoice {
  const batch = t.job.batch;
  if (batch.policy !== 'ask') return batch.policy;
  const turn = batch.turn.then(async (): Promise<ConflictChoice> => {
    if (batch.policy !== 'ask') return batch.policy;
    const answer = await ask(
      {
        kind: 'conflict',
        direction: t.job.row.direction,
        path: t.row.to,
        source: t.row.from,
        existing: { kind: existing.kind, size: existing.size, mtime: existing.mtime },
        incoming: { size: t.src.size, mtime: t.src.mtime },
      },
      CONFLICT_TIMEOUT_MS,
    );
    if (!('conflict' in answer)) throw new WarrenError('CANCELLED', `You did not say what to do with ${t.row.to}.`, { reason: 'cancelled' });
    if (answer.applyToAll) batch.policy = answer.conflict;
    return answer.conflict;
  });
  batch.turn = turn.catch(() => {});
  return turn;
}

/** `name (1).ext`, `name (2).ext`, …: the first name free beside `to` */
export async function freeName(files: Files, to: string): Promise<string> {
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
