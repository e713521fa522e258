// The `warren` command against servers that say hostile things: escape sequences in the greeting, the login
// banner, keyboard-interactive questions, a disconnect reason and what answers instead of SSH never reach the
// terminal raw (they show as visible escapes, as OpenSSH's strnvis shows them), while a remote command's own
// output still does. And servers that never finish the handshake (an endless pre-identification banner, a
// stalled key exchange) are given up on, with the layer named, by `warren exec`, `warren doctor` and a terminal
// opened through the contract, without reading without end.
import { execFile, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostileServer, startStallingServer } from '../harness/hostile.js';
import { cleanupAll, ensureTestUser, makeKey, startSshd, tempDir, TEST_USER } from '../harness/ssh.js';
import { openTerminal, startWarren } from '../harness/warren.js';

const WARREN = path.resolve('bin/warren.js');
/** a title, a clipboard write, a screen clear, a carriage-return overdraw, a right-to-left override and a C1 CSI */
const EVIL = '\x1b]0;PWNED\x07\x1b]52;c;ZXZpbA==\x07\x1b[2J\rYou are root\u202eabc\x9b31m';
/** the same text as Warren must show it */
const SHOWN = String.raw`\e]0;PWNED\x07\e]52;c;ZXZpbA==\x07\e[2J\rYou are root\u202eabc\x9b31m`;
/** bytes a server's text must never put on the terminal: ESC, BEL, C1 CSI, RLO */
const RAW = /[\x1b\x07\x9b\u202e]/;
/** no agent, so keyboard-interactive and passwords are what a login tries */
const env = { ...process.env, SSH_AUTH_SOCK: '' };

let dataDir: string;

type Run = { code: number; stdout: string; stderr: string; ms: number; maxRssMiB: number };

/** `warren ARGS` without a terminal; samples its resident memory while it runs. */
function warren(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [WARREN, '--data-dir', dataDir, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    let maxRssMiB = 0;
    const sample = setInterval(() => {
      void readFile(`/proc/${child.pid}/status`, 'utf8').then(
        (s) => (maxRssMiB = Math.max(maxRssMiB, Number(/VmRSS:\s+(\d+)/.exec(s)?.[1] ?? 0) / 1024)),
        () => {},
      );
    }, 100);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => {
      clearInterval(sample);
      resolve({ code: code ?? -1, stdout, stderr, ms: Date.now() - started, maxRssMiB });
    });
    child.stdin.end();
  });
}

/** `warren ARGS` on a real terminal (`script` gives it a PTY), typing each answer when the screen asks for it. */
function atTerminal(args: string[], answers: [RegExp, string][]): Promise<{ code: number; screen: string }> {
  const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
  const child = spawn('script', ['-qfec', [process.execPath, WARREN, '--data-dir', dataDir, ...args].map(quote).join(' '), '/dev/null'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env,
  });
  let screen = '';
  let answered = 0;
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    screen += d;
    const next = answers[answered];
    if (next && next[0].test(screen)) {
      answered++;
      child.stdin.write(`${next[1]}\r`);
    }
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, screen })));
}

beforeAll(async () => {
  await ensureTestUser();
  dataDir = await tempDir('warren-hostile-cli-');
});
afterAll(cleanupAll);

describe('server text on the terminal', () => {
  it('the login banner and the keyboard-interactive name, instructions and prompts show their escapes, and the login still works', async () => {
    const server = await startHostileServer({
      banner: `Welcome to ${EVIL}\nsecond line\n`,
      kbdInteractive: { name: `Name ${EVIL}`, instructions: `Instructions ${EVIL}`, prompts: [`Code ${EVIL}: `] },
      output: 'logged in\n',
    });
    try {
      const r = await atTerminal(
        ['exec', `alice@127.0.0.1:${server.port}`, '--', 'true'],
        [
          [/\(yes\/no\)\? $/, 'yes'],
          [/Code .*: $/, '123456'],
        ],
      );
      expect(r.screen).toContain(`[127.0.0.1]:${server.port}`); // the host-key question was asked
      expect(r.screen).toContain(`Welcome to ${SHOWN}\r\nsecond line`); // the banner, its lines kept
      expect(r.screen).toContain(`Name ${SHOWN}`);
      expect(r.screen).toContain(`Instructions ${SHOWN}`);
      expect(r.screen).toContain(`Code ${SHOWN}: `);
      expect(r.screen).not.toMatch(RAW);
      // the answer got through and the command ran
      expect(r.screen).toContain('logged in');
      expect(server.commands).toEqual(['true']);
      expect(r.code).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('keyboard-interactive with nothing to ask the user fails with "nothing can ask you", and no empty answer is sent', async () => {
    const server = await startHostileServer({ kbdInteractive: { name: '', instructions: '', prompts: ['Verification code: '] } });
    try {
      // the host key is known, so the only question is the server's
      await writeFile(path.join(dataDir, 'known_hosts'), `${server.knownHostsLine}\n`, { mode: 0o600 });
      const r = await warren(['exec', `alice@127.0.0.1:${server.port}`, '--', 'true']);
      expect(r.stderr).toContain('nothing can ask you');
      expect(r.code).not.toBe(0);
      expect(server.answers).toEqual([]); // before, the server got [''] and counted a failed login
      expect(server.commands).toEqual([]);
      // through the contract: a cancelled question ends the login as cancelled, with nothing sent either
      const w = await startWarren();
      w.answer = (p) => (p.kind === 'hostkey' ? { accept: true } : { cancel: true });
      const t = openTerminal(w, { quick: { hostname: '127.0.0.1', port: server.port, user: 'alice' } });
      await expect(t.opened).rejects.toMatchObject({ code: 'CANCELLED' });
      expect(server.answers).toEqual([]);
      await w.close();
    } finally {
      await server.close();
    }
  });

  it('a disconnect reason sent right after the login is shown, escaped', async () => {
    const server = await startHostileServer({ disconnectAfterAuth: `Bye ${EVIL}` });
    try {
      const r = await atTerminal(
        ['exec', `alice@127.0.0.1:${server.port}`, '--', 'true'],
        [
          [/\(yes\/no\)\? $/, 'yes'],
          [/password: $/, 'any password'],
        ],
      );
      expect(r.screen).toContain(`Bye ${SHOWN}`);
      expect(r.screen).not.toMatch(RAW);
      expect(r.code).toBe(255);
    } finally {
      await server.close();
    }
  });

  it('what answers instead of SSH, in the error and in the doctor, and a greeting before the identification, in the doctor', async () => {
    const impostor = net.createServer((s) => s.end(`${EVIL}\r\n`));
    await new Promise<void>((r) => impostor.listen(0, '127.0.0.1', r));
    // a lone CR is not allowed in the lines before the identification (ssh2 and OpenSSH refuse it)
    const greeter = await startHostileServer({ greeting: `Greeting ${EVIL.replace('\r', '')}` });
    try {
      const port = (impostor.address() as net.AddressInfo).port;
      const exec = await warren(['exec', `alice@127.0.0.1:${port}`, '--', 'true']);
      expect(exec.code).toBe(255);
      expect(exec.stderr).toContain(`warren: SSH banner: 127.0.0.1:${port} answered "${SHOWN}"`);
      const doctor = await warren(['doctor', '--timeout', '3', `alice@127.0.0.1:${port}`]);
      expect(doctor.stdout).toContain(`answered "${SHOWN}" instead of an SSH banner`);
      // a real SSH server after its greeting: the doctor reports the greeting, escaped
      const greeted = await warren(['doctor', '--timeout', '3', `alice@127.0.0.1:${greeter.port}`]);
      expect(greeted.stdout).toContain(`after 1 other line(s) such as "Greeting ${SHOWN.replace('\\r', '')}"`);
      expect(greeted.stdout).toMatch(/PASS {2}Key exchange/);
      for (const r of [exec, doctor, greeted]) expect(r.stdout + r.stderr).not.toMatch(RAW);
    } finally {
      impostor.close();
      await greeter.close();
    }
  });

  it("a remote command's own output still reaches the terminal raw, as with ssh", async () => {
    const sshd = await startSshd();
    const key = await makeKey(await tempDir('warren-hostile-key-'), { type: 'ed25519' });
    await sshd.authorize(key.pub);
    const w = await startWarren({ dataDir });
    await w.client.call('hosts.create', {
      name: 'real',
      groupId: null,
      hostname: '127.0.0.1',
      port: sshd.port,
      user: TEST_USER,
      auth: 'key',
      identityFile: key.path,
    });
    await w.close();
    const known = await promisify(execFile)('ssh-keyscan', ['-p', String(sshd.port), '127.0.0.1']);
    await writeFile(path.join(dataDir, 'known_hosts'), known.stdout, { flag: 'a' });
    const r = await warren(['exec', 'real', '--', "printf '\\033]0;remote title\\007\\033[1mbold\\033[0m'"]);
    expect(r).toMatchObject({ code: 0, stdout: '\x1b]0;remote title\x07\x1b[1mbold\x1b[0m', stderr: '' });
  });
});

describe('servers that never finish the handshake', () => {
  /** a terminal opened through the contract, as the app opens one: the error it ends with */
  async function terminalError(port: number) {
    const w = await startWarren({ dataDir: await tempDir('warren-hostile-ui-') });
    try {
      const started = Date.now();
      const error = await openTerminal(w, { quick: { hostname: '127.0.0.1', port, user: 'alice' } }).ended;
      return { error, ms: Date.now() - started };
    } finally {
      await w.close();
    }
  }

  it('an endless pre-identification banner: given up after 256 KiB, memory bounded, by exec, the doctor and a terminal', async () => {
    const server = await startStallingServer('endless-banner');
    try {
      const target = `alice@127.0.0.1:${server.port}`;
      const [exec, doctor, ui] = await Promise.all([
        warren(['exec', target, '--', 'true']),
        warren(['doctor', '--timeout', '5', target]),
        terminalError(server.port),
      ]);
      const flood = `127.0.0.1:${server.port} sent 256 KiB of text before any SSH identification line (it began "${'x'.repeat(120)}")`;
      expect(exec.code).toBe(255);
      expect(exec.stderr).toContain(`warren: SSH banner: ${flood}`);
      expect(exec.ms).toBeLessThan(10_000);
      expect(doctor.code).toBe(1);
      expect(doctor.stdout).toMatch(/FAIL {2}SSH banner/);
      expect(doctor.stdout).toContain(
        `127.0.0.1:${server.port} sent 256 KiB of text before any SSH identification line (it began "${'x'.repeat(200)}"), so the doctor stopped reading.`,
      );
      expect(ui.error).toMatchObject({ code: 'NOT_SSH' });
      expect(ui.error!.message).toContain(flood);
      expect(ui.ms).toBeLessThan(10_000);
      // each of the three read a bounded amount (the server's socket buffers aside), and grew no memory for it
      expect(server.sent()).toBeLessThan(3 * 16 * 1024 * 1024);
      for (const r of [exec, doctor]) expect(r.maxRssMiB).toBeLessThan(400);
    } finally {
      await server.close();
    }
  });

  it('an identification line, then a stalled key exchange: "key exchange stalled" within the login timeout', async () => {
    const server = await startStallingServer('stalled-kex');
    try {
      const target = `alice@127.0.0.1:${server.port}`;
      const [exec, doctor, ui] = await Promise.all([
        warren(['exec', target, '--', 'true']),
        warren(['doctor', '--timeout', '3', target]),
        terminalError(server.port),
      ]);
      const stalled = `127.0.0.1:${server.port} sent its SSH identification ("SSH-2.0-Stalled_1.0"), then the key exchange stalled: no reply within 20 s.`;
      expect(exec.code).toBe(255);
      expect(exec.stderr).toContain(`warren: SSH handshake: ${stalled}`);
      expect(exec.ms).toBeLessThan(25_000);
      expect(doctor.stdout).toMatch(/PASS {2}SSH banner/);
      expect(doctor.stdout).toMatch(/FAIL {2}Key exchange/);
      expect(doctor.stdout).toContain("The server identified itself, then the key exchange stalled: no reply to Warren's within 3 s.");
      expect(ui.error).toMatchObject({ code: 'HANDSHAKE' });
      expect(ui.error!.message).toContain(stalled);
    } finally {
      await server.close();
    }
  }, 40_000);
});
