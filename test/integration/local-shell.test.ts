// Local shell tabs through the contract, against a real pty (node-pty) running the login shell: output,
// the home directory, resize as `stty size` sees it, exit codes and signals, the process group killed when
// the stream ends, the same flow control as SSH shells, the working directory, and --no-local-shell.
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HIGH_WATER } from '../../electron/ssh/terminals.js';
import { WarrenError } from '../../shared/errors.js';
import { cleanupAll, tempDir } from '../harness/ssh.js';
import { openTerminal, startWarren, type TestWarren } from '../harness/warren.js';

const LOCAL = { local: true } as const;
let w: TestWarren;
let home: string;

beforeAll(async () => {
  home = await tempDir('warren-local-home-');
  w = await startWarren({ home });
});
afterAll(async () => {
  await w?.close();
  await cleanupAll();
});

/** whether a process of this pid exists (and is not a zombie waiting for its parent) */
async function alive(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  return stat !== null && !/^\d+ \(.*\) Z /.test(stat);
}

async function gone(pid: number, timeoutMs: number): Promise<boolean> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (!(await alive(pid))) return true;
  return false;
}

describe('local shell', () => {
  it('runs the login shell in the home directory: typed input runs, output comes back', async () => {
    const t = openTerminal(w, LOCAL);
    const opened = await t.opened;
    expect(opened.connectionId).toBe('local');
    await t.type('echo $((6*7)); pwd; echo "term=$TERM"\r');
    await t.waitFor(/[^\d]42\r\n/);
    await t.waitFor(new RegExp(`\\n${home}\\r\\n`));
    await t.waitFor(/term=xterm-256color/);
    expect(t.events[0]).toEqual({ type: 'status', message: expect.stringMatching(new RegExp(`^Starting /\\S+ in ${home}$`)) });
    t.close();
  });

  it('resizes the pty as stty sees it', async () => {
    const t = openTerminal(w, LOCAL, { cols: 80, rows: 24 });
    const { sessionId } = await t.opened;
    await t.type('stty size\r');
    await t.waitFor(/\b24 80\r\n/);
    await w.client.call('terminal.resize', { sessionId, cols: 132, rows: 41 });
    await t.type('stty size\r');
    await t.waitFor(/\b41 132\r\n/);
    t.close();
  });

  it('reports the exit code, and the signal that ended the shell', async () => {
    const t = openTerminal(w, LOCAL);
    await t.opened;
    await t.type('exit 7\r');
    expect(await t.next('exit')).toEqual({ type: 'exit', code: 7, signal: null });
    expect(await t.ended).toBeNull();

    const k = openTerminal(w, LOCAL);
    await k.opened;
    await k.type('kill -KILL $$\r');
    expect(await k.next('exit')).toEqual({ type: 'exit', code: null, signal: 'KILL' });
  });

  it('kills the shell and its jobs when the stream ends', async () => {
    const t = openTerminal(w, LOCAL);
    const { sessionId } = await t.opened;
    await t.type('sleep 4321 & echo "shell=$$ job=$!"\r');
    const [, shell, job] = (await t.waitFor(/shell=(\d+) job=(\d+)/)).map(Number);
    expect(await alive(shell!)).toBe(true);
    expect(await alive(job!)).toBe(true);
    t.close();
    expect(await gone(shell!, 5000)).toBe(true);
    expect(await gone(job!, 5000)).toBe(true);
    await expect(w.client.call('terminal.input', { sessionId, data: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('kills a shell paused by flow control (a flood nobody acknowledges) when the stream ends', async () => {
    const t = openTerminal(w, LOCAL, { ack: false });
    await t.opened;
    await t.type('echo "shell=$$"; yes flood\r');
    const shell = Number((await t.waitFor(/shell=(\d+)/))[1]);
    await expect.poll(() => t.bytes(), { timeout: 10_000 }).toBeGreaterThan(HIGH_WATER / 2);
    t.close();
    expect(await gone(shell, 5000)).toBe(true);
  });

  it('flow control: output stops while the renderer does not acknowledge, and resumes when it does', async () => {
    const t = openTerminal(w, LOCAL, { ack: false });
    const { sessionId } = await t.opened;
    await t.type('head -c 4000000 /dev/zero | base64 -w 100; echo FLOOD-$((40+2))\r');
    await new Promise((r) => setTimeout(r, 1500));
    const stalled = t.bytes();
    expect(stalled).toBeGreaterThan(HIGH_WATER / 2);
    expect(stalled).toBeLessThan(HIGH_WATER + 256 * 1024);
    await new Promise((r) => setTimeout(r, 500));
    expect(t.bytes()).toBe(stalled);
    // acknowledge as the renderer would, until the flood is through (a smaller flood than ssh.test's: the
    // harness matches its regex over all the text at each batch, and a pty's batches are smaller)
    let acked = 0;
    const timer = setInterval(() => {
      const n = t.bytes() - acked;
      acked += n;
      if (n > 0) void w.client.call('terminal.ack', { sessionId, bytes: n });
    }, 5);
    await t.waitFor(/FLOOD-42\r?\n/, 60_000);
    clearInterval(timer);
    expect(t.bytes()).toBeGreaterThan(5_400_000);
    t.close();
  }, 90_000);

  it('follows the working directory for terminal.cwd', async () => {
    const t = openTerminal(w, LOCAL);
    const { sessionId } = await t.opened;
    expect(await w.client.call('terminal.cwd', { sessionId })).toEqual({ path: null });
    await t.type('cd /tmp && echo moved-$((1+1))\r');
    await t.waitFor(/moved-2/);
    expect(await w.client.call('terminal.cwd', { sessionId })).toEqual({ path: '/tmp' });
    t.close();
  });

  it("a restored pane's shell starts in the directory it was last in, or at home when that is gone; a log names the file local-…", async () => {
    const dir = await tempDir('warren-local-cwd-');
    const t = openTerminal(w, LOCAL, { pane: 'local-pane-1' });
    const { sessionId } = await t.opened;
    const { path: logFile } = await w.client.call('terminal.log.start', { sessionId });
    expect(path.basename(logFile)).toMatch(/^local-\d{8}-\d{6}\.log$/);
    await t.type(`cd ${dir} && echo went-$((2+3))\r`);
    await t.waitFor(/went-5/);
    t.close();
    await expect.poll(() => readFile(logFile, 'utf8')).toMatch(/went-5\n/);

    const back = openTerminal(w, LOCAL, { pane: 'local-pane-1', restore: true });
    await back.opened;
    await back.type('echo "at $PWD"\r');
    await back.waitFor(new RegExp(`at ${dir}\\r\\n`));
    expect(back.text()).not.toContain(`cd ${dir}`); // started there: nothing was typed
    back.close();

    await rm(dir, { recursive: true });
    const home2 = openTerminal(w, LOCAL, { pane: 'local-pane-1', restore: true });
    await home2.opened;
    await home2.type('echo "at $PWD"\r');
    await home2.waitFor(new RegExp(`at ${home}\\r\\n`));
    home2.close();
  });

  it('is refused with a clear error where local shells are off', async () => {
    const off = await startWarren({ localShell: false });
    try {
      const t = openTerminal(off, LOCAL);
      const err = await t.ended;
      expect(err).toBeInstanceOf(WarrenError);
      expect(err).toMatchObject({ code: 'BAD_REQUEST', detail: { reason: 'local-shell-off' } });
      expect(err!.message).toMatch(/--no-local-shell/);
    } finally {
      await off.close();
    }
  });
});
