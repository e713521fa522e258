// What a job is made of: the walk that finds an enqueued file or folder's files (each joins the job,
// queued), makes its folders on the other side as it goes, and refuses the names from a host that
// cannot be one file in the folder they would be written into (unsafeLocalName).
import { sep } from 'node:path';
import { failureOf, fileError, refusedName, unsafeLocalName, type Files, type Side, type Stat } from './files.js';
import { cancelled, sides, type How, type Job, type Task } from './job.js';
import type { Board } from './progress.js';
import type { SftpSessions } from './session.js';

export interface WalkDeps {
  sessions: SftpSessions;
  local: Files;
  board: Board;
  /** a file joins its job: queued (and started when there is room) unless held */
  add(job: Job, from: string, to: string, src: Task['src'], fresh: boolean, how?: How): Task;
  /** the walk is over (found everything, or stopped) */
  settle(job: Job): void;
}

/** files and folders one job may hold: a bound on what a host (a listing without end, folders nested without end) can make Warren keep */
export const MAX_JOB_ITEMS = 200_000;
const found = new WeakMap<Job, number>();

/** Finds what a job is: a file becomes its one task; a folder is walked, its folders made on the other side as it goes. */
export async function scan(job: Job, d: WalkDeps): Promise<void> {
  const { from, to } = job.row;
  const srcSide: Side = job.row.direction === 'upload' ? 'local' : 'remote';
  try {
    await d.sessions.use(job.endpoint, async (s) => {
      const [src, dst] = sides(job, d.local, s.files);
      const top = await src.stat(from); // a top-level symlink is followed
      if (!top) throw fileError('no-such-file', src.side, from, `${from} does not exist${src.side === 'remote' ? ` on ${s.label}` : ' on this computer'}.`);
      if (job.scan.signal.aborted) return;
      if (top.kind === 'file') return void d.add(job, from, to, top, false);
      if (top.kind !== 'dir') throw fileError('other', src.side, from, `${from} is not a regular file or a folder, so it is not copied.`);
      job.row.kind = 'dir';
      await walk(d, job, src, dst, from, to, await makeDir(job, dst, to, top, false), s.label);
    });
  } catch (e) {
    job.scanError = failureOf(e, { side: srcSide, path: from });
  } finally {
    if (job.scan.signal.aborted) job.scanError ??= failureOf(cancelled(), { side: srcSide, path: from });
    job.row.scanning = false;
    d.settle(job);
  }
}

/**
 * A folder's entries join the job, its folders walked in turn. From a host, a name that cannot be one
 * file in the folder it would be written into (`../x`, `/etc/y`, `a/b`, a control character) is refused:
 * it fails in the job, by name, and nothing is written for it; the others are copied.
 */
async function walk(d: WalkDeps, job: Job, src: Files, dst: Files, dir: string, to: string, fresh: boolean, label: string): Promise<void> {
  const listed = await src.readdir(dir);
  const count = (found.get(job) ?? 0) + listed.length;
  found.set(job, count);
  if (count > MAX_JOB_ITEMS)
    throw fileError(
      'other',
      src.side,
      dir,
      `${dir} holds more than ${MAX_JOB_ITEMS.toLocaleString('en')} files and folders: Warren stopped looking there (the files found so far are copied); copy its subfolders one by one.`,
    );
  const entries = src.side === 'remote' ? listed.filter((e) => !refuse(d, job, e, dir, to, fresh, label)) : listed;
  const links = entries.filter((e) => e.kind === 'symlink');
  const targets = new Map(await Promise.all(links.map(async (e) => [e.name, await src.readlink(src.join(dir, e.name))] as const)));
  if (job.scan.signal.aborted) return;
  for (const e of entries) {
    const from = src.join(dir, e.name);
    const dest = dst.join(to, e.name);
    if (e.kind === 'file') d.add(job, from, dest, e, fresh);
    else if (e.kind === 'symlink') d.add(job, from, dest, { ...e, linkTarget: targets.get(e.name)! }, fresh);
    else if (e.kind === 'other') {
      const t = d.add(job, from, dest, { ...e, size: 0 }, fresh, 'hold');
      d.board.setState(t, 'skipped', {
        path: from,
        side: src.side,
        reason: 'other',
        message: `${from} is not a regular file, folder or symlink (a device, socket or pipe), so it is not copied.`,
      });
    }
  }
  for (const e of entries) {
    if (e.kind !== 'dir') continue;
    const dest = dst.join(to, e.name);
    await walk(d, job, src, dst, src.join(dir, e.name), dest, await makeDir(job, dst, dest, e, fresh), label);
  }
}

/** A name from the host that cannot be written: true, and it is a failed file of the job (never retried). */
function refuse(d: WalkDeps, job: Job, e: Stat & { name: string }, dir: string, to: string, fresh: boolean, label: string): boolean {
  const why = unsafeLocalName(e.name);
  if (why === null) return false;
  // the paths as the host gave them, never joined: a join would resolve the `..` in them
  const from = `${dir.replace(/\/$/, '')}/${e.name}`;
  const t = d.add(job, from, `${to}${sep}${e.name}`, { ...e, size: 0 }, fresh, 'hold');
  d.board.setState(
    t,
    'failed',
    failureOf(refusedName(from, e.name, why, { server: label, folder: to, outcome: 'Nothing was written for it; the other files are copied.' }), {
      side: 'remote',
      path: from,
    }),
  );
  return true;
}

/** Makes a folder unless it is there (then the copy merges into it); true when this made it. */
async function makeDir(job: Job, dst: Files, path: string, src: Stat, parentFresh: boolean): Promise<boolean> {
  if (!parentFresh) {
    const there = await dst.lstat(path);
    if (there?.kind === 'dir') return false;
    if (there) throw fileError('exists', dst.side, path, `${path} exists and is not a folder, so the folder cannot be copied there.`);
  }
  await dst.mkdir(path, job.preserve.mode ? src.mode & 0o777 : undefined);
  if (job.preserve.mtime) job.dirs.push({ path, mtime: src.mtime });
  return true;
}
