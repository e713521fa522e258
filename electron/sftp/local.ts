import fsc, { type Stats } from 'node:fs';
import fs from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import type { EntryKind } from '../../shared/sftp.js';
import { fileError, type Files, type Handle, type Stat } from './files.js';

const kindOf = (s: Stats): EntryKind => (s.isFile() ? 'file' : s.isDirectory() ? 'dir' : s.isSymbolicLink() ? 'symlink' : 'other');
const statOf = (s: Stats): Stat => ({ kind: kindOf(s), size: s.size, mtime: Math.round(s.mtimeMs), mode: s.mode & 0o7777 });

/** A local fs error as a file error: which file, and why in words. */
function localError(e: unknown, p: string): Error {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return fileError('no-such-file', 'local', p, `${p} does not exist on this computer.`);
    case 'EACCES':
    case 'EPERM':
      return fileError('permission-denied', 'local', p, `Permission denied on this computer: ${p}.`);
    case 'EROFS':
      return fileError('permission-denied', 'local', p, `${p} is on a read-only file system.`);
    case 'ENOSPC':
    case 'EDQUOT':
      return fileError('disk-full', 'local', p, `The disk is full on this computer: ${p} could not be written.`);
    case 'EEXIST':
      return fileError('exists', 'local', p, `${p} already exists.`);
    case 'ENOTEMPTY':
      return fileError('not-empty', 'local', p, `${p} is not empty.`);
    default:
      return fileError('other', 'local', p, `${p}: ${(e as Error).message}`);
  }
}

/** fs's callback API: for the many small reads and writes of a transfer it costs a third of the FileHandle API's CPU */
const cb = <T>(f: (done: (err: Error | null, v: T) => void) => void): Promise<T> =>
  new Promise((resolve, reject) => f((err, v) => (err ? reject(err) : resolve(v))));
const on = <T>(p: string, op: Promise<T>): Promise<T> => op.catch((e: unknown) => Promise.reject(localError(e, p)));
const orNull = <T>(op: Promise<T>): Promise<T | null> =>
  op.catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' || e.code === 'ENOTDIR' ? null : Promise.reject(e)));

/** The machine running the main process, as one side of the browser and of transfers. */
export const localFiles: Files = {
  side: 'local',
  join: (...parts) => path.join(...parts),
  dirname: (p) => path.dirname(p),
  basename: (p) => path.basename(p),
  home: async () => homedir(),
  realpath: (p) => on(p, fs.realpath(path.resolve(homedir(), p))),
  lstat: (p) =>
    on(
      p,
      orNull(fs.lstat(p)).then((s) => s && statOf(s)),
    ),
  stat: (p) =>
    on(
      p,
      orNull(fs.stat(p)).then((s) => s && statOf(s)),
    ),
  readdir: (p) =>
    on(p, fs.readdir(p, { withFileTypes: true })).then((dirents) =>
      // an entry that vanishes between readdir and lstat is left out
      Promise.all(dirents.map((d) => orNull(cb<Stats>((done) => fsc.lstat(path.join(p, d.name), done))).then((s) => s && { name: d.name, ...statOf(s) }))).then(
        (all) => all.filter((x) => x !== null),
      ),
    ),
  readlink: (p) => on(p, fs.readlink(p)),
  symlink: (target, p) => on(p, fs.symlink(target, p)),
  mkdir: (p, mode) => on(p, fs.mkdir(p, mode)),
  rename: (from, to) => on(from, fs.rename(from, to)),
  replace: (from, to) => on(to, fs.rename(from, to)),
  unlink: (p) => on(p, fs.unlink(p)),
  rmdir: (p) => on(p, fs.rmdir(p)),
  setattrs: async (p, { mode, mtime }) => {
    if (mode !== undefined) await on(p, fs.chmod(p, mode));
    if (mtime !== undefined) await on(p, fs.utimes(p, new Date(), new Date(mtime)));
  },
  open: async (p, how) => {
    const fd = await on(
      p,
      cb<number>((done) => fsc.open(p, how === 'read' ? 'r' : how === 'write' ? 'w' : 'r+', done)),
    );
    const handle: Handle = {
      read: (buf, off, len, pos) =>
        on(
          p,
          cb<number>((done) => fsc.read(fd, buf, off, len, pos, done)),
        ),
      write: async (buf, off, len, pos) => {
        for (let n = 0; n < len;)
          n += await on(
            p,
            cb<number>((done) => fsc.write(fd, buf, off + n, len - n, pos + n, done)),
          );
      },
      close: () =>
        on(
          p,
          cb<void>((done) => fsc.close(fd, done)),
        ),
    };
    return handle;
  },
};
