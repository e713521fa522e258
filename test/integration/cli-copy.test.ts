// `warren cp` as a user runs it (a child process, piped or under a real PTY from `script`), against a real
// sshd, with scp beside it as the ground truth for where things land.
import { execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupAll, ensureTestUser, makeKey, startSshd, tempDir, TEST_USER, type Sshd, type TestKey } from '../harness/ssh.js';
import { startWanProxy, type WanProxy } from '../harness/wan.js';
import { openTerminal, startWarren } from '../harness/warren.js';

const run = promisify(execFile);
const WARREN = path.resolve('bin/warren.js');
const HOME = `/home/${TEST_USER}`;
let sshd: Sshd;
let key: TestKey;
let dataDir: string;
let local: string;
let slow: WanProxy;
/** a fresh folder in the test user's home for each case */
let remoteDir: string;
const made: string[] = [];

function warren(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [WARREN, '--data-dir', dataDir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

/** every file under dir, relative, with its sha256 */
async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const p = path.join(e.parentPath, e.name);
    out[path.relative(dir, p)] = await sha256(p);
  }
  return out;
}

/** the real scp, same key, same sshd */
const scp = (args: string[]) =>
  run('scp', [
    '-q',
    '-i',
    key.path,
    '-P',
    String(sshd.port),
    '-o',
    'StrictHostKeyChecking=no',
    '-o',
    'UserKnownHostsFile=/dev/null',
    '-o',
    'BatchMode=yes',
    ...args,
  ]);

beforeAll(async () => {
  await ensureTestUser();
  sshd = await startSshd();
  key = await makeKey(await tempDir('warren-cp-key-'), { type: 'ed25519' });
  await sshd.authorize(key.pub);
  // 4 MB/s: a copy that takes long enough to interrupt
  slow = await startWanProxy({ targetPort: sshd.port, rttMs: 2, rateBytesPerSec: 4_000_000 });
  const w = await startWarren();
  w.answer = (p) => (p.kind === 'hostkey' ? { accept: true } : { cancel: true });
  const box = await w.client.call('hosts.create', {
    name: 'box',
    groupId: null,
    hostname: '127.0.0.1',
    port: sshd.port,
    user: TEST_USER,
    auth: 'key',
    identityFile: key.path,
  });
  await w.client.call('hosts.create', {
    name: 'slow',
    groupId: null,
    hostname: '127.0.0.1',
    port: slow.port,
    user: TEST_USER,
    auth: 'key',
    identityFile: key.path,
  });
  // the host keys, accepted once (through the app's prompt)
  for (const id of [box.id, (await w.client.call('tree.get', {})).hosts.find((h) => h.name === 'slow')!.id]) {
    const t = openTerminal(w, { hostId: id });
    await t.opened;
    t.close();
  }
  dataDir = w.dataDir;
  await w.close();
  local = await tempDir('warren-cp-local-');
});
afterAll(async () => {
  await slow.close();
  for (const d of made) await rm(d, { recursive: true, force: true });
  await cleanupAll();
});

async function freshRemote(): Promise<string> {
  remoteDir = path.join(HOME, `cp-${randomBytes(4).toString('hex')}`);
  made.push(remoteDir);
  await run('su', [TEST_USER, '-s', '/bin/sh', '-c', `mkdir -p ${remoteDir}`]);
  return path.basename(remoteDir);
}

describe('warren cp', () => {
  it('copies a file up and back down whole (sha256), relative to the remote home, with no progress line when piped', async () => {
    const rel = await freshRemote();
    const file = path.join(local, 'blob.bin');
    await writeFile(file, randomBytes(6 * 1024 * 1024 + 17));
    const up = await warren(['cp', file, `box:${rel}/`]);
    expect(up).toMatchObject({ code: 0, stdout: '' });
    expect(up.stderr).not.toMatch(/\r|%/);
    expect(await sha256(path.join(remoteDir, 'blob.bin'))).toBe(await sha256(file));
    expect((await stat(path.join(remoteDir, 'blob.bin'))).uid).not.toBe(0); // written by the user who logged in
    // no temporary file left beside it
    expect(await readdir(remoteDir)).toEqual(['blob.bin']);

    const back = path.join(local, 'back.bin');
    const down = await warren(['cp', `box:~/${rel}/blob.bin`, back]);
    expect(down.code).toBe(0);
    expect(await sha256(back)).toBe(await sha256(file));
  });

  it('-r puts a folder where scp -r puts it: into a folder that exists, or as the new name', async () => {
    const rel = await freshRemote();
    const src = path.join(local, 'proj');
    await mkdir(path.join(src, 'a', 'b'), { recursive: true });
    for (let i = 0; i < 30; i++) await writeFile(path.join(src, i % 2 ? 'a' : 'a/b', `f${i}.txt`), `file ${i}\n`.repeat(i * 50));
    await writeFile(path.join(src, 'top.bin'), randomBytes(300_000));
    await run('su', [TEST_USER, '-s', '/bin/sh', '-c', `mkdir ${remoteDir}/w-into ${remoteDir}/s-into`]);
    expect((await warren(['cp', '-r', src, `box:${rel}/w-into`])).code).toBe(0);
    await scp(['-r', src, `${TEST_USER}@127.0.0.1:${rel}/s-into`]);
    expect((await warren(['cp', '-r', src, `box:${rel}/w-new`])).code).toBe(0);
    await scp(['-r', src, `${TEST_USER}@127.0.0.1:${rel}/s-new`]);
    const expected = await tree(src);
    expect(Object.keys(expected)).toHaveLength(31);
    expect(await tree(path.join(remoteDir, 's-into', 'proj'))).toEqual(expected);
    expect(await tree(path.join(remoteDir, 'w-into', 'proj'))).toEqual(expected);
    expect(await tree(path.join(remoteDir, 's-new'))).toEqual(expected);
    expect(await tree(path.join(remoteDir, 'w-new'))).toEqual(expected);

    // and back down, several sources into a local folder
    const down = await tempDir('warren-cp-down-');
    expect((await warren(['cp', '-r', `box:${rel}/w-new/a`, `box:${rel}/w-new/top.bin`, down])).code).toBe(0);
    expect(await sha256(path.join(down, 'top.bin'))).toBe(expected['top.bin']);
    expect(await tree(path.join(down, 'a'))).toEqual(await tree(path.join(src, 'a')));
  });

  it('says what is wrong: a missing source, a folder without -r, several sources onto a file, two local paths', async () => {
    const rel = await freshRemote();
    const missing = await warren(['cp', `box:${rel}/nope.txt`, local]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`${rel}/nope.txt: no such file or directory on box`);
    const folder = await warren(['cp', local, `box:${rel}`]);
    expect(folder.code).toBe(1);
    expect(folder.stderr).toMatch(/is a directory \(-r copies folders\)/);
    await writeFile(path.join(local, 'one.txt'), 'one\n');
    const many = await warren(['cp', path.join(local, 'one.txt'), path.join(local, 'blob.bin'), `box:${rel}/one.txt/x`]);
    expect(many.code).toBe(2);
    expect(many.stderr).toContain('not a directory');
    const locals = await warren(['cp', path.join(local, 'one.txt'), path.join(local, 'two.txt')]);
    expect(locals.code).toBe(2);
    expect(locals.stderr).toMatch(/one side is host:path/);
  });

  it('--conflict skip keeps what is there; the default overwrites as scp does; -p keeps the time and mode', async () => {
    const rel = await freshRemote();
    const file = path.join(local, 'conf.txt');
    await writeFile(file, 'new content\n', { mode: 0o640 });
    await run('su', [TEST_USER, '-s', '/bin/sh', '-c', `echo old > ${remoteDir}/conf.txt`]);
    const skipped = await warren(['cp', '--conflict', 'skip', file, `box:${rel}/conf.txt`]);
    expect(skipped.code).toBe(0);
    expect(skipped.stderr).toMatch(/conf\.txt: exists, skipped/);
    expect(await readFile(path.join(remoteDir, 'conf.txt'), 'utf8')).toBe('old\n');
    expect((await warren(['cp', file, `box:${rel}/conf.txt`])).code).toBe(0);
    expect(await readFile(path.join(remoteDir, 'conf.txt'), 'utf8')).toBe('new content\n');

    const when = new Date('2001-02-03T04:05:06Z');
    await utimes(file, when, when);
    expect((await warren(['cp', '-p', file, `box:${rel}/kept.txt`])).code).toBe(0);
    const kept = await stat(path.join(remoteDir, 'kept.txt'));
    expect(kept.mtimeMs).toBe(when.getTime());
    expect(kept.mode & 0o777).toBe(0o640);
    expect((await warren(['cp', file, `box:${rel}/fresh.txt`])).code).toBe(0);
    expect((await stat(path.join(remoteDir, 'fresh.txt'))).mtimeMs).toBeGreaterThan(Date.now() - 60_000);
    expect((await warren(['cp', '--conflict', 'ask', file, `box:${rel}/x`])).code).toBe(2);
  });

  it('on a terminal it draws a progress line; Ctrl-C cancels, the destination stays as it was and no temporary file is left', async () => {
    const rel = await freshRemote();
    const file = path.join(local, 'big.bin');
    await writeFile(file, randomBytes(24 * 1024 * 1024));
    await run('su', [TEST_USER, '-s', '/bin/sh', '-c', `echo before > ${remoteDir}/big.bin`]);
    // script gives it a real terminal; through the 4 MB/s link the copy takes ~6 s
    const child = spawn('script', ['-qfec', `${process.execPath} ${WARREN} --data-dir ${dataDir} cp ${file} slow:${rel}/big.bin`, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (screen += d));
    await expect.poll(() => /\[0\/1\] big\.bin\s+\d+%\s+[\d.]+ MB \/ 25 MB/.test(screen), { timeout: 20_000 }).toBe(true);
    const code = new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
    child.stdin.write('\x03');
    expect(await code).toBe(130);
    expect(screen).toMatch(/interrupted: the copies not finished were cancelled/);
    expect(await readFile(path.join(remoteDir, 'big.bin'), 'utf8')).toBe('before\n');
    await expect.poll(() => readdir(remoteDir), { timeout: 10_000 }).toEqual(['big.bin']);

    // run again to the end: the last line stays, at 100 %
    const again = spawn('script', ['-qfec', `${process.execPath} ${WARREN} --data-dir ${dataDir} cp ${file} box:${rel}/big.bin`, '/dev/null'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let second = '';
    again.stdout.setEncoding('utf8').on('data', (d: string) => (second += d));
    expect(await new Promise<number>((resolve) => again.on('close', (c) => resolve(c ?? -1)))).toBe(0);
    expect(second).toMatch(/\[1\/1\] big\.bin +100% +25 MB \/ 25 MB .*\r?\n$/);
    expect(await sha256(path.join(remoteDir, 'big.bin'))).toBe(await sha256(file));
  });

  it('a copy killed midway (kill -9) goes on from where it stopped when run again, and leaves nothing behind', async () => {
    const rel = await freshRemote();
    const file = path.join(local, 'resumed.bin');
    const source = randomBytes(24 * 1024 * 1024);
    await writeFile(file, source);
    const records = path.join(dataDir, 'transfers');
    const committed = async () => {
      const names = await readdir(records).catch(() => []);
      const texts = await Promise.all(names.filter((n) => n.endsWith('.json')).map((n) => readFile(path.join(records, n), 'utf8').catch(() => '{}')));
      return Math.max(0, ...texts.map((t) => (JSON.parse(t) as { committed?: number }).committed ?? 0));
    };
    // through the 4 MB/s link: killed once a third of it is written and recorded
    const child = spawn(process.execPath, [WARREN, '--data-dir', dataDir, 'cp', file, `slow:${rel}/resumed.bin`], { stdio: 'ignore' });
    await expect.poll(committed, { timeout: 20_000 }).toBeGreaterThan(8 * 1024 * 1024);
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    const partial = (await readdir(remoteDir)).filter((n) => n.endsWith('.warren-part'));
    expect(partial).toHaveLength(1);
    const at = await committed();
    // what the first run wrote is not sent again: mark the start of the partial copy, and the mark stays
    const fd = await open(path.join(remoteDir, partial[0]!), 'r+');
    await fd.write(Buffer.alloc(4096), 0, 4096, 0);
    await fd.close();
    const again = await warren(['cp', file, `slow:${rel}/resumed.bin`]);
    expect(again.code).toBe(0);
    const result = await readFile(path.join(remoteDir, 'resumed.bin'));
    expect(result.length).toBe(source.length);
    expect(result.subarray(0, 4096).equals(Buffer.alloc(4096))).toBe(true);
    expect(result.subarray(at).equals(source.subarray(at))).toBe(true);
    expect(await readdir(remoteDir)).toEqual(['resumed.bin']);
    await expect.poll(async () => (await readdir(records).catch(() => [])).length).toBe(0);
  });

  it('a name only an ssh_config (-F) knows is a host for cp, as for scp -F', async () => {
    const rel = await freshRemote();
    const cfg = path.join(local, 'cp_config');
    await writeFile(
      cfg,
      `Host cfgbox\n  HostName 127.0.0.1\n  Port ${sshd.port}\n  User ${TEST_USER}\n  IdentityFile ${key.path}\n  UserKnownHostsFile ${path.join(dataDir, 'known_hosts')}\n`,
    );
    const file = path.join(local, 'cfg.txt');
    await writeFile(file, 'through -F\n');
    const r = await warren(['-F', cfg, 'cp', file, `cfgbox:${rel}/`]);
    expect(r.stderr).not.toMatch(/does not resolve/);
    expect(r.code).toBe(0);
    expect(await readFile(path.join(remoteDir, 'cfg.txt'), 'utf8')).toBe('through -F\n');
  });
});
