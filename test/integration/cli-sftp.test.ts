// `warren sftp HOST` as a user runs it: commands one a line from a pipe (as `sftp -b`), against a real
// sshd, with OpenSSH's sftp run on the same batch as the ground truth for what lands where; and a
// hostile file name listed with its control characters made visible.
import { execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupAll, ensureTestUser, makeKey, startSshd, tempDir, TEST_USER, type Sshd, type TestKey } from '../harness/ssh.js';
import { openTerminal, startWarren } from '../harness/warren.js';

const run = promisify(execFile);
const WARREN = path.resolve('bin/warren.js');
const HOME = `/home/${TEST_USER}`;
let sshd: Sshd;
let key: TestKey;
let dataDir: string;
const made: string[] = [];

function child(cmd: string, args: string[], input: string, cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], cwd });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => c.kill('SIGKILL'), 30_000);
    c.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    c.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    c.on('close', (code) => (clearTimeout(timer), resolve({ code: code ?? -1, stdout, stderr })));
    c.stdin.end(input);
  });
}
const warren = (batch: string, cwd?: string) => child(process.execPath, [WARREN, '--data-dir', dataDir, 'sftp', 'box'], batch, cwd);
const sftp = (batch: string, cwd: string) =>
  child(
    'sftp',
    ['-b', '-', '-i', key.path, '-P', String(sshd.port), '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', `${TEST_USER}@127.0.0.1`],
    batch,
    cwd,
  );
const asUser = (script: string) => run('su', [TEST_USER, '-s', '/bin/sh', '-c', script]);
const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

beforeAll(async () => {
  await ensureTestUser();
  sshd = await startSshd();
  key = await makeKey(await tempDir('warren-sftp-key-'), { type: 'ed25519' });
  await sshd.authorize(key.pub);
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
  const t = openTerminal(w, { hostId: box.id }); // the host key, accepted once
  await t.opened;
  t.close();
  dataDir = w.dataDir;
  await w.close();
});
afterAll(async () => {
  for (const d of made) await rm(d, { recursive: true, force: true });
  await cleanupAll();
});

/** the same batch, run by sftp and by warren sftp in their own remote and local folders: what each leaves */
async function both(batch: (dir: string) => string): Promise<{ remote: string[]; local: string[]; result: Awaited<ReturnType<typeof warren>> }[]> {
  const out = [];
  for (const who of ['sftp', 'warren'] as const) {
    const dir = `sftp-${who}-${randomBytes(4).toString('hex')}`;
    made.push(path.join(HOME, dir));
    await asUser(`mkdir -p ${HOME}/${dir}/sub && printf one > ${HOME}/${dir}/sub/a.txt && printf two > ${HOME}/${dir}/b.txt`);
    const local = await tempDir(`warren-sftp-local-${who}-`);
    await writeFile(path.join(local, 'up.bin'), randomBytes(300_000));
    const result = who === 'sftp' ? await sftp(batch(dir), local) : await warren(batch(dir), local);
    const remote = (await readdir(path.join(HOME, dir), { recursive: true })).sort();
    out.push({ remote, local: (await readdir(local, { recursive: true })).sort(), result });
  }
  return out;
}

describe('warren sftp', () => {
  it('a batch from a pipe: cd, ls, get, put, mkdir, rename, rm, rmdir leave what sftp leaves', async () => {
    const batch = (dir: string) =>
      [
        `cd ${dir}`,
        'ls',
        'get b.txt',
        'put up.bin',
        'mkdir made',
        'rename b.txt made/moved.txt',
        'get -r sub',
        'rm sub/a.txt',
        'rmdir sub',
        'pwd',
        'bye',
        '',
      ].join('\n');
    const [theirs, ours] = await both(batch);
    expect(theirs!.result.code).toBe(0);
    expect(ours!.result).toMatchObject({ code: 0 });
    expect(ours!.remote).toEqual(theirs!.remote);
    expect(ours!.local).toEqual(theirs!.local);
    expect(ours!.remote).toEqual(['made', 'made/moved.txt', 'up.bin']);
    expect(ours!.local).toEqual(['b.txt', 'sub', 'sub/a.txt', 'up.bin']);
    expect(ours!.result.stdout).toMatch(/^b\.txt$/m); // ls, before the rename
    expect(ours!.result.stdout).toMatch(/^sub\/$/m);
    expect(ours!.result.stdout).toMatch(/Remote working directory: \/home\/.*\/sftp-warren-/);
  });

  it('get and put are whole (sha256), into the local and remote working directories', async () => {
    const dir = `sftp-sum-${randomBytes(4).toString('hex')}`;
    made.push(path.join(HOME, dir));
    await asUser(`mkdir -p ${HOME}/${dir} && head -c 2000000 /dev/urandom > ${HOME}/${dir}/down.bin`);
    const local = await tempDir('warren-sftp-sum-');
    await writeFile(path.join(local, 'up.bin'), randomBytes(1_500_000));
    const r = await warren([`cd ${dir}`, 'get down.bin', 'put up.bin', ''].join('\n'), local);
    expect(r.code).toBe(0);
    expect(await sha256(path.join(local, 'down.bin'))).toBe(await sha256(path.join(HOME, dir, 'down.bin')));
    expect(await sha256(path.join(HOME, dir, 'up.bin'))).toBe(await sha256(path.join(local, 'up.bin')));
    expect((await stat(path.join(HOME, dir, 'up.bin'))).uid).not.toBe(0);
  });

  it('as sftp -b: the first command that fails ends the session with status 1 and says why; the rest do not run', async () => {
    const dir = `sftp-fail-${randomBytes(4).toString('hex')}`;
    made.push(path.join(HOME, dir));
    await asUser(`mkdir -p ${HOME}/${dir}`);
    const r = await warren([`cd ${dir}`, 'get no-such-file', 'mkdir after', ''].join('\n'), await tempDir('warren-sftp-fail-'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no-such-file: no such file or directory/);
    expect(await readdir(path.join(HOME, dir))).toEqual([]);
    const unknown = await warren('frobnicate\n');
    expect([unknown.code, unknown.stderr]).toEqual([1, expect.stringMatching(/unknown command "frobnicate"/)]);
  });

  it('a file name with escape sequences is listed with them made visible, never written to the terminal raw', async () => {
    const dir = `sftp-hostile-${randomBytes(4).toString('hex')}`;
    made.push(path.join(HOME, dir));
    await asUser(`mkdir -p ${HOME}/${dir} && touch "${HOME}/${dir}/$(printf 'evil\\033]0;owned\\007name')"`);
    const r = await warren([`cd ${dir}`, 'ls -l', ''].join('\n'));
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/\x1b|\x07/);
    expect(r.stdout).toMatch(/evil.*name/);
  });
});
