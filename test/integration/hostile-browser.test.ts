// Browser mode's server against hostile local clients: requests that used to end the process, a
// client that stops reading while it keeps calling, and one that opens streams and calls without end.
import { writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { decodeFrame, encodeFrame, WS_PROTOCOL, type ServerMessage } from '../../shared/wire.js';
import { MAX_CALLS_IN_FLIGHT, MAX_STREAMS } from '../../electron/rpc/peer.js';
import { serveWeb, type WebServer } from '../../electron/rpc/web.js';
import { get, openWs, protocolsFor, rawRequest, startServe, wsClient, type ServeProcess } from '../harness/browser.js';
import { cleanupAll, tempDir } from '../harness/ssh.js';
import { startWarren, type TestWarren } from '../harness/warren.js';

const TOKEN = 'test-token-0123456789abcdef';
/** as long as the token in characters, longer in bytes: `timingSafeEqual` threw on it */
const NON_ASCII_TOKEN = 'é'.repeat(TOKEN.length);

/**
 * The three requests that each ended the process: a non-ASCII token, `//[` in an upgrade, a broken
 * %-escape (which, when the query held the token, got past the token check to `decodeURIComponent`).
 */
const killers = (port: number, token: string) => [
  `GET /?token=${encodeURIComponent(NON_ASCII_TOKEN)} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`,
  upgrade(port, '//[', `${WS_PROTOCOL}, warren.token.${NON_ASCII_TOKEN}`),
  `GET /%E0%A4%A?token=${token} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`,
];

function upgrade(port: number, target: string, protocols: string, extra = ''): string {
  return (
    [
      `GET ${target} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      `Origin: http://127.0.0.1:${port}`,
      'Connection: Upgrade',
      'Upgrade: websocket',
      'Sec-WebSocket-Version: 13',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      `Sec-WebSocket-Protocol: ${protocols}`,
      extra,
    ]
      .filter(Boolean)
      .join('\r\n') + '\r\n\r\n'
  );
}

/**
 * Every combination of malformed targets, methods, Host headers and offered tokens, as raw requests
 * and as WebSocket upgrades: a bounded, deterministic corpus of what a hostile page or tool can send.
 */
function corpus(port: number, token: string): string[] {
  const targets = [
    '//[',
    '//[::1',
    '/%',
    '/%zz',
    '/%E0%A4%A',
    `/%E0%A4%A?token=${token}`,
    '/é',
    '/rpc%',
    '/rpc?%',
    'http://[/',
    '*',
    '/rpc/..%2f',
    `/${'a'.repeat(8000)}`,
    `/?token=${encodeURIComponent(NON_ASCII_TOKEN)}`,
  ];
  const methods = ['GET', 'POST', 'OPTIONS'];
  const hosts = [`127.0.0.1:${port}`, 'é', '['];
  const tokens = [NON_ASCII_TOKEN, '', `${token}é`];
  const out: string[] = [];
  for (const target of targets)
    for (const method of methods)
      for (const host of hosts)
        for (const token of tokens) {
          out.push(`${method} ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
          out.push(upgrade(port, target, `${WS_PROTOCOL}, warren.token.${token}`).replace(/^GET/, method).replace(`Host: 127.0.0.1:${port}`, `Host: ${host}`));
        }
  return out;
}

/** sends them a few at a time; resolves with each answer's status (null: closed without one) */
async function fire(port: number, requests: string[]): Promise<(number | null)[]> {
  const statuses: (number | null)[] = [];
  for (let i = 0; i < requests.length; i += 8) {
    const batch = await Promise.all(requests.slice(i, i + 8).map((r) => rawRequest(port, Buffer.from(r, 'utf8'))));
    statuses.push(...batch.map((r) => r.status));
  }
  return statuses;
}

describe('malformed requests, in process', () => {
  let w: TestWarren;
  let server: WebServer;
  const logged: string[] = [];

  beforeAll(async () => {
    w = await startWarren();
    const staticDir = await tempDir('warren-static-');
    await writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>Warren</title>');
    server = await serveWeb({ handlers: w.services.handlers, staticDir, port: 0, token: TOKEN, log: (l) => logged.push(l) });
  });
  afterAll(async () => {
    await server.close();
    await w.close();
  });

  it('each answer a 4xx and end only themselves; the server and an open peer go on', async () => {
    const origin = { Origin: `http://127.0.0.1:${server.port}` };
    const peer = wsClient(await openWs(server.port, protocolsFor(TOKEN), origin));
    const events: unknown[] = [];
    const stop = peer.subscribe('connections.watch', {}, { onEvent: (e) => events.push(e) });
    await expect.poll(() => events.length).toBe(1);

    const [nonAscii, badUpgradeUrl, badEscape] = await fire(server.port, killers(server.port, TOKEN));
    expect(nonAscii).toBe(200); // a query token means nothing now: the static page is served
    expect(badUpgradeUrl).toBe(404);
    expect(badEscape).toBe(400);
    const requests = corpus(server.port, TOKEN);
    const statuses = await fire(server.port, requests);
    const unanswered = requests.filter((_r, i) => !(statuses[i]! >= 200 && statuses[i]! < 500));
    expect(
      unanswered.map((r) => r.slice(0, 80)),
      'requests answered with no HTTP status or a 5xx',
    ).toEqual([]);

    expect((await get(server.port, '/')).status).toBe(200);
    expect((await peer.call('app.info', {})).mode).toBe('browser');
    const fresh = await openWs(server.port, protocolsFor(TOKEN), origin);
    expect((await wsClient(fresh).call('tree.get', {})).hosts).toEqual([]);
    fresh.close();
    stop();
  });
});

describe('the real server process (electron/browser-mode.ts)', () => {
  let serve: ServeProcess;
  beforeAll(async () => {
    serve = await startServe();
  });
  afterAll(async () => {
    await serve.stop();
    await cleanupAll();
  });
  const origin = () => ({ Origin: `http://127.0.0.1:${serve.port}` });

  it('survives the three requests that each ended it, and its open sessions with it', async () => {
    const ws = await openWs(serve.port, protocolsFor(serve.token), origin());
    const peer = wsClient(ws);
    await fire(serve.port, killers(serve.port, serve.token));
    await new Promise((r) => setTimeout(r, 300)); // a process that dies of them dies within this
    expect(serve.alive(), `the server exited:\n${serve.stderr()}`).toBe(true);
    expect((await get(serve.port, '/')).status).not.toBeNull();
    expect((await peer.call('app.info', {})).mode).toBe('browser');
    // handled where they arrived, not by the last-resort handler
    expect(serve.stderr()).not.toContain('unexpected');
    ws.close();
  });

  it('drops a client that stops reading: its memory stays bounded and a well-behaved client keeps working', async () => {
    const good = wsClient(await openWs(serve.port, protocolsFor(serve.token), origin()));
    // ~0.6 MB of tree per tree.get, so replies pile up fast
    const long = { proxyCommand: `nc %h %p # ${'x'.repeat(1980)}`, identityFile: `/keys/${'k'.repeat(4000)}` };
    for (let i = 0; i < 100; i += 10) {
      await Promise.all(
        Array.from({ length: 10 }, (_x, j) => good.call('hosts.create', { name: `big-${i + j}`, groupId: null, hostname: 'example.test', ...long })),
      );
    }
    const baseline = serve.rss();

    const stalled = await openWs(serve.port, protocolsFor(serve.token), origin());
    const socket = (stalled as unknown as { _socket: net.Socket })._socket;
    socket.pause(); // reads nothing more, while it goes on calling
    let peak = baseline;
    let sent = 0;
    const dropped = () => serve.stderr().includes('dropped a client that stopped reading');
    // bounded: 600 calls would be ~360 MB of replies held for it if nothing stopped them
    while (!dropped() && sent < 600) {
      for (let i = 0; i < 10; i++) stalled.send(encodeFrame({ t: 'call', id: sent++, method: 'tree.get', input: {} }));
      await new Promise((r) => setTimeout(r, 20));
      peak = Math.max(peak, serve.rss());
    }
    for (let i = 0; i < 20 && !dropped(); i++) await new Promise((r) => setTimeout(r, 100));
    peak = Math.max(peak, serve.rss());
    const mib = (n: number) => `${Math.round(n / 2 ** 20)} MiB`;
    expect(dropped(), `never dropped after ${sent} calls; RSS ${mib(baseline)} → ${mib(peak)}`).toBe(true);
    expect(peak - baseline, `RSS ${mib(baseline)} → ${mib(peak)}`).toBeLessThan(160 * 2 ** 20);

    const closed = new Promise((resolve) => stalled.once('close', resolve));
    socket.resume();
    await closed;
    expect((await good.call('tree.get', {})).hosts).toHaveLength(100);
    expect(serve.alive()).toBe(true);
  });
});

/** a raw client of the contract: every server message, in order */
async function rawPeer(port: number, token: string): Promise<{ ws: WebSocket; got: ServerMessage[] }> {
  const ws = await openWs(port, protocolsFor(token), { Origin: `http://127.0.0.1:${port}` });
  const got: ServerMessage[] = [];
  ws.on('message', (d: Buffer) => got.push(decodeFrame(new Uint8Array(d)) as ServerMessage));
  return { ws, got };
}
const isLimit = (m: ServerMessage) => (m.t === 'err' || m.t === 'end') && m.error?.code === 'BAD_REQUEST' && m.error.detail?.reason === 'limit';

describe('limits per client', () => {
  let w: TestWarren;
  let server: WebServer;
  beforeAll(async () => {
    w = await startWarren();
    server = await serveWeb({ handlers: w.services.handlers, staticDir: await tempDir('warren-static-'), port: 0, token: TOKEN });
  });
  afterAll(async () => {
    await server.close();
    await w.close();
  });

  it(`past ${MAX_STREAMS} open streams a new one ends with BAD_REQUEST (reason limit); closing some makes room`, async () => {
    const { ws, got } = await rawPeer(server.port, TOKEN);
    for (let id = 0; id < 5000; id++) ws.send(encodeFrame({ t: 'sub', id, stream: 'connections.watch', params: {} }));
    await expect.poll(() => got.length, { timeout: 30_000 }).toBe(5000);
    expect(got.filter((m) => m.t === 'ev').map((m) => m.id)).toEqual(Array.from({ length: MAX_STREAMS }, (_x, i) => i));
    const refused = got.filter(isLimit);
    expect(refused).toHaveLength(5000 - MAX_STREAMS);
    expect(refused[0]).toMatchObject({ t: 'end', id: MAX_STREAMS, error: { message: expect.stringContaining(`at most ${MAX_STREAMS}`) } });

    for (let id = 0; id < 10; id++) ws.send(encodeFrame({ t: 'unsub', id }));
    ws.send(encodeFrame({ t: 'call', id: 9000, method: 'app.info', input: {} })); // a round trip: the unsubscribes are done
    await expect.poll(() => got.some((m) => m.id === 9000)).toBe(true);
    ws.send(encodeFrame({ t: 'sub', id: 9001, stream: 'connections.watch', params: {} }));
    await expect.poll(() => got.find((m) => m.id === 9001)?.t).toBe('ev');
    ws.close();
  });

  it(`past ${MAX_CALLS_IN_FLIGHT} calls in flight a call fails with BAD_REQUEST (reason limit); once they end, calls work`, async () => {
    // an "SSH server" that accepts and never says a word: every sftp.home waits on the one connection
    const silent: net.Socket[] = [];
    const sshd = net.createServer((s) => silent.push(s.on('error', () => {})));
    await new Promise<void>((r) => sshd.listen(0, '127.0.0.1', r));
    const target = { quick: { hostname: '127.0.0.1', port: (sshd.address() as net.AddressInfo).port, user: 'nobody' } };
    const { ws, got } = await rawPeer(server.port, TOKEN);
    const total = MAX_CALLS_IN_FLIGHT + 500;
    for (let id = 0; id < total; id++) ws.send(encodeFrame({ t: 'call', id, method: 'sftp.home', input: { target } }));
    await expect.poll(() => got.length, { timeout: 30_000 }).toBe(500);
    expect(got.filter(isLimit).map((m) => m.id)).toEqual(Array.from({ length: 500 }, (_x, i) => MAX_CALLS_IN_FLIGHT + i));
    ws.send(encodeFrame({ t: 'call', id: total, method: 'app.info', input: {} }));
    await expect.poll(() => got.find((m) => m.id === total)).toSatisfy(isLimit);

    for (const s of silent) s.destroy(); // the waiting calls fail now, as a lost server makes them
    sshd.close();
    await expect.poll(() => got.length, { timeout: 30_000 }).toBe(total + 1);
    expect(got.slice(501).every((m) => m.t === 'err' && !isLimit(m))).toBe(true);
    ws.send(encodeFrame({ t: 'call', id: total + 1, method: 'app.info', input: {} }));
    await expect.poll(() => got.find((m) => m.id === total + 1)?.t).toBe('ok');
    ws.close();
  });
});
