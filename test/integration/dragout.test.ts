// Dragging remote files out to the OS file manager (desktop app), against a real sshd: `sftp.dragOut` downloads
// the dragged files and folders into one private temporary folder, then hands their local paths to the desktop's
// startDrag (here a recording stand-in for webContents.startDrag: only the OS part is not real).
import { createHash, randomBytes } from 'node:crypto';
import { chown, lchown, lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupAll, ensureTestUser, startSshd, type Sshd } from '../harness/ssh.js';
import { warrenWithHost } from '../harness/warren.js';
import type { ServicesOptions } from '../../electron/services.js';

let sshd: Sshd;
let home: string;
let uid: number;
let gid: number;
let remote: string;

const SPACED = 'with space ü ñ 日本.bin';
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const content: Record<string, Buffer> = {
  'plain.txt': Buffer.from('plain text\n'),
  [SPACED]: randomBytes(3 << 20), // many pipelined chunks
  'folder/a.txt': Buffer.from('a in folder\n'),
  'folder/nested/deep é.txt': Buffer.from('deep\n'),
  'folder/empty.txt': Buffer.alloc(0),
};
const MTIME = new Date('2021-03-04T05:06:07Z');

beforeAll(async () => {
  home = (await ensureTestUser()).home;
  ({ uid, gid } = await stat(home));
  sshd = await startSshd();
  remote = join(home, `dragout-${process.pid}`);
  await rm(remote, { recursive: true, force: true });
  for (const d of [remote, `${remote}/folder`, `${remote}/folder/nested`, `${remote}/folder/empty dir`]) {
    await mkdir(d);
    await chown(d, uid, gid);
  }
  for (const [rel, data] of Object.entries(content)) {
    await writeFile(join(remote, rel), data);
    await chown(join(remote, rel), uid, gid);
  }
  await utimes(join(remote, 'plain.txt'), MTIME, MTIME);
  await symlink('a.txt', `${remote}/folder/link to a`); // a link to a file brings the file
  await symlink('.', `${remote}/folder/loop`); // a link to a folder is left out
  for (const l of ['link to a', 'loop']) await lchown(`${remote}/folder/${l}`, uid, gid);
});
afterAll(async () => {
  await rm(remote, { recursive: true, force: true });
  await cleanupAll();
});

const warren = (options: Partial<ServicesOptions> = {}) => warrenWithHost({ port: sshd.port }, options);

/** what a drag hands the OS, and the state of those files at that moment */
interface Drag {
  files: string[];
  tree: Record<string, string>;
  mode: number;
  owner: number;
  plainMtime: number;
}

/** every path under `dir`: folders, files by sha256 */
async function tree(dir: string, prefix = ''): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) {
    const p = join(dir, name);
    const s = await lstat(p);
    if (s.isSymbolicLink()) out[prefix + name] = 'symlink';
    else if (s.isDirectory()) Object.assign(out, { [prefix + name]: 'dir' }, await tree(p, `${prefix + name}/`));
    else out[prefix + name] = `file:${sha256(await readFile(p))}`;
  }
  return out;
}

/** a startDrag that records what it was given (webContents.startDrag needs a window and a pointer) */
function recorder() {
  const drags: Drag[] = [];
  const startDrag = async (files: string[]) => {
    const folder = dirname(files[0]!);
    const s = await stat(folder);
    drags.push({
      files,
      tree: await tree(folder),
      mode: s.mode & 0o777,
      owner: s.uid,
      plainMtime: (await stat(join(folder, 'plain.txt')).catch(() => null))?.mtimeMs ?? NaN,
    });
  };
  return { drags, startDrag };
}

const ownFolders = async () => (await readdir(tmpdir())).filter((n) => n.startsWith(`warren-drag-${process.pid}-`)).sort();

describe('sftp.dragOut (drag remote files out to the file manager)', () => {
  it('downloads files and folders into one private temporary folder, then starts the drag with their local paths', async () => {
    const { drags, startDrag } = recorder();
    const { w, target } = await warren({ startDrag });
    let closed = false;
    try {
      const paths = [`${remote}/plain.txt`, `${remote}/${SPACED}`, `${remote}/folder`];
      const result = await w.client.call('sftp.dragOut', { target, paths });

      expect(drags).toHaveLength(1);
      const drag = drags[0]!;
      expect(result.files).toEqual(drag.files);
      const folder = dirname(drag.files[0]!);
      expect(drag.files).toEqual(['plain.txt', SPACED, 'folder'].map((n) => join(folder, n)));
      // one fresh folder of this run, in the temporary folder, private to the user running Warren
      expect(dirname(folder)).toBe(tmpdir());
      expect(basename(folder)).toMatch(new RegExp(`^warren-drag-${process.pid}-`));
      expect(drag.mode).toBe(0o700);
      expect(drag.owner).toBe(process.getuid!());
      // the same bytes as on the server, the folder's structure kept, the link to a file as that file, the loop left out
      const file = (rel: string) => `file:${sha256(content[rel]!)}`;
      expect(drag.tree).toEqual({
        'plain.txt': file('plain.txt'),
        [SPACED]: file(SPACED),
        folder: 'dir',
        'folder/a.txt': file('folder/a.txt'),
        'folder/empty dir': 'dir',
        'folder/empty.txt': file('folder/empty.txt'),
        'folder/link to a': file('folder/a.txt'),
        'folder/nested': 'dir',
        'folder/nested/deep é.txt': file('folder/nested/deep é.txt'),
      });
      expect(drag.plainMtime).toBe(MTIME.getTime()); // the file manager copies it with the server's date
      expect(result.bytes).toBe(Object.values(content).reduce((n, b) => n + b.length, 0) + content['folder/a.txt']!.length);

      // the files stay while Warren runs (the drop may still be reading them), and go when it closes
      expect((await stat(folder)).isDirectory()).toBe(true);
      closed = true;
      await w.close();
      await expect(stat(folder)).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      if (!closed) await w.close();
    }
  });

  it('without the desktop app (browser mode, CLI) it fails and says to download instead', async () => {
    const { w, target } = await warren();
    try {
      const before = await ownFolders();
      const err = await w.client.call('sftp.dragOut', { target, paths: [`${remote}/plain.txt`] }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'BAD_REQUEST', detail: { reason: 'desktop-only' } });
      expect((err as Error).message).toMatch(/needs the Warren desktop app/);
      expect((err as Error).message).toMatch(/download/);
      expect(await ownFolders()).toEqual(before);
    } finally {
      await w.close();
    }
  });

  it('a path that does not exist fails naming it, starts no drag and leaves no folder', async () => {
    const { drags, startDrag } = recorder();
    const { w, target } = await warren({ startDrag });
    try {
      const before = await ownFolders();
      const missing = `${remote}/no such file.txt`;
      const err = await w.client.call('sftp.dragOut', { target, paths: [`${remote}/plain.txt`, missing] }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'NOT_FOUND', detail: { reason: 'no-such-file', side: 'remote', path: missing } });
      expect((err as Error).message).toContain(missing);
      expect(drags).toHaveLength(0);
      expect(await ownFolders()).toEqual(before);
    } finally {
      await w.close();
    }
  });

  it('refuses what cannot be one local name: relative paths, /, .., two items with one name', async () => {
    const { drags, startDrag } = recorder();
    const { w, target } = await warren({ startDrag });
    try {
      const refused = async (paths: string[]) => expect(w.client.call('sftp.dragOut', { target, paths })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      await refused(['plain.txt']);
      await refused(['/']);
      await refused([`${remote}/folder/..`]);
      await refused([`${remote}/folder/.`]);
      await refused([`${remote}/plain.txt`, `${remote}/folder/../plain.txt`]);
      await refused([]);
      expect(drags).toHaveLength(0);
    } finally {
      await w.close();
    }
  });

  it('a failing startDrag leaves no folder behind', async () => {
    const { w, target } = await warren({
      startDrag: () => {
        throw new Error('no window');
      },
    });
    try {
      const before = await ownFolders();
      await expect(w.client.call('sftp.dragOut', { target, paths: [`${remote}/plain.txt`] })).rejects.toMatchObject({ code: 'INTERNAL' });
      expect(await ownFolders()).toEqual(before);
    } finally {
      await w.close();
    }
  });

  it("removes the drag folders a finished run left behind at start, not a live run's", async () => {
    let dead = 4_000_000;
    const isAlive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch (e) {
        return (e as NodeJS.ErrnoException).code === 'EPERM';
      }
    };
    while (isAlive(dead)) dead++;
    const stale = await mkdtemp(join(tmpdir(), `warren-drag-${dead}-`));
    await writeFile(join(stale, 'left.txt'), 'left over');
    const live = await mkdtemp(join(tmpdir(), `warren-drag-${process.ppid}-`));
    const { w } = await warren({ startDrag: () => {} });
    try {
      const deadline = Date.now() + 10_000;
      while ((await stat(stale).catch(() => null)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await expect(stat(stale)).rejects.toMatchObject({ code: 'ENOENT' });
      expect((await stat(live)).isDirectory()).toBe(true);
    } finally {
      await w.close();
      await rm(stale, { recursive: true, force: true });
      await rm(live, { recursive: true, force: true });
    }
  });
});
