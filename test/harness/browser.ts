// Browser mode's server from the outside, as a browser or an attacker reaches it: raw HTTP bytes over
// a socket, WebSocket clients offering the token as a subprotocol, and `electron/browser-mode.ts` run as its
// own process (exactly as `npm run serve` runs it).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import WebSocket from 'ws';
import { RpcClient } from '../../shared/client.js';
import { decodeFrame, encodeFrame, WS_PROTOCOL, WS_TOKEN_PREFIX, type ServerMessage } from '../../shared/wire.js';
import type { Target } from '../../shared/model.js';
import { serveWeb } from '../../electron/rpc/web.js';
import { openNodeConf, openSettings } from '../../electron/store/settings.js';
import type { TerminalSettings } from '../../shared/settings.js';
import { tempDir } from './ssh.js';
import type { TestWarren } from './warren.js';

export interface RawResponse {
  /** the HTTP status; null when the server closed the socket without answering */
  status: number | null;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends `bytes` as they are (no client library to fix a malformed request) and reads until the server
 * closes the socket, or `timeoutMs` passes.
 */
export function rawRequest(port: number, bytes: string | Buffer, timeoutMs = 5000): Promise<RawResponse> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => sock.destroy(), timeoutMs);
    sock.write(bytes);
    sock.on('data', (d: Buffer) => chunks.push(d));
    sock.on('error', () => {}); // a reset is an answer too: the server dropped this request
    sock.on('close', () => {
      clearTimeout(timer);
      const raw = Buffer.concat(chunks).toString('latin1');
      const [head = '', ...rest] = raw.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const l of lines) headers[l.slice(0, l.indexOf(':')).toLowerCase()] = l.slice(l.indexOf(':') + 1).trim();
      const status = /^HTTP\/1\.1 (\d{3})/.exec(statusLine);
      resolve({ status: status ? Number(status[1]) : null, headers, body: rest.join('\r\n\r\n') });
    });
  });
}

/** A GET with a forgeable Host and any other headers, the way an attacker's script or tool sends it. */
export function get(port: number, pathname: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const lines = [`GET ${pathname} HTTP/1.1`, `Host: ${headers.Host ?? `127.0.0.1:${port}`}`, 'Connection: close'];
  for (const [k, v] of Object.entries(headers)) if (k !== 'Host') lines.push(`${k}: ${v}`);
  return rawRequest(port, lines.join('\r\n') + '\r\n\r\n');
}

/**
 * A browser-mode download as the page starts one: `download.link` through the contract (its refusal
 * rejects), then a GET of the link from browser mode's server over `w`'s services, with `headers`
 * (a Range, say). `bytes` is the body as sent.
 */
export async function downloadOverHttp(
  w: TestWarren,
  target: Target,
  path: string,
  headers: Record<string, string> = {},
): Promise<RawResponse & { href: string; bytes: Buffer }> {
  const { href } = await w.client.call('download.link', { target, path });
  const server = await serveWeb({
    handlers: w.services.handlers,
    downloads: w.services.downloads,
    staticDir: await tempDir('warren-static-'),
    port: 0,
    token: 'download-test-token-0123456789abcdef',
  });
  try {
    const r = await get(server.port, href, headers);
    return { ...r, href, bytes: Buffer.from(r.body, 'latin1') };
  } finally {
    await server.close();
  }
}

/** the subprotocols the renderer offers: the version, and the token */
export const protocolsFor = (token: string) => [WS_PROTOCOL, `${WS_TOKEN_PREFIX}${token}`];

/** A WebSocket to /rpc (plus `query`), offering `protocols`; rejects with `HTTP <status>` when refused. */
export function openWs(port: number, protocols: string[], headers: Record<string, string>, query = ''): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/rpc${query}`, protocols, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** the renderer's side of the contract over a `ws` client */
export function wsClient(ws: WebSocket): RpcClient {
  return new RpcClient({
    send: (m) => ws.send(encodeFrame(m)),
    onMessage: (h) => ws.on('message', (d: Buffer) => h(decodeFrame(new Uint8Array(d)) as ServerMessage)),
    onClose: (h) => ws.on('close', () => h('closed')),
  });
}

export interface ServeProcess {
  child: ChildProcess;
  port: number;
  token: string;
  /** the first line it printed */
  line: string;
  /** everything it wrote to stderr so far */
  stderr(): string;
  /** its resident memory now, in bytes (/proc/PID/status VmRSS) */
  rss(): number;
  alive(): boolean;
  stop(): Promise<void>;
}

/**
 * `electron/browser-mode.ts` on a free port and a fresh data dir (or `dataDir`, to start it again on
 * the same data), as `npm run serve` starts it; `args` are more of its options (`--no-local-shell`).
 */
export async function startServe(options: { dataDir?: string; args?: string[] } = {}): Promise<ServeProcess> {
  const dataDir = options.dataDir ?? (await tempDir('warren-serve-'));
  const args = ['--import', 'tsx', 'electron/browser-mode.ts', '--port', '0', '--data-dir', dataDir, '--secrets', 'vault', ...(options.args ?? [])];
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SSH_AUTH_SOCK: '' },
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    void exited.then(() => reject(new Error(`warren server exited before printing its URL:\n${stderr}`)));
  });
  const m = /http:\/\/127\.0\.0\.1:(\d+)\/#token=([A-Za-z0-9_-]+)/.exec(line);
  if (!m) {
    child.kill('SIGKILL');
    throw new Error(`warren server printed no http://127.0.0.1:PORT/#token=… URL: ${line}`);
  }
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    port: Number(m[1]),
    token: m[2]!,
    line,
    stderr: () => stderr,
    rss: () => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) * 1024,
    alive,
    stop: async () => {
      if (!alive()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Writes `terminal` into the settings of `dataDir` (made if need be) as the server would, before a server starts on it. */
export async function seedTerminalSettings(dataDir: string, terminal: TerminalSettings): Promise<void> {
  const { conf, doc } = await openSettings(dataDir, openNodeConf);
  conf.store = { ...doc, terminal };
}
