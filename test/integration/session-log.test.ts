// A terminal session logged to a file, and the working directory "Open files here" asks for, through the
// contract against a real sshd: the log is plain text (no escape sequences, \n line ends), 0600 in a
// 0700 folder, named by Warren after the host; it stops on request, when the shell ends, and on a full
// disk (a tiny tmpfs), where the session goes on.
import { execFile } from 'node:child_process';
import { readdir, readFile, readlink, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WarrenError } from '../../shared/errors.js';
import { cleanupAll, ensureTestUser, startSshd, tempDir, type Sshd } from '../harness/ssh.js';
import { openTerminal, warrenWithHost, type TestTerminal, type TestWarren } from '../harness/warren.js';

const run = promisify(execFile);
let sshd: Sshd;
let w: TestWarren;
let target: { hostId: string };

beforeAll(async () => {
  await ensureTestUser();
  sshd = await startSshd();
  ({ w, target } = await warrenWithHost({ port: sshd.port, name: '../web 01 ⁄ prod' }));
});
afterAll(async () => {
  await w?.close();
  await cleanupAll();
});

async function shell(): Promise<{ t: TestTerminal; sessionId: string }> {
  const t = openTerminal(w, target);
  const { sessionId } = await t.opened;
  await t.type('echo ready-$((6*7))\r');
  await t.waitFor(/ready-42/);
  return { t, sessionId };
}

/** whether this process still holds `file` open */
async function isOpen(file: string): Promise<boolean> {
  for (const fd of await readdir('/proc/self/fd')) if ((await readlink(`/proc/self/fd/${fd}`).catch(() => '')) === file) return true;
  return false;
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => Promise.reject(new Error('expected a failure')),
    (e: unknown) => (e instanceof WarrenError ? e : Promise.reject(e)),
  );

describe('session logs', () => {
  it('writes what the session shows without escape sequences, 0600 in a 0700 folder named after the host', async () => {
    const { t, sessionId } = await shell();
    const { path: file } = await w.client.call('terminal.log.start', { sessionId });
    expect(path.dirname(file)).toBe(path.join(w.dataDir, 'session-logs'));
    // the host's name is the user's, but only safe characters make the file name
    expect(path.basename(file)).toMatch(/^web_01_prod-\d{8}-\d{6}\.log$/);
    expect(await t.next('log')).toEqual({ type: 'log', path: file, error: null });
    await t.type("printf '\\033[31mred\\033[0m \\033]0;title\\007plain\\r\\n'\r");
    await t.waitFor(/red\u001b\[0m \u001b\]0;title\u0007plain/);
    await w.client.call('terminal.log.stop', { sessionId });
    expect(await t.next('log')).toEqual({ type: 'log', path: null, error: null });
    const text = await readFile(file, 'utf8');
    expect(text.split('\n')).toContain('red plain');
    expect(text).not.toMatch(/[\u001b\r\u0007]/);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
    expect(await isOpen(file)).toBe(false);
    // stopped means stopped: later output is not in it
    await t.type('echo after-$((6*7))\r');
    await t.waitFor(/after-42/);
    expect(await readFile(file, 'utf8')).toBe(text);
    t.close();
  });

  it('stamps each line when asked, in a folder the user chose', async () => {
    const folder = await tempDir('warren-logs-');
    const { t, sessionId } = await shell();
    const { path: file } = await w.client.call('terminal.log.start', { sessionId, timestamps: true, folder });
    expect(path.dirname(file)).toBe(folder);
    // a second log of the same session is refused
    expect((await failure(w.client.call('terminal.log.start', { sessionId }))).code).toBe('CONFLICT');
    await t.type('echo stamped-$((6*7))\r');
    await t.waitFor(/stamped-42/);
    await w.client.call('terminal.log.stop', { sessionId });
    expect(await readFile(file, 'utf8')).toMatch(/^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\] stamped-42$/m);
    t.close();
  });

  it('a flood is logged whole and in order (the channel waits for the disk, nothing is dropped)', async () => {
    const { t, sessionId } = await shell();
    const { path: file } = await w.client.call('terminal.log.start', { sessionId });
    await t.type('seq 1 300000; echo flood-$((6*7))\r');
    await t.waitFor(/flood-42/, 30_000);
    await w.client.call('terminal.log.stop', { sessionId });
    const lines = (await readFile(file, 'utf8')).split('\n');
    const first = lines.indexOf('1');
    expect(first).toBeGreaterThan(0);
    const numbers = lines.slice(first, first + 300000);
    expect(numbers.every((l, i) => l === String(i + 1))).toBe(true);
    expect(lines[first + 300000]).toBe('flood-42');
    t.close();
  });

  it('refuses a relative folder and one that is not there', async () => {
    const { t, sessionId } = await shell();
    expect((await failure(w.client.call('terminal.log.start', { sessionId, folder: 'logs' }))).code).toBe('BAD_REQUEST');
    const missing = await failure(w.client.call('terminal.log.start', { sessionId, folder: '/nonexistent/warren-logs' }));
    expect(missing.message).toMatch(/does not exist/);
    t.close();
  });

  it('closes the log of a session that ends', async () => {
    const { t, sessionId } = await shell();
    const { path: file } = await w.client.call('terminal.log.start', { sessionId });
    await t.type('echo bye-$((6*7)); exit\r');
    await t.next('exit');
    await t.ended;
    expect(await readFile(file, 'utf8')).toMatch(/^bye-42$/m);
    expect(await isOpen(file)).toBe(false);
    expect((await failure(w.client.call('terminal.log.stop', { sessionId }))).code).toBe('NOT_FOUND');
  });

  it('closes the log when the tab is closed', async () => {
    const { t, sessionId } = await shell();
    const { path: file } = await w.client.call('terminal.log.start', { sessionId });
    expect(await isOpen(file)).toBe(true);
    t.close(); // unsubscribing is how a tab closes its session
    await expect.poll(() => isOpen(file), { timeout: 5000 }).toBe(false);
  });

  it('a full disk stops the log with a clear error, and the session goes on', async () => {
    const folder = await tempDir('warren-full-');
    try {
      await run('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', folder]);
    } catch (e) {
      throw new Error(`cannot mount a tmpfs to fill (run as root): ${(e as Error).message}`);
    }
    try {
      const { t, sessionId } = await shell();
      const { path: file } = await w.client.call('terminal.log.start', { sessionId, folder });
      await t.next('log');
      await t.type("head -c 400000 /dev/zero | tr '\\0' x | fold -w 100; echo flooded-$((6*7))\r");
      const stopped = await t.next('log', 20_000);
      expect(stopped.path).toBeNull();
      expect(stopped.error?.code).toBe('STORE');
      expect(stopped.error?.message).toMatch(/disk is full.*the session goes on/);
      await t.waitFor(/flooded-42/, 20_000);
      await t.type('echo alive-$((6*7))\r');
      await t.waitFor(/alive-42/);
      expect(await isOpen(file)).toBe(false);
      t.close();
    } finally {
      await run('umount', ['-l', folder]); // lazily: a failed test may hold the file open
    }
  });
});

describe('terminal.cwd', () => {
  it('is where the typed cds went, null at first, ~ for the home folder', async () => {
    const { t, sessionId } = await shell();
    expect(await w.client.call('terminal.cwd', { sessionId })).toEqual({ path: null });
    await t.type('cd /tmp && mkdir -p warren-cwd-test && cd warren-cwd-test && echo in-$((6*7))\r');
    await t.waitFor(/in-42/);
    expect(await w.client.call('terminal.cwd', { sessionId })).toEqual({ path: '/tmp/warren-cwd-test' });
    await t.type('cd; echo home-$((6*7))\r');
    await t.waitFor(/home-42/);
    expect(await w.client.call('terminal.cwd', { sessionId })).toEqual({ path: '~' });
    t.close();
  });
});
