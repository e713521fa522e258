// `warren cp`, scp's command line on Warren's transfer queue: `warren cp [-r] [-p] [-P PORT] SRC… DST`, where
// an operand with a colon before any slash is `[user@]host:path` on a host (a saved host's name or a name
// ssh_config knows), anything else a path on this machine. The copy is the app's own: pipelined, in parts on
// a long link, written under a temporary name and renamed into place when complete, resumed by itself after
// a lost connection. A progress line is drawn only when stderr is a terminal.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Target } from '../../shared/model.js';
import type { ConflictChoice, TransferFile, TransferJob } from '../../shared/sftp.js';
import { WarrenError } from '../../shared/errors.js';
import type { Services } from '../services.js';

export interface CopyOptions {
  recursive: boolean;
  preserve: boolean;
  port: string | undefined;
  conflict: ConflictChoice;
  quiet: boolean;
}

export interface CopyIo {
  /** a line of Warren's messages (stderr, controls made visible) */
  say(line: string): void;
  /** draws over the progress line (stderr, a terminal), `last`: then ends it; null: no progress is shown */
  progress: ((text: string, last?: boolean) => void) | null;
  /** a saved host or a name for ssh_config, its notes said */
  target(name: string): Promise<Target>;
}

export class CopyUsage extends Error {}

export type Operand = { host: null; path: string } | { host: string; path: string };

/**
 * Where an operand is, as scp decides it: a colon before any slash makes `host:path` (`[v6]:path` and
 * `user@[v6]:path` too); a leading colon, or a slash first, is a local path.
 */
export function operand(arg: string): Operand {
  let bracket = arg.startsWith('[');
  if (!arg.startsWith(':')) {
    for (let i = 0; i < arg.length; i++) {
      const c = arg[i];
      if (c === '@' && arg[i + 1] === '[') bracket = true;
      if (c === ']' && arg[i + 1] === ':' && bracket) return { host: arg.slice(0, i + 1), path: arg.slice(i + 2) };
      if (c === ':' && !bracket) return { host: arg.slice(0, i), path: arg.slice(i + 1) };
      if (c === '/') break;
    }
  }
  return { host: null, path: arg };
}

const FINAL = new Set(['done', 'skipped', 'failed', 'cancelled']);

/** Runs the copy; the exit status: 0 when every file arrived (or was skipped by the conflict policy), else 1. */
export async function copy(services: Services, args: string[], o: CopyOptions, io: CopyIo): Promise<number> {
  if (args.length < 2) throw new CopyUsage('cp takes SOURCE… DESTINATION');
  const operands = args.map(operand);
  const dst = operands.at(-1)!;
  const sources = operands.slice(0, -1);
  const hosts = new Set(operands.flatMap((x) => (x.host === null ? [] : [x.host])));
  if (hosts.size === 0) throw new CopyUsage('cp copies to or from a host: one side is host:path (for two local paths, use cp(1))');
  if (hosts.size > 1 || (dst.host !== null && sources.some((s) => s.host !== null)))
    throw new CopyUsage('cp copies between this machine and one host: copying from a host to another is not supported yet');
  if (dst.host === null && sources.some((s) => s.host === null)) throw new CopyUsage('every source is on the host when the destination is here');
  const direction = dst.host === null ? 'download' : 'upload';
  const hostName = [...hosts][0]!;
  if (hostName === '') throw new CopyUsage('an empty host name before the colon');
  const saved = services.hosts.tree().hosts.some((h) => h.name.toLowerCase() === hostName.toLowerCase());
  if (o.port !== undefined && saved) throw new CopyUsage(`-P: "${hostName}" is a saved host, which has its own port`);
  if (o.port !== undefined && !/^\d{1,5}$/.test(o.port)) throw new CopyUsage('-P takes a port number');
  const target = await io.target(o.port === undefined ? hostName : `${hostName}:${o.port}`);

  const remote = services.sftp.browse(target);
  let home: string | null = null;
  const remotePath = async (p: string) => {
    if (p.startsWith('/')) return p;
    home ??= (await remote.home()).path;
    // as scp through SFTP: relative to the login directory, `~` and `~/` too
    const rest = p === '~' ? '' : p.startsWith('~/') ? p.slice(2) : p;
    return rest === '' ? home : path.posix.join(home, rest);
  };
  const kindOf = async (side: 'local' | 'remote', p: string): Promise<'dir' | 'file' | null> => {
    try {
      if (side === 'local') return (await stat(p)).isDirectory() ? 'dir' : 'file';
      const e = await remote.stat(p);
      // a top-level link is followed by the copy, as scp does
      return e.kind === 'dir' || (e.kind === 'symlink' && e.linkKind === 'dir') ? 'dir' : 'file';
    } catch (e) {
      if (e instanceof WarrenError && (e.detail?.reason === 'no-such-file' || e.code === 'NOT_FOUND')) return null;
      if (side === 'local' && (e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  };

  const srcSide = direction === 'upload' ? 'local' : 'remote';
  const dstSide = direction === 'upload' ? 'remote' : 'local';
  const to = dst.host === null ? path.resolve(dst.path) : await remotePath(dst.path);
  const join = dstSide === 'remote' ? path.posix.join : path.join;
  const base = srcSide === 'remote' ? path.posix.basename : path.basename;
  const intoDir = (await kindOf(dstSide, to)) === 'dir';
  if (!intoDir && (sources.length > 1 || /\/$/.test(dst.path))) throw new CopyUsage(`${dst.path}: not a directory`);

  let status = 0;
  const items: { from: string; to: string }[] = [];
  for (const s of sources) {
    const from = s.host === null ? path.resolve(s.path) : await remotePath(s.path);
    const kind = await kindOf(srcSide, from);
    if (kind === null) {
      io.say(`warren: ${s.path}: no such file or directory${srcSide === 'remote' ? ` on ${hostName}` : ''}`);
      status = 1;
    } else if (kind === 'dir' && !o.recursive) {
      io.say(`warren: ${s.path}: is a directory (-r copies folders)`);
      status = 1;
    } else {
      items.push({ from, to: intoDir ? join(to, base(from.replace(/\/+$/, '')) || '/') : to });
    }
  }
  if (items.length === 0) return status || 1;

  const { ids } = await services.sftp.transfers.enqueue({
    direction,
    target,
    items,
    conflict: o.conflict,
    preserve: { mtime: o.preserve, mode: o.preserve },
  });
  const mine = new Set(ids);
  const jobs = new Map<string, TransferJob>();
  const files = new Map<string, TransferFile>();
  const controller = new AbortController();
  const interrupted = new Promise<'interrupted'>((resolve) => {
    const stop = () => resolve('interrupted');
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    controller.signal.addEventListener('abort', () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    });
  });
  let settled!: () => void;
  const allSettled = new Promise<'settled'>((resolve) => (settled = () => resolve('settled')));
  let lastDraw = 0;
  void services.sftp.transfers.watch((e) => {
    for (const j of e.jobs) if (mine.has(j.id)) jobs.set(j.id, j);
    for (const f of e.files) if (mine.has(f.jobId)) files.set(f.id, f);
    const mineJobs = [...jobs.values()];
    // a job paused with no retry to come will not finish by itself (an authentication or host-key failure)
    if (mineJobs.length === mine.size && mineJobs.every((j) => FINAL.has(j.state) || (j.state === 'paused' && j.retryAt === null))) settled();
    else if (io.progress && !o.quiet && performance.now() - lastDraw > 200) {
      lastDraw = performance.now();
      io.progress(progressLine(mineJobs, [...files.values()]));
    }
  }, controller.signal);

  const how = await Promise.race([allSettled, interrupted]);
  // the last state stays on the screen, as scp leaves its 100 % line
  if (io.progress && !o.quiet && lastDraw > 0) io.progress(progressLine([...jobs.values()], [...files.values()]), true);
  if (how === 'interrupted') {
    for (const id of ids) services.sftp.transfers.cancel(id);
    // the copies stop (closing the services then waits for their temporary files to be removed)
    await Promise.race([allSettled, new Promise((r) => setTimeout(r, 5000))]);
    controller.abort();
    io.say('warren: interrupted: the copies not finished were cancelled (their temporary files removed)');
    return 130;
  }
  controller.abort();
  for (const f of files.values()) {
    if (f.state === 'done' || f.state === 'skipped') continue;
    status = 1;
    io.say(`warren: ${f.from}: ${f.error?.message ?? (f.state === 'paused' ? 'paused: the connection was lost and Warren stopped retrying' : f.state)}`);
  }
  for (const j of jobs.values()) {
    if (j.state !== 'done' && j.state !== 'skipped' && j.error && ![...files.values()].some((f) => f.jobId === j.id && f.error)) {
      status = 1;
      io.say(`warren: ${j.from}: ${j.error.message}`);
    }
  }
  if (!o.quiet) {
    const skipped = [...files.values()].filter((f) => f.state === 'skipped');
    for (const f of skipped) io.say(`warren: ${f.to}: exists, skipped`);
  }
  return status;
}

const mb = (n: number) => `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0)} MB`;

/** `[2/5] name  45%  12.3 MB / 27.0 MB  8.1 MB/s  ETA 0:03`, in at most one terminal line */
function progressLine(jobs: TransferJob[], files: TransferFile[]): string {
  const total = jobs.reduce((n, j) => n + j.total, 0);
  const bytes = jobs.reduce((n, j) => n + j.bytes, 0);
  const rate = jobs.reduce((n, j) => n + j.rate, 0);
  const count = jobs.reduce((n, j) => n + j.files, 0);
  const done = jobs.reduce((n, j) => n + j.filesDone, 0);
  const current = files.find((f) => f.state === 'running') ?? files.at(-1);
  const name = current ? path.posix.basename(current.from) : '';
  const pct = total > 0 ? Math.floor((bytes / total) * 100) : 0;
  const left = rate > 0 ? Math.round((total - bytes) / rate) : null;
  const eta = left === null ? '--:--' : `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
  const parts = current?.state === 'running' && current.parts > 1 ? ` (${current.parts} parts)` : '';
  const line = `[${done}/${count}] ${name}${parts}  ${pct}%  ${mb(bytes)} / ${mb(total)}  ${mb(rate)}/s  ETA ${eta}`;
  const width = process.stderr.columns || 80; // 0 on a terminal that never said
  return line.length < width ? line : `${line.slice(0, width - 2)}…`;
}
