// `warren exec -F FILE ALIAS` honours what the config says of host keys and connecting, as ssh does:
// UserKnownHostsFile (several, none, %-tokens), GlobalKnownHostsFile, HostKeyAlias, HashKnownHosts,
// StrictHostKeyChecking (yes / accept-new / no / ask), BatchMode, ConnectTimeout, ConnectionAttempts.
// Each case runs the real `ssh -F FILE -o BatchMode=yes ALIAS true` first, as ground truth, then
// `warren exec` with the same files put back as they were, and compares the exit status and what each
// left in the known_hosts files. Where Warren differs on purpose (a changed key under
// StrictHostKeyChecking no), the test says so.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { lstat, mkdir, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupAll, ensureTestUser, freePort, makeKey, startSshd, tempDir, TEST_USER, type Sshd, type TestKey } from '../harness/ssh.js';
import { startWarren } from '../harness/warren.js';

const run = promisify(execFile);
const WARREN = path.resolve('bin/warren.js');
const env = { ...process.env, SSH_AUTH_SOCK: '' };
let sshd: Sshd;
let key: TestKey;
let locked: TestKey;
let other: TestKey;
let dir: string;
let dataDir: string;
let n = 0;

type Result = { code: number; stdout: string; stderr: string; ms: number };

function warren(args: string[]): Promise<Result> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [WARREN, '--data-dir', dataDir, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr, ms: Date.now() - started }));
    child.stdin.end('');
  });
}

/** the real ssh with the same file, never prompting */
async function ssh(config: string, alias: string): Promise<Result> {
  const started = Date.now();
  try {
    const r = await run('ssh', ['-F', config, '-o', 'BatchMode=yes', alias, 'true'], { env, timeout: 20_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr, ms: Date.now() - started };
  }
}

/** `warren ARGS` on a real terminal (`script` gives it a PTY); stops it once `until` shows on the screen */
function atTerminal(args: string[], until: RegExp, timeoutMs = 15_000): Promise<{ code: number; screen: string; stopped: boolean }> {
  const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
  const child: ChildProcess = spawn('script', ['-qfec', [process.execPath, WARREN, '--data-dir', dataDir, ...args].map(quote).join(' '), '/dev/null'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env,
  });
  let screen = '';
  let stopped = false;
  const stop = () => {
    if (child.exitCode === null && !stopped) {
      stopped = true;
      child.kill('SIGKILL');
    }
  };
  const timer = setTimeout(stop, timeoutMs);
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    screen += d;
    if (until.test(screen)) stop();
  });
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, screen, stopped });
    }),
  );
}

/** the server's ed25519 host key as a known_hosts line for `name` (default [127.0.0.1]:port) */
const line = (name = `[127.0.0.1]:${sshd.port}`, pub = sshd.hostKeys.find((k) => k.type === 'ssh-ed25519')!.pub) =>
  `${name} ${pub.split(' ').slice(0, 2).join(' ')}\n`;
/** another key for the same name: the server's key "changed" */
const changedLine = () => line(undefined, other.pub);

interface Case {
  /** config lines for the alias, after HostName/Port/User/IdentityFile; KH(name) is a file of this case's folder */
  options: string[];
  /** the known_hosts files as they are before each run: name → content (absent: no file) */
  files?: Record<string, string>;
  identity?: string;
  port?: number;
}

interface Effect {
  ssh: Result;
  warren: Result;
  /** each file after ssh's run, and after Warren's (undefined: no file) */
  after: { ssh: Record<string, string | undefined>; warren: Record<string, string | undefined> };
  folder: string;
  config: string;
}

/** Runs ssh, puts the files back, runs warren; returns both results and what each left in the files. */
async function compare(c: Case, args: string[] = []): Promise<Effect> {
  const folder = path.join(dir, `case-${++n}`);
  await mkdir(folder, { recursive: true });
  const kh = (name: string) => path.join(folder, name);
  const config = kh('config');
  await writeFile(
    config,
    [
      'Host t',
      '  HostName 127.0.0.1',
      `  Port ${c.port ?? sshd.port}`,
      `  User ${TEST_USER}`,
      `  IdentityFile ${c.identity ?? key.path}`,
      ...c.options.map((o) => `  ${o.replace(/KH\((\w[\w.-]*)\)/g, (_m, name: string) => kh(name))}`),
      '',
    ].join('\n'),
  );
  const names = Object.keys(c.files ?? {});
  const reset = async () => {
    for (const entry of await readdir(folder)) if (entry !== 'config') await rm(kh(entry), { recursive: true, force: true });
    for (const [name, text] of Object.entries(c.files ?? {})) await writeFile(kh(name), text);
  };
  const snapshot = async () => {
    const out: Record<string, string | undefined> = {};
    for (const name of new Set([...names, ...(await readdir(folder))])) {
      if (name !== 'config') out[name] = await readFile(kh(name), 'utf8').catch(() => undefined);
    }
    return out;
  };
  await reset();
  const sshResult = await ssh(config, 't');
  const afterSsh = await snapshot();
  await reset();
  const warrenResult = await warren(['exec', '-F', config, ...args, 't', '--', 'true']);
  const afterWarren = await snapshot();
  return { ssh: sshResult, warren: warrenResult, after: { ssh: afterSsh, warren: afterWarren }, folder, config };
}

/** what `ssh-keygen -F NAME -f FILE` finds: the key part (type and base64) of each line it prints */
async function keygenFinds(name: string, file: string): Promise<string[]> {
  const r = await run('ssh-keygen', ['-F', name, '-f', file]).catch((e: { stdout: string }) => ({ stdout: e.stdout ?? '' }));
  return r.stdout
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(' ').slice(1, 3).join(' '));
}

beforeAll(async () => {
  await ensureTestUser();
  sshd = await startSshd();
  dir = await tempDir('warren-cli-kh-');
  key = await makeKey(dir, { type: 'ed25519' });
  locked = await makeKey(dir, { type: 'ed25519', passphrase: 'correct horse', name: 'locked' });
  other = await makeKey(dir, { type: 'ed25519', name: 'other' });
  await sshd.authorize(key.pub);
  await sshd.authorize(locked.pub);
  dataDir = path.join(dir, 'data');
  await mkdir(dataDir, { recursive: true });
  // Warren's own known_hosts knows the server: a config that names its files must not fall back on it
  await writeFile(path.join(dataDir, 'known_hosts'), line());
});
afterAll(() => cleanupAll());

describe('StrictHostKeyChecking with an unknown key', () => {
  it('yes: refused, nothing asked or written, and the message names the setting', async () => {
    const e = await compare({ options: ['StrictHostKeyChecking yes', 'UserKnownHostsFile KH(kh)'] });
    expect(e.ssh.code).toBe(255);
    expect(e.ssh.stderr).toMatch(/you have requested strict checking/);
    expect(e.warren.code).toBe(255);
    expect(e.warren.stderr).toMatch(/No ssh-ed25519 host key is known for \[127\.0\.0\.1\]:\d+ .*StrictHostKeyChecking yes/);
    expect(e.after.ssh).toEqual({ kh: undefined });
    expect(e.after.warren).toEqual({ kh: undefined });
  });

  it.each(['accept-new', 'no'])('%s: recorded in the first UserKnownHostsFile, as ssh records it, and the connection goes on', async (mode) => {
    const e = await compare({ options: [`StrictHostKeyChecking ${mode}`, 'UserKnownHostsFile KH(first) KH(second)'] });
    expect(e.ssh.code).toBe(0);
    expect(e.warren.code).toBe(0);
    expect(e.after.ssh.first).toBe(line());
    expect(e.after.warren).toEqual(e.after.ssh);
    expect(e.after.warren.second).toBeUndefined();
    expect(e.warren.stderr).toMatch(/warren: Permanently added '\[127\.0\.0\.1\]:\d+'/);
  });

  it('ask (the default) with no one to ask: refused, as ssh in batch mode; BatchMode yes says so', async () => {
    const e = await compare({ options: ['UserKnownHostsFile KH(kh)'] });
    expect(e.ssh.code).toBe(255);
    expect(e.warren.code).toBe(255);
    expect(e.after.warren).toEqual({ kh: undefined });
    const batch = await compare({ options: ['UserKnownHostsFile KH(kh)', 'BatchMode yes'] });
    expect([batch.ssh.code, batch.warren.code]).toEqual([255, 255]);
    expect(batch.warren.stderr).toMatch(/BatchMode yes: Warren asks nothing/);
    expect(batch.after.warren).toEqual({ kh: undefined });
  });

  it('ask, on a terminal: asked, and BatchMode yes never asks', async () => {
    const folder = path.join(dir, 'ask-tty');
    await mkdir(folder, { recursive: true });
    const config = path.join(folder, 'config');
    const base = [
      'Host t',
      '  HostName 127.0.0.1',
      `  Port ${sshd.port}`,
      `  User ${TEST_USER}`,
      `  IdentityFile ${key.path}`,
      `  UserKnownHostsFile ${folder}/kh`,
    ];
    await writeFile(config, [...base, ''].join('\n'));
    const asked = await atTerminal(['exec', '-F', config, 't', '--', 'true'], /\(yes\/no\)\? $/);
    expect(asked.stopped).toBe(true);
    await writeFile(config, [...base, '  BatchMode yes', ''].join('\n'));
    const batch = await atTerminal(['exec', '-F', config, 't', '--', 'true'], /\(yes\/no\)\? $/);
    expect(batch.stopped).toBe(false);
    expect(batch.code).toBe(255);
    expect(batch.screen).toMatch(/BatchMode yes/);
    expect(batch.screen).not.toMatch(/yes\/no/);
  });
});

describe('StrictHostKeyChecking with a changed key', () => {
  it.each(['yes', 'accept-new', 'ask'])('%s: refused by both, the file untouched', async (mode) => {
    const files = { kh: `# mine\n${changedLine()}` };
    const e = await compare({ options: [`StrictHostKeyChecking ${mode}`, 'UserKnownHostsFile KH(kh)'], files });
    expect(e.ssh.code).toBe(255);
    expect(e.ssh.stderr).toMatch(/REMOTE HOST IDENTIFICATION HAS CHANGED/);
    expect(e.warren.code).toBe(255);
    expect(e.warren.stderr).toMatch(/REMOTE HOST IDENTIFICATION HAS CHANGED/);
    expect(e.after.ssh).toEqual(files);
    expect(e.after.warren).toEqual(files);
  });

  it('no: ssh goes on with password logins off, Warren refuses, and says it differs', async () => {
    const files = { kh: changedLine() };
    const e = await compare({ options: ['StrictHostKeyChecking no', 'UserKnownHostsFile KH(kh)'], files });
    expect(e.ssh.code).toBe(0);
    expect(e.ssh.stderr).toMatch(/Password authentication is disabled/);
    expect(e.warren.code).toBe(255);
    expect(e.warren.stderr).toMatch(/StrictHostKeyChecking no, which does not change this: .*Warren refuses a changed host key whatever the setting/);
    expect(e.after.warren).toEqual(files);
    expect(e.after.ssh).toEqual(files);
  });
});

describe('which files, under which name', () => {
  it('two UserKnownHostsFiles, the key in the second: known', async () => {
    const files = { first: '# nothing for it here\n', second: line() };
    const e = await compare({ options: ['StrictHostKeyChecking yes', 'UserKnownHostsFile KH(first) KH(second)'], files });
    expect([e.ssh.code, e.warren.code]).toEqual([0, 0]);
    expect(e.after.warren).toEqual(files);
    // and only those files: with the key in neither, Warren's own known_hosts (which has it) is not read
    const without = await compare({ options: ['StrictHostKeyChecking yes', 'UserKnownHostsFile KH(first) KH(second)'], files: { first: '', second: '' } });
    expect([without.ssh.code, without.warren.code]).toEqual([255, 255]);
  });

  it('none: no file is read or written; GlobalKnownHostsFile is still read', async () => {
    const strict = await compare({
      options: ['StrictHostKeyChecking yes', 'UserKnownHostsFile none', 'GlobalKnownHostsFile KH(global)'],
      files: { global: '' },
    });
    expect([strict.ssh.code, strict.warren.code]).toEqual([255, 255]);
    const acceptNew = await compare({
      options: ['StrictHostKeyChecking accept-new', 'UserKnownHostsFile none', 'GlobalKnownHostsFile KH(global)'],
      files: { global: '' },
    });
    expect([acceptNew.ssh.code, acceptNew.warren.code]).toEqual([255, 255]);
    expect(acceptNew.warren.stderr).toMatch(/UserKnownHostsFile none/);
    expect(acceptNew.after.warren).toEqual({ global: '' });
    const global = await compare({
      options: ['StrictHostKeyChecking yes', 'UserKnownHostsFile none', 'GlobalKnownHostsFile KH(global)'],
      files: { global: line() },
    });
    expect([global.ssh.code, global.warren.code]).toEqual([0, 0]);
  });

  it('%-tokens in UserKnownHostsFile name the file ssh names (~ and %d: test/unit/sshoptions.test.ts)', async () => {
    const e = await compare({ options: ['StrictHostKeyChecking accept-new', 'UserKnownHostsFile KH(kh)-%h-%p-%r-%u-%k-%n'] });
    expect(e.ssh.code).toBe(0);
    expect(e.warren.code).toBe(0);
    const written = Object.keys(e.after.ssh).filter((f) => e.after.ssh[f] !== undefined);
    expect(written).toEqual([`kh-127.0.0.1-${sshd.port}-${TEST_USER}-root-t-t`]);
    expect(e.after.warren).toEqual(e.after.ssh);
  });

  it('HostKeyAlias: the alias (lowercased) is the name looked up and written', async () => {
    const known = await compare({
      options: ['StrictHostKeyChecking yes', 'HostKeyAlias Box.Example', 'UserKnownHostsFile KH(kh)'],
      files: { kh: line('box.example') },
    });
    expect([known.ssh.code, known.warren.code]).toEqual([0, 0]);
    // under its [host]:port name only, the key is not known for the alias
    const byAddress = await compare({ options: ['StrictHostKeyChecking yes', 'HostKeyAlias box.example', 'UserKnownHostsFile KH(kh)'], files: { kh: line() } });
    expect([byAddress.ssh.code, byAddress.warren.code]).toEqual([255, 255]);
    const written = await compare({ options: ['StrictHostKeyChecking accept-new', 'HostKeyAlias Box.Example', 'UserKnownHostsFile KH(kh)'] });
    expect([written.ssh.code, written.warren.code]).toEqual([0, 0]);
    expect(written.after.ssh.kh).toBe(line('box.example'));
    expect(written.after.warren).toEqual(written.after.ssh);
  });

  it('HashKnownHosts yes: accept-new writes a |1| entry that ssh-keygen -F finds, and ssh then trusts', async () => {
    const e = await compare({ options: ['StrictHostKeyChecking accept-new', 'HashKnownHosts yes', 'UserKnownHostsFile KH(kh)'] });
    expect([e.ssh.code, e.warren.code]).toEqual([0, 0]);
    const mine = e.after.warren.kh!;
    expect(mine).toMatch(/^\|1\|[A-Za-z0-9+/=]+\|[A-Za-z0-9+/=]+ ssh-ed25519 \S+\n$/);
    expect(mine.split(' ').slice(1)).toEqual(e.after.ssh.kh!.split(' ').slice(1));
    const file = path.join(e.folder, 'kh');
    expect(await keygenFinds(`[127.0.0.1]:${sshd.port}`, file)).toEqual([line().trim().split(' ').slice(1).join(' ')]);
    expect(await keygenFinds('[127.0.0.2]:22', file)).toEqual([]);
    // the file Warren wrote is one ssh reads: with StrictHostKeyChecking yes it now connects
    await writeFile(e.config, (await readFile(e.config, 'utf8')).replace('accept-new', 'yes'));
    expect((await ssh(e.config, 't')).code).toBe(0);
  });
});

describe('writing known_hosts', () => {
  it('other lines stay byte for byte (CRLF, comments, @revoked); a last line without its newline gets one, where ssh glues the key to it', async () => {
    const text = `# a comment\r\nother.example ${other.pub.split(' ').slice(0, 2).join(' ')}\r\n@revoked * ${other.pub.split(' ').slice(0, 2).join(' ')}\n  \nlast line without newline`;
    const e = await compare({ options: ['StrictHostKeyChecking accept-new', 'UserKnownHostsFile KH(kh)'], files: { kh: text } });
    expect([e.ssh.code, e.warren.code]).toEqual([0, 0]);
    expect(e.after.warren.kh!.startsWith(text)).toBe(true);
    expect(e.after.warren.kh!.slice(text.length)).toBe(`\n${line()}`);
    // OpenSSH 9.2 appends without looking, which spoils both its new line and the old last one
    expect(e.after.ssh.kh).toBe(`${text}${line()}`);
    const terminated = await compare({ options: ['StrictHostKeyChecking accept-new', 'UserKnownHostsFile KH(kh)'], files: { kh: `${text}\n` } });
    expect(terminated.after.warren).toEqual(terminated.after.ssh);
    expect(terminated.after.warren.kh).toBe(`${text}\n${line()}`);
  });

  it('only to a regular file: a FIFO is never opened for writing (the connection goes on, and says so); a symlink is written through', async () => {
    const folder = path.join(dir, 'special');
    await mkdir(folder, { recursive: true });
    const fifo = path.join(folder, 'fifo');
    await run('mkfifo', [fifo]);
    const config = path.join(folder, 'config');
    const conf = (file: string) =>
      `Host t\n  HostName 127.0.0.1\n  Port ${sshd.port}\n  User ${TEST_USER}\n  IdentityFile ${key.path}\n  StrictHostKeyChecking accept-new\n  UserKnownHostsFile ${file}\n`;
    await writeFile(config, conf(fifo));
    const r = await warren(['exec', '-F', config, 't', '--', 'true']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Failed to add the host to the list of known hosts .*not a regular file \(a FIFO\)/);
    expect((await lstat(fifo)).isFIFO()).toBe(true);
    // /dev/null, the usual "record nowhere": not written, and no warning
    await writeFile(config, conf('/dev/null'));
    const devnull = await warren(['exec', '-F', config, 't', '--', 'true']);
    expect(devnull.code).toBe(0);
    expect(devnull.stderr).not.toMatch(/Failed to add/);
    // a symlink to a regular file: the file gets the key, the link stays a link
    const real = path.join(folder, 'real');
    await writeFile(real, '# real\n');
    const link = path.join(folder, 'link');
    await symlink(real, link);
    await writeFile(config, conf(link));
    expect((await warren(['exec', '-F', config, 't', '--', 'true'])).code).toBe(0);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readFile(real, 'utf8')).toBe(`# real\n${line()}`);
  });
});

describe('asking, and connecting', () => {
  it('BatchMode yes with a key that needs its passphrase: fails at once without asking, as ssh does; without it, Warren asks', async () => {
    const files = { kh: line() };
    const e = await compare({ options: ['UserKnownHostsFile KH(kh)', 'BatchMode yes', 'PasswordAuthentication no'], identity: locked.path, files });
    expect(e.ssh.code).toBe(255);
    expect(e.warren.code).toBe(255);
    expect(e.warren.stderr).toMatch(/needs its passphrase, which was not asked for: ssh_config sets BatchMode yes/);
    // on a terminal, where Warren would ask: BatchMode yes still asks nothing
    const batch = await atTerminal(['exec', '-F', e.config, 't', '--', 'true'], /passphrase for key/i);
    expect(batch.stopped).toBe(false);
    expect(batch.code).toBe(255);
    expect(batch.screen).toMatch(/BatchMode yes/);
    // the same without BatchMode: asked
    await writeFile(e.config, (await readFile(e.config, 'utf8')).replace('  BatchMode yes\n', ''));
    const asked = await atTerminal(['exec', '-F', e.config, 't', '--', 'true'], /Enter passphrase for key '.*locked'/);
    expect(asked.stopped).toBe(true);
  });

  it('ConnectTimeout: a port that never answers the SYN times out after that long, and the message names it', async () => {
    // a listening socket whose accept queue is full: a process listens (backlog 1) and then blocks its
    // event loop, so it never accepts; three connections fill the queue, and the kernel drops further
    // SYNs, so a connect neither succeeds nor is refused
    const hole = spawn(process.execPath, [
      '-e',
      `const s = require('net').createServer();
       s.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () =>
         process.stdout.write(s.address().port + '\\n', () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120000)));`,
    ]);
    const held: net.Socket[] = [];
    try {
      const port = await new Promise<number>((resolve, reject) => {
        hole.stdout.setEncoding('utf8').once('data', (d: string) => resolve(Number(d.trim())));
        hole.once('exit', () => reject(new Error('the blackhole listener exited')));
      });
      for (let i = 0; i < 3; i++) held.push(net.connect(port, '127.0.0.1').on('error', () => {}));
      await new Promise((resolve) => setTimeout(resolve, 300));
      const e = await compare({ options: ['ConnectTimeout 2', 'UserKnownHostsFile KH(kh)'], port });
      expect(e.ssh.code).toBe(255);
      expect(e.ssh.stderr).toMatch(/connect to host 127\.0\.0\.1 port \d+: Connection timed out/);
      expect(e.warren.code).toBe(255);
      expect(e.warren.stderr).toMatch(/TCP.*within 2 s \(ssh_config sets ConnectTimeout 2\)/);
      expect(e.warren.ms).toBeGreaterThanOrEqual(1900);
      expect(e.warren.ms).toBeLessThan(e.ssh.ms + 4000); // not Warren's 15 s default
    } finally {
      for (const h of held) h.destroy();
      hole.kill('SIGKILL');
    }
  });

  it('ConnectTimeout bounds the banner exchange too: a server that accepts and never speaks', async () => {
    const silent = net.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as AddressInfo).port;
      const e = await compare({ options: ['ConnectTimeout 2', 'UserKnownHostsFile KH(kh)'], port });
      expect(e.ssh.code).toBe(255);
      expect(e.ssh.stderr).toMatch(/timed out during banner exchange/);
      expect(e.warren.code).toBe(255);
      expect(e.warren.stderr).toMatch(/no SSH identification within 2 s\b.*: ssh_config sets ConnectTimeout 2, which bounds the banner exchange/);
      expect(e.warren.ms).toBeGreaterThanOrEqual(1900);
      expect(e.warren.ms).toBeLessThan(e.ssh.ms + 4000); // not Warren's 20 s login timeout
    } finally {
      silent.close();
    }
  });

  it('ConnectionAttempts: a refused connection is tried that many times, one second apart', async () => {
    const port = await freePort();
    const e = await compare({ options: ['ConnectionAttempts 2', 'UserKnownHostsFile KH(kh)'], port });
    expect([e.ssh.code, e.warren.code]).toEqual([255, 255]);
    expect(e.ssh.ms).toBeGreaterThanOrEqual(900);
    expect(e.warren.ms).toBeGreaterThanOrEqual(900);
    expect(e.warren.stderr).toMatch(/refused the connection.*\(2 attempts: ssh_config sets ConnectionAttempts 2\)/);
  });

  it('what Warren now applies is no longer noted as not applied; what it does not apply still is, once', async () => {
    const e = await compare({
      options: ['StrictHostKeyChecking accept-new', 'UserKnownHostsFile KH(kh)', 'HashKnownHosts yes', 'ConnectTimeout 5', 'BatchMode yes', 'Compression yes'],
    });
    expect([e.ssh.code, e.warren.code]).toEqual([0, 0]);
    const notes = e.warren.stderr.split('\n').filter((l) => l.startsWith('warren: note:'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/ssh_config sets compression yes for t; not applied/);
  });
});

describe('replacing a changed key of a name from ssh_config (hostkeys.inspect / replace)', () => {
  it('finds the old key in its UserKnownHostsFile under its HostKeyAlias, replaces it there, and ssh then trusts that file', async () => {
    const folder = path.join(dir, 'replace');
    await mkdir(folder, { recursive: true });
    const kh = path.join(folder, 'kh');
    const before = `# kept\n${line('box.alias', other.pub)}`;
    await writeFile(kh, before);
    const config = path.join(folder, 'config');
    await writeFile(
      config,
      `Host box\n  HostName 127.0.0.1\n  Port ${sshd.port}\n  User ${TEST_USER}\n  IdentityFile ${key.path}\n  HostKeyAlias Box.Alias\n  UserKnownHostsFile ${kh}\n  StrictHostKeyChecking yes\n`,
    );
    expect((await ssh(config, 'box')).code).toBe(255);
    const w = await startWarren({ sshConfigFile: config, home: folder });
    try {
      const target = { quick: { hostname: 'box' } };
      const change = await w.client.call('hostkeys.inspect', { target });
      expect(change).toMatchObject({ name: 'box.alias', keyType: 'ssh-ed25519', stale: [{ file: kh, line: 2, hashed: false }] });
      expect(await w.client.call('hostkeys.replace', { target, fingerprint: change.fingerprint })).toMatchObject({ file: kh });
    } finally {
      await w.close();
    }
    expect(await readFile(kh, 'utf8')).toBe(`# kept\n${line('box.alias')}`);
    // Warren's own known_hosts was not where it went
    expect((await readdir(folder)).sort()).toEqual(['config', 'kh']);
    expect((await ssh(config, 'box')).code).toBe(0);
    expect((await warren(['exec', '-F', config, 'box', '--', 'true'])).code).toBe(0);
  });
});
