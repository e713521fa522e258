// Browser mode's server: the token (a subprotocol, never a cookie), Host and Origin checks, static files,
// garbage frames, the printed URL.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { encodeFrame, WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../shared/wire.js';
import { CSP } from '../../shared/csp.js';
import { contentDisposition, serveWeb, type WebServer } from '../../electron/rpc/web.js';
import { get, openWs, protocolsFor, rawRequest, startServe, wsClient } from '../harness/browser.js';
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
  server = await serveWeb({ handlers: w.services.handlers, downloads: w.services.downloads, staticDir, port: 0, token: TOKEN });
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server.close();
  await w.close();
  await cleanupAll();
});

const request = (pathname: string, headers: Record<string, string> = {}) => get(server.port, pathname, headers);

describe('HTTP', () => {
  it('serves the static files without a token (they hold no data), with the security headers and never a cookie', async () => {
    const ok = await request('/');
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('<title>Warren</title>');
    expect(ok.headers['content-security-policy']).toBe(CSP);
    expect(ok.headers['x-content-type-options']).toBe('nosniff');
    expect(ok.headers['referrer-policy']).toBe('no-referrer');
    expect((await request('/assets/app.js')).status).toBe(200);
    for (const r of [ok, await request(`/?token=${TOKEN}`), await request('/assets/app.js')]) expect(r.headers['set-cookie']).toBeUndefined();
  });

  it('serves GET only', async () => {
    const post = await rawRequest(server.port, `POST / HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET');
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin', async () => {
    expect((await request('/', { Host: `evil.example:${server.port}` })).status).toBe(403);
    expect((await request('/', { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await request('/', { Host: `localhost:${server.port}` })).status).toBe(200);
  });

  it('never serves files outside the renderer folder', async () => {
    expect((await request('/../../package.json')).status).toBe(404);
    expect((await request('/%2e%2e/%2e%2e/etc/passwd')).status).toBe(404);
  });
});

describe('download links', () => {
  it('a ticket that was never given (or expired) is a 404 that says so, and a foreign Host is refused first', async () => {
    const unknown = await request('/download/not-a-ticket-0123456789');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatch(/this download link has expired or never existed; download the file again from Warren/);
    expect((await request('/download/x', { Host: 'evil.example' })).status).toBe(403);
  });

  it('exist only in browser mode: the desktop app and the CLI download into a folder', async () => {
    const desktop = await startWarren({ mode: 'desktop' });
    await expect(desktop.client.call('download.link', { target: { quick: { hostname: '127.0.0.1' } }, path: '/etc/hostname' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/only in browser mode/),
    });
    await desktop.close();
  });

  it('name the file for the browser exactly, with an ASCII fallback', () => {
    expect(contentDisposition('report "final" 100%.pdf')).toBe(
      `attachment; filename="report _final_ 100_.pdf"; filename*=UTF-8''report%20%22final%22%20100%25.pdf`,
    );
    expect(contentDisposition("naïve (1)'s.txt")).toBe(`attachment; filename="na_ve (1)'s.txt"; filename*=UTF-8''na%C3%AFve%20%281%29%27s.txt`);
  });
});

describe('WebSocket', () => {
  const origin = () => ({ Origin: base });

  it('takes the token only as a subprotocol: not in the query, not in a cookie', async () => {
    await expect(openWs(server.port, [WS_PROTOCOL], origin())).rejects.toThrow('HTTP 401');
    await expect(openWs(server.port, protocolsFor('wrong-token-0123456789abc'), origin())).rejects.toThrow('HTTP 401');
    await expect(openWs(server.port, [WS_PROTOCOL], origin(), `?token=${TOKEN}`)).rejects.toThrow('HTTP 401');
    await expect(openWs(server.port, [WS_PROTOCOL], { ...origin(), Cookie: `warren_token=${TOKEN}` })).rejects.toThrow('HTTP 401');
    const ws = await openWs(server.port, protocolsFor(TOKEN), origin());
    expect(ws.protocol).toBe(WS_PROTOCOL); // the token entry is never echoed back
    expect((await wsClient(ws).call('app.info', {})).mode).toBe('browser');
    ws.close();
  });

  it('answers the handshake without a cookie', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/rpc`, protocolsFor(TOKEN), { headers: origin() });
    const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
      ws.once('upgrade', (res) => resolve(res.headers));
      ws.once('error', reject);
    });
    expect(headers['sec-websocket-protocol']).toBe(WS_PROTOCOL);
    expect(headers['set-cookie']).toBeUndefined();
    ws.close();
  });

  it('refuses an upgrade without an Origin, from a foreign Origin or Host, or without warren.v1', async () => {
    await expect(openWs(server.port, protocolsFor(TOKEN), {})).rejects.toThrow('HTTP 403');
    await expect(openWs(server.port, protocolsFor(TOKEN), { Origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    await expect(openWs(server.port, protocolsFor(TOKEN), { Origin: base, Host: 'evil.example' })).rejects.toThrow('HTTP 403');
    await expect(openWs(server.port, [`${WS_TOKEN_PREFIX}${TOKEN}`], origin())).rejects.toThrow('HTTP 400');
  });

  it('serves the contract, and survives garbage frames', async () => {
    const ws = await openWs(server.port, protocolsFor(TOKEN), origin());
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
  it('prints one line with the URL, the token in its fragment, and binds 127.0.0.1 only', async () => {
    const serve = await startServe();
    try {
      expect(serve.line).toMatch(/^Warren browser mode: http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{20,}$/);
      const r = await fetch(`http://127.0.0.1:${serve.port}/`);
      expect([200, 404]).toContain(r.status); // 404 only when the renderer has not been built
      expect(r.headers.get('set-cookie')).toBeNull();
      const ws = await openWs(serve.port, protocolsFor(serve.token), { Origin: `http://127.0.0.1:${serve.port}` });
      expect((await wsClient(ws).call('app.info', {})).mode).toBe('browser');
      ws.close();
      await expect(fetch(`http://[::1]:${serve.port}/`)).rejects.toThrow();
    } finally {
      await serve.stop();
    }
  });
});
