// Keys against real OpenSSH: generate and log in with each type, fingerprints as ssh-keygen prints
// them, import, passphrases (ssh-keygen -p), deploy to a user without ~/.ssh, rotation (and a rotation
// the server refuses), the agent (lifetime, confirm, remove), and user certificates from a CA (logins,
// and the doctor offering them as a login does).
import { execFile } from 'node:child_process';
import { appendFile, chmod, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Client } from 'ssh2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StreamParams } from '../../shared/contract.js';
import type { DoctorEvent } from '../../shared/doctor.js';
import type { WarrenError } from '../../shared/errors.js';
import type { KeyInfo, RotateEvent } from '../../shared/keys.js';
import { cleanupAll, ensureTestUser, makeKey, startAgent, startSshd, tempDir, TEST_PASSWORD, TEST_USER, type Sshd } from '../harness/ssh.js';
import { answerAsUser, startWarren, type TestWarren } from '../harness/warren.js';

const REMOTE_SSH = `/home/${TEST_USER}/.ssh`;
const PASS = 'correct horse battery';
/** the key types and sizes Warren generates */
const TYPES = [
  { type: 'ed25519', bits: 256 },
  { type: 'ecdsa', bits: 256 },
  { type: 'ecdsa', bits: 384 },
  { type: 'ecdsa', bits: 521 },
  { type: 'rsa', bits: 3072 },
] as const;

/** sshd with the standard ~/.ssh/authorized_keys (the harness default points into its fixture) */
let sshd: Sshd;
/** the harness default: keys go to its fixture file through sshd.authorize() */
let plain: Sshd;
let caDir: string;
let caSshd: Sshd;

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(cmd, args, { env, timeout: 20_000 }, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr })),
  );
}

beforeAll(async () => {
  await ensureTestUser();
  caDir = await tempDir('warren-ca-');
  expect((await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'warren test CA', '-f', path.join(caDir, 'ca')])).code).toBe(0);
  await chmod(path.join(caDir, 'ca.pub'), 0o644);
  [sshd, plain, caSshd] = await Promise.all([
    startSshd({ extraConfig: ['AuthorizedKeysFile .ssh/authorized_keys'] }),
    startSshd(),
    startSshd({ extraConfig: [`TrustedUserCAKeys ${path.join(caDir, 'ca.pub')}`] }),
  ]);
});
afterAll(cleanupAll);

async function warren(options: Parameters<typeof startWarren>[0] = {}): Promise<TestWarren> {
  const home = await tempDir('warren-home-');
  const w = await startWarren({ home, ...options });
  answerAsUser(w);
  return w;
}

const homeOf = (w: TestWarren) => w.services.keys.folders.ssh.replace(/\/\.ssh$/, '');

async function addHost(w: TestWarren, s: Sshd, fields: Record<string, unknown>) {
  return w.client.call('hosts.create', { name: `h${s.port}`, groupId: null, hostname: '127.0.0.1', port: s.port, user: TEST_USER, ...fields });
}

function exec(client: Client, command: string): Promise<string> {
  return new Promise((resolve, reject) =>
    client.exec(command, (err, ch) => {
      if (err) return reject(err);
      let out = '';
      ch.on('data', (d: Buffer) => (out += d.toString()));
      ch.stderr.resume();
      ch.on('close', () => resolve(out));
    }),
  );
}

/** a fresh login (the shared connection closed first) with the host's current settings; resolves with `whoami` */
async function login(w: TestWarren, hostId: string): Promise<string> {
  w.services.connections.closeAll();
  const lease = await w.services.connections.acquire(await w.services.endpointOf({ hostId }));
  try {
    return (await exec(lease.client, 'whoami')).trim();
  } finally {
    lease.release();
  }
}

/** OpenSSH's own client with this key alone (unencrypted keys only), no agent */
function ssh(s: Sshd, key: string, command = 'true') {
  const env = { ...process.env };
  delete env.SSH_AUTH_SOCK;
  return run(
    'ssh',
    [
      '-F',
      '/dev/null',
      '-i',
      key,
      '-o',
      'IdentitiesOnly=yes',
      '-o',
      'BatchMode=yes',
      '-o',
      'StrictHostKeyChecking=no',
      '-o',
      'UserKnownHostsFile=/dev/null',
      '-o',
      'LogLevel=ERROR',
      '-p',
      String(s.port),
      `${TEST_USER}@127.0.0.1`,
      command,
    ],
    env,
  );
}

async function failure(p: Promise<unknown>): Promise<WarrenError> {
  return p.then(
    () => Promise.reject(new Error('expected a failure')),
    (e: WarrenError) => e,
  );
}

const mode = async (p: string) => (await stat(p)).mode & 0o777;
const remoteKeys = () => readFile(`${REMOTE_SSH}/authorized_keys`, 'utf8');

describe('key manager', () => {
  it('generates each key type in OpenSSH format with a passphrase, as ssh-keygen -lf describes it, and never overwrites', async () => {
    const w = await warren();
    for (const t of TYPES) {
      const k = await w.client.call('keys.generate', {
        type: t.type,
        bits: t.bits,
        name: `id_${t.type}_${t.bits}`,
        comment: `gen-${t.type}`,
        passphrase: PASS,
      });
      expect(k.path).toBe(path.join(w.dataDir, 'keys', `id_${t.type}_${t.bits}`));
      expect(await readFile(k.path, 'utf8')).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----/);
      expect([await mode(k.path), await mode(`${k.path}.pub`)]).toEqual([0o600, 0o644]);
      // what ssh-keygen -lf prints, field by field: "3072 SHA256:… comment (RSA)"
      const lf = (await run('ssh-keygen', ['-lf', k.path])).stdout.trim();
      expect(lf).toBe(`${k.bits} ${k.fingerprint} ${k.comment} (${k.type})`);
      expect(k).toMatchObject({
        folder: 'warren',
        bits: t.bits,
        comment: `gen-${t.type}`,
        encrypted: true,
        hasPublicFile: true,
        certificate: null,
        problem: null,
      });
      // the passphrase is really on it
      expect((await run('ssh-keygen', ['-y', '-P', '', '-f', k.path])).code).not.toBe(0);
      expect((await run('ssh-keygen', ['-y', '-P', PASS, '-f', k.path])).stdout.trim()).toBe((await readFile(`${k.path}.pub`, 'utf8')).trim());
    }
    const first = await readFile(path.join(w.dataDir, 'keys', 'id_ed25519_256'), 'utf8');
    const conflict = await failure(w.client.call('keys.generate', { name: 'id_ed25519_256' }));
    expect(conflict.code).toBe('CONFLICT');
    expect(await readFile(path.join(w.dataDir, 'keys', 'id_ed25519_256'), 'utf8')).toBe(first);
    expect((await failure(w.client.call('keys.generate', { type: 'rsa', bits: 2048, name: 'weak' }))).code).toBe('BAD_REQUEST');
    expect((await failure(w.client.call('keys.generate', { name: 'short', passphrase: 'abcd' }))).code).toBe('BAD_REQUEST'); // ssh-keygen's minimum: 5

    // ~/.ssh is listed too, including keys ssh-keygen made, without a passphrase
    const made = await makeKey(path.join(homeOf(w), '.ssh'), { type: 'ecdsa' });
    const list = await w.client.call('keys.list', {});
    expect(list.map((k) => [k.folder, k.name])).toEqual([...TYPES.map((t) => ['warren', `id_${t.type}_${t.bits}`]).sort(), ['ssh', 'id_ecdsa']]);
    expect(list.at(-1)).toMatchObject({ fingerprint: made.fingerprint, encrypted: false, type: 'ECDSA', bits: 256, comment: 'warren-test-id_ecdsa' });
    await w.close();
  }, 60_000);

  it('logs in with each generated key type (passphrase saved for the host)', async () => {
    const w = await warren();
    for (const t of TYPES) {
      const k = await w.client.call('keys.generate', { type: t.type, bits: t.bits, name: `login_${t.type}_${t.bits}`, passphrase: PASS });
      await plain.authorize((await w.client.call('keys.publicKey', { path: k.path })).line);
      const h = await addHost(w, plain, { name: `login ${t.type} ${t.bits}`, auth: 'key', identityFile: k.path, passphrase: PASS });
      expect(await login(w, h.id)).toBe(TEST_USER);
      expect(
        (await plain.log()).match(new RegExp(`Accepted publickey for ${TEST_USER} .* ${k.type} ${k.fingerprint!.replace(/[+/]/g, '\\$&')}`)),
      ).not.toBeNull();
    }
    expect(w.asked.filter((p) => p.kind === 'passphrase')).toEqual([]);
    await w.close();
  }, 60_000);

  it('imports a key into its folder (0600, with .pub and -cert.pub), refuses a second import and non-keys', async () => {
    const w = await warren();
    const src = await tempDir('warren-import-');
    const made = await makeKey(src, { type: 'ed25519', passphrase: PASS, name: 'work key' });
    await writeFile(`${made.path}-cert.pub`, 'not a certificate\n');
    await chmod(made.path, 0o644);
    const bad = await failure(w.client.call('keys.import', { path: made.path }));
    expect(bad.code).toBe('BAD_REQUEST'); // "work key" has a space: it needs a name
    const k = await w.client.call('keys.import', { path: made.path, name: 'work' });
    expect(k).toMatchObject({ folder: 'warren', name: 'work', fingerprint: made.fingerprint, encrypted: true, hasPublicFile: true });
    expect(k.problem).toMatch(/work-cert\.pub/);
    expect([await mode(k.path), await mode(`${k.path}.pub`)]).toEqual([0o600, 0o644]);
    expect(await readFile(k.path, 'utf8')).toBe(await readFile(made.path, 'utf8'));
    expect((await failure(w.client.call('keys.import', { path: made.path, name: 'work' }))).code).toBe('CONFLICT');
    await writeFile(path.join(src, 'notes.txt'), 'hello\n');
    expect((await failure(w.client.call('keys.import', { path: path.join(src, 'notes.txt') }))).code).toBe('KEY_FILE');

    // an encrypted PEM key without .pub: the passphrase derives its public key
    const pem = path.join(src, 'legacy');
    expect((await run('ssh-keygen', ['-q', '-t', 'rsa', '-b', '3072', '-m', 'PEM', '-N', PASS, '-f', pem])).code).toBe(0);
    const fp = (await run('ssh-keygen', ['-lf', `${pem}.pub`])).stdout.split(' ')[1];
    await rm(`${pem}.pub`);
    expect((await failure(w.client.call('keys.import', { path: pem }))).detail).toMatchObject({ needsPassphrase: true });
    const legacy = await w.client.call('keys.import', { path: pem, passphrase: PASS });
    expect(legacy).toMatchObject({ fingerprint: fp, type: 'RSA', bits: 3072, encrypted: true });
    await w.close();
  });

  it('changes a passphrase with ssh-keygen -p, and the host that saved the old one gets the new one', async () => {
    const w = await warren();
    const k = await w.client.call('keys.generate', { name: 'pp', passphrase: PASS });
    await plain.authorize((await w.client.call('keys.publicKey', { path: k.path })).line);
    const h = await addHost(w, plain, { name: 'pp host', auth: 'key', identityFile: k.path, passphrase: PASS });
    expect((await failure(w.client.call('keys.changePassphrase', { path: k.path, oldPassphrase: 'wrong', newPassphrase: 'new one' }))).message).toMatch(
      /wrong/,
    );
    expect((await failure(w.client.call('keys.changePassphrase', { path: k.path, newPassphrase: 'new one' }))).detail).toMatchObject({ needsPassphrase: true });
    const changed = await w.client.call('keys.changePassphrase', { path: k.path, oldPassphrase: PASS, newPassphrase: 'new one' });
    expect(changed.fingerprint).toBe(k.fingerprint);
    expect((await run('ssh-keygen', ['-y', '-P', PASS, '-f', k.path])).code).not.toBe(0);
    expect((await run('ssh-keygen', ['-y', '-P', 'new one', '-f', k.path])).code).toBe(0);
    expect(await login(w, h.id)).toBe(TEST_USER);
    expect(w.asked.filter((p) => p.kind === 'passphrase')).toEqual([]);
    // an empty new passphrase removes it
    expect((await w.client.call('keys.changePassphrase', { path: k.path, oldPassphrase: 'new one', newPassphrase: '' })).encrypted).toBe(false);
    await w.close();
  });

  it('copies the public key line, and refuses key paths outside ~/.ssh and its key folder', async () => {
    const w = await warren();
    const k = await w.client.call('keys.generate', { name: 'copy', comment: 'me@laptop' });
    expect((await w.client.call('keys.publicKey', { path: k.path })).line).toBe((await readFile(`${k.path}.pub`, 'utf8')).trim());
    await rm(`${k.path}.pub`);
    expect((await w.client.call('keys.publicKey', { path: k.path })).line).toMatch(/^ssh-ed25519 \S+ me@laptop$/);
    for (const p of ['/etc/passwd', path.join(w.dataDir, 'keys', '..', 'settings.json'), '~/../../etc/shadow']) {
      expect((await failure(w.client.call('keys.publicKey', { path: p }))).code).toBe('BAD_REQUEST');
    }
    await w.close();
  });
});

describe('deploy and rotate (remote ~/.ssh/authorized_keys)', () => {
  beforeEach(() => rm(REMOTE_SSH, { recursive: true, force: true }));

  it('deploys to a user without ~/.ssh: 0700 and 0600, proven by a fresh login; twice gives one line', async () => {
    const w = await warren();
    const h = await addHost(w, sshd, { auth: 'password', password: TEST_PASSWORD });
    const k = await w.client.call('keys.generate', { name: 'deploy', passphrase: PASS });
    const r = await w.client.call('keys.deploy', { target: { hostId: h.id }, path: k.path, passphrase: PASS });
    expect(r).toEqual({
      line: (await w.client.call('keys.publicKey', { path: k.path })).line,
      file: `${REMOTE_SSH}/authorized_keys`,
      added: true,
      warnings: [],
      login: { ok: true },
    });
    expect([await mode(REMOTE_SSH), await mode(`${REMOTE_SSH}/authorized_keys`)]).toEqual([0o700, 0o600]);
    const uid = Number((await run('id', ['-u', TEST_USER])).stdout);
    expect((await stat(`${REMOTE_SSH}/authorized_keys`)).uid).toBe(uid);
    // the proof was a login of its own, with that key
    expect(await sshd.log()).toContain(`Accepted publickey for ${TEST_USER}`);
    expect(await sshd.log()).toContain(k.fingerprint);

    const again = await w.client.call('keys.deploy', { target: { hostId: h.id }, path: k.path, passphrase: PASS });
    expect(again).toMatchObject({ added: false, login: { ok: true } });
    expect((await remoteKeys()).split('\n').filter((l) => l.includes(r.line.split(' ')[1]!))).toHaveLength(1);
    // the host now logs in with the key alone
    await w.client.call('hosts.update', { id: h.id, patch: { auth: 'key', identityFile: k.path, passphrase: PASS, password: null } });
    expect(await login(w, h.id)).toBe(TEST_USER);
    await w.close();
  });

  it('deploys with options sshd honours; a from= that excludes us fails the proof and says so', async () => {
    const w = await warren();
    const h = await addHost(w, sshd, { auth: 'password', password: TEST_PASSWORD });
    const forced = await w.client.call('keys.generate', { name: 'forced', folder: 'ssh' });
    const r = await w.client.call('keys.deploy', {
      target: { hostId: h.id },
      path: forced.path,
      options: { command: 'echo "forced \\o/"', noPortForwarding: true, noPty: true },
    });
    expect(r.line).toMatch(/^command="echo \\"forced \\\\o\/\\"",no-port-forwarding,no-pty ssh-ed25519 /);
    expect(r.login).toEqual({ ok: true });
    const viaOpenSsh = await ssh(sshd, forced.path, 'whoami');
    expect(viaOpenSsh.stdout.trim()).toBe('forced \\o/');

    const fenced = await w.client.call('keys.generate', { name: 'fenced' });
    const denied = await w.client.call('keys.deploy', { target: { hostId: h.id }, path: fenced.path, options: { from: '10.9.9.9' } });
    expect(denied.added).toBe(true);
    expect(denied.login).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED' } });
    await w.close();
  });

  it('deploys through a jump host, and proves the key through it too', async () => {
    const w = await warren();
    await addHost(w, plain, { name: 'bastion', auth: 'password', password: TEST_PASSWORD });
    const target = await addHost(w, sshd, { name: 'behind', auth: 'password', password: TEST_PASSWORD, jump: 'bastion' });
    const k = await w.client.call('keys.generate', { name: 'hopped' });
    const before = await plain.acceptedLogins();
    expect(await w.client.call('keys.deploy', { target: { hostId: target.id }, path: k.path })).toMatchObject({ added: true, login: { ok: true } });
    expect(await plain.acceptedLogins()).toBe(before + 1); // one bastion login, shared by the edit and the proof
    expect(await remoteKeys()).toContain((await readFile(`${k.path}.pub`, 'utf8')).split(' ')[1]);
    await w.close();
  });

  it('rotates a key end to end: new key deployed with the old line\u2019s options, tested, switched, old line removed', async () => {
    const w = await warren();
    const old = await w.client.call('keys.generate', { name: 'old' });
    const bootstrap = await addHost(w, sshd, { name: 'bootstrap', auth: 'password', password: TEST_PASSWORD });
    await w.client.call('keys.deploy', { target: { hostId: bootstrap.id }, path: old.path, options: { noAgentForwarding: true } });
    await writeFile(`${REMOTE_SSH}/authorized_keys`, `# keep this comment\n${await remoteKeys()}`);
    const h = await addHost(w, sshd, { name: 'prod web', auth: 'key', identityFile: old.path });
    expect(await login(w, h.id)).toBe(TEST_USER);

    const events = await rotate(w, { hostId: h.id, type: 'ecdsa', bits: 384, passphrase: PASS });
    const done = events.at(-1) as Extract<RotateEvent, { type: 'done' }>;
    expect(done).toMatchObject({ type: 'done', ok: true });
    expect(steps(events)).toEqual(['generate:done', 'deploy:done', 'test:done', 'switch:done', 'remove-old:done']);
    const fresh = done.key!;
    expect(fresh).toMatchObject({ folder: 'warren', type: 'ECDSA', bits: 384, encrypted: true });
    expect(fresh.name).toMatch(/^prod-web_ecdsa_\d{8}$/);

    const text = await remoteKeys();
    expect(text).toContain('# keep this comment');
    expect(text).not.toContain((await readFile(`${old.path}.pub`, 'utf8')).split(' ')[1]);
    const freshBlob = (await readFile(`${fresh.path}.pub`, 'utf8')).split(' ')[1]!;
    const newLine = text.split('\n').find((l) => l.includes(freshBlob));
    expect(newLine).toMatch(/^no-agent-forwarding ecdsa-sha2-nistp384 /);
    expect(w.services.hosts.host(h.id)).toMatchObject({ identityFile: fresh.path, hasPassphrase: true });
    expect(await login(w, h.id)).toBe(TEST_USER);
    expect((await ssh(sshd, old.path)).code).not.toBe(0); // the old key no longer gets in
    await w.close();
  });

  it('a rotation the server refuses stops safely: the old key keeps working and nothing is left behind', async () => {
    const strict = await startSshd({ extraConfig: ['AuthorizedKeysFile .ssh/authorized_keys', 'PubkeyAcceptedAlgorithms ssh-ed25519'] });
    const w = await warren();
    const old = await w.client.call('keys.generate', { name: 'old-ed' });
    const bootstrap = await addHost(w, strict, { name: 'bootstrap', auth: 'password', password: TEST_PASSWORD });
    await w.client.call('keys.deploy', { target: { hostId: bootstrap.id }, path: old.path });
    const before = await remoteKeys();
    const h = await addHost(w, strict, { name: 'strict', auth: 'key', identityFile: old.path });

    const events = await rotate(w, { hostId: h.id, type: 'rsa' });
    expect(steps(events)).toEqual(['generate:done', 'deploy:done', 'test:failed']);
    const failed = events.find((e) => e.type === 'step' && e.step.status === 'failed') as Extract<RotateEvent, { type: 'step' }>;
    expect(failed.step.error?.code).toBe('AUTH_FAILED');
    const done = events.at(-1) as Extract<RotateEvent, { type: 'done' }>;
    expect(done.ok).toBe(false);
    expect(done.message).toMatch(/still uses its old key.*taken out of authorized_keys again/);
    expect(await remoteKeys()).toBe(before);
    expect(w.services.hosts.host(h.id).identityFile).toBe(old.path);
    expect(await login(w, h.id)).toBe(TEST_USER);
    await w.close();
    await strict.stop();
  });
});

function rotate(w: TestWarren, params: StreamParams<'keys.rotate'>): Promise<RotateEvent[]> {
  const events: RotateEvent[] = [];
  return new Promise((resolve, reject) =>
    w.client.subscribe('keys.rotate', params, { onEvent: (e) => events.push(e), onEnd: (err) => (err ? reject(err) : resolve(events)) }),
  );
}

/** the final status of each step, in order */
const steps = (events: RotateEvent[]) => events.flatMap((e) => (e.type === 'step' && e.step.status !== 'running' ? [`${e.step.id}:${e.step.status}`] : []));

describe('agent', () => {
  it('lists, adds with a lifetime (gone after it, as ssh-add -t), removes one and all', async () => {
    const agent = await startAgent();
    const w = await warren({ agentSocket: agent.sock });
    const a = await w.client.call('keys.generate', { name: 'a', passphrase: PASS });
    const b = await w.client.call('keys.generate', { name: 'b', type: 'rsa' });
    const c = await w.client.call('keys.generate', { name: 'c', type: 'ecdsa', bits: 521 });
    expect((await failure(w.client.call('agent.add', { path: a.path }))).detail).toMatchObject({ needsPassphrase: true });
    const added = await w.client.call('agent.add', { path: a.path, passphrase: PASS, lifetimeSeconds: 2 });
    expect(added.added.map((i) => i.fingerprint)).toEqual([a.fingerprint]);
    await w.client.call('agent.add', { path: b.path });
    await w.client.call('agent.add', { path: c.path });
    const listed = await w.client.call('agent.list', {});
    expect(listed.socket).toBe(agent.sock);
    expect(listed.identities.map((i) => [i.type, i.bits, i.fingerprint])).toEqual([a, b, c].map((k) => [k.type, k.bits, k.fingerprint]));
    // OpenSSH's view of the same agent
    const openssh = await agent.list();
    for (const k of [a, b, c]) expect(openssh).toContain(k.fingerprint);
    await expect.poll(async () => (await w.client.call('agent.list', {})).identities.length, { timeout: 6000, interval: 250 }).toBe(2);
    expect(await agent.list()).not.toContain(a.fingerprint);

    await w.client.call('agent.remove', { fingerprint: b.fingerprint! });
    expect((await w.client.call('agent.list', {})).identities.map((i) => i.fingerprint)).toEqual([c.fingerprint]);
    expect((await failure(w.client.call('agent.remove', { fingerprint: b.fingerprint! }))).code).toBe('NOT_FOUND');
    await w.client.call('agent.removeAll', {});
    expect((await w.client.call('agent.list', {})).identities).toEqual([]);

    // the keys Warren added sign for logins (the agent is Warren's ssh2 login agent too; RSA signs with SHA-2)
    await w.client.call('agent.add', { path: b.path });
    await plain.authorize((await w.client.call('keys.publicKey', { path: b.path })).line);
    const h = await addHost(w, plain, { name: 'via agent', auth: 'agent' });
    expect(await login(w, h.id)).toBe(TEST_USER);
    await w.close();
  });

  it('confirm (ssh-add -c): the agent asks before each signature, and a denial fails the login', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { SSH_ASKPASS: '/bin/false', SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':0' }); // the agent's "ask" says no
    const agent = await startAgent().finally(() => {
      for (const k of ['SSH_ASKPASS', 'SSH_ASKPASS_REQUIRE', 'DISPLAY'])
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
    });
    const w = await warren({ agentSocket: agent.sock });
    const k = await w.client.call('keys.generate', { name: 'confirm' });
    await plain.authorize((await w.client.call('keys.publicKey', { path: k.path })).line);
    const h = await addHost(w, plain, { name: 'confirm', auth: 'agent' });
    await w.client.call('agent.add', { path: k.path, confirm: true });
    const denied = await failure(login(w, h.id));
    expect(denied.code).toBe('AUTH_FAILED');
    expect(denied.message).toMatch(/ssh-agent: The ssh-agent refused to sign \(for a key added with confirmation: the request was denied\)/);
    await w.client.call('agent.removeAll', {});
    await w.client.call('agent.add', { path: k.path });
    expect(await login(w, h.id)).toBe(TEST_USER);
    await w.close();
  });

  it('says clearly when no agent runs, and how to start one', async () => {
    const none = await warren({ agentSocket: undefined });
    const e = await failure(none.client.call('agent.list', {}));
    expect(e.code).toBe('AGENT');
    expect(e.message).toMatch(/No ssh-agent is running.*eval "\$\(ssh-agent -s\)"/);
    await none.close();
    const stale = await warren({ agentSocket: path.join(await tempDir('warren-gone-'), 'agent.sock') });
    const e2 = await failure(stale.client.call('agent.list', {}));
    expect(e2).toMatchObject({ code: 'AGENT' });
    expect(e2.message).toMatch(/No ssh-agent answers at .*ENOENT/);
    await stale.close();
  });
});

describe('OpenSSH user certificates', () => {
  const sign = async (pub: string, validity: string, id = 'warren-test-cert') => {
    const r = await run('ssh-keygen', ['-q', '-s', path.join(caDir, 'ca'), '-I', id, '-n', `${TEST_USER},deploy`, '-V', validity, pub]);
    expect(r.stderr).toBe('');
  };
  const caFingerprint = async () => (await run('ssh-keygen', ['-lf', path.join(caDir, 'ca.pub')])).stdout.split(' ')[1];

  it('a key with KEY-cert.pub logs in with the certificate (each key type); the list shows principals and validity', async () => {
    const w = await warren();
    for (const t of TYPES.filter((x) => x.bits !== 521)) {
      const k = await w.client.call('keys.generate', { type: t.type, bits: t.bits, name: `cert_${t.type}_${t.bits}`, passphrase: PASS });
      await sign(`${k.path}.pub`, '+1h', `id-${t.type}`);
      const info = (await w.client.call('keys.list', {})).find((x) => x.path === k.path) as KeyInfo;
      expect(info.problem).toBeNull();
      expect(info.certificate).toMatchObject({
        file: `${k.path}-cert.pub`,
        kind: 'user',
        keyId: `id-${t.type}`,
        principals: [TEST_USER, 'deploy'],
        caFingerprint: await caFingerprint(),
      });
      expect(info.certificate!.validBefore! - Date.now()).toBeGreaterThan(55 * 60_000);
      // the key is in no authorized_keys: only the certificate can get in
      const h = await addHost(w, caSshd, { name: `cert ${t.type}`, auth: 'key', identityFile: k.path, passphrase: PASS });
      expect(await login(w, h.id)).toBe(TEST_USER);
      expect(await caSshd.log()).toMatch(
        new RegExp(`Accepted publickey for ${TEST_USER} .* ${t.type === 'rsa' ? 'RSA' : t.type === 'ecdsa' ? 'ECDSA' : 'ED25519'}-CERT .*ID id-${t.type}`),
      );
    }
    await w.close();
  });

  it('an expired certificate is not offered, and the refusal says it expired', async () => {
    const w = await warren();
    const k = await w.client.call('keys.generate', { name: 'expired' });
    await sign(`${k.path}.pub`, '-2h:-1h');
    const h = await addHost(w, caSshd, { name: 'expired', auth: 'key', identityFile: k.path });
    const e = await failure(login(w, h.id));
    expect(e.code).toBe('AUTH_FAILED');
    expect(e.message).toMatch(/expired-cert\.pub: the certificate expired at \d{4}-\d\d-\d\dT[\d:]+Z; ask your CA to sign the key again/);
    await w.close();
  });

  it('the doctor offers the certificate beside a key before the key, as a login does, and reports the certificate login', async () => {
    const w = await warren();
    const k = await w.client.call('keys.generate', { name: 'doctorcert' });
    await sign(`${k.path}.pub`, '+1h', 'id-doctor');
    const h = await addHost(w, caSshd, { name: 'doctor cert', auth: 'key', identityFile: k.path });
    // the doctor never accepts a host key: trust the server's as "connect and accept" would have
    await appendFile(
      path.join(w.dataDir, 'known_hosts'),
      caSshd.hostKeys.map((hk) => `[127.0.0.1]:${caSshd.port} ${hk.pub.split(' ').slice(0, 2).join(' ')}\n`).join(''),
    );
    const events: DoctorEvent[] = [];
    await new Promise<void>((resolve, reject) =>
      w.client.subscribe('doctor.run', { target: { hostId: h.id } }, { onEvent: (e) => events.push(e), onEnd: (err) => (err ? reject(err) : resolve()) }),
    );
    const last = events.at(-1);
    if (last?.type !== 'report') throw new Error('the doctor ended without a report');
    const auth = last.report.steps.find((s) => s.id === 'auth');
    const cert = `certificate ${k.path}-cert.pub (ssh-ed25519-cert-v01@openssh.com)`;
    expect(auth).toMatchObject({ status: 'pass', detail: `Logged in as ${TEST_USER} with ${cert}.` });
    expect(auth?.attempts).toEqual([
      { label: cert, result: 'accepted', note: null },
      { label: `key ${k.path} (ssh-ed25519 ${k.fingerprint})`, result: 'not-tried', note: 'not needed' },
    ]);
    expect(last.report.ok).toBe(true);
    expect(await caSshd.log()).toMatch(new RegExp(`Accepted publickey for ${TEST_USER} .* ED25519-CERT .*ID id-doctor`));
    await w.close();
  });

  it('a certificate in the agent logs in, and the agent list shows it', async () => {
    const agent = await startAgent();
    const w = await warren({ agentSocket: agent.sock });
    const k = await w.client.call('keys.generate', { name: 'agentcert', type: 'ecdsa' });
    await sign(`${k.path}.pub`, '+1h');
    const added = await w.client.call('agent.add', { path: k.path, lifetimeSeconds: 600 });
    expect(added.added.map((i) => i.type)).toEqual(['ECDSA', 'ECDSA-CERT']);
    const listed = await w.client.call('agent.list', {});
    expect(listed.identities[1]).toMatchObject({
      fingerprint: k.fingerprint,
      certificate: { file: null, principals: [TEST_USER, 'deploy'], keyId: 'warren-test-cert' },
    });
    expect(await agent.list()).toMatch(/ECDSA-CERT/);
    const h = await addHost(w, caSshd, { name: 'agent cert', auth: 'agent' });
    expect(await login(w, h.id)).toBe(TEST_USER);
    expect(await caSshd.log()).toMatch(/Accepted publickey for warren-test .* ECDSA-CERT .*ID warren-test-cert/);
    await w.close();
  });
});
