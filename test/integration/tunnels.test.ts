// Tunnels against a real sshd: local, remote and dynamic forwards, their failures, and recovery.
import { execFile, spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TunnelStatus } from '../../shared/tunnels.js';
import type { Tunnel } from '../../shared/model.js';
import { cleanupAll, ensureTestUser, makeKey, startSshd, tempDir, TEST_USER, type Sshd } from '../harness/ssh.js';
import { answerAsUser, openTerminal, savePasswordHost, startWarren, tunnelStatus, type TestWarren } from '../harness/warren.js';

const run = promisify(execFile);
let sshd: Sshd;
let web: http.Server;
let webPort: number;
const BODY = 'hello through the tunnel';

beforeAll(async () => {
  await ensureTestUser();
  sshd = await startSshd();
  web = http.createServer((req, res) => res.end(req.url === '/big' ? Buffer.alloc(2_000_000, 97) : BODY));
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
  webPort = (web.address() as AddressInfo).port;
});
afterAll(async () => {
  web.close();
  await cleanupAll();
});

async function warren(dataDir?: string): Promise<TestWarren> {
  const w = await startWarren({ backoff: { baseMs: 200, capMs: 1000 }, ...(dataDir ? { dataDir } : {}) });
  answerAsUser(w);
  return w;
}

function host(w: TestWarren, port = sshd.port, extra: Record<string, unknown> = {}) {
  return savePasswordHost(w, { name: `h${port}`, port, ...extra });
}

/** a tunnel to the test web server; local and dynamic ones on a free port Warren suggests, remote ones on a port the server picks */
async function tunnel(w: TestWarren, fields: Partial<Tunnel> & Pick<Tunnel, 'hostId' | 'kind'>) {
  const dest = fields.kind === 'dynamic' ? {} : { destHost: '127.0.0.1', destPort: webPort };
  const bindPort = fields.kind === 'remote' ? 0 : (await w.client.call('tunnels.freePort', { bindAddress: '127.0.0.1' })).port;
  return w.client.call('tunnels.create', { name: `${fields.kind} tunnel`, bindPort, ...dest, ...fields } as never);
}

/** resolves with the first status (from the watch stream) that satisfies `pred` */
function waitStatus(w: TestWarren, id: string, pred: (s: TunnelStatus) => boolean, timeoutMs = 20_000): Promise<TunnelStatus> {
  return new Promise((resolve, reject) => {
    const seen: string[] = [];
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`tunnel never reached the expected status; saw ${seen.join(' → ')}`));
    }, timeoutMs);
    const stop = w.client.subscribe(
      'tunnels.watch',
      {},
      {
        onEvent: (list) => {
          const s = list.find((x) => x.id === id);
          if (!s) return;
          if (seen.at(-1) !== s.state) seen.push(s.state);
          if (pred(s)) {
            clearTimeout(timer);
            stop();
            resolve(s);
          }
        },
      },
    );
  });
}

async function curl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return run('curl', ['-sS', '--max-time', '10', ...args]).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

describe('forwards', () => {
  it('local forward (-L) carries HTTP, counts bytes, opens no terminal, and survives closing terminals', async () => {
    const w = await warren();
    const h = await host(w);
    const t = await tunnel(w, { hostId: h.id, kind: 'local' });
    const term = openTerminal(w, { hostId: h.id });
    await term.opened;
    const up = await w.client.call('tunnels.start', { id: t.id });
    expect(up.state).toBe('up');
    expect(up.boundPort).toBeGreaterThan(0);
    // the tunnel rides the terminal's connection
    const conns = await w.client.call('connections.list', {});
    expect(conns).toHaveLength(1);
    expect(conns[0]?.sessions).toBe(2);
    term.close();
    await expect.poll(async () => (await w.client.call('connections.list', {}))[0]?.sessions).toBe(1);

    const r = await fetch(`http://127.0.0.1:${up.boundPort}/`);
    expect(await r.text()).toBe(BODY);
    const big = await fetch(`http://127.0.0.1:${up.boundPort}/big`);
    expect((await big.arrayBuffer()).byteLength).toBe(2_000_000);
    const s = await waitStatus(w, t.id, (x) => x.bytesIn >= 2_000_000 && x.history.some((v) => v > 0), 5000);
    expect(s.bytesOut).toBeGreaterThan(0);

    const stopped = await w.client.call('tunnels.stop', { id: t.id });
    expect(stopped.state).toBe('stopped');
    await expect(fetch(`http://127.0.0.1:${up.boundPort}/`)).rejects.toThrow();
    await w.close();
  });

  it('local forward (-L): a client that sends its request and shuts its side still gets the whole answer, as through ssh -L', async () => {
    // a service that answers only once the request has ended (EOF), with 1 MB derived from it
    const serviceErrors: string[] = [];
    const answerOf = (req: Buffer) => Buffer.concat(Array.from({ length: 1000 }, (_, i) => Buffer.from(`${i}:${req.length}:`.padEnd(1000, '.'))));
    const service = net.createServer({ allowHalfOpen: true }, (s) => {
      const chunks: Buffer[] = [];
      s.on('error', (e) => serviceErrors.push(e.message));
      s.on('data', (d: Buffer) => chunks.push(d));
      // the tunnel's start-up probe (a channel opened and closed at once) sends nothing and gets nothing
      s.on('end', () => (chunks.length ? s.end(answerOf(Buffer.concat(chunks))) : s.end()));
    });
    await new Promise<void>((r) => service.listen(0, '127.0.0.1', r));
    const servicePort = (service.address() as AddressInfo).port;
    const w = await warren();
    try {
      const h = await host(w);
      const t = await tunnel(w, { hostId: h.id, kind: 'local', destPort: servicePort });
      const up = await w.client.call('tunnels.start', { id: t.id });
      const request = Buffer.alloc(5000, 7);
      const answer = await new Promise<Buffer>((resolve, reject) => {
        const c = net.connect({ host: '127.0.0.1', port: up.boundPort!, allowHalfOpen: true });
        const got: Buffer[] = [];
        c.on('data', (d: Buffer) => got.push(d));
        c.on('error', reject);
        c.on('close', () => resolve(Buffer.concat(got)));
        c.end(request); // write, then shut this side: the answer comes after
      });
      expect(answer.length).toBe(1_000_000);
      expect(answer.equals(answerOf(request))).toBe(true);
      expect(serviceErrors).toEqual([]);
    } finally {
      service.close();
      await w.close();
    }
  });

  it('remote forward (-R): a connection made on the server side reaches a service on this side', async () => {
    const w = await warren();
    const h = await host(w);
    const t = await tunnel(w, { hostId: h.id, kind: 'remote' });
    const up = await w.client.call('tunnels.start', { id: t.id });
    expect(up.state).toBe('up');
    // from a shell on the server, as its user: curl the port sshd opened there
    const term = openTerminal(w, { hostId: h.id });
    await term.type(`curl -s http://127.0.0.1:${up.boundPort}/; echo; echo REMOTE-$((1+1))\n`);
    await term.waitFor(new RegExp(`${BODY}\\r?\\n.*\\r?\\n?REMOTE-2|${BODY}[\\s\\S]*REMOTE-2`));
    term.close();
    const { stdout } = await run('ss', ['-Hltnp', `sport = :${up.boundPort}`]);
    expect(stdout).toContain('sshd');
    await w.close();
  });

  it('dynamic forward (-D) is a SOCKS5 proxy, with correct replies for unreachable targets', async () => {
    const w = await warren();
    const h = await host(w);
    const t = await tunnel(w, { hostId: h.id, kind: 'dynamic' });
    const up = await w.client.call('tunnels.start', { id: t.id });
    const ok = await curl(['--socks5-hostname', `127.0.0.1:${up.boundPort}`, `http://localhost:${webPort}/`]);
    expect(ok.stdout).toBe(BODY);
    const closed = await curl(['--socks5-hostname', `127.0.0.1:${up.boundPort}`, 'http://127.0.0.1:1/']);
    expect(closed.code).toBe(97);
    expect(closed.stderr).toMatch(/\(5\)/); // RFC 1928 reply 5: connection refused
    await w.close();
  });

  it('dynamic forward with SOCKS5 username/password refuses clients without them', async () => {
    const w = await warren();
    const h = await host(w);
    const t = await tunnel(w, { hostId: h.id, kind: 'dynamic', socksUser: 'proxyuser', socksPassword: 'proxy-secret' } as never);
    expect(t.hasSocksPassword).toBe(true);
    const up = await w.client.call('tunnels.start', { id: t.id });
    const denied = await curl(['-x', `socks5h://127.0.0.1:${up.boundPort}`, `http://127.0.0.1:${webPort}/`]);
    expect(denied.code).not.toBe(0);
    const wrong = await curl(['-x', `socks5h://proxyuser:nope@127.0.0.1:${up.boundPort}`, `http://127.0.0.1:${webPort}/`]);
    expect(wrong.code).not.toBe(0);
    const ok = await curl(['-x', `socks5h://proxyuser:proxy-secret@127.0.0.1:${up.boundPort}`, `http://127.0.0.1:${webPort}/`]);
    expect(ok.stdout).toBe(BODY);
    await w.close();
  });

  it('copy as ssh command gives a command OpenSSH runs to the same effect', async () => {
    const dir = await tempDir('warren-tunnel-key-');
    const key = await makeKey(dir, { type: 'ed25519' });
    await sshd.authorize(key.pub);
    const w = await warren();
    const h = await host(w, sshd.port, { auth: 'key', identityFile: key.path });
    const port = (await w.client.call('tunnels.freePort', { bindAddress: '127.0.0.1' })).port;
    const t = await tunnel(w, { hostId: h.id, kind: 'local', bindPort: port });
    const { command } = await w.client.call('tunnels.command', { id: t.id });
    expect(command).toBe(
      `ssh -N -L 127.0.0.1:${port}:127.0.0.1:${webPort} -o ExitOnForwardFailure=yes -p ${sshd.port} -i ${key.path} -o ServerAliveInterval=15 -o ServerAliveCountMax=3 ${TEST_USER}@127.0.0.1`,
    );
    const argv = command.split(' ').slice(1);
    const ssh = spawn('ssh', ['-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=accept-new', '-o', `UserKnownHostsFile=${dir}/kh`, ...argv], {
      stdio: 'ignore',
    });
    try {
      await expect
        .poll(
          async () =>
            await fetch(`http://127.0.0.1:${port}/`)
              .then((r) => r.text())
              .catch(() => ''),
          { timeout: 10_000 },
        )
        .toBe(BODY);
    } finally {
      ssh.kill();
    }
    await w.close();
  });
});

describe('failures', () => {
  it('a local port already in use fails the tunnel, names the port, and a free one is offered', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const taken = (blocker.address() as AddressInfo).port;
    const w = await warren();
    const h = await host(w);
    const t = await tunnel(w, { hostId: h.id, kind: 'local', bindPort: taken });
    const s = await w.client.call('tunnels.start', { id: t.id });
    expect(s.state).toBe('failed');
    expect(s.error?.message).toContain(`Local port ${taken} is already in use`);
    const { port } = await w.client.call('tunnels.freePort', { bindAddress: '127.0.0.1' });
    expect(port).not.toBe(taken);
    await w.client.call('tunnels.update', { id: t.id, patch: { bindPort: port } });
    expect((await w.client.call('tunnels.start', { id: t.id })).state).toBe('up');
    blocker.close();
    await w.close();
  });

  it('AllowTcpForwarding no: local and remote forwards fail with the reason, not silently up', async () => {
    const strict = await startSshd({ extraConfig: ['AllowTcpForwarding no'] });
    const w = await warren();
    const h = await host(w, strict.port);
    const local = await tunnel(w, { hostId: h.id, kind: 'local' });
    const s1 = await w.client.call('tunnels.start', { id: local.id });
    expect(s1.state).toBe('failed');
    expect(s1.error?.message).toMatch(/administratively prohibited/);
    // the server's own reason is quoted, not only Warren's guess about OpenSSH's settings
    const said = String(s1.error?.detail?.serverSaid ?? '');
    expect(said).not.toBe('');
    expect(s1.error?.message).toContain(`it said: "${said}"`);
    const remote = await tunnel(w, { hostId: h.id, kind: 'remote' });
    const s2 = await w.client.call('tunnels.start', { id: remote.id });
    expect(s2.state).toBe('failed');
    expect(s2.error?.message).toMatch(/refused to listen/);
    await w.close();
    await strict.stop();
  });

  it('a destination the server cannot reach is reported while the tunnel stays up', async () => {
    const w = await warren();
    const h = await host(w);
    const t = await tunnel(w, { hostId: h.id, kind: 'local', destHost: '127.0.0.1', destPort: 1 });
    const s = await w.client.call('tunnels.start', { id: t.id });
    expect(s.state).toBe('up');
    expect(s.warning).toMatch(/127\.0\.0\.1:1 is not reachable from the server/);
    await w.close();
  });

  it('binding a non-loopback address needs the explicit choice', async () => {
    const w = await warren();
    const h = await host(w);
    await expect(tunnel(w, { hostId: h.id, kind: 'local', bindAddress: '0.0.0.0' })).rejects.toThrow(/exposes the port to the network/);
    const t = await tunnel(w, { hostId: h.id, kind: 'local', bindAddress: '0.0.0.0', exposed: true });
    expect(t.exposed).toBe(true);
    await w.close();
  });
});

describe('never lose a tunnel', () => {
  it('sshd killed and restarted: reconnecting with the port still bound, then up by itself', async () => {
    const server = await startSshd();
    const w = await warren();
    const h = await host(w, server.port);
    const t = await tunnel(w, { hostId: h.id, kind: 'local' });
    const up = await w.client.call('tunnels.start', { id: t.id });
    expect(await (await fetch(`http://127.0.0.1:${up.boundPort}/`)).text()).toBe(BODY);

    await server.stop();
    const down = await waitStatus(w, t.id, (s) => s.state === 'reconnecting' && s.attempt >= 2);
    expect(down.error?.code).toMatch(/DISCONNECTED|TCP_REFUSED/);
    expect(down.nextRetryAt).toBeGreaterThan(Date.now() - 1000);
    // the local port stays bound while it reconnects
    await new Promise<void>((resolve, reject) =>
      net
        .connect(up.boundPort!, '127.0.0.1')
        .once('connect', function (this: net.Socket) {
          this.destroy();
          resolve();
        })
        .once('error', reject),
    );

    await server.restart();
    const back = await waitStatus(w, t.id, (s) => s.state === 'up');
    expect(back.boundPort).toBe(up.boundPort);
    expect(await (await fetch(`http://127.0.0.1:${up.boundPort}/`)).text()).toBe(BODY);
    await w.close();
    await server.stop();
  });

  it('a connection made while reconnecting is held and served once the tunnel is back', async () => {
    const server = await startSshd();
    const w = await warren();
    const h = await host(w, server.port);
    const t = await tunnel(w, { hostId: h.id, kind: 'local' });
    const up = await w.client.call('tunnels.start', { id: t.id });
    await server.killSessions();
    await waitStatus(w, t.id, (s) => s.state === 'reconnecting');
    const held = fetch(`http://127.0.0.1:${up.boundPort}/`).then((r) => r.text());
    expect(await held).toBe(BODY);
    await w.close();
    await server.stop();
  });

  it('stops retrying on a changed host key and says so', async () => {
    const server = await startSshd();
    const w = await warren();
    const h = await host(w, server.port);
    const t = await tunnel(w, { hostId: h.id, kind: 'local' });
    await w.client.call('tunnels.start', { id: t.id });
    await server.restart({ newHostKeys: true });
    const failed = await waitStatus(w, t.id, (s) => s.state === 'failed');
    expect(failed.error?.code).toBe('HOST_KEY_CHANGED');
    await new Promise((r) => setTimeout(r, 1500));
    expect((await tunnelStatus(w, t.id)).state).toBe('failed');
    await w.close();
    await server.stop();
  });

  it('stops retrying on an authentication failure', async () => {
    const w = await warren();
    const h = await host(w, sshd.port, { password: 'wrong-password' });
    w.answer = (p) => (p.kind === 'hostkey' ? { accept: true } : p.kind === 'password' ? { value: 'still-wrong' } : { value: 'vault-pass' });
    const t = await tunnel(w, { hostId: h.id, kind: 'local' });
    const s = await w.client.call('tunnels.start', { id: t.id });
    expect(s.state).toBe('failed');
    expect(s.error?.code).toBe('AUTH_FAILED');
    await w.close();
  });

  it('auto-start tunnels come up when Warren starts', async () => {
    const w = await warren();
    const h = await host(w);
    const t = await tunnel(w, { hostId: h.id, kind: 'local', autoStart: true });
    const dataDir = w.dataDir;
    await w.close();
    const again = await warren(dataDir);
    const s = await waitStatus(again, t.id, (x) => x.state === 'up');
    expect(await (await fetch(`http://127.0.0.1:${s.boundPort}/`)).text()).toBe(BODY);
    await again.close();
  });
});
