// SFTP against a real sshd: the browser, the transfer queue (round trips, odd names, symlinks, an interrupted
// upload and its resume, conflict policies, permissions), browser-mode chunks, and SFTP as root through sudo.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, chown, lstat, mkdir, readdir, readFile, readlink, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupAll, ensureTestUser, startSshd, tempDir, TEST_PASSWORD, TEST_USER, type Sshd } from '../harness/ssh.js';
import { queue, startWarren, transfer, warrenWithHost } from '../harness/warren.js';
import { downloadOverHttp } from '../harness/browser.js';

let sshd: Sshd;
let home: string;
let uid: number;
let gid: number;
const SUDOERS = `/etc/sudoers.d/${TEST_USER}`;

beforeAll(async () => {
  home = (await ensureTestUser()).home;
  ({ uid, gid } = await stat(home));
  sshd = await startSshd();
});
afterAll(async () => {
  await rm(SUDOERS, { force: true });
  await cleanupAll();
});

/** a Warren with a saved host on the suite's sshd (the test user, by password), `extra` settings on it */
const warren = (extra: Record<string, unknown> = {}, options: Parameters<typeof startWarren>[0] = {}) => warrenWithHost({ port: sshd.port, ...extra }, options);

/** a fresh folder in the test user's home (the "remote" side), owned by the user */
async function remoteDir(name: string): Promise<string> {
  const dir = join(home, `sftp-${name}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir);
  await chown(dir, uid, gid);
  return dir;
}

async function writeAs(path: string, data: string | Buffer, owner = true): Promise<void> {
  await writeFile(path, data);
  if (owner) await chown(path, uid, gid);
}

const sha256 = (path: string) =>
  new Promise<string>((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (d) => h.update(d))
      .on('end', () => resolve(h.digest('hex')))
      .on('error', reject);
  });

async function randomFile(path: string, mib: number): Promise<void> {
  const chunk = 8 << 20;
  const parts: Buffer[] = [];
  for (let left = mib << 20; left > 0; left -= chunk) parts.push(randomBytes(Math.min(chunk, left)));
  await writeFile(path, Buffer.concat(parts));
}

/** every path under `dir`: folders, files by content, symlinks by target */
async function tree(dir: string, prefix = ''): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) {
    const p = join(dir, name);
    const rel = prefix + name;
    const s = await lstat(p);
    if (s.isSymbolicLink()) out[rel] = `link:${await readlink(p)}`;
    else if (s.isDirectory()) Object.assign(out, { [rel]: 'dir' }, await tree(p, `${rel}/`));
    else out[rel] = `file:${await sha256(p)}`;
  }
  return out;
}

/** polls every few ms, for what happens faster than the queue reports */
async function until(check: () => Promise<true | null>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await check()) === null) {
    if (Date.now() > deadline) throw new Error('timed out polling');
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** waits until the partial copy (`.*.warren-part`) in `dir` holds more than `bytes` */
const partialOver = (dir: string, bytes: number) =>
  until(async () => {
    const part = (await readdir(dir)).find((n) => n.endsWith('.warren-part'));
    return part && (await stat(join(dir, part)).catch(() => ({ size: 0 }))).size > bytes ? true : null;
  });

/** a 256 MiB download under way (16 MiB written) on a Warren with this reconnect backoff */
async function downloadMidway(name: string, backoff: { baseMs: number; capMs: number }) {
  const { w, target } = await warren({}, { backoff });
  const q = queue(w);
  const dir = await remoteDir(name);
  await randomFile(join(dir, 'big.bin'), 256);
  await chown(join(dir, 'big.bin'), uid, gid);
  const local = await tempDir(`warren-${name}-`);
  const { ids } = await w.client.call('transfers.enqueue', {
    direction: 'download',
    target,
    items: [{ from: `${dir}/big.bin`, to: join(local, 'big.bin') }],
    conflict: 'overwrite',
  });
  await partialOver(local, 16 << 20);
  return { w, target, q, dir, local, jobId: ids[0]! };
}

describe('browser', () => {
  it('lists, makes, renames, chmods and deletes, remote and local, with symlinks shown as such', async () => {
    const { w, target } = await warren();
    const dir = await remoteDir('browse');
    expect((await w.client.call('sftp.home', { target })).path).toBe(home);
    await writeAs(join(dir, 'file.txt'), 'hello');
    await symlink('file.txt', join(dir, 'link'));
    await symlink('nowhere', join(dir, 'dangling'));
    await w.client.call('sftp.mkdir', { target, path: `${dir}/sub dir` });
    await w.client.call('sftp.rename', { target, from: `${dir}/file.txt`, to: `${dir}/renamed.txt` });
    await expect(w.client.call('sftp.rename', { target, from: `${dir}/renamed.txt`, to: `${dir}/sub dir` })).rejects.toMatchObject({
      code: 'CONFLICT',
      detail: { reason: 'exists' },
    });
    await w.client.call('sftp.chmod', { target, path: `${dir}/renamed.txt`, mode: 0o600 });

    const listing = await w.client.call('sftp.list', { target, path: `${dir}/sub dir/..` });
    expect(listing.path).toBe(dir);
    const byName = Object.fromEntries(listing.entries.map((e) => [e.name, e]));
    expect(byName['renamed.txt']).toMatchObject({ kind: 'file', size: 5, mode: 0o600 });
    expect(byName['sub dir']).toMatchObject({ kind: 'dir' });
    expect(byName.link).toMatchObject({ kind: 'symlink', linkTarget: 'file.txt', linkKind: 'missing' }); // its target was renamed
    expect(byName.dangling).toMatchObject({ kind: 'symlink', linkTarget: 'nowhere', linkKind: 'missing' });
    expect(await w.client.call('sftp.stat', { target, path: `${dir}/renamed.txt` })).toMatchObject({ name: 'renamed.txt', kind: 'file', size: 5 });
    expect(Math.abs(byName['renamed.txt']!.mtime - Date.now())).toBeLessThan(60_000);

    await writeAs(join(dir, 'sub dir', 'inner'), 'x');
    await expect(w.client.call('sftp.delete', { target, path: `${dir}/sub dir` })).rejects.toMatchObject({ detail: { reason: 'not-empty' } });
    await w.client.call('sftp.delete', { target, path: `${dir}/sub dir`, recursive: true });
    await w.client.call('sftp.delete', { target, path: `${dir}/link` });
    expect((await readdir(dir)).sort()).toEqual(['dangling', 'renamed.txt']);
    await expect(w.client.call('sftp.list', { target, path: `${dir}/nope` })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      detail: { reason: 'no-such-file', side: 'remote' },
    });

    const local = await tempDir('warren-local-');
    await w.client.call('local.mkdir', { path: join(local, 'made') });
    await writeFile(join(local, 'f'), 'abc');
    const l = await w.client.call('local.list', { path: local });
    expect(l.entries.map((e) => `${e.name}:${e.kind}`).sort()).toEqual(['f:file', 'made:dir']);
    await w.client.call('local.delete', { path: local, recursive: true });
    await w.close();
  });

  it('lists a folder of 10,000 entries', async () => {
    const { w, target } = await warren();
    const dir = await remoteDir('many');
    await Promise.all(Array.from({ length: 10_000 }, (_, i) => writeFile(join(dir, `entry-${String(i).padStart(5, '0')}`), '')));
    const start = performance.now();
    const listing = await w.client.call('sftp.list', { target, path: dir });
    const ms = performance.now() - start;
    console.log(`sftp.list of 10,000 entries: ${ms.toFixed(0)} ms`);
    expect(listing.entries).toHaveLength(10_000);
    expect(ms).toBeLessThan(5000);
    await w.close();
  });
});

describe('transfers', () => {
  it('round-trips a 128 MiB file with equal sha256, progress a few times a second, mtime preserved', async () => {
    const { w, target } = await warren();
    const q = queue(w);
    const local = await tempDir('warren-big-');
    const dir = await remoteDir('big');
    await randomFile(join(local, 'big.bin'), 128);
    await utimes(join(local, 'big.bin'), new Date('2020-02-02T02:02:02Z'), new Date('2020-02-02T02:02:02Z'));
    const start = performance.now();
    const [up] = await transfer(w, q, { direction: 'upload', target, items: [{ from: join(local, 'big.bin'), to: `${dir}/big.bin` }], conflict: 'overwrite' });
    const seconds = (performance.now() - start) / 1000;
    expect(up).toMatchObject({ state: 'done', files: 1, filesDone: 1, bytes: 128 << 20, total: 128 << 20 });
    expect(await sha256(join(dir, 'big.bin'))).toBe(await sha256(join(local, 'big.bin')));
    expect((await stat(join(dir, 'big.bin'))).mtime.toISOString()).toBe('2020-02-02T02:02:02.000Z');
    const during = q.events.filter((e) => e.e.jobs.some((j) => j.id === up!.id)).length;
    expect(during).toBeLessThanOrEqual(Math.ceil(seconds * 4) + 3);

    const [down] = await transfer(w, q, { direction: 'download', target, items: [{ from: `${dir}/big.bin`, to: join(local, 'back.bin') }] });
    expect(down!.state).toBe('done');
    expect(await sha256(join(local, 'back.bin'))).toBe(await sha256(join(local, 'big.bin')));
    expect((await readdir(local)).sort()).toEqual(['back.bin', 'big.bin']); // no temporary file left
    q.stop();
    await w.close();
  });

  it('copies a tree with odd names, empty files and symlinks there and back', async () => {
    const { w, target } = await warren();
    const q = queue(w);
    const src = join(await tempDir('warren-tree-'), 'tree');
    const odd = ['with space.txt', `quote's "double".txt`, 'ünïcödé 日本.txt', '-leading-dash', '--', '$(echo no).txt', 'back\\slash'];
    await mkdir(join(src, 'a b', 'c d', 'deep'), { recursive: true });
    await mkdir(join(src, 'empty dir'));
    for (const [i, name] of odd.entries()) await writeFile(join(src, name), `content ${i} ${name}`);
    await writeFile(join(src, 'a b', 'c d', 'deep', 'empty'), '');
    await writeFile(join(src, 'a b', 'exec.sh'), '#!/bin/sh\n', { mode: 0o755 });
    await randomFile(join(src, 'a b', 'c d', 'mid.bin'), 3);
    await symlink('with space.txt', join(src, 'link to file'));
    await symlink('a b/c d', join(src, 'link to dir'));
    await symlink('/nowhere/at all', join(src, 'dangling'));
    const dir = await remoteDir('tree');
    const [up] = await transfer(w, q, {
      direction: 'upload',
      target,
      items: [{ from: src, to: `${dir}/tree` }],
      conflict: 'overwrite',
      preserve: { mtime: true, mode: true },
    });
    expect(up).toMatchObject({ state: 'done', kind: 'dir', error: null });
    expect(await tree(join(dir, 'tree'))).toEqual(await tree(src));
    expect((await stat(join(dir, 'tree', 'a b', 'exec.sh'))).mode & 0o777).toBe(0o755);

    const back = join(await tempDir('warren-back-'), 'tree');
    const [down] = await transfer(w, q, { direction: 'download', target, items: [{ from: `${dir}/tree`, to: back }] });
    expect(down).toMatchObject({ state: 'done', files: up!.files });
    expect(await tree(back)).toEqual(await tree(src));
    q.stop();
    await w.close();
  });

  it('an upload interrupted by a lost connection leaves the old file intact, then resumes where it stopped', async () => {
    // reconnecting by itself is the next test: here it waits long enough for the paused state to be looked at
    const { w, target } = await warren({}, { backoff: { baseMs: 120_000, capMs: 120_000 } });
    const q = queue(w);
    const local = await tempDir('warren-resume-');
    const dir = await remoteDir('resume');
    await writeAs(join(dir, 'data.bin'), 'the old version');
    const oldSum = await sha256(join(dir, 'data.bin'));
    await randomFile(join(local, 'data.bin'), 256);
    const { ids } = await w.client.call('transfers.enqueue', {
      direction: 'upload',
      target,
      items: [{ from: join(local, 'data.bin'), to: `${dir}/data.bin` }],
      conflict: 'overwrite',
    });
    const jobId = ids[0]!;
    // watch the partial file on the server's disk (the queue reports only a few times a second) and cut the connection early
    await partialOver(dir, 16 << 20);
    await sshd.killSessions();
    await q.until('paused', () => q.jobs.get(jobId)?.state === 'paused');
    const [paused] = q.filesOf(jobId);
    expect(paused).toMatchObject({ state: 'paused', resumable: true, error: { reason: 'connection-lost', side: 'remote', path: `${dir}/data.bin` } });
    expect(paused!.bytes).toBeLessThan(256 << 20);
    // the old file is untouched; the partial copy sits beside it under a temporary name
    expect(await sha256(join(dir, 'data.bin'))).toBe(oldSum);
    const names = await readdir(dir);
    expect(names).toHaveLength(2);
    const part = names.find((n) => n.endsWith('.warren-part'))!;
    expect(part).toMatch(/^\.data\.bin\..*\.warren-part$/);
    const kept = (await stat(join(dir, part))).size;
    expect(kept).toBeGreaterThan(0);
    expect(q.jobs.get(jobId)!.retryAt).toBeGreaterThan(Date.now() + 60_000);

    const seen = q.events.length;
    await w.client.call('transfers.resume', { id: jobId });
    await q.until('done', () => q.jobs.get(jobId)?.state === 'done');
    const restarted = q.events
      .slice(seen)
      .flatMap((e) => e.e.files)
      .find((f) => f.state === 'running')!;
    expect(restarted.bytes).toBeGreaterThan(0); // it went on from the partial copy, not from zero
    expect(await sha256(join(dir, 'data.bin'))).toBe(await sha256(join(local, 'data.bin')));
    expect(await readdir(dir)).toEqual(['data.bin']);
    q.stop();
    await w.close();
  });

  it('paused by a lost connection, a download reconnects and finishes by itself, from where it stopped', async () => {
    const { w, q, dir, local, jobId } = await downloadMidway('autoresume', { baseMs: 400, capMs: 2000 });
    await sshd.killSessions();
    await q.until('paused with a retry scheduled', () => {
      const j = q.jobs.get(jobId);
      return j?.state === 'paused' && j.retryAt !== null;
    });
    const seen = q.events.length;
    // nobody calls transfers.resume
    await q.until('done', () => q.jobs.get(jobId)?.state === 'done');
    const restarted = q.events
      .slice(seen)
      .flatMap((e) => e.e.files)
      .find((f) => f.state === 'running')!;
    expect(restarted.bytes).toBeGreaterThan(0);
    expect(q.jobs.get(jobId)!.retryAt).toBeNull();
    expect(await sha256(join(local, 'big.bin'))).toBe(await sha256(join(dir, 'big.bin')));
    expect(await readdir(local)).toEqual(['big.bin']);
    q.stop();
    await w.close();
  });

  it('stops reconnecting by itself when the reconnection fails on authentication, and says so', async () => {
    const { w, target, q, dir, local, jobId } = await downloadMidway('autoresume-auth', { baseMs: 300, capMs: 1000 });
    // the saved password is now wrong: the next login fails, and trying again cannot fix that
    await w.client.call('hosts.update', { id: target.hostId, patch: { password: 'not-the-password' } });
    await sshd.killSessions();
    await q.until('paused, no longer retrying', () => {
      const j = q.jobs.get(jobId);
      return j?.state === 'paused' && j.retryAt === null && /stopped reconnecting/.test(j.error?.message ?? '');
    });
    const [file] = q.filesOf(jobId);
    expect(file).toMatchObject({ state: 'paused', resumable: true });
    expect(file!.error!.message).toMatch(/password|authentication/i);
    // fixed, a resume continues from the partial copy
    await w.client.call('hosts.update', { id: target.hostId, patch: { password: TEST_PASSWORD } });
    await w.client.call('transfers.resume', { id: jobId });
    await q.until('done', () => q.jobs.get(jobId)?.state === 'done');
    expect(await sha256(join(local, 'big.bin'))).toBe(await sha256(join(dir, 'big.bin')));
    q.stop();
    await w.close();
  });

  it('conflict policies: overwrite (keeping permissions), skip, rename, newer', async () => {
    const { w, target } = await warren();
    const q = queue(w);
    const local = await tempDir('warren-conflict-');
    const dir = await remoteDir('conflict');
    const put = async (name: string, conflict: 'overwrite' | 'skip' | 'rename' | 'newer') =>
      (await transfer(w, q, { direction: 'upload', target, items: [{ from: join(local, name), to: `${dir}/${name}` }], conflict }))[0]!;
    for (const name of ['o.txt', 's.txt', 'r.txt', 'newer.txt', 'older.txt']) {
      await writeAs(join(dir, name), 'old');
      await writeFile(join(local, name), 'new');
    }
    await utimes(join(local, 'older.txt'), new Date(2000, 1, 1), new Date(2000, 1, 1));
    await utimes(join(dir, 'newer.txt'), new Date(2000, 1, 1), new Date(2000, 1, 1));
    await chmod(join(dir, 'o.txt'), 0o640);

    expect((await put('o.txt', 'overwrite')).state).toBe('done');
    expect(await readFile(join(dir, 'o.txt'), 'utf8')).toBe('new');
    expect((await stat(join(dir, 'o.txt'))).mode & 0o777).toBe(0o640);
    expect((await put('s.txt', 'skip')).state).toBe('skipped');
    expect(await readFile(join(dir, 's.txt'), 'utf8')).toBe('old');
    expect((await put('r.txt', 'rename')).state).toBe('done');
    expect(await readFile(join(dir, 'r.txt'), 'utf8')).toBe('old');
    expect(await readFile(join(dir, 'r (1).txt'), 'utf8')).toBe('new');
    expect((await put('newer.txt', 'newer')).state).toBe('done');
    expect(await readFile(join(dir, 'newer.txt'), 'utf8')).toBe('new');
    expect((await put('older.txt', 'newer')).state).toBe('skipped');
    expect(await readFile(join(dir, 'older.txt'), 'utf8')).toBe('old');
    // a link to a file: the file it points to is replaced, the link stays
    await writeAs(join(dir, 'real.txt'), 'old');
    await symlink('real.txt', join(dir, 'link.txt'));
    await writeFile(join(local, 'link.txt'), 'through the link');
    expect((await put('link.txt', 'overwrite')).state).toBe('done');
    expect(await readlink(join(dir, 'link.txt'))).toBe('real.txt');
    expect(await readFile(join(dir, 'real.txt'), 'utf8')).toBe('through the link');
    expect(w.asked.filter((p) => p.kind === 'conflict')).toHaveLength(0);
    q.stop();
    await w.close();
  });

  it('conflict policy ask: one question per file, or one for all with "apply to all"', async () => {
    const { w, target } = await warren();
    const q = queue(w);
    const src = join(await tempDir('warren-ask-'), 'folder');
    const dir = await remoteDir('ask');
    await mkdir(src);
    await mkdir(join(dir, 'folder'));
    await chown(join(dir, 'folder'), uid, gid);
    for (const name of ['1', '2', '3']) {
      await writeFile(join(src, name), `new ${name}`);
      await writeAs(join(dir, 'folder', name), `old ${name}`);
    }
    const item = { from: src, to: `${dir}/folder` };
    const otherwise = w.answer;
    w.answer = (p) => (p.kind === 'conflict' ? { conflict: 'skip', applyToAll: false } : otherwise(p));
    expect((await transfer(w, q, { direction: 'upload', target, items: [item], conflict: 'ask' }))[0]!.state).toBe('skipped');
    expect(w.asked.filter((p) => p.kind === 'conflict')).toHaveLength(3);

    w.asked = [];
    w.answer = (p) => (p.kind === 'conflict' ? { conflict: 'overwrite', applyToAll: true } : otherwise(p));
    expect((await transfer(w, q, { direction: 'upload', target, items: [item], conflict: 'ask' }))[0]!.state).toBe('done');
    const asked = w.asked.filter((p) => p.kind === 'conflict');
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({ kind: 'conflict', direction: 'upload', existing: { kind: 'file', size: 5 }, incoming: { size: 5 } });
    for (const name of ['1', '2', '3']) expect(await readFile(join(dir, 'folder', name), 'utf8')).toBe(`new ${name}`);
    q.stop();
    await w.close();
  });

  it('permission denied on a read-only folder names the file and the reason; retry works once it is writable', async () => {
    const { w, target } = await warren();
    const q = queue(w);
    const local = await tempDir('warren-ro-');
    const ro = join(home, 'sftp-readonly');
    await rm(ro, { recursive: true, force: true });
    await mkdir(ro, { mode: 0o755 }); // root's: the test user may read, not write
    await writeFile(join(local, 'f.txt'), 'data');
    const [job] = await transfer(w, q, { direction: 'upload', target, items: [{ from: join(local, 'f.txt'), to: `${ro}/f.txt` }], conflict: 'overwrite' });
    expect(job!.state).toBe('failed');
    expect(job!.error).toMatchObject({ reason: 'permission-denied', side: 'remote', path: `${ro}/f.txt` });
    expect(job!.error!.message).toMatch(/Permission denied/);
    expect(job!.error!.message).toContain(`${ro}/f.txt`);
    await expect(w.client.call('sftp.mkdir', { target, path: `${ro}/sub` })).rejects.toThrow(/Permission denied.*sftp-readonly\/sub/);

    await chown(ro, uid, gid);
    await w.client.call('transfers.retry', { id: job!.id });
    await q.until('retried', () => q.jobs.get(job!.id)?.state === 'done');
    expect(await readFile(join(ro, 'f.txt'), 'utf8')).toBe('data');
    q.stop();
    await w.close();
  });

  it('a missing source fails with its name; cancel stops a download and leaves nothing behind', async () => {
    const { w, target } = await warren();
    const q = queue(w);
    const dir = await remoteDir('cancel');
    const local = await tempDir('warren-cancel-');
    const [missing] = await transfer(w, q, { direction: 'download', target, items: [{ from: `${dir}/nope`, to: join(local, 'nope') }] });
    expect(missing).toMatchObject({ state: 'failed', error: { reason: 'no-such-file', side: 'remote', path: `${dir}/nope` } });

    await randomFile(join(dir, 'big.bin'), 256);
    const { ids } = await w.client.call('transfers.enqueue', {
      direction: 'download',
      target,
      items: [{ from: `${dir}/big.bin`, to: join(local, 'big.bin') }],
    });
    await until(async () => ((await readdir(local)).length > 0 ? true : null));
    await w.client.call('transfers.cancel', { id: ids[0]! });
    await q.until('cancelled', () => q.jobs.get(ids[0]!)?.state === 'cancelled');
    expect(await readdir(local)).toEqual([]);
    await w.client.call('transfers.clear', {});
    await q.until('cleared', () => q.events.some((e) => e.e.removed.includes(ids[0]!)));
    q.stop();
    await w.close();
  });
});

describe('browser mode', () => {
  it('uploads File API chunks into place, and downloads as an HTTP download (whole, then resumed with Range)', async () => {
    const { w, target } = await warren();
    const q = queue(w);
    const dir = await remoteDir('chunks');
    const data = randomBytes(3 * 1024 * 1024 + 123);
    const begin = await w.client.call('upload.begin', {
      target,
      path: `${dir}/new folder/from page.bin`,
      size: data.length,
      mtime: Date.UTC(2021, 0, 1),
      conflict: 'overwrite',
    });
    expect(begin.skipped).toBe(false);
    const CHUNK = 256 * 1024;
    const inFlight: Promise<unknown>[] = [];
    for (let at = 0; at < data.length; at += CHUNK) {
      inFlight.push(w.client.call('upload.chunk', { id: begin.id, offset: at, data: new Uint8Array(data.subarray(at, at + CHUNK)) }));
      if (inFlight.length >= 4) await inFlight.shift();
    }
    await Promise.all(inFlight);
    expect(await readdir(join(dir, 'new folder'))).toHaveLength(1); // only the temporary file so far
    await w.client.call('upload.end', { id: begin.id });
    expect(Buffer.compare(await readFile(join(dir, 'new folder', 'from page.bin')), data)).toBe(0);
    expect((await stat(join(dir, 'new folder', 'from page.bin'))).mtime.toISOString()).toBe('2021-01-01T00:00:00.000Z');
    await q.until('listed as done', () => q.jobs.get(begin.jobId)?.state === 'done');

    const skipped = await w.client.call('upload.begin', { target, path: `${dir}/new folder/from page.bin`, size: 1, conflict: 'skip' });
    expect(skipped.skipped).toBe(true);

    // and back to the browser: an HTTP download of the link, whole, then resumed from a byte on
    const file = `${dir}/new folder/from page.bin`;
    const whole = await downloadOverHttp(w, target, file);
    expect(whole.status).toBe(200);
    expect(whole.headers).toMatchObject({
      'content-length': String(data.length),
      'content-disposition': `attachment; filename="from page.bin"; filename*=UTF-8''from%20page.bin`,
      'accept-ranges': 'bytes',
    });
    expect(Buffer.compare(whole.bytes, data)).toBe(0);
    const rest = await downloadOverHttp(w, target, file, { Range: 'bytes=1000000-' });
    expect(rest.status).toBe(206);
    expect(rest.headers['content-range']).toBe(`bytes 1000000-${data.length - 1}/${data.length}`);
    expect(Buffer.compare(rest.bytes, data.subarray(1000000))).toBe(0);
    // a resume is checked against the file the browser has the start of: another one gets the whole file
    expect(rest.headers.etag).toBe(whole.headers.etag);
    expect(rest.headers['last-modified']).toBe(whole.headers['last-modified']);
    const sameFile = await downloadOverHttp(w, target, file, { Range: 'bytes=1000000-', 'If-Range': whole.headers.etag! });
    expect(sameFile.status).toBe(206);
    const changed = await downloadOverHttp(w, target, file, { Range: 'bytes=1000000-', 'If-Range': '"another-file"' });
    expect(changed.status).toBe(200);
    expect(Buffer.compare(changed.bytes, data)).toBe(0);
    // a range form other than "resume from N" (a suffix, several ranges, junk) gets the whole file, as HTTP allows
    const odd = await downloadOverHttp(w, target, file, { Range: 'bytes=-5, 7-9, junk' });
    expect(odd.status).toBe(200);
    expect(Buffer.compare(odd.bytes, data)).toBe(0);
    const past = await downloadOverHttp(w, target, file, { Range: `bytes=${data.length}-` });
    expect(past.status).toBe(416);
    expect(past.headers['content-range']).toBe(`bytes */${data.length}`);
    await q.until('the five downloads listed as done', () => [...q.jobs.values()].filter((j) => j.direction === 'download' && j.state === 'done').length === 5);
    q.stop();
    await w.close();
  });
});

describe('SFTP as root', () => {
  it('fails clearly without a sudoers rule, and lists /root with a NOPASSWD rule', async () => {
    const { w, target } = await warren({ sftpSudo: 'root' });
    const plain = (
      await w.client.call('hosts.create', {
        name: 'plain',
        groupId: null,
        hostname: '127.0.0.1',
        port: sshd.port,
        user: TEST_USER,
        auth: 'password',
        password: TEST_PASSWORD,
      })
    ).id;
    await writeFile('/root/warren-sudo-marker', 'root only');
    try {
      await rm(SUDOERS, { force: true });
      const denied = await w.client.call('sftp.list', { target, path: '/root' }).catch((e: unknown) => e);
      expect(denied).toMatchObject({ code: 'CHANNEL' });
      expect((denied as Error).message).toMatch(/sudo/);
      expect((denied as Error).message).toMatch(/NOPASSWD/);
      await expect(w.client.call('sftp.list', { target: { hostId: plain }, path: '/root' })).rejects.toMatchObject({ detail: { reason: 'permission-denied' } });

      await writeFile(SUDOERS, `${TEST_USER} ALL=(root) NOPASSWD: /usr/lib/openssh/sftp-server\n`, { mode: 0o440 });
      const listing = await w.client.call('sftp.list', { target, path: '/root' });
      expect(listing.entries.map((e) => e.name)).toContain('warren-sudo-marker');
      await w.client.call('sftp.mkdir', { target, path: '/root/warren-sudo-dir' });
      expect((await stat('/root/warren-sudo-dir')).uid).toBe(0);
    } finally {
      await rm(SUDOERS, { force: true });
      await rm('/root/warren-sudo-marker', { force: true });
      await rm('/root/warren-sudo-dir', { recursive: true, force: true });
      await w.close();
    }
  });
});
