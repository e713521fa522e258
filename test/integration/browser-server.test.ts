// Browser mode's server: token, Host and Origin checks, static files, garbage frames, the printed URL.
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RpcClient } from '../../shared/client.js';
import { decodeFrame, encodeFrame, type ServerMessage } from '../../shared/wire.js';
import { CSP } from '../../shared/csp.js';
import { serveWebSocket, type WebServer } from '../../electron/rpc/ws.js';
import { cleanupAll, tempDir } from '../harness/ssh.js';
import { startWarren, type TestWarren } from '../harness/warren.js';

const TOKEN = 'test-token-0123456789abcdef';
let w: TestWarren;
let server: WebServer;
let base: string;

beforeAll(async () => {
  w = await startWarren();
  const staticDir = await tempDir('warren-static-');
  await writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>Warren</title>');
  await mkdir(path.join(staticDir, 'assets'));
  await writeFile(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  server = await serveWebSocket({ handlers: w.services.handlers, staticDir, port: 0, token: TOKEN });
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server.close();
  await w.close();
  await cleanupAll();
});

/** a raw HTTP request, so Host and Origin can be forged as an attacker would */
function request(pathname: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(server.port, '127.0.0.1');
    const lines = [`GET ${pathname} HTTP/1.1`, `Host: ${headers.Host ?? `127.0.0.1:${server.port}`}`, 'Connection: close'];
    for (const [k, v] of Object.entries(headers)) if (k !== 'Host') lines.push(`${k}: ${v}`);
    sock.write(lines.join('\r\n') + '\r\n\r\n');
    let raw = '';
    sock.setEncoding('utf8').on('data', (d: string) => (raw += d));
    sock.on('error', reject);
    sock.on('close', () => {
      const [head = '', ...rest] = raw.split('\r\n\r\n');
      const [status = '', ...hs] = head.split('\r\n');
      const h: Record<string, string> = {};
      for (const l of hs) h[l.slice(0, l.indexOf(':')).toLowerCase()] = l.slice(l.indexOf(':') + 1).trim();
      resolve({ status: Number(status.split(' ')[1]), headers: h, body: rest.join('\r\n\r\n') });
    });
  });
}

function openWs(query: string, headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/rpc${query}`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function wsClient(ws: WebSocket): RpcClient {
  return new RpcClient({
    send: (m) => ws.send(encodeFrame(m)),
    onMessage: (h) => ws.on('message', (d: Buffer) => h(decodeFrame(new Uint8Array(d)) as ServerMessage)),
    onClose: (h) => ws.on('close', () => h('closed')),
  });
}

describe('HTTP', () => {
  it('refuses requests without the token, and serves with it (then by cookie)', async () => {
    expect((await request('/')).status).toBe(401);
    expect((await request('/?token=wrong-token-0123456789abc')).status).toBe(401);
    const ok = await request(`/?token=${TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('<title>Warren</title>');
    expect(ok.headers['content-security-policy']).toBe(CSP);
    expect(ok.headers['set-cookie']).toMatch(/HttpOnly; SameSite=Strict/);
    const cookie = ok.headers['set-cookie']!.split(';')[0]!;
    expect((await request('/assets/app.js', { Cookie: cookie })).status).toBe(200);
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin even with the token', async () => {
    expect((await request(`/?token=${TOKEN}`, { Host: `evil.example:${server.port}` })).status).toBe(403);
    expect((await request(`/?token=${TOKEN}`, { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await request(`/?token=${TOKEN}`, { Host: `localhost:${server.port}` })).status).toBe(200);
  });

  it('never serves files outside the renderer folder', async () => {
    expect((await request(`/../../package.json?token=${TOKEN}`)).status).toBe(404);
    expect((await request(`/%2e%2e/%2e%2e/etc/passwd?token=${TOKEN}`)).status).toBe(404);
  });
});

describe('WebSocket', () => {
  const origin = () => ({ Origin: base });

  it('refuses an upgrade without the token, without an Origin, or from a foreign Origin', async () => {
    await expect(openWs('', origin())).rejects.toThrow('HTTP 401');
    await expect(openWs(`?token=${TOKEN}`, {})).rejects.toThrow('HTTP 403');
    await expect(openWs(`?token=${TOKEN}`, { Origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    await expect(openWs(`?token=${TOKEN}`, { Origin: base, Host: 'evil.example' })).rejects.toThrow('HTTP 403');
  });

  it('serves the contract, and survives garbage frames', async () => {
    const ws = await openWs(`?token=${TOKEN}`, origin());
    const client = wsClient(ws);
    expect((await client.call('app.info', {})).mode).toBe('browser');
    ws.send('a text frame');
    ws.send(Buffer.from([0, 0, 0, 200, 1, 2]));
    ws.send(encodeFrame({ t: 'call', id: 99999, method: 'hosts.create', input: { name: 5 } }));
    ws.send(encodeFrame({ t: 'call', id: -1 }));
    const e = await client.call('hosts.create', { name: '', groupId: null, hostname: 'x' } as never).catch((x: unknown) => x);
    expect((e as { code: string }).code).toBe('BAD_REQUEST');
    expect((await client.call('tree.get', {})).hosts).toEqual([]);
    ws.close();
  });
});

describe('npm run serve', () => {
  it('prints one line with the URL and token, and binds 127.0.0.1 only', async () => {
    const dataDir = await tempDir('warren-serve-');
    const child = spawn(process.execPath, ['--import', 'tsx', 'electron/server.ts', '--port', '0', '--data-dir', dataDir, '--secrets', 'vault'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        if (out.includes('\n')) resolve(out.split('\n')[0]!);
      });
      child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
    });
    try {
      const m = /http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]{20,})/.exec(line);
      expect(m).not.toBeNull();
      const port = Number(m![1]);
      const r = await fetch(`http://127.0.0.1:${port}/?token=${m![2]}`);
      expect([200, 404]).toContain(r.status); // 404 only when the renderer has not been built
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(401);
      await expect(fetch(`http://[::1]:${port}/`)).rejects.toThrow();
    } finally {
      child.kill('SIGTERM');
    }
  });
});
