import { WarrenError, type ErrorCode } from '../../shared/errors.js';
import type { Entry, EntryKind, FailReason, FileError, Listing } from '../../shared/sftp.js';
import { unsafeNameReason, visible } from '../../shared/untrusted.js';

export type Side = 'local' | 'remote';

/** What a file is, without its name: lstat (or stat) as both sides report it. */
export interface Stat {
  kind: EntryKind;
  size: number;
  /** epoch ms */
  mtime: number;
  /** permission bits */
  mode: number;
}

/** An open file: positional reads and writes, as both fs and SFTP offer them. */
export interface Handle {
  /** reads up to `len` bytes at `pos` into `buf` at `off`; 0 at the end of the file */
  read(buf: Buffer, off: number, len: number, pos: number): Promise<number>;
  write(buf: Buffer, off: number, len: number, pos: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * One side of the browser and of a transfer: the local disk, or a host over SFTP. Every failure is a
 * WarrenError naming the path and why (`detail.reason`), see fileError.
 */
export interface Files {
  readonly side: Side;
  /** the joining/splitting rules of this side's paths */
  join(...parts: string[]): string;
  dirname(p: string): string;
  basename(p: string): string;
  home(): Promise<string>;
  realpath(p: string): Promise<string>;
  /** null when nothing is there */
  lstat(p: string): Promise<Stat | null>;
  /** follows symlinks; null when nothing is there or a link dangles */
  stat(p: string): Promise<Stat | null>;
  /** lstat of every entry, without `.` and `..` */
  readdir(p: string): Promise<(Stat & { name: string })[]>;
  readlink(p: string): Promise<string>;
  symlink(target: string, p: string): Promise<void>;
  mkdir(p: string, mode?: number): Promise<void>;
  /** fails when `to` exists */
  rename(from: string, to: string): Promise<void>;
  /** renames over `to`, atomically where the side can */
  replace(from: string, to: string): Promise<void>;
  unlink(p: string): Promise<void>;
  rmdir(p: string): Promise<void>;
  setattrs(p: string, attrs: { mode?: number | undefined; mtime?: number | undefined }): Promise<void>;
  /** `write` creates or truncates; `resume` opens an existing file for writing without truncating */
  open(p: string, how: 'read' | 'write' | 'resume'): Promise<Handle>;
}

const CODES: Record<FailReason, ErrorCode> = {
  'permission-denied': 'CONFLICT',
  'no-such-file': 'NOT_FOUND',
  'disk-full': 'CONFLICT',
  'connection-lost': 'DISCONNECTED',
  exists: 'CONFLICT',
  'not-empty': 'CONFLICT',
  cancelled: 'CANCELLED',
  refused: 'CONFLICT',
  other: 'CONFLICT',
};

/** errors of reaching the host: a transfer stopped by one of them can resume once it is back */
const CONNECTION: ReadonlySet<ErrorCode> = new Set(['DISCONNECTED', 'DNS', 'TCP_TIMEOUT', 'TCP_REFUSED', 'TCP_UNREACHABLE']);

/** The one error of a file operation: its message names the file, `detail` says why and where. */
export function fileError(reason: FailReason, side: Side, path: string, message: string): WarrenError {
  return new WarrenError(CODES[reason], message, { reason, side, path });
}

/** Why a name a server gave cannot be one file name in a folder on this computer (Windows' rules too, there), or null. */
export const unsafeLocalName = (name: string): string | null => unsafeNameReason(name, { windows: process.platform === 'win32' });

/**
 * The one refusal of a name from a server (`why`: the rule's reason): `path` is where the server says it
 * is, `folder` where it would have been written, `outcome` what happens instead; the name is shown escaped.
 */
export function refusedName(path: string, name: string, why: string, at: { server: string; folder: string; outcome: string }): WarrenError {
  return fileError(
    'refused',
    'remote',
    path,
    `Refused: ${at.server} listed a name that cannot be written as one file in ${visible(at.folder)}: "${visible(name)}" (${why}). ${at.outcome}`,
  );
}

/** The file and reason behind an error, for a transfer's row. */
export function failureOf(e: unknown, fallback: { side: Side; path: string }): FileError {
  if (e instanceof WarrenError) {
    const d = e.detail ?? {};
    const reason =
      typeof d.reason === 'string' && d.reason in CODES
        ? (d.reason as FailReason)
        : e.code === 'CANCELLED'
          ? 'cancelled'
          : CONNECTION.has(e.code)
            ? 'connection-lost'
            : 'other';
    return { side: (d.side as Side | undefined) ?? fallback.side, path: typeof d.path === 'string' ? d.path : fallback.path, reason, message: e.message };
  }
  return { ...fallback, reason: 'other', message: e instanceof Error ? e.message : String(e) };
}

// ---------------------------------------------------------------- browser operations, the same on both sides

async function entryOf(files: Files, dir: string, e: Stat & { name: string }): Promise<Entry> {
  if (e.kind !== 'symlink') return e;
  const p = files.join(dir, e.name);
  const [linkTarget, to] = await Promise.all([files.readlink(p).catch(() => ''), files.stat(p).catch(() => null)]);
  return { ...e, linkTarget, linkKind: to === null ? 'missing' : to.kind === 'symlink' ? 'other' : to.kind };
}

/** A folder's entries; on a host, those whose names could not be written here say why (`refused`). */
export async function list(files: Files, path: string): Promise<Listing> {
  const real = await files.realpath(path);
  const raw = await files.readdir(real);
  const refusedOf = (name: string) => (files.side === 'remote' ? unsafeLocalName(name) : null);
  return {
    path: real,
    entries: await Promise.all(
      raw.map(async (e) => {
        const refused = refusedOf(e.name);
        return refused === null ? entryOf(files, real, e) : { ...e, refused };
      }),
    ),
  };
}

export async function statEntry(files: Files, path: string): Promise<Entry> {
  const st = await files.lstat(path);
  if (!st) throw fileError('no-such-file', files.side, path, `${path} does not exist.`);
  return entryOf(files, files.dirname(path), { ...st, name: files.basename(path) });
}

export async function mkdir(files: Files, path: string): Promise<void> {
  if (await files.lstat(path)) throw fileError('exists', files.side, path, `${path} already exists.`);
  await files.mkdir(path);
}

export async function rename(files: Files, from: string, to: string): Promise<void> {
  if (await files.lstat(to)) throw fileError('exists', files.side, to, `${to} already exists; choose another name, or delete it first.`);
  await files.rename(from, to);
}

/** Deletes a file, a symlink (never what it points to) or, with `recursive`, a folder and everything in it. */
export async function remove(files: Files, path: string, recursive: boolean): Promise<void> {
  const st = await files.lstat(path);
  if (!st) throw fileError('no-such-file', files.side, path, `${path} does not exist.`);
  if (st.kind !== 'dir') return files.unlink(path);
  const children = await files.readdir(path);
  if (children.length > 0 && !recursive)
    throw fileError('not-empty', files.side, path, `${path} is not empty: delete it with everything in it (recursive), or empty it first.`);
  // many requests in flight at once: a folder of thousands of files goes in one pass
  await Promise.all(children.map((c) => (c.kind === 'dir' ? remove(files, files.join(path, c.name), true) : files.unlink(files.join(path, c.name)))));
  await files.rmdir(path);
}
