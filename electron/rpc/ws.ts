import { timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { CSP } from '../../shared/csp.js';
import { decodeFrame, encodeFrame } from '../../shared/wire.js';
import { createPeer, type Handlers } from './server.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};
const COOKIE = 'warren_token';

export interface WebServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Browser mode's transport: the renderer over HTTP and the contract over a WebSocket, on 127.0.0.1
 * only. Every request needs the one-time token (in the URL, then an HttpOnly SameSite cookie), a Host
 * header naming this server (DNS-rebinding defence) and, where sent, an Origin of this server.
 */
export async function serveWebSocket(options: { handlers: Handlers; staticDir: string; port: number; token: string; log?(line: string): void }): Promise<WebServer> {
  const log = options.log ?? (() => {});
  const expected = Buffer.from(options.token);
  let port = options.port;
  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];

  const tokenOk = (req: http.IncomingMessage): 'query' | 'cookie' | null => {
    const url = new URL(req.url ?? '/', 'http://x');
    const same = (t: string | null | undefined) => !!t && t.length === expected.length && timingSafeEqual(Buffer.from(t), expected);
    if (same(url.searchParams.get('token'))) return 'query';
    const cookie = (req.headers.cookie ?? '').split(';').map((c) => c.trim()).find((c) => c.startsWith(`${COOKIE}=`));
    return same(cookie?.slice(COOKIE.length + 1)) ? 'cookie' : null;
  };
  /** null when the request may proceed, else why not */
  const refuse = (req: http.IncomingMessage, needOrigin: boolean): [number, string] | null => {
    if (!allowedHosts().includes(req.headers.host ?? '')) return [403, 'Forbidden: this server answers only to 127.0.0.1 and localhost on its own port.'];
    const origin = req.headers.origin;
    if ((origin !== undefined || needOrigin) && !allowedHosts().some((h) => origin === `http://${h}`)) return [403, 'Forbidden: requests from another origin are refused.'];
    if (!tokenOk(req)) return [401, 'Unauthorized: open the URL that `npm run serve` printed; it carries the access token.'];
    return null;
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      const denied = refuse(req, false);
      if (denied) {
        res.writeHead(denied[0], { 'content-type': 'text/plain; charset=utf-8' }).end(denied[1]);
        return;
      }
      const headers: Record<string, string> = {
        'content-security-policy': CSP,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-store',
      };
      if (tokenOk(req) === 'query') headers['set-cookie'] = `${COOKIE}=${options.token}; HttpOnly; SameSite=Strict; Path=/`;
      const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const file = path.resolve(options.staticDir, `.${pathname === '/' ? '/index.html' : pathname}`);
      if (!file.startsWith(path.resolve(options.staticDir) + path.sep) || req.method !== 'GET') {
        res.writeHead(404, headers).end();
        return;
      }
      try {
        const body = await readFile(file);
        res.writeHead(200, { ...headers, 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body);
      } catch {
        res.writeHead(404, headers).end(pathname === '/' ? 'The renderer is not built: run `npm run build:web`.' : 'Not found');
      }
    })();
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 32 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const denied = new URL(req.url ?? '/', 'http://x').pathname !== '/rpc' ? ([404, 'Not found'] as [number, string]) : refuse(req, true);
    if (denied) {
      log(`refused a WebSocket from ${req.headers.origin ?? '(no origin)'}: ${denied[1]}`);
      socket.end(`HTTP/1.1 ${denied[0]} ${denied[0] === 401 ? 'Unauthorized' : denied[0] === 404 ? 'Not Found' : 'Forbidden'}\r\nconnection: close\r\ncontent-type: text/plain\r\n\r\n${denied[1]}`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
  });

  function attach(ws: WebSocket): void {
    const peer = createPeer(options.handlers, (m) => ws.send(encodeFrame(m)), { onProtocolError: (why) => log(why) });
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return log('dropped a text frame: the contract travels in binary frames');
      let message: unknown;
      try {
        const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
        message = decodeFrame(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
      } catch (e) {
        return log(`dropped a malformed frame: ${(e as Error).message}`);
      }
      peer.receive(message);
    });
    ws.on('close', () => peer.close());
    ws.on('error', () => peer.close());
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${options.token}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
