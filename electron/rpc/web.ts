import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CSP } from '../../shared/csp.js';
import { visible } from '../../shared/untrusted.js';
import { decodeFrame, encodeFrame, WS_PROTOCOL, WS_TOKEN_PREFIX, type ServerMessage } from '../../shared/wire.js';
import { DOWNLOAD_PREFIX, type BrowserDownloads } from '../sftp/links.js';
import { createPeer, type Handlers } from './peer.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/**
 * A client that leaves more than this unread is dropped. A terminal under flow control holds back at
 * most ~1 MiB and a download waits for acknowledgements, so only a client that stopped reading gets
 * here; without a bound, its replies pile up in the server's memory until the process dies.
 */
export const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

export interface WebServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

type Refusal = [status: number, why: string];
const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed' };

/**
 * `attachment` with the file's name for the browser to save it under (unsafeNameReason already refused
 * controls, slashes and the like): an ASCII fallback, and the exact name as RFC 6266 / 5987 UTF-8.
 */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const utf8 = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}

/** the request's decoded path; null when its URL or its percent-encoding is malformed */
function pathOf(req: http.IncomingMessage): string | null {
  try {
    return decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  } catch {
    return null;
  }
}

/** the subprotocols a WebSocket handshake offers */
function offeredProtocols(req: http.IncomingMessage): string[] {
  return (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Browser mode's transport: the renderer over HTTP and the contract over a WebSocket, on 127.0.0.1
 * only. Every request needs a Host header naming this server (DNS-rebinding defence) and, where sent,
 * an Origin of this server. The static files hold no data and need nothing more; the WebSocket also
 * needs the one-time token, offered as a subprotocol (`shared/wire.ts`). No cookie: cookies are not
 * scoped by port, so every other server on 127.0.0.1 the browser visits would receive it.
 */
export async function serveWeb(options: {
  handlers: Handlers;
  /** serves GET /download/<ticket> (sftp/links.ts); without it those are 404 */
  downloads?: BrowserDownloads;
  staticDir: string;
  port: number;
  token: string;
  log?(line: string): void;
}): Promise<WebServer> {
  // what a client sent (an Origin, an error's text) is shown with its controls visible, never raw
  const log = (line: string) => options.log?.(visible(line));
  // compared as digests: equal lengths whatever the client sent (a non-ASCII token included)
  const expected = digest(options.token);
  let port = options.port;
  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];

  const tokenOk = (req: http.IncomingMessage): boolean => {
    const offered = offeredProtocols(req).find((p) => p.startsWith(WS_TOKEN_PREFIX));
    return offered !== undefined && timingSafeEqual(digest(offered.slice(WS_TOKEN_PREFIX.length)), expected);
  };
  /** null when the request may proceed, else why not */
  const refuse = (req: http.IncomingMessage, needOrigin: boolean): Refusal | null => {
    if (!allowedHosts().includes(req.headers.host ?? '')) return [403, 'Forbidden: this server answers only to 127.0.0.1 and localhost on its own port.'];
    const origin = req.headers.origin;
    if ((origin !== undefined || needOrigin) && !allowedHosts().some((h) => origin === `http://${h}`))
      return [403, 'Forbidden: requests from another origin are refused.'];
    return null;
  };
  const refuseUpgrade = (req: http.IncomingMessage): Refusal | null => {
    if (pathOf(req) !== '/rpc') return [404, 'Not found'];
    const denied = refuse(req, true);
    if (denied) return denied;
    if (!tokenOk(req)) return [401, 'Unauthorized: open the URL that `npm run serve` printed; it carries the access token.'];
    if (!offeredProtocols(req).includes(WS_PROTOCOL)) return [400, `Bad Request: offer the ${WS_PROTOCOL} subprotocol.`];
    return null;
  };

  const securityHeaders = {
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  };
  async function serveStatic(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const denied: Refusal | null = refuse(req, false) ?? (req.method === 'GET' ? null : [405, 'Method Not Allowed: only GET is served.']);
    if (denied) {
      res.writeHead(denied[0], { ...securityHeaders, 'content-type': 'text/plain; charset=utf-8', ...(denied[0] === 405 && { allow: 'GET' }) }).end(denied[1]);
      return;
    }
    const pathname = pathOf(req);
    if (pathname === null) {
      res.writeHead(400, securityHeaders).end('Bad Request: malformed URL');
      return;
    }
    if (pathname.startsWith(DOWNLOAD_PREFIX)) return serveDownload(req, res, pathname.slice(DOWNLOAD_PREFIX.length));
    const file = path.resolve(options.staticDir, `.${pathname === '/' ? '/index.html' : pathname}`);
    if (!file.startsWith(path.resolve(options.staticDir) + path.sep)) {
      res.writeHead(404, securityHeaders).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { ...securityHeaders, 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404, securityHeaders).end(pathname === '/' ? 'The renderer is not built: run `npm run build:web`.' : 'Not found');
    }
  }

  /**
   * A download link as a normal HTTP download: Content-Length, Content-Disposition with the file's own
   * name, and `Range: bytes=N-` to resume. Bytes are read as the response drains (the engine waits for
   * each chunk's acknowledgement, sent once the socket took it); a client that goes away cancels it.
   */
  async function serveDownload(req: http.IncomingMessage, res: http.ServerResponse, ticket: string): Promise<void> {
    const text = (status: number, why: string) => res.writeHead(status, { ...securityHeaders, 'content-type': 'text/plain; charset=utf-8' }).end(why);
    const link = options.downloads?.find(ticket) ?? null;
    if (!link) return void text(404, 'Not Found: this download link has expired or never existed; download the file again from Warren.');
    // a resume (`Range: bytes=N-`) is served only while the file is the one the browser has the start
    // of: If-Range names it by the ETag (size, mtime) or Last-Modified sent before; any other range form
    // gets the whole file, as RFC 9110 allows
    const m = /^bytes=(\d{1,15})-$/.exec(req.headers.range?.trim() ?? '');
    const ifRange = req.headers['if-range'];
    const wanted = m ? Number(m[1]) : 0;
    const controller = new AbortController();
    res.once('close', () => controller.abort());
    let id = '';
    try {
      const stat = await options.downloads!.stat(link);
      const etag = `"${stat.size.toString(36)}-${Math.round(stat.mtime).toString(36)}"`;
      const lastModified = new Date(stat.mtime).toUTCString();
      const sameFile = ifRange === undefined || ifRange === etag || ifRange === lastModified;
      const from = sameFile ? wanted : 0;
      if (from > 0 && from >= stat.size) {
        res.writeHead(416, { ...securityHeaders, 'content-range': `bytes */${stat.size}` }).end();
        return;
      }
      await options.downloads!.run(
        link,
        from,
        (e) => {
          if (e.type === 'data') return void res.write(e.data, () => options.downloads!.ack(id, e.data.byteLength));
          id = e.id;
          res.writeHead(from > 0 ? 206 : 200, {
            ...securityHeaders,
            'content-type': 'application/octet-stream',
            'content-length': String(e.size - from),
            'content-disposition': contentDisposition(e.name),
            'accept-ranges': 'bytes',
            etag,
            'last-modified': lastModified,
            ...(from > 0 && { 'content-range': `bytes ${from}-${e.size - 1}/${e.size}` }),
          });
        },
        controller.signal,
      );
      res.end();
    } catch (e) {
      if (res.headersSent) return void res.destroy();
      const why = e instanceof Error ? e.message : String(e);
      log(`download of ${link.path} refused: ${why}`);
      text(404, `Not Found: ${why}`);
    }
  }

  // Every handler below is wrapped: whatever a request makes it throw answers that request (or closes
  // its socket) and nothing else, so no request can end the process and the sessions it serves.
  const server = http.createServer((req, res) => {
    serveStatic(req, res).catch((e: unknown) => {
      log(`answered 400 to a request that failed: ${(e as Error).message}`);
      if (res.headersSent) res.destroy();
      else res.writeHead(400, securityHeaders).end('Bad Request');
    });
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 32 * 1024 * 1024,
    // select warren.v1, never echo the token entry back
    handleProtocols: (protocols) => (protocols.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  });
  const refuseSocket = (socket: Duplex, [status, why]: Refusal) =>
    socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nconnection: close\r\ncontent-type: text/plain\r\n\r\n${why}`);
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node takes its own error listener off an upgraded socket: a reset here would be an uncaught 'error'
    socket.on('error', () => socket.destroy());
    try {
      const denied = refuseUpgrade(req);
      if (denied) {
        log(`refused a WebSocket from ${req.headers.origin ?? '(no origin)'}: ${denied[1]}`);
        refuseSocket(socket, denied);
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
    } catch (e) {
      log(`answered 400 to a WebSocket upgrade that failed: ${(e as Error).message}`);
      refuseSocket(socket, [400, 'Bad Request']);
    }
  });

  function attach(ws: WebSocket): void {
    const send = (m: ServerMessage) => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        log(`dropped a client that stopped reading: ${Math.round(ws.bufferedAmount / 2 ** 20)} MiB of replies were waiting for it`);
        ws.terminate();
        return;
      }
      ws.send(encodeFrame(m));
    };
    const peer = createPeer(options.handlers, send, { onProtocolError: (why) => log(why) });
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return log('dropped a text frame: the contract travels in binary frames');
      let message: unknown;
      try {
        // a Buffer as it came (no copy: every upload chunk passes here); fragments joined; an ArrayBuffer wrapped
        const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
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
    // the token in the fragment: a browser never sends it to a server; the page takes it out of the address bar
    url: `http://127.0.0.1:${port}/#token=${options.token}`,
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
