// Servers nobody here wrote (issue 16): Dropbear and TinySSH, started by the harness like sshd, with
// OpenSSH's behaviour as the ground truth. Exec with its exit status (the `warren` command), a shell,
// a terminal and an SFTP pane side by side (TinySSH allows one session per connection: Warren opens a
// second connection and says so), an SFTP round trip checked with sha256, -L and -D where the server
// forwards (TinySSH never does: the user is told the server's reason), and a session idle for 90 s
// (TinySSH answers keepalives with UNIMPLEMENTED; a keepalive that wants SUCCESS/FAILURE drops it at 60 s).
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDropbear, startTinysshd, type OtherServer } from '../harness/interop.js';
import { cleanupAll, tempDir } from '../harness/ssh.js';
import { openTerminal, queue, startWarren, transfer, type TestWarren } from '../harness/warren.js';

const WARREN = path.resolve('bin/warren.js');
const BODY = 'interop web page';
let web: http.Server;
let webPort: number;

interface Setup {
  server: OtherServer;
  dataDir: string;
  hostId: string;
  hostName: string;
}
const setups = new Map<OtherServer['name'], Setup>();

/** a saved host that logs in with the interop user's Ed25519 key; its host key accepted once through the prompt */
async function setUp(server: OtherServer): Promise<Setup> {
  const w = await startWarren();
  const hostName = server.name.toLowerCase();
  const h = await w.client.call('hosts.create', {
    name: hostName,
    groupId: null,
    hostname: '127.0.0.1',
    port: server.port,
    user: server.user,
    auth: 'key',
    identityFile: server.key.path,
  });
  await w.close();
  return { server, dataDir: w.dataDir, hostId: h.id, hostName };
}

async function warrenFor(s: Setup): Promise<TestWarren> {
  const w = await startWarren({ dataDir: s.dataDir });
  w.answer = (p) => (p.kind === 'hostkey' && p.fingerprint === s.server.hostKeyFingerprint ? { accept: true } : { cancel: true });
  return w;
}

const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

function cli(s: Setup, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [WARREN, '--data-dir', s.dataDir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

function curl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('curl', ['-sS', '--max-time', '10', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

beforeAll(async () => {
  web = http.createServer((_q, res) => res.end(BODY));
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
  webPort = (web.address() as AddressInfo).port;
  for (const server of await Promise.all([startDropbear(), startTinysshd()])) setups.set(server.name, await setUp(server));
}, 60_000);

afterAll(async () => {
  web.close();
  await cleanupAll();
});

const setup = (name: OtherServer['name']) => setups.get(name)!;

describe.each(['Dropbear', 'TinySSH'] as const)('%s', (name) => {
  it('opens a shell after the host key prompt shows the key the server really has', async () => {
    const s = setup(name);
    const w = await warrenFor(s);
    const t = openTerminal(w, { hostId: s.hostId });
    await t.opened;
    expect(w.asked.filter((p) => p.kind === 'hostkey')).toEqual([
      expect.objectContaining({ keyType: 'ssh-ed25519', fingerprint: s.server.hostKeyFingerprint }),
    ]);
    await t.type('echo "shell-$((6*7))-$(whoami)"\n');
    await t.waitFor(/shell-42-warren-interop/);
    t.close();
    await w.close();
  });

  it('runs a command with `warren exec` and exits with its status, output on the right streams', async () => {
    const s = setup(name);
    const r = await cli(s, ['exec', s.hostName, '--', 'echo out-$((2+3)); echo err >&2; exit 7']);
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr.trim().split('\n').at(-1) }).toEqual({ code: 7, stdout: 'out-5\n', stderr: 'err' });
    expect((await cli(s, ['exec', s.hostName, '--', 'true'])).code).toBe(0);
  });

  it('keeps a terminal and an SFTP pane open side by side', async () => {
    const s = setup(name);
    const w = await warrenFor(s);
    const t = openTerminal(w, { hostId: s.hostId });
    await t.opened;
    await t.type('echo before-sftp\n');
    await t.waitFor(/before-sftp/);
    const target = { hostId: s.hostId };
    const listing = await w.client.call('sftp.list', { target, path: s.server.home });
    expect(listing.entries.map((e) => e.name)).toContain('.ssh');
    await t.type('echo after-sftp\n');
    await t.waitFor(/after-sftp/);
    const conns = await w.client.call('connections.list', {});
    if (name === 'TinySSH') {
      // one session per connection: the SFTP pane got a connection of its own, and the log says why
      expect(conns).toHaveLength(2);
      const logs = await Promise.all(conns.map((c) => w.client.call('connections.log', { id: c.id })));
      expect(logs.map((l) => l.lines.join('\n')).join('\n')).toMatch(/allows no more sessions on one connection \(TinySSH allows one/);
    } else {
      expect(conns.map((c) => c.sessions)).toEqual([2]);
    }
    t.close();
    await w.close();
  });

  it('uploads and downloads a file over SFTP with equal sha256 on both ends', async () => {
    const s = setup(name);
    const w = await warrenFor(s);
    const q = queue(w);
    const target = { hostId: s.hostId };
    const local = await tempDir('warren-interop-xfer-');
    await writeFile(path.join(local, 'data.bin'), randomBytes(6 * 1024 * 1024 + 123));
    const remoteDir = `${s.server.home}/xfer-${randomBytes(4).toString('hex')}`;
    await w.client.call('sftp.mkdir', { target, path: remoteDir });
    const [up] = await transfer(w, q, {
      direction: 'upload',
      target,
      items: [{ from: path.join(local, 'data.bin'), to: `${remoteDir}/data.bin` }],
      conflict: 'overwrite',
    });
    expect(up?.state).toBe('done');
    expect(await sha256(`${remoteDir}/data.bin`)).toBe(await sha256(path.join(local, 'data.bin')));
    const [down] = await transfer(w, q, { direction: 'download', target, items: [{ from: `${remoteDir}/data.bin`, to: path.join(local, 'back.bin') }] });
    expect(down?.state).toBe('done');
    expect(await sha256(path.join(local, 'back.bin'))).toBe(await sha256(path.join(local, 'data.bin')));
    await w.client.call('sftp.delete', { target, path: remoteDir, recursive: true });
    q.stop();
    await w.close();
  });

  it(name === 'TinySSH' ? 'says why -L and -D cannot start: TinySSH does not forward' : 'carries HTTP through -L and through -D (SOCKS5)', async () => {
    const s = setup(name);
    const w = await warrenFor(s);
    const port = async () => (await w.client.call('tunnels.freePort', { bindAddress: '127.0.0.1' })).port;
    const local = await w.client.call('tunnels.create', {
      name: 'web',
      hostId: s.hostId,
      kind: 'local',
      bindPort: await port(),
      destHost: '127.0.0.1',
      destPort: webPort,
    });
    const socks = await w.client.call('tunnels.create', { name: 'socks', hostId: s.hostId, kind: 'dynamic', bindPort: await port() });
    const l = await w.client.call('tunnels.start', { id: local.id });
    const d = await w.client.call('tunnels.start', { id: socks.id });
    if (name === 'TinySSH') {
      // the forward is tried when the tunnel starts (ssh's ExitOnForwardFailure): it fails with the server's words and what to do
      for (const x of [l, d]) {
        expect(x.state).toBe('failed');
        expect(x.error?.message).toMatch(
          /refuses to forward connections .*it said: ".+"\)\. The server runs TinySSH, which has no port forwarding at all: run this tunnel through another host/,
        );
        expect(x.error?.message).not.toMatch(/sshd_config/);
      }
    } else {
      expect([l.state, d.state]).toEqual(['up', 'up']);
      expect(await curl([`http://127.0.0.1:${l.boundPort}/`])).toMatchObject({ code: 0, stdout: BODY });
      expect(await curl(['--socks5-hostname', `127.0.0.1:${d.boundPort}`, `http://127.0.0.1:${webPort}/`])).toMatchObject({ code: 0, stdout: BODY });
    }
    await w.client.call('tunnels.stop', { id: local.id });
    await w.client.call('tunnels.stop', { id: socks.id });
    await w.close();
  });
});

describe('a long session', () => {
  it('stays up through 90 s without a byte of output, on both servers at once, then answers', async () => {
    const run = async (s: Setup) => {
      const w = await warrenFor(s);
      const t = openTerminal(w, { hostId: s.hostId });
      await t.opened;
      await t.type('sleep 90; echo "still-here-$((40+2))"\n');
      const dropped = t.ended.then((e) => {
        throw new Error(`${s.server.name}: the session ended during the silence: ${e?.message ?? 'closed'}`);
      });
      await Promise.race([t.waitFor(/still-here-42/, 110_000), dropped]);
      await t.type('echo and-answers\n');
      await t.waitFor(/and-answers/);
      const ended = await Promise.race([dropped.catch((e: Error) => e.message), new Promise((r) => setTimeout(() => r('open'), 100))]);
      t.close();
      await w.close();
      return ended;
    };
    expect(await Promise.all([run(setup('Dropbear')), run(setup('TinySSH'))])).toEqual(['open', 'open']);
  }, 130_000);
});
