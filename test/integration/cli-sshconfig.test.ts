// `warren exec|doctor|command ALIAS` where ALIAS is known only to an ssh_config (-F FILE, or ~/.ssh/config):
// Warren reaches what `ssh -F FILE ALIAS` reaches, run first as ground truth; and exit statuses as ssh's.
import { execFile, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupAll, ensureTestUser, makeKey, startSshd, tempDir, TEST_USER, type Sshd, type TestKey } from '../harness/ssh.js';

const run = promisify(execFile);
const WARREN = path.resolve('bin/warren.js');
let sshd: Sshd;
let key: TestKey;
let dir: string;
let dataDir: string;
let config: string;
let knownHosts: string;

function warren(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [WARREN, '--data-dir', dataDir, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, SSH_AUTH_SOCK: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end('');
  });
}

/** ssh with the same file, never prompting: the ground truth */
async function ssh(args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const r = await run('ssh', ['-F', config, '-o', 'BatchMode=yes', ...args], { env: { ...process.env, SSH_AUTH_SOCK: '' } });
    return { code: 0, stdout: r.stdout };
  } catch (e) {
    const err = e as { code: number; stdout: string };
    return { code: err.code, stdout: err.stdout };
  }
}

beforeAll(async () => {
  await ensureTestUser();
  sshd = await startSshd();
  dir = await tempDir('warren-cli-config-');
  key = await makeKey(dir, { type: 'ed25519' });
  await sshd.authorize(key.pub);
  dataDir = path.join(dir, 'data');
  await mkdir(dataDir, { recursive: true });
  knownHosts = path.join(dir, 'known_hosts');
  const lines = sshd.hostKeys.map((k) => `[127.0.0.1]:${sshd.port} ${k.pub.split(' ').slice(0, 2).join(' ')}`).join('\n') + '\n';
  await writeFile(knownHosts, lines);
  // Warren reads its own known_hosts; ssh the file the config names
  await writeFile(path.join(dataDir, 'known_hosts'), lines);
  config = path.join(dir, 'config');
  await writeFile(
    config,
    [
      'Host target',
      '  ProxyJump hop',
      'Host hop target',
      '  HostName 127.0.0.1',
      `  Port ${sshd.port}`,
      `  User ${TEST_USER}`,
      `  IdentityFile ${key.path}`,
      `  UserKnownHostsFile ${knownHosts}`,
      '',
    ].join('\n'),
  );
});
afterAll(() => cleanupAll());

describe('a name known only to ssh_config', () => {
  it('exec reaches it as ssh -F does, with -F before or after the command', async () => {
    const truth = await ssh(['hop', 'echo via-ssh $USER']);
    expect(truth).toEqual({ code: 0, stdout: `via-ssh ${TEST_USER}\n` });
    const before = await warren(['-F', config, 'exec', 'hop', '--', 'echo via-warren $USER']);
    expect(before).toMatchObject({ code: 0, stdout: `via-warren ${TEST_USER}\n` });
    const after = await warren(['exec', '-F', config, 'hop', '--', 'exit 4']);
    expect(after.code).toBe(4);
  });

  it('a ProxyJump hop named in the config is looked up there too', async () => {
    const truth = await ssh(['target', 'echo $SSH_CONNECTION']);
    expect(truth.code).toBe(0);
    const r = await warren(['-F', config, 'exec', 'target', '--', 'echo $SSH_CONNECTION']);
    expect(r.stderr).not.toMatch(/status is unknown/);
    expect(r.code).toBe(0);
    // reached through the hop: the target's sshd sees a connection from the hop's sshd (both loopback)
    expect(r.stdout).toMatch(new RegExp(`^127\\.0\\.0\\.1 \\d+ 127\\.0\\.0\\.1 ${sshd.port}\\n$`));
    expect((await warren(['-F', config, 'command', 'target'])).stdout).toContain(`-J ${TEST_USER}@127.0.0.1:${sshd.port}`);
  });

  it('without -F, ~/.ssh/config is read, and a name it does not know stays a DNS name', async () => {
    const home = path.join(dir, 'home');
    await mkdir(path.join(home, '.ssh'), { recursive: true });
    await writeFile(
      path.join(home, '.ssh', 'config'),
      `Host homealias\n  HostName 127.0.0.1\n  Port ${sshd.port}\n  User ${TEST_USER}\n  IdentityFile ${key.path}\n`,
    );
    expect(await warren(['exec', 'homealias', '--', 'echo home'], { HOME: home })).toMatchObject({ code: 0, stdout: 'home\n' });
    const unknown = await warren(['exec', 'no-such-alias.invalid', '--', 'true'], { HOME: home });
    expect(unknown.code).toBe(255);
    expect(unknown.stderr).toMatch(/DNS: .*no-such-alias\.invalid/);
  });

  it('doctor walks the same route', async () => {
    const r = await warren(['-F', config, 'doctor', 'hop']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/127\.0\.0\.1/);
  });

  it('a line ssh refuses refuses the connection with its file:line, as ssh does (255)', async () => {
    const bad = path.join(dir, 'bad-config');
    await writeFile(bad, `Host hop\n  HostName 127.0.0.1\n  NoSuchKeyword yes\n`);
    const truth = await run('ssh', ['-F', bad, 'hop', 'true']).then(
      () => 0,
      (e: { code: number }) => e.code,
    );
    expect(truth).toBe(255);
    const r = await warren(['-F', bad, 'exec', 'hop', '--', 'true']);
    expect(r.code).toBe(255);
    expect(r.stderr).toContain(`ssh_config: ${bad}:3:`);
  });
});

describe('exit statuses, as ssh gives them', () => {
  it.each([
    ['a remote signal', 'kill -9 $$', /killed by signal KILL/],
    ['the connection lost before the status', 'kill -9 $PPID', /status is unknown/],
  ])('%s: 255, and why', async (_what, command, why) => {
    expect((await ssh(['hop', command])).code).toBe(255);
    const r = await warren(['-F', config, 'exec', 'hop', '--', command]);
    expect(r.code).toBe(255);
    expect(r.stderr).toMatch(why);
  });
});
