import { lstat, mkdir, mkdtemp, readdir, rm, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WarrenError } from '../../shared/errors.js';
import { visible } from '../../shared/untrusted.js';
import type { Target } from '../../shared/model.js';
import type { Endpoint } from '../ssh/connections.js';
import { copyFile } from './copy.js';
import { fileError, refusedName, unsafeLocalName, type Files } from './files.js';
import { localFiles } from './local.js';
import type { SftpSession, SftpSessions } from './session.js';

/** Hands local files and folders to the OS as a drag: the desktop app's webContents.startDrag. */
export type StartDrag = (files: string[]) => void | Promise<void>;

/** `warren-drag-<pid>-XXXXXX` in the temporary folder: the pid tells a later run whose folder it is */
const PREFIX = 'warren-drag-';
const OURS = /^warren-drag-(\d+)-/;
/** files copied at once (their data requests share the session's budget, see session.ts) */
const FILES_AT_ONCE = 8;
/** a drag is for a handful of things; more than this is the transfer queue's job */
const MAX_ITEMS = 100_000;

export interface DragOutDeps {
  sessions: SftpSessions;
  endpointOf(target: Target): Promise<Endpoint>;
  /** absent outside the desktop app */
  startDrag: StartDrag | undefined;
  /** where the drags' folders go; default os.tmpdir() */
  tmp?: string;
}

/** One thing to make in the drag's folder: `local` is relative to it. */
interface Item {
  remote: string;
  local: string;
  kind: 'file' | 'dir';
  size: number;
  mtime: number;
}

const desktopOnly = () =>
  new WarrenError(
    'BAD_REQUEST',
    'Dragging files out to your file manager needs the Warren desktop app. In the browser, a remote file is downloaded instead: use its download button.',
    { reason: 'desktop-only' },
  );

/**
 * Remote files dragged out of the window to the OS file manager. The OS can only drag files that
 * exist locally, so they are first downloaded, with the transfer code's pipelined copy on the host's
 * shared SFTP session, into a fresh private folder (mode 0700) under the temporary folder; then the
 * desktop shell starts the drag of those copies. The folders stay while Warren runs (the place they
 * were dropped may still be reading them) and are removed when the services close; a later start
 * removes those a crashed run left.
 */
export class DragOut {
  private readonly tmp: string;
  private readonly folders = new Set<string>();
  private readonly running = new Set<Promise<unknown>>();
  private readonly closing = new AbortController();

  constructor(private readonly deps: DragOutDeps) {
    this.tmp = deps.tmp ?? tmpdir();
    if (deps.startDrag) void this.sweep().catch(() => {});
  }

  /** Downloads `paths` (absolute, on `target`) into a new folder and starts the OS drag of them. */
  async start(target: Target, paths: string[]): Promise<{ files: string[]; bytes: number }> {
    const startDrag = this.deps.startDrag;
    if (!startDrag) throw desktopOnly();
    if (this.closing.signal.aborted) throw new WarrenError('CANCELLED', 'Warren is closing.');
    const names = new Map<string, string>();
    for (const p of paths) {
      const name = path.posix.basename(p);
      const why = unsafeLocalName(name);
      if (why !== null)
        throw new WarrenError('BAD_REQUEST', `${visible(p)} cannot be dragged out: "${visible(name)}" cannot be a file name on this computer (${why}).`, {
          path: p,
        });
      const other = names.get(name);
      if (other !== undefined)
        throw new WarrenError('BAD_REQUEST', `${other} and ${p} have the same name (${name}): drag them out one at a time.`, { path: p });
      names.set(name, p);
    }
    let folder: string | null = null;
    const work = (async () => {
      const bytes = await this.deps.sessions.use(await this.deps.endpointOf(target), async (s) => {
        const items = await this.plan(s, paths);
        const total = items.reduce((n, i) => n + i.size, 0);
        await this.checkSpace(total);
        folder = await mkdtemp(path.join(this.tmp, `${PREFIX}${process.pid}-`)); // mode 0700
        this.folders.add(folder);
        await this.download(s, items, folder);
        return total;
      });
      if (this.closing.signal.aborted) throw new WarrenError('CANCELLED', 'Warren is closing.');
      const files = paths.map((p) => path.join(folder!, path.posix.basename(p)));
      await startDrag(files); // with the session released: on some systems the drag holds the main thread until the drop
      return { files, bytes };
    })();
    this.running.add(work);
    try {
      return await work;
    } catch (e) {
      if (folder !== null) {
        this.folders.delete(folder);
        await rm(folder, { recursive: true, force: true }).catch(() => {});
      }
      throw e;
    } finally {
      this.running.delete(work);
    }
  }

  /** Stops the downloads under way and removes every folder this run made. */
  async close(): Promise<void> {
    this.closing.abort();
    await Promise.allSettled([...this.running]);
    await Promise.all([...this.folders].map((f) => rm(f, { recursive: true, force: true }).catch(() => {})));
    this.folders.clear();
  }

  /** What to make locally: the dragged items, and everything in the dragged folders, parents first. */
  private async plan(s: SftpSession, paths: string[]): Promise<Item[]> {
    const files = s.files;
    const items: Item[] = [];
    const add = (item: Item) => {
      if (items.push(item) > MAX_ITEMS)
        throw new WarrenError(
          'CONFLICT',
          `The dragged folders hold more than ${MAX_ITEMS.toLocaleString('en')} files: download them with the transfer queue (drag them onto the local pane) instead.`,
        );
    };
    const walk = async (dir: string, local: string): Promise<void> => {
      for (const e of await files.readdir(dir)) {
        // (checked before joining: join would resolve a `..` in it)
        const why = unsafeLocalName(e.name);
        if (why !== null)
          throw refusedName(`${dir.replace(/\/$/, '')}/${e.name}`, e.name, why, {
            server: s.label,
            folder: 'the folder a drag is downloaded into',
            outcome: `Nothing was downloaded: ${visible(dir)} cannot be dragged out.`,
          });
        const remote = files.join(dir, e.name);
        const at = path.join(local, e.name);
        if (e.kind === 'file') add({ remote, local: at, kind: 'file', size: e.size, mtime: e.mtime });
        else if (e.kind === 'dir') {
          add({ remote, local: at, kind: 'dir', size: 0, mtime: e.mtime });
          await walk(remote, at);
        } else if (e.kind === 'symlink') {
          // a link to a file brings the file; a link to a folder is left out (it may loop)
          const to = await files.stat(remote);
          if (to?.kind === 'file') add({ remote, local: at, kind: 'file', size: to.size, mtime: to.mtime });
        }
      }
    };
    for (const p of paths) {
      const st = await files.stat(p); // a dragged symlink is followed
      if (!st) throw fileError('no-such-file', 'remote', p, `${p} does not exist on ${s.label}, so it cannot be dragged out.`);
      const local = path.posix.basename(p);
      if (st.kind === 'file') add({ remote: p, local, kind: 'file', size: st.size, mtime: st.mtime });
      else if (st.kind === 'dir') {
        add({ remote: p, local, kind: 'dir', size: 0, mtime: st.mtime });
        await walk(p, local);
      } else throw fileError('other', 'remote', p, `${p} is not a regular file or a folder, so it cannot be dragged out.`);
    }
    return items;
  }

  private async checkSpace(bytes: number): Promise<void> {
    const fs = await statfs(this.tmp).catch(() => null);
    const free = fs ? fs.bavail * fs.bsize : Infinity;
    if (bytes <= free) return;
    const gb = (n: number) => `${(n / 1e9).toFixed(1)} GB`;
    throw fileError(
      'disk-full',
      'local',
      this.tmp,
      `The dragged files need ${gb(bytes)} and the temporary folder ${this.tmp} has ${gb(free)} free: download them with the transfer queue (drag them onto the local pane) instead.`,
    );
  }

  /** Makes the folders, then copies the files, a few at a time, each pipelined (copy.ts). */
  private async download(s: SftpSession, items: Item[], folder: string): Promise<void> {
    for (const item of items) if (item.kind === 'dir') await mkdir(path.join(folder, item.local));
    const queue = items.filter((i) => i.kind === 'file').values();
    const worker = async () => {
      for (const item of queue) await this.copyFile(s.files, s, item, path.join(folder, item.local));
    };
    await Promise.all(Array.from({ length: FILES_AT_ONCE }, worker));
    // folders last: writing their files changed their times
    for (const item of items.toReversed()) await localFiles.setattrs(path.join(folder, item.local), { mtime: item.mtime }).catch(() => {});
  }

  private async copyFile(files: Files, s: SftpSession, item: Item, to: string): Promise<void> {
    await copyFile(files, item.remote, localFiles, to, 'write', {
      from: 0,
      size: item.size,
      slots: s.slots,
      signal: this.closing.signal,
      progress: () => {},
      changed: () => fileError('other', 'remote', item.remote, `${item.remote} got shorter while it was being downloaded; try again.`),
    });
  }

  /** Removes the drag folders of earlier runs that are over (their process is gone), never another user's. */
  private async sweep(): Promise<void> {
    const uid = process.getuid?.();
    for (const name of await readdir(this.tmp)) {
      const pid = Number(OURS.exec(name)?.[1] ?? NaN);
      if (!Number.isInteger(pid) || pid === process.pid || alive(pid)) continue;
      const dir = path.join(this.tmp, name);
      const st = await lstat(dir).catch(() => null);
      if (!st?.isDirectory() || (uid !== undefined && st.uid !== uid)) continue;
      await rm(dir, { recursive: true, force: true }).catch(() => {});
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
