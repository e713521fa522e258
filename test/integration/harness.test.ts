// Proves test/harness/ssh.ts against the real OpenSSH client: logins, host key fingerprints, agent, restart, dropped sessions, PAM.
import { spawn } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupAll, makeKey, startAgent, startSshd, tempDir, TEST_PASSWORD, TEST_USER, type Sshd } from '../harness/ssh.js';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function run(
  cmd: string,
  args: string[],
  opts: { env?: Record<string, string>; input?: string } = {},
): { child: ReturnType<typeof spawn>; done: Promise<Result> } {
  const child = spawn(cmd, args, { env: { ...process.env, ...opts.env }, stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin?.end(opts.input);
  const done = new Promise<Result>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 128, stdout, stderr }));
  });
  return { child, done };
}

let work: string;
let askpass: string;
let prompts: string;

interface SshOpts {
  methods: string;
  secret?: string;
  identity?: string;
  agentSock?: string;
  knownHosts?: string;
}

/** The real `ssh` client, isolated from the machine's config; secrets come from an SSH_ASKPASS script that also records its prompts. */
function ssh(sshd: Sshd, o: SshOpts, ...command: string[]) {
  const args = [
    '-F',
    '/dev/null',
    '-p',
    String(sshd.port),
    '-o',
    `UserKnownHostsFile=${o.knownHosts ?? join(work, `known_hosts_${sshd.port}`)}`,
    '-o',
    'StrictHostKeyChecking=accept-new',
    '-o',
    `PreferredAuthentications=${o.methods}`,
    '-o',
    'NumberOfPasswordPrompts=1',
    '-o',
    'ConnectTimeout=5',
    '-o',
    `IdentityAgent=${o.agentSock ?? 'none'}`,
    ...(o.identity ? ['-i', o.identity, '-o', 'IdentitiesOnly=yes'] : []),
    `${TEST_USER}@${sshd.host}`,
    ...command,
  ];
  return run('ssh', args, { env: { SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', TEST_SECRET: o.secret ?? '', PROMPT_LOG: prompts } });
}

const hostFingerprints = (sshd: Sshd) => sshd.hostKeys.map((k) => k.fingerprint).sort();

beforeAll(async () => {
  work = await tempDir('warren-harness-test-');
  askpass = join(work, 'askpass.sh');
  prompts = join(work, 'prompts.log');
  await writeFile(askpass, '#!/bin/sh\nprintf \'%s\\n\' "$1" >> "$PROMPT_LOG"\nprintf \'%s\\n\' "$TEST_SECRET"\n', { mode: 0o755 });
});
afterAll(cleanupAll);

describe('sshd (UsePAM no)', () => {
  let sshd: Sshd;
  beforeAll(async () => {
    sshd = await startSshd();
  });

  it('accepts a password login from the real ssh client', async () => {
    const before = await sshd.acceptedLogins();
    const r = await ssh(sshd, { methods: 'password', secret: TEST_PASSWORD }, 'echo', 'ok').done;
    expect(r, r.stderr).toMatchObject({ code: 0, stdout: 'ok\n' });
    expect(await sshd.acceptedLogins()).toBe(before + 1);
    expect(await sshd.log()).toMatch(`Accepted password for ${TEST_USER}`);
  });

  it('rejects a wrong password', async () => {
    const r = await ssh(sshd, { methods: 'password', secret: 'wrong' }, 'true').done;
    expect(r.code).toBe(255);
    expect(r.stderr).toMatch('Permission denied');
  });

  it('accepts an authorized key and rejects an unauthorized one', async () => {
    const key = await makeKey(work, { type: 'ecdsa' });
    const stranger = await makeKey(work, { type: 'ecdsa' });
    expect(stranger.path).not.toBe(key.path);
    await sshd.authorize(key.pub);
    const ok = await ssh(sshd, { methods: 'publickey', identity: key.path }, 'echo', 'ok').done;
    expect(ok, ok.stderr).toMatchObject({ code: 0, stdout: 'ok\n' });
    expect(await sshd.log()).toMatch(`Accepted publickey for ${TEST_USER} from 127.0.0.1`);
    expect((await ssh(sshd, { methods: 'publickey', identity: stranger.path }, 'true').done).code).toBe(255);
  });

  it('reports host key fingerprints exactly as ssh-keyscan | ssh-keygen -lf - does', async () => {
    const scan = await run('ssh-keyscan', ['-p', String(sshd.port), sshd.host]).done;
    const lf = await run('ssh-keygen', ['-lf', '-'], { input: scan.stdout }).done;
    const scanned = lf.stdout
      .trim()
      .split('\n')
      .map((l) => l.split(' ')[1])
      .sort();
    expect(scanned).toEqual(hostFingerprints(sshd));
    expect(sshd.hostKeys.map((k) => k.type).sort()).toEqual(['ecdsa-sha2-nistp256', 'ssh-ed25519']);
  });

  it('runs a real agent: add (with a passphrase), list, and log in through it', async () => {
    const agent = await startAgent();
    expect(await agent.list()).toMatch('no identities');
    const key = await makeKey(work, { type: 'rsa', passphrase: 'correct horse', name: 'agent_rsa' });
    await agent.add(key);
    expect(await agent.list()).toMatch(key.fingerprint);
    await sshd.authorize(key.pub);
    const r = await ssh(sshd, { methods: 'publickey', agentSock: agent.sock }, 'echo', 'ok').done;
    expect(r, r.stderr).toMatchObject({ code: 0, stdout: 'ok\n' });
    await agent.stop();
  });

  it('killSessions drops an open session while the listener keeps accepting', async () => {
    const before = await sshd.acceptedLogins();
    const session = ssh(sshd, { methods: 'password', secret: TEST_PASSWORD }, 'sleep', '30');
    await expect.poll(() => sshd.acceptedLogins(), { timeout: 10_000 }).toBe(before + 1);
    const t = Date.now();
    await sshd.killSessions();
    const dropped = await session.done;
    expect(dropped.code).toBe(255);
    expect(Date.now() - t).toBeLessThan(5000);
    const r = await ssh(sshd, { methods: 'password', secret: TEST_PASSWORD }, 'echo', 'ok').done;
    expect(r, r.stderr).toMatchObject({ code: 0, stdout: 'ok\n' });
  });

  it('does not offer keyboard-interactive without PAM', async () => {
    const r = await ssh(sshd, { methods: 'keyboard-interactive', secret: TEST_PASSWORD }, 'true').done;
    expect(r.code).toBe(255);
  });
});

describe('sshd restart', () => {
  it('restarts on the same port, with new host keys when asked', async () => {
    const sshd = await startSshd({ extraConfig: ['MaxAuthTries 3'] });
    const port = sshd.port;
    const before = hostFingerprints(sshd);
    expect((await ssh(sshd, { methods: 'password', secret: TEST_PASSWORD }, 'true').done).code).toBe(0);

    await sshd.restart();
    expect(sshd.port).toBe(port);
    expect(hostFingerprints(sshd)).toEqual(before);
    expect((await ssh(sshd, { methods: 'password', secret: TEST_PASSWORD }, 'true').done).code).toBe(0);

    await sshd.restart({ newHostKeys: true });
    expect(sshd.port).toBe(port);
    expect(hostFingerprints(sshd)).not.toEqual(before);
    const changed = await ssh(sshd, { methods: 'password', secret: TEST_PASSWORD }, 'true').done;
    expect(changed.code).toBe(255);
    expect(changed.stderr).toMatch('REMOTE HOST IDENTIFICATION HAS CHANGED');
    expect(await sshd.acceptedLogins()).toBe(2);
    await sshd.stop();
  });

  it("rejects an invalid config with sshd's own message", async () => {
    await expect(startSshd({ extraConfig: ['NoSuchOption yes'] })).rejects.toThrow(/Bad configuration option: NoSuchOption/);
  });
});

describe('sshd (UsePAM yes)', () => {
  it('accepts keyboard-interactive through PAM, which asks "Password:"', async () => {
    const sshd = await startSshd({ pam: true });
    await rm(prompts, { force: true });
    const r = await ssh(sshd, { methods: 'keyboard-interactive', secret: TEST_PASSWORD }, 'echo', 'ok').done;
    expect(r, r.stderr).toMatchObject({ code: 0, stdout: 'ok\n' });
    expect(await readFile(prompts, 'utf8')).toMatch(/Password: ?\n/);
    expect(await sshd.log()).toMatch(`Accepted keyboard-interactive/pam for ${TEST_USER}`);

    const pw = await ssh(sshd, { methods: 'password', secret: TEST_PASSWORD }, 'echo', 'ok').done;
    expect(pw, pw.stderr).toMatchObject({ code: 0, stdout: 'ok\n' });
    const bad = await ssh(sshd, { methods: 'keyboard-interactive', secret: 'wrong' }, 'true').done;
    expect(bad.code).toBe(255);
  });
});
