// Jump chains and ProxyCommand against three real sshd instances. Warren (root) is blocked by an
// iptables owner rule from reaching bastion2 and the target directly, so a session that works at all
// went through the chain.
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WarrenError } from '../../shared/errors.js';
import { cleanupAll, ensureTestUser, makeKey, startSshd, tempDir, TEST_PASSWORD, TEST_USER, type Sshd } from '../harness/ssh.js';
import { answerAsUser, openTerminal, savePasswordHost, startWarren, type TestWarren } from '../harness/warren.js';

let b1: Sshd;
let b2: Sshd;
let target: Sshd;
let web: http.Server;
let webPort: number;
const rules: string[][] = [];

const ruleFor = (port: number) => [
  'OUTPUT',
  '-o',
  'lo',
  '-p',
  'tcp',
  '--dport',
  String(port),
  '-m',
  'owner',
  '--uid-owner',
  '0',
  '-j',
  'REJECT',
  '--reject-with',
  'tcp-reset',
];

/** root (Warren) may not reach this port; sshd's per-user children (the hops) still may */
function blockRoot(port: number): void {
  execFileSync('iptables', ['-A', ...ruleFor(port)]);
  rules.push(ruleFor(port));
}

/** restarts a blocked sshd (the harness, as root, checks that it accepts TCP) and blocks it again */
async function restartBlocked(s: Sshd): Promise<void> {
  execFileSync('iptables', ['-D', ...ruleFor(s.port)]);
  try {
    await s.restart();
  } finally {
    execFileSync('iptables', ['-A', ...ruleFor(s.port)]);
  }
}

beforeAll(async () => {
  await ensureTestUser();
  [b1, b2, target] = await Promise.all([startSshd(), startSshd(), startSshd()]);
  blockRoot(b2.port);
  blockRoot(target.port);
  web = http.createServer((_q, s) => s.end('through the chain'));
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
  webPort = (web.address() as AddressInfo).port;
});
afterAll(async () => {
  for (const r of rules) execFileSync('iptables', ['-D', ...r]);
  web.close();
  await cleanupAll();
});

async function chainWarren(): Promise<TestWarren> {
  const w = await startWarren({ backoff: { baseMs: 200, capMs: 1000 } });
  answerAsUser(w);
  const add = (name: string, port: number, jump?: string) => savePasswordHost(w, { name, port, ...(jump ? { jump } : {}) });
  await add('bastion1', b1.port);
  await add('bastion2', b2.port);
  await add('target', target.port, 'bastion1,bastion2');
  return w;
}

const hostId = async (w: TestWarren, name: string) => (await w.client.call('tree.get', {})).hosts.find((h) => h.name === name)!.id;

describe('jump chains', () => {
  it('the direct route is really blocked for Warren', async () => {
    const w = await chainWarren();
    const e = await openTerminal(w, { quick: { hostname: '127.0.0.1', port: target.port, user: TEST_USER } }).opened.catch((x: unknown) => x);
    expect((e as WarrenError).code).toBe('TCP_REFUSED');
    await w.close();
  });

  it('a terminal, a second terminal, a tunnel and SFTP ride bastion1 → bastion2 → target, one login per hop', async () => {
    const w = await chainWarren();
    const before = await Promise.all([b1, b2, target].map((s) => s.acceptedLogins()));
    const id = await hostId(w, 'target');
    const t = openTerminal(w, { hostId: id });
    await t.type('echo hops-$((1+2)); echo $SSH_CONNECTION\n');
    await t.waitFor(/hops-3/);
    const hostkeys = w.asked.filter((p) => p.kind === 'hostkey').map((p) => (p.kind === 'hostkey' ? p.port : 0));
    expect(hostkeys).toEqual([b1.port, b2.port, target.port]);

    const list = await w.client.call('connections.list', {});
    expect(list.map((c) => c.label).sort()).toEqual(['bastion1', 'bastion2', 'target']);

    const t2 = openTerminal(w, { hostId: id });
    expect((await t2.opened).reused).toBe(true);
    const { port } = await w.client.call('tunnels.freePort', { bindAddress: '127.0.0.1' });
    const tunnel = await w.client.call('tunnels.create', { name: 'web', hostId: id, kind: 'local', bindPort: port, destHost: '127.0.0.1', destPort: webPort });
    const up = await w.client.call('tunnels.start', { id: tunnel.id });
    expect(up.state).toBe('up');
    expect(await (await fetch(`http://127.0.0.1:${up.boundPort}/`)).text()).toBe('through the chain');

    const after = await Promise.all([b1, b2, target].map((s) => s.acceptedLogins()));
    expect(after.map((n, i) => n - before[i]!)).toEqual([1, 1, 1]);
    t.close();
    t2.close();
    await w.client.call('tunnels.stop', { id: tunnel.id });
    await expect.poll(async () => (await w.client.call('connections.list', {})).length).toBe(0);
    // SFTP rides the chain too: the target's own files, through both hops
    const listing = await w.client.call('sftp.list', { target: { hostId: id }, path: target.dir });
    expect(listing.entries.map((e) => e.name)).toContain('sshd.pid');
    expect((await w.client.call('connections.list', {})).map((c) => c.label).sort()).toEqual(['bastion1', 'bastion2', 'target']);
    await w.close();
  });

  it('copy as ssh command spells the chain out as OpenSSH -J hops', async () => {
    const w = await chainWarren();
    const { command } = await w.client.call('hosts.command', { id: await hostId(w, 'target') });
    expect(command).toBe(
      `ssh -J ${TEST_USER}@127.0.0.1:${b1.port},${TEST_USER}@127.0.0.1:${b2.port} -p ${target.port} -o ServerAliveInterval=15 -o ServerAliveCountMax=3 ${TEST_USER}@127.0.0.1`,
    );
    await w.close();
  });

  it('a broken middle hop is named', async () => {
    const w = await chainWarren();
    await b2.stop();
    try {
      const e = (await openTerminal(w, { hostId: await hostId(w, 'target') }).opened.catch((x: unknown) => x)) as WarrenError;
      expect(e).toBeInstanceOf(WarrenError);
      expect(e.detail?.hop).toBe('bastion2');
      expect(e.message).toMatch(/^Jump host bastion2: .*refused the connection from jump host bastion1/);
      expect(e.code).toBe('TCP_REFUSED');
    } finally {
      await restartBlocked(b2);
      await w.close();
    }
  });

  it('a hop with the wrong password fails as that hop', async () => {
    const w = await chainWarren();
    await w.client.call('hosts.update', { id: await hostId(w, 'bastion2'), patch: { password: 'wrong' } });
    w.answer = (p) => (p.kind === 'hostkey' ? { accept: true } : p.kind === 'password' ? { value: 'still wrong' } : { value: 'vault-pass' });
    const e = (await openTerminal(w, { hostId: await hostId(w, 'target') }).opened.catch((x: unknown) => x)) as WarrenError;
    expect(e.code).toBe('AUTH_FAILED');
    expect(e.detail?.hop).toBe('bastion2');
    await w.close();
  });
});

describe('ProxyCommand', () => {
  it('with OpenSSH: ssh -W %h:%p through a bastion', async () => {
    const dir = await tempDir('warren-proxy-');
    const key = await makeKey(dir, { type: 'ed25519' });
    await b1.authorize(key.pub);
    const open = await startSshd();
    const w = await startWarren();
    w.answer = (p) => (p.kind === 'hostkey' ? { accept: true } : { value: 'vault-pass' });
    const proxyCommand = `ssh -i ${key.path} -o BatchMode=yes -o StrictHostKeyChecking=accept-new -o UserKnownHostsFile=${dir}/kh -p ${b1.port} ${TEST_USER}@127.0.0.1 -W %h:%p`;
    const h = await w.client.call('hosts.create', {
      name: 'p',
      groupId: null,
      hostname: '127.0.0.1',
      port: open.port,
      user: TEST_USER,
      auth: 'password',
      password: TEST_PASSWORD,
      proxyCommand,
    });
    const t = openTerminal(w, { hostId: h.id });
    await t.type('echo proxied-$((2*21))\n');
    await t.waitFor(/proxied-42/);
    expect(await b1.log()).toContain(`Accepted publickey for ${TEST_USER}`);
    t.close();
    await w.close();
    await open.stop();
  });

  it('with nc', async () => {
    const open = await startSshd();
    const w = await startWarren();
    w.answer = (p) => (p.kind === 'hostkey' ? { accept: true } : { value: 'vault-pass' });
    const h = await w.client.call('hosts.create', {
      name: 'n',
      groupId: null,
      hostname: '127.0.0.1',
      port: open.port,
      user: TEST_USER,
      auth: 'password',
      password: TEST_PASSWORD,
      proxyCommand: 'nc %h %p',
    });
    const t = openTerminal(w, { hostId: h.id });
    await t.type('echo nc-ok\n');
    await t.waitFor(/^nc-ok\r?$/m);
    t.close();
    await w.close();
    await open.stop();
  });

  it('a failing ProxyCommand says so, with its stderr', async () => {
    const w = await startWarren();
    const h = await w.client.call('hosts.create', {
      name: 'bad',
      groupId: null,
      hostname: 'example.invalid',
      port: 22,
      user: TEST_USER,
      proxyCommand: "sh -c 'echo no tunnel today for %h >&2; exit 3'",
    });
    const e = (await openTerminal(w, { hostId: h.id }).opened.catch((x: unknown) => x)) as WarrenError;
    expect(e.code).toBe('PROXY');
    expect(e.message).toMatch(/exited with status 3/);
    expect(e.message).toContain('no tunnel today for example.invalid');
    await w.close();
  });
});
