// SFTP against servers that lie: names from a hostile server's listings (`../x`, absolute names, `a/b`,
// control characters, links pointing anywhere) never write outside the folder they are downloaded into,
// and are refused by name while the good files arrive; the browser-mode upload takes only the bytes it
// declared, in order, from a real sshd.
import { createHash, randomBytes } from 'node:crypto';
import { chown, lstat, mkdir, readdir, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadOverHttp } from '../harness/browser.js';
import { visible } from '../../shared/untrusted.js';
import { startHostileServer, type HostileServer, type VNode } from '../harness/hostile.js';
import { cleanupAll, ensureTestUser, startSshd, tempDir, type Sshd } from '../harness/ssh.js';
import { queue, transfer, warrenWithHost } from '../harness/warren.js';

const HOME = '/home/hostile';
const file = (data: string): VNode => ({ kind: 'file', data });
const exists = (p: string) =>
  lstat(p).then(
    () => true,
    () => false,
  );

const servers: HostileServer[] = [];

beforeAll(async () => {
  await ensureTestUser();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await cleanupAll();
});

/** a Warren with a saved host for `server` (any password logs in), its host key accepted */
const warrenFor = (server: HostileServer) => warrenWithHost({ port: server.port, user: 'alice', password: 'anything' });

async function serve(dl: Record<string, VNode>): Promise<HostileServer> {
  const server = await startHostileServer({
    home: HOME,
    files: { kind: 'dir', children: { home: { kind: 'dir', children: { hostile: { kind: 'dir', children: { dl: { kind: 'dir', children: dl } } } } } } },
  });
  servers.push(server);
  return server;
}

describe('a folder download from a hostile server', () => {
  it('writes nothing outside the destination, refuses each bad name by name, and the good files arrive', async () => {
    const base = await tempDir('warren-hostile-sftp-');
    const dest = join(base, 'a', 'b', 'dl');
    await mkdir(join(base, 'a', 'b'), { recursive: true });
    await writeFile(join(base, 'victim.txt'), 'original');
    const bad = {
      up: '../../../escaped-up',
      abs: `${base}/escaped-abs`,
      slash: 'sub/planted.txt',
      bell: 'bell\u0007.txt',
      newline: 'two\nlines',
      deep: '../../../../escaped-deep',
    };
    const server = await serve({
      'good.txt': file('good'),
      'photo\u202egnp.exe': file('odd but valid'),
      sub: { kind: 'dir', children: { 'inner.txt': file('inner'), [bad.deep]: file('pwn') } },
      [bad.up]: file('pwn'),
      [bad.abs]: file('pwn'),
      [bad.slash]: file('pwn'),
      [bad.bell]: file('pwn'),
      [bad.newline]: file('pwn'),
      'link-abs': { kind: 'symlink', target: join(base, 'victim.txt') },
      'link-up': { kind: 'symlink', target: '../../../victim.txt' },
      'link-in': { kind: 'symlink', target: 'good.txt' },
    });
    const { w, target } = await warrenFor(server);
    const q = queue(w);

    // the pane lists them all, the bad ones marked as not downloadable and why
    const listing = await w.client.call('sftp.list', { target, path: `${HOME}/dl` });
    const refused = Object.fromEntries(listing.entries.map((e) => [e.name, e.refused ?? null]));
    expect(refused).toMatchObject({
      'good.txt': null,
      'photo\u202egnp.exe': null,
      sub: null,
      'link-abs': null,
      [bad.up]: expect.stringContaining('"/"'),
      [bad.abs]: expect.stringContaining('"/"'),
      [bad.slash]: expect.stringContaining('"/"'),
      [bad.bell]: expect.stringContaining('control'),
      [bad.newline]: expect.stringContaining('control'),
    });

    const [job] = await transfer(w, q, { direction: 'download', target, items: [{ from: `${HOME}/dl`, to: dest }], conflict: 'overwrite' });
    // nothing where the bad names point
    for (const p of [
      join(base, 'escaped-up'),
      join(base, 'escaped-abs'),
      join(dest, base, 'escaped-abs'),
      join(base, 'escaped-deep'),
      join(base, 'a', 'escaped-deep'),
      join(dest, 'sub', 'planted.txt'),
      join(dest, bad.bell),
      join(dest, bad.newline),
    ]) {
      expect(await exists(p), p).toBe(false);
    }
    expect(await readFile(join(base, 'victim.txt'), 'utf8')).toBe('original');
    // each refused name is a failed file of the job, by its escaped name; the rest arrived
    expect(job).toMatchObject({ state: 'failed', files: 12, filesDone: 12 });
    const failed = q.filesOf(job!.id).filter((f) => f.state === 'failed');
    expect(failed.map((f) => f.error!.reason)).toEqual(Array(6).fill('refused'));
    for (const name of Object.values(bad)) {
      const row = failed.find((f) => f.error!.message.includes(`"${visible(name)}"`));
      expect(row?.error?.message, name).toMatch(
        /^Refused: .* listed a name that cannot be written as one file in .*Nothing was written for it; the other files are copied\.$/,
      );
      expect(row?.error?.message).not.toMatch(/[\u0000-\u001f]/);
    }
    expect((await readdir(dest)).sort()).toEqual(['good.txt', 'link-abs', 'link-in', 'link-up', 'photo\u202egnp.exe', 'sub']);
    expect(await readFile(join(dest, 'good.txt'), 'utf8')).toBe('good');
    expect(await readFile(join(dest, 'photo\u202egnp.exe'), 'utf8')).toBe('odd but valid');
    expect(await readdir(join(dest, 'sub'))).toEqual(['inner.txt']);
    expect(await readFile(join(dest, 'sub', 'inner.txt'), 'utf8')).toBe('inner');
    // links are made as links, their targets kept as the server gave them (data, not followed)
    expect(await readlink(join(dest, 'link-abs'))).toBe(join(base, 'victim.txt'));
    expect(await readlink(join(dest, 'link-up'))).toBe('../../../victim.txt');
    expect(await readlink(join(dest, 'link-in'))).toBe('good.txt');

    // retrying the job leaves the refused names refused
    await w.client.call('transfers.retry', { id: job!.id });
    await new Promise((r) => setTimeout(r, 300));
    expect(q.filesOf(job!.id).filter((f) => f.state === 'failed')).toHaveLength(6);
    expect(await exists(join(base, 'escaped-up'))).toBe(false);

    // the same names again, now as files: a download replaces the links themselves, never what they point to
    const again = await serve({ 'link-abs': file('pwn'), 'link-up': file('pwn'), 'good.txt': file('good, again') });
    const second = await warrenFor(again);
    const q2 = queue(second.w);
    const [job2] = await transfer(second.w, q2, {
      direction: 'download',
      target: second.target,
      items: [{ from: `${HOME}/dl`, to: dest }],
      conflict: 'overwrite',
    });
    expect(job2).toMatchObject({ state: 'done', files: 3 });
    expect(await readFile(join(base, 'victim.txt'), 'utf8')).toBe('original');
    for (const name of ['link-abs', 'link-up']) {
      expect((await lstat(join(dest, name))).isFile()).toBe(true);
      expect(await readFile(join(dest, name), 'utf8')).toBe('pwn');
      expect((await stat(join(dest, name))).mode & 0o777).not.toBe(0o777);
    }
    expect(await readFile(join(dest, 'good.txt'), 'utf8')).toBe('good, again');
    q.stop();
    q2.stop();
    await w.close();
    await second.w.close();
  });

  it('a browser download saves only under a name the rule accepts', async () => {
    const server = await serve({ 'good.txt': file('good'), 'bell\u0007.txt': file('pwn') });
    const { w, target } = await warrenFor(server);
    // refused before any link exists: the page gets the reason, nothing reaches the browser
    await expect(downloadOverHttp(w, target, `${HOME}/dl/bell\u0007.txt`)).rejects.toMatchObject({
      code: 'CONFLICT',
      detail: { reason: 'refused' },
      message: expect.stringContaining('"bell\\x07.txt" (it contains control characters). It is not downloaded.'),
    });
    const good = await downloadOverHttp(w, target, `${HOME}/dl/good.txt`);
    expect(good.status).toBe(200);
    expect(good.headers['content-disposition']).toBe(`attachment; filename="good.txt"; filename*=UTF-8''good.txt`);
    expect(good.body).toBe('good');
    await w.close();
  });
});

describe('against a real sshd', () => {
  let sshd: Sshd;
  let home: string;
  let uid: number;
  let gid: number;
  beforeAll(async () => {
    home = (await ensureTestUser()).home;
    ({ uid, gid } = await stat(home));
    sshd = await startSshd();
  });

  const warren = () => warrenWithHost({ port: sshd.port });
  async function remoteDir(name: string): Promise<string> {
    const dir = join(home, `hostile-${name}`);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir);
    await chown(dir, uid, gid);
    return dir;
  }

  it('a name with a control character is listed as refused, and can still be renamed and deleted by its real name', async () => {
    const { w, target } = await warren();
    const dir = await remoteDir('odd');
    await writeFile(join(dir, 'ctl\u0007name'), 'x');
    const listing = await w.client.call('sftp.list', { target, path: dir });
    expect(listing.entries).toEqual([expect.objectContaining({ name: 'ctl\u0007name', refused: 'it contains control characters' })]);
    await w.client.call('sftp.rename', { target, from: `${dir}/ctl\u0007name`, to: `${dir}/still\u0007odd` });
    expect(await readdir(dir)).toEqual(['still\u0007odd']);
    await w.client.call('sftp.delete', { target, path: `${dir}/still\u0007odd` });
    expect(await readdir(dir)).toEqual([]);
    await w.close();
  });

  it('upload.chunk takes only the bytes declared, in order: anything else is refused and leaves no file', async () => {
    const { w, target } = await warren();
    const dir = await remoteDir('chunks');
    const begin = () => w.client.call('upload.begin', { target, path: `${dir}/four.bin`, size: 4, conflict: 'overwrite' });
    const chunk = (id: string, offset: number, data: string) => w.client.call('upload.chunk', { id, offset, data: new Uint8Array(Buffer.from(data)) });
    const refusedAs = (why: RegExp) => ({ code: 'BAD_REQUEST', message: expect.stringMatching(why) });

    // far past the end: a terabyte-sized sparse file is what this used to make
    const far = await begin();
    await expect(chunk(far.id, 2 ** 40, 'abcd')).rejects.toMatchObject(
      refusedAs(/^Upload of .*four\.bin stopped: a chunk at byte 1099511627776 arrived where byte 0 was due .*Nothing was kept; begin the upload again\.$/),
    );
    expect(await readdir(dir)).toEqual([]);
    await expect(chunk(far.id, 0, 'abcd')).rejects.toMatchObject({ code: 'NOT_FOUND' }); // the upload is over

    // out of order: a gap after the first chunk
    const gap = await begin();
    await chunk(gap.id, 0, 'ab');
    await expect(chunk(gap.id, 3, 'd')).rejects.toMatchObject(refusedAs(/a chunk at byte 3 arrived where byte 2 was due/));
    expect(await readdir(dir)).toEqual([]);

    // more than declared
    const over = await begin();
    await expect(chunk(over.id, 0, 'abcde')).rejects.toMatchObject(refusedAs(/a chunk ending at byte 5 goes past the 4 bytes upload\.begin declared/));
    expect(await readdir(dir)).toEqual([]);

    // the honest upload, chunks in flight at once, completes
    const data = randomBytes(3 << 20);
    const ok = await w.client.call('upload.begin', { target, path: `${dir}/honest.bin`, size: data.length, conflict: 'overwrite' });
    const CHUNK = 256 << 10;
    await Promise.all(
      Array.from({ length: data.length / CHUNK }, (_, i) =>
        w.client.call('upload.chunk', { id: ok.id, offset: i * CHUNK, data: new Uint8Array(data.subarray(i * CHUNK, (i + 1) * CHUNK)) }),
      ),
    );
    await w.client.call('upload.end', { id: ok.id });
    expect(await readdir(dir)).toEqual(['honest.bin']);
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(sha(await readFile(join(dir, 'honest.bin')))).toBe(sha(data));
    await w.close();
  });
});
