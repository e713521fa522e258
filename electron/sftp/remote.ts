import path from 'node:path';
import type { Attributes, SFTPWrapper } from 'ssh2';
import { WarrenError } from '../../shared/errors.js';
import type { EntryKind } from '../../shared/sftp.js';
import { fileError, type Files, type Handle, type Stat } from './files.js';

const posix = path.posix;
/** SFTP status codes (draft-ietf-secsh-filexfer-02) */
const NO_SUCH_FILE = 2;
const PERMISSION_DENIED = 3;
const FAILURE = 4;
const EOF = 1;
/** a folder that lists more than this is refused: more than any pane shows, and a bound on what a server can make Warren hold */
export const MAX_LISTING = 250_000;
const MAX_LISTING_NAME_BYTES = 64 * 2 ** 20;

const S_IFMT = 0o170000;
const KINDS: Record<number, EntryKind> = { 0o100000: 'file', 0o040000: 'dir', 0o120000: 'symlink' };
const statOf = (a: Attributes): Stat => ({ kind: KINDS[a.mode & S_IFMT] ?? 'other', size: a.size, mtime: a.mtime * 1000, mode: a.mode & 0o7777 });

type Cb<T> = (err: Error | null | undefined, value?: T) => void;
type SftpError = Error & { code?: number };

/**
 * A host's files over its SFTP session. Requests are pipelined by whoever calls: ssh2 numbers them and
 * matches the answers, so many may be in flight at once. After the session is gone a request fails at
 * once as connection-lost (ssh2 would silently drop it).
 */
export class RemoteFiles implements Files {
  readonly side = 'remote';
  readonly join = posix.join;
  readonly dirname = posix.dirname;
  readonly basename = posix.basename;

  constructor(
    private readonly sftp: SFTPWrapper,
    private readonly label: string,
    private readonly gone: () => WarrenError | null,
  ) {}

  home(): Promise<string> {
    return this.realpath('.');
  }

  realpath(p: string): Promise<string> {
    return this.req(p, (cb) => this.sftp.realpath(p, cb));
  }

  lstat(p: string): Promise<Stat | null> {
    return this.orNull(this.req<Attributes>(p, (cb) => this.sftp.lstat(p, cb)));
  }

  stat(p: string): Promise<Stat | null> {
    return this.orNull(this.req<Attributes>(p, (cb) => this.sftp.stat(p, cb)));
  }

  /**
   * A folder's entries, read batch by batch up to a limit: ssh2's own readdir(path) collects until the
   * server says EOF, and a hostile server never does.
   */
  async readdir(p: string): Promise<(Stat & { name: string })[]> {
    const handle = await this.req<Buffer>(p, (cb) => this.sftp.opendir(p, cb));
    const entries: (Stat & { name: string })[] = [];
    let bytes = 0;
    try {
      for (;;) {
        const batch = await this.req<{ filename: string; attrs: Attributes }[] | null>(p, (cb) =>
          this.sftp.readdir(handle, (err, list) => ((err as SftpError | undefined)?.code === EOF ? cb(null, null) : cb(err, list))),
        );
        if (batch === null) return entries;
        for (const e of batch) {
          if (e.filename === '.' || e.filename === '..') continue;
          bytes += e.filename.length;
          entries.push({ name: e.filename, ...statOf(e.attrs) });
        }
        if (entries.length > MAX_LISTING || bytes > MAX_LISTING_NAME_BYTES) {
          throw fileError(
            'other',
            'remote',
            p,
            `${this.label} lists more than ${MAX_LISTING.toLocaleString('en')} entries (or ${MAX_LISTING_NAME_BYTES / 2 ** 20} MiB of names) in ${p}: Warren stops reading there rather than hold an endless listing in memory.`,
          );
        }
      }
    } finally {
      this.req<void>(p, (cb) => this.sftp.close(handle, cb)).catch(() => {}); // a handle on a lost session is gone with it
    }
  }

  readlink(p: string): Promise<string> {
    return this.req(p, (cb) => this.sftp.readlink(p, cb));
  }

  symlink(target: string, p: string): Promise<void> {
    return this.req(p, (cb) => this.sftp.symlink(target, p, cb));
  }

  mkdir(p: string, mode?: number): Promise<void> {
    return this.req(p, (cb) => this.sftp.mkdir(p, mode === undefined ? {} : { mode }, cb));
  }

  rename(from: string, to: string): Promise<void> {
    return this.req(from, (cb) => this.sftp.rename(from, to, cb));
  }

  /** posix-rename@openssh.com replaces `to` atomically; without it, the old file steps aside first */
  async replace(from: string, to: string): Promise<void> {
    try {
      return await this.req(to, (cb) => this.sftp.ext_openssh_rename(from, to, cb));
    } catch (e) {
      if (!/does not support/.test((e as Error).message)) throw e;
    }
    const old = await this.lstat(to);
    if (!old) return this.rename(from, to);
    const aside = `${to}.warren-old`;
    await this.rename(to, aside);
    await this.rename(from, to).catch(async (e: unknown) => {
      await this.rename(aside, to).catch(() => {});
      throw e;
    });
    await this.unlink(aside);
  }

  unlink(p: string): Promise<void> {
    return this.req(p, (cb) => this.sftp.unlink(p, cb));
  }

  rmdir(p: string): Promise<void> {
    return this.req(p, (cb) => this.sftp.rmdir(p, cb));
  }

  setattrs(p: string, { mode, mtime }: { mode?: number | undefined; mtime?: number | undefined }): Promise<void> {
    const secs = mtime === undefined ? undefined : Math.floor(mtime / 1000);
    const attrs = { ...(mode === undefined ? {} : { mode }), ...(secs === undefined ? {} : { atime: Math.floor(Date.now() / 1000), mtime: secs }) };
    return this.req(p, (cb) => this.sftp.setstat(p, attrs, cb));
  }

  async open(p: string, how: 'read' | 'write' | 'resume'): Promise<Handle> {
    const h = await this.req<Buffer>(p, (cb) => this.sftp.open(p, how === 'read' ? 'r' : how === 'write' ? 'w' : 'r+', cb));
    return {
      read: (buf, off, len, pos) => this.req(p, (cb) => this.sftp.read(h, buf, off, len, pos, cb)),
      write: (buf, off, len, pos) => this.req<void>(p, (cb) => this.sftp.write(h, buf, off, len, pos, cb)).catch((e: unknown) => this.whyWriteFailed(e, p)),
      close: () => this.req(p, (cb) => this.sftp.close(h, cb)),
    };
  }

  /** sftp-server reports a full disk as a bare FAILURE: ask the file system how much room is left */
  private async whyWriteFailed(e: unknown, p: string): Promise<never> {
    if (!(e instanceof WarrenError) || e.detail?.status !== FAILURE) throw e;
    const fsinfo = await this.req<{ bavail: number; frsize: number }>(p, (cb) => this.sftp.ext_openssh_statvfs(p, cb)).catch(() => null);
    if (fsinfo && fsinfo.bavail * fsinfo.frsize < 1 << 20)
      throw fileError('disk-full', 'remote', p, `The disk is full on ${this.label}: ${p} could not be written.`);
    throw e;
  }

  private async orNull(op: Promise<Attributes>): Promise<Stat | null> {
    try {
      return statOf(await op);
    } catch (e) {
      if (e instanceof WarrenError && e.detail?.reason === 'no-such-file') return null;
      throw e;
    }
  }

  private req<T>(p: string, op: (cb: Cb<T>) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.gone()) return reject(this.error(new Error('No response from server'), p));
      try {
        op((err, value) => (err ? reject(this.error(err, p)) : resolve(value as T)));
      } catch (e) {
        reject(this.error(e, p));
      }
    });
  }

  private error(e: unknown, p: string): WarrenError {
    const err = e as SftpError;
    const at = this.label;
    if (this.gone() || err.message === 'No response from server' || /not connected|channel is not open/i.test(err.message)) {
      return fileError('connection-lost', 'remote', p, `The connection to ${at} was lost while working on ${p}.`);
    }
    const withStatus = (w: WarrenError) => new WarrenError(w.code, w.message, { ...w.detail, status: err.code });
    switch (err.code) {
      case NO_SUCH_FILE:
        return withStatus(fileError('no-such-file', 'remote', p, `${p} does not exist on ${at}.`));
      case PERMISSION_DENIED:
        return withStatus(fileError('permission-denied', 'remote', p, `Permission denied on ${at}: ${p}.`));
      default:
        return withStatus(fileError('other', 'remote', p, `${at} refused the operation on ${p}: ${err.message || 'failure'}.`));
    }
  }
}
