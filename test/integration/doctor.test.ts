// The connection doctor against real failures: closed and silent ports, a web server, host keys,
// refused logins, MaxAuthTries, key file modes, a server without a common algorithm, a broken jump
// chain; and `warren doctor` on the command line, including a TCP timeout in a network namespace.
import { execFileSync, spawn } from 'node:child_process';
import { appendFile, chmod, readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorEvent, DoctorReport, DoctorStep } from '../../shared/doctor.js';
import type { Target } from '../../shared/model.js';
import { startHostileServer } from '../harness/hostile.js';
import { cleanupAll, ensureTestUser, freePort, makeKey, startAgent, startSshd, tempDir, TEST_PASSWORD, TEST_USER, type Sshd } from '../harness/ssh.js';
import { startWarren, type TestWarren } from '../harness/warren.js';

let sshd: Sshd;

beforeAll(async () => {
  await ensureTestUser();
  sshd = await startSshd();
});
afterAll(cleanupAll);

/** a Warren with its own empty home (no ~/.ssh keys) that unlocks its vault when asked */
async function doctorWarren(options: Parameters<typeof startWarren>[0] = {}): Promise<TestWarren> {
  const w = await startWarren({ home: await tempDir('warren-home-'), ...options });
  w.answer = (p) => (p.kind === 'vault' ? { value: 'vault-pass' } : { cancel: true });
  return w;
}

/** what "connect and accept the key" would have written */
async function trust(w: TestWarren, s: Sshd): Promise<void> {
  const lines = s.hostKeys.map((k) => `[127.0.0.1]:${s.port} ${k.pub.split(' ').slice(0, 2).join(' ')}\n`);
  await appendFile(path.join(w.dataDir, 'known_hosts'), lines.join(''));
}

async function addHost(w: TestWarren, s: Sshd, fields: Record<string, unknown>) {
  return w.client.call('hosts.create', { name: `h${s.port}`, groupId: null, hostname: '127.0.0.1', port: s.port, user: TEST_USER, ...fields });
}

type Diagnosis = { report: DoctorReport; step(id: DoctorStep['id'], hop?: string): DoctorStep };

async function diagnose(w: TestWarren, target: Target, extra: { password?: string; timeoutMs?: number } = {}): Promise<Diagnosis> {
  const events: DoctorEvent[] = [];
  await new Promise<void>((resolve, reject) =>
    w.client.subscribe('doctor.run', { target, ...extra }, { onEvent: (e) => events.push(e), onEnd: (err) => (err ? reject(err) : resolve()) }),
  );
  const last = events.at(-1);
  if (last?.type !== 'report') throw new Error('the doctor ended without a report');
  // each step came as it completed, and the report holds the same steps
  expect(events.slice(0, -1)).toEqual(last.report.steps.map((step) => ({ type: 'step', step })));
  return {
    report: last.report,
    step: (id, hop) => {
      const s = last.report.steps.find((x) => x.id === id && (hop === undefined || x.hop === hop));
      if (!s) throw new Error(`no ${id} step${hop ? ` for ${hop}` : ''} in:\n${last.report.text}`);
      return s;
    },
  };
}

const statuses = (r: DoctorReport) => r.steps.map((s) => `${s.id}:${s.status}`);
const authLines = (log: string) => log.split('\n').filter((l) => /Accepted|Failed|Invalid user|authentication/i.test(l));

describe('the doctor', () => {
  it('passes every step of a healthy host, and its report names user and host but no password', async () => {
    const w = await doctorWarren();
    await trust(w, sshd);
    const host = await addHost(w, sshd, { auth: 'password', password: TEST_PASSWORD });
    const { report, step } = await diagnose(w, { hostId: host.id });
    expect(statuses(report)).toEqual(['dns:pass', 'tcp:pass', 'banner:pass', 'kex:pass', 'hostkey:pass', 'methods:pass', 'auth:pass']);
    expect(report.ok).toBe(true);
    expect(step('banner').detail).toMatch(/"SSH-2\.0-OpenSSH_/);
    expect(step('kex').detail).toMatch(/^Agreed on key exchange \S+ \(post-quantum\), host key \S+, cipher \S+/);
    expect(step('methods').detail).toBe('The server accepts: publickey, password.');
    expect(step('auth').attempts).toEqual([{ label: 'password (saved)', result: 'accepted', note: null }]);
    expect(report.text).toContain(`Log in as ${TEST_USER}`);
    expect(report.text).toContain(`127.0.0.1:${sshd.port}`);
    expect(report.text).not.toContain(TEST_PASSWORD);
    await w.close();
  });

  it('a closed port: TCP refused, nothing listens, the later steps skipped', async () => {
    const w = await doctorWarren();
    const port = await freePort();
    const { report, step } = await diagnose(w, { quick: { hostname: '127.0.0.1', port, user: TEST_USER } });
    expect(statuses(report)).toEqual(['dns:pass', 'tcp:fail', 'banner:skip', 'kex:skip', 'hostkey:skip', 'methods:skip', 'auth:skip']);
    expect(step('tcp').detail).toBe(`127.0.0.1:${port} refused the connection: nothing listens on port ${port}.`);
    expect(step('tcp').advice).toMatch(/sshd runs .*`Port` in \/etc\/ssh\/sshd_config/);
    expect(report.ok).toBe(false);
    await w.close();
  });

  it('a port that accepts TCP but never speaks: a silent listener, maybe a proxy', async () => {
    const silent = net.createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as AddressInfo).port;
    const w = await doctorWarren();
    const { step } = await diagnose(w, { quick: { hostname: '127.0.0.1', port, user: TEST_USER } }, { timeoutMs: 1000 });
    expect(step('tcp').status).toBe('pass');
    expect(step('banner')).toMatchObject({
      status: 'fail',
      detail: `127.0.0.1:${port} accepted the connection but sent nothing in 1 s; an SSH server speaks first.`,
    });
    expect(step('banner').advice).toMatch(/proxy, load balancer or firewall/);
    expect(step('kex').status).toBe('skip');
    silent.close();
    await w.close();
  });

  it('an HTTP server on the SSH port: says what it answered', async () => {
    const web = http.createServer((_q, s) => s.end('hello'));
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
    const port = (web.address() as AddressInfo).port;
    const w = await doctorWarren();
    const { step } = await diagnose(w, { quick: { hostname: '127.0.0.1', port, user: TEST_USER } });
    expect(step('banner').status).toBe('fail');
    expect(step('banner').detail).toBe(`127.0.0.1:${port} answered "HTTP/1.1 400 Bad Request" instead of an SSH banner: a web server (HTTP) listens there.`);
    expect(step('banner').advice).toMatch(/Check the port/);
    web.close();
    await w.close();
  });

  it('an unknown host key: reported with its fingerprint, never accepted, nothing sent', async () => {
    const w = await doctorWarren();
    const host = await addHost(w, sshd, { auth: 'password', password: TEST_PASSWORD });
    const before = authLines(await sshd.log()).length;
    const { report, step } = await diagnose(w, { hostId: host.id });
    expect(step('hostkey').status).toBe('warn');
    expect(sshd.hostKeys.map((k) => k.fingerprint)).toContainEqual(/(SHA256:\S+), which is in none/.exec(step('hostkey').detail)?.[1]);
    expect(step('hostkey').advice).toMatch(/ssh-keygen -lf \/etc\/ssh\/ssh_host_\w+_key\.pub/);
    expect(statuses(report).slice(-2)).toEqual(['methods:skip', 'auth:skip']);
    await expect(readFile(path.join(w.dataDir, 'known_hosts'), 'utf8')).rejects.toThrow(/ENOENT/);
    expect(w.asked.filter((p) => p.kind === 'hostkey')).toEqual([]);
    expect(authLines(await sshd.log()).length).toBe(before);
    await w.close();
  });

  it('a changed host key: the MITM warning and the ssh-keygen -R line, and no login attempted', async () => {
    const changing = await startSshd();
    const w = await doctorWarren();
    await trust(w, changing);
    await changing.restart({ newHostKeys: true });
    const host = await addHost(w, changing, { auth: 'password', password: TEST_PASSWORD });
    const { step } = await diagnose(w, { hostId: host.id });
    expect(step('hostkey').status).toBe('fail');
    expect(step('hostkey').detail).toMatch(/REMOTE HOST IDENTIFICATION HAS CHANGED.*man-in-the-middle/);
    expect(step('hostkey').advice).toContain(`ssh-keygen -R "[127.0.0.1]:${changing.port}" -f "${path.join(w.dataDir, 'known_hosts')}"`);
    expect(step('auth').status).toBe('skip');
    expect(authLines(await changing.log())).toEqual([]);
    await w.close();
    await changing.stop();
  });

  it('publickey only, and the user offers a password: it is never sent, and the advice is a key', async () => {
    const strict = await startSshd({ extraConfig: ['AuthenticationMethods publickey'] });
    const w = await doctorWarren();
    await trust(w, strict);
    const host = await addHost(w, strict, { auth: 'password' });
    const { step } = await diagnose(w, { hostId: host.id }, { password: TEST_PASSWORD });
    expect(step('methods').detail).toBe('The server accepts: publickey.');
    expect(step('auth')).toMatchObject({
      status: 'fail',
      attempts: [{ label: 'password (given)', result: 'not-tried', note: 'the server does not accept password or keyboard-interactive' }],
    });
    expect(step('auth').advice).toMatch(/accepts only publickey, so a password cannot log in here\. Put your public key in ~\/\.ssh\/authorized_keys/);
    expect(await strict.log()).not.toMatch(/password/i);
    await w.close();
    await strict.stop();
  });

  it('MaxAuthTries 2 and an agent with five keys: too many authentication failures', async () => {
    const tight = await startSshd({ extraConfig: ['MaxAuthTries 2'] });
    const agent = await startAgent();
    const dir = await tempDir('warren-agent-keys-');
    for (let i = 0; i < 5; i++) await agent.add(await makeKey(dir, { name: `k${i}` }));
    const w = await doctorWarren({ agentSocket: agent.sock });
    await trust(w, tight);
    const host = await addHost(w, tight, { auth: 'agent' });
    const { step } = await diagnose(w, { hostId: host.id });
    const auth = step('auth');
    expect(auth.status).toBe('fail');
    expect(auth.detail).toBe('The server cut the connection after 2 refused attempts: "Too many authentication failures".');
    expect(auth.attempts?.map((a) => a.result)).toEqual(['refused', 'refused', 'not-tried', 'not-tried', 'not-tried']);
    expect(auth.attempts?.[0]?.label).toMatch(/^agent key ssh-ed25519 SHA256:\S+ \(warren-test-k0\)$/);
    expect(auth.advice).toMatch(/MaxAuthTries/);
    expect(auth.advice).toMatch(/fail2ban/);
    expect(auth.advice).toMatch(/IdentitiesOnly yes.*IdentityFile/);
    await w.close();
    await agent.stop();
    await tight.stop();
  });

  it('an account the server does not allow (AllowUsers): the account-name advice', async () => {
    const w = await doctorWarren();
    await trust(w, sshd);
    const { step } = await diagnose(w, { quick: { hostname: '127.0.0.1', port: sshd.port, user: 'root' } }, { password: 'not-roots-password' });
    expect(step('auth').status).toBe('fail');
    expect(step('auth').attempts).toEqual([{ label: 'password (given)', result: 'refused', note: null }]);
    expect(step('account').status).toBe('warn');
    expect(step('account').detail).toMatch(/"root" may not be the right account.*AllowUsers/);
    for (const name of ['ubuntu', 'ec2-user', 'debian', 'admin']) expect(step('account').advice).toContain(name);
    await w.close();
  });

  it('a key file with mode 0644: reported, fixed to 0600 through the contract, then every step passes', async () => {
    const key = await makeKey(await tempDir('warren-keys-'));
    await sshd.authorize(key.pub);
    await chmod(key.path, 0o644);
    const w = await doctorWarren();
    await trust(w, sshd);
    const host = await addHost(w, sshd, { auth: 'key', identityFile: key.path });
    const first = await diagnose(w, { hostId: host.id });
    expect(first.step('auth').status).toBe('pass');
    expect(first.step('keyfiles')).toMatchObject({ status: 'fail', fixable: [key.path] });
    expect(first.step('keyfiles').detail).toMatch(/has mode 0644: other users have access to it\. OpenSSH refuses such a key/);
    expect(first.step('keyfiles').advice).toContain(`chmod 600 ${key.path}`);
    await expect(w.client.call('doctor.fixKeyPermissions', { path: '/etc/passwd' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await w.client.call('doctor.fixKeyPermissions', { path: key.path })).toEqual({ path: key.path, mode: '0600' });
    expect((await stat(key.path)).mode & 0o777).toBe(0o600);
    const again = await diagnose(w, { hostId: host.id });
    expect(again.step('keyfiles').status).toBe('pass');
    expect(again.report.ok).toBe(true);
    await w.close();
  });

  it('an encrypted key without a saved passphrase: the server would take it, Warren cannot sign', async () => {
    const key = await makeKey(await tempDir('warren-keys-'), { passphrase: 'secret words' });
    await sshd.authorize(key.pub);
    const w = await doctorWarren();
    await trust(w, sshd);
    const host = await addHost(w, sshd, { auth: 'key', identityFile: key.path });
    const { step } = await diagnose(w, { hostId: host.id });
    expect(step('auth').status).toBe('warn');
    expect(step('auth').attempts).toEqual([
      {
        label: `key ${key.path} (ssh-ed25519 ${key.fingerprint})`,
        result: 'failed',
        note: 'the server accepts this key, but it is encrypted and no passphrase is saved for this host',
      },
    ]);
    expect(step('auth').advice).toMatch(/Save the key\u2019s passphrase/);
    await w.close();
  });

  it('a server whose only MAC ssh2 lacks (UMAC, with a non-AEAD cipher): both lists named', async () => {
    const umac = await startSshd({ extraConfig: ['Ciphers aes128-ctr', 'MACs umac-128-etm@openssh.com'] });
    const w = await doctorWarren();
    const { step } = await diagnose(w, { quick: { hostname: '127.0.0.1', port: umac.port, user: TEST_USER } });
    const kex = step('kex');
    expect(kex.status).toBe('fail');
    expect(kex.algorithms?.category).toMatch(/MAC/);
    expect(kex.algorithms?.server).toContain('umac-128-etm@openssh.com');
    expect(kex.algorithms?.warren).toContain('hmac-sha2-256-etm@openssh.com');
    expect(kex.detail).toMatch(/no C->S MAC in common\. The server offers: umac-128-etm@openssh\.com\. Warren \(ssh2\) offers: .*hmac-sha2-256/);
    expect(kex.advice).toMatch(/MACs umac-128-etm@openssh\.com,hmac/);
    expect(step('hostkey').status).toBe('skip');
    await w.close();
    await umac.stop();
  });

  it('advice fits the server software the banner names: no sshd_config for Dropbear or TinySSH', async () => {
    const w = await doctorWarren();
    for (const [ident, advice] of [
      ['dropbear_2022.83', /runs Dropbear, whose algorithms are chosen when it is built \(localoptions\.h\)/],
      ['tinysshd', /runs TinySSH, which has a fixed, small set of algorithms/],
      ['OpenSSH_9.2p1', /`KexAlgorithms` in \/etc\/ssh\/sshd_config \(for example `KexAlgorithms diffie-hellman-group1-sha1,/],
    ] as const) {
      // a server offering only a key exchange Warren does not offer (ssh2 implements it, as weak)
      const server = await startHostileServer({ ident, algorithms: { kex: ['diffie-hellman-group1-sha1'] } });
      const { step } = await diagnose(w, { quick: { hostname: '127.0.0.1', port: server.port, user: 'alice' } });
      expect(step('banner').status).toBe('pass');
      expect(step('kex').status).toBe('fail');
      expect(step('kex').advice).toMatch(advice);
      if (ident !== 'OpenSSH_9.2p1') expect(step('kex').advice).not.toMatch(/sshd_config/);
      await server.close();
    }
    await w.close();
  });

  it('a ProxyCommand hop: checked through the command, whose failure is told with what it said', async () => {
    const w = await doctorWarren();
    await trust(w, sshd);
    const good = await addHost(w, sshd, { name: 'via-nc', auth: 'password', password: TEST_PASSWORD, proxyCommand: 'nc %h %p' });
    expect(statuses((await diagnose(w, { hostId: good.id })).report)).toEqual([
      'proxy:pass',
      'banner:pass',
      'kex:pass',
      'hostkey:pass',
      'methods:pass',
      'auth:pass',
    ]);
    const bad = await addHost(w, sshd, { name: 'bad-proxy', proxyCommand: "sh -c 'echo no tunnel to %h >&2; exit 3'" });
    const { step } = await diagnose(w, { hostId: bad.id });
    expect(step('banner').status).toBe('fail');
    expect(step('banner').detail).toMatch(/exited with status 3 before the SSH login finished\. It said: no tunnel to 127\.0\.0\.1/);
    await w.close();
  });

  it('a jump chain with a broken middle hop: that hop is named, the target skipped', async () => {
    const [b1, b2, target] = await Promise.all([startSshd(), startSshd(), startSshd()]);
    const w = await doctorWarren();
    for (const s of [b1, b2, target]) await trust(w, s);
    const add = (name: string, s: Sshd, jump?: string) =>
      w.client.call('hosts.create', {
        name,
        groupId: null,
        hostname: '127.0.0.1',
        port: s.port,
        user: TEST_USER,
        auth: 'password',
        password: TEST_PASSWORD,
        ...(jump ? { jump } : {}),
      });
    await add('bastion1', b1);
    await add('bastion2', b2);
    const host = await add('target', target, 'bastion1,bastion2');
    await b2.stop();
    const { report, step } = await diagnose(w, { hostId: host.id });
    expect(report.steps.filter((s) => s.hop === 'bastion1').every((s) => s.status === 'pass')).toBe(true);
    expect(step('tcp', 'bastion2')).toMatchObject({ status: 'fail', title: `Channel from bastion1 to 127.0.0.1:${b2.port}` });
    expect(step('tcp', 'bastion2').detail).toMatch(/^bastion1 could not open a connection to 127\.0\.0\.1:\d+: Connection refused/);
    expect(step('tcp', 'bastion2').advice).toMatch(/Nothing listens on .* as bastion1 sees it/);
    expect(report.steps.filter((s) => s.hop === 'target').map((s) => s.status)).toEqual(['skip']);
    expect(step('tcp', 'target').detail).toBe('Not checked: jump host bastion2 failed first.');
    expect(report.text).toMatch(/Result: 1 problem; the first: bastion2: Channel from bastion1/);
    await w.close();
    await Promise.all([b1.stop(), target.stop()]);
  });
});

describe('warren doctor', () => {
  const WARREN = path.resolve('bin/warren.js');
  let dataDir: string;
  let home: string;

  beforeAll(async () => {
    home = await tempDir('warren-cli-home-');
    const key = await makeKey(path.join(home, '.ssh'), { name: 'id_ed25519' });
    await sshd.authorize(key.pub);
    const w = await startWarren({ home });
    await trust(w, sshd);
    await w.client.call('hosts.create', { name: 'box', groupId: null, hostname: '127.0.0.1', port: sshd.port, user: TEST_USER });
    await w.client.call('hosts.create', { name: 'closed', groupId: null, hostname: '127.0.0.1', port: await freePort(), user: TEST_USER });
    dataDir = w.dataDir;
    await w.close();
  });

  function warren(args: string[], prefix: string[] = []): Promise<{ code: number; stdout: string }> {
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
    delete env.SSH_AUTH_SOCK;
    const [cmd, ...rest] = [...prefix, process.execPath, WARREN, '--data-dir', dataDir, ...args];
    return new Promise((resolve) => {
      const child = spawn(cmd!, rest, { env, stdio: ['ignore', 'pipe', 'inherit'] });
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.on('close', (code) => resolve({ code: code ?? -1, stdout }));
    });
  }

  it('exits 0 when every step passes, and not otherwise', async () => {
    const ok = await warren(['doctor', 'box']);
    expect(ok.stdout).toMatch(/^box\n {2}PASS {2}Resolve 127\.0\.0\.1 \(\d+ ms\)\n/);
    expect(ok.stdout).toMatch(/PASS {2}Log in as warren-test \(\d+ ms\)\n {8}Logged in as warren-test with key .*id_ed25519/);
    expect(ok.stdout).toMatch(/PASS {2}Key file permissions/);
    expect(ok.stdout).toMatch(/Result: every check passed\n$/);
    expect(ok.code).toBe(0);
    // --json: the same run as one document, exit 0 as well
    const json = await warren(['doctor', 'box', '--json']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as { ok: boolean; steps: { id: string; status: string; title: string }[] };
    expect(report.ok).toBe(true);
    expect(report.steps.map((s) => s.status)).toEqual(report.steps.map(() => 'pass'));
    expect(report.steps.find((s) => s.id === 'auth')?.title).toBe(`Log in as ${TEST_USER}`);
    const closed = await warren(['doctor', 'closed']);
    expect(closed.stdout).toMatch(/FAIL {2}TCP connection to 127\.0\.0\.1:\d+ .*\n.*refused the connection/);
    expect(closed.code).toBe(1);
  });

  it('a TCP timeout, made in a network namespace of its own with a DROP rule on 127.0.0.1:22', async () => {
    const ns = `warren-doctor-${process.pid}`;
    execFileSync('ip', ['netns', 'add', ns]);
    try {
      execFileSync('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
      execFileSync('ip', ['netns', 'exec', ns, 'iptables', '-A', 'INPUT', '-p', 'tcp', '-d', '127.0.0.1', '--dport', '22', '-j', 'DROP']);
      const r = await warren(['doctor', `${TEST_USER}@127.0.0.1`, '--timeout', '1.5'], ['ip', 'netns', 'exec', ns]);
      expect(r.stdout).toMatch(
        /FAIL {2}TCP connection to 127\.0\.0\.1:22 \(\d+ ms\)\n {8}127\.0\.0\.1:22 did not answer within 1\.5 s: the connection timed out\./,
      );
      expect(r.stdout).toMatch(/What to do: A firewall or cloud security group drops the packets .*instance is stopped/);
      expect(r.code).toBe(1);
    } finally {
      execFileSync('ip', ['netns', 'del', ns]);
    }
  });
});
