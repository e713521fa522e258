// The far and near ends of the tunnel and WAN benchmarks, in a child process of its own (forked by ./load.ts) so that
// neither the servers, the clients nor the delay proxies share an event loop with Warren, which runs in the parent.
// Servers: a pattern source, an echo server and an HTTP server; clients: a streaming reader, sequential short
// connections, a concurrent burst; and delay proxies (a long link in front of a port).
// The parent asks over IPC ({ id, op, ... }) and gets { id, result } or { id, error }.
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { startWanProxy } from '../harness/wan.js';

export interface LoadPorts {
  /** reads an 8-byte big-endian length, then streams that many pattern bytes and ends */
  source: number;
  /** echoes everything */
  echo: number;
  /** GET /bytes/N: N pattern bytes */
  http: number;
}

export type LoadRequest =
  | { op: 'stream'; port: number; bytes: number }
  | { op: 'latency'; port: number; count: number; warmup: number }
  | { op: 'burst'; port: number; count: number; size: number }
  /** a delay proxy (test/harness/wan.ts) in front of 127.0.0.1:targetPort; answers its port */
  | { op: 'proxy'; targetPort: number; rttMs: number };

export interface StreamResult {
  seconds: number;
  bytes: number;
  /** every byte matched the pattern and the count is exact */
  verified: boolean;
  error: string | null;
}

export interface LatencyResult {
  /** connect → 1 byte sent → its echo received, ms */
  echoMs: number[];
  /** the same plus end() → 'close' (the teardown travelling through the tunnel and back), ms */
  cycleMs: number[];
  failures: number;
  errors: string[];
}

export interface BurstResult {
  /** from the first connect until every connection is verified (or has failed) */
  seconds: number;
  ok: number;
  /** error, timeout or short echo */
  lost: number;
  /** full length, wrong sha256 (or more bytes than sent) */
  corrupted: number;
  errors: string[];
}

export type LoadMessage = { type: 'ready'; ports: LoadPorts } | { id: number; result: unknown } | { id: number; error: string };

/** An odd length, so that block boundaries and the sockets' chunk boundaries never line up: byte p of a stream is BLOCK[p % BLOCK.length]. */
const BLOCK = randomBytes(1024 * 1024 + 13);
const HOST = '127.0.0.1';
const CONNECT_TIMEOUT_MS = 60_000;

/** Writes `total` pattern bytes with backpressure, then calls `done` (not if the destination went away). */
function pump(dest: { write(b: Buffer): boolean; once(ev: 'drain', f: () => void): unknown; destroyed: boolean }, total: number, done: () => void): void {
  let sent = 0;
  const more = (): void => {
    while (sent < total) {
      if (dest.destroyed) return;
      const n = Math.min(BLOCK.length, total - sent);
      sent += n;
      if (!dest.write(n === BLOCK.length ? BLOCK : BLOCK.subarray(0, n))) {
        dest.once('drain', more);
        return;
      }
    }
    done();
  };
  more();
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: HOST, port: 0, backlog: 511 }, () => resolve((server.address() as net.AddressInfo).port));
  });
}

const servers: (net.Server | http.Server)[] = [];

async function startServers(): Promise<LoadPorts> {
  const source = net.createServer({ noDelay: true }, (sock) => {
    sock.on('error', () => {});
    let head = Buffer.alloc(0);
    const onData = (d: Buffer) => {
      head = Buffer.concat([head, d]);
      if (head.length < 8) return;
      sock.off('data', onData);
      pump(sock, Number(head.readBigUInt64BE(0)), () => sock.end());
    };
    sock.on('data', onData);
  });
  const echo = net.createServer({ noDelay: true }, (sock) => {
    sock.on('error', () => {});
    sock.pipe(sock);
  });
  const web = http.createServer((req, res) => {
    const m = /^\/bytes\/(\d+)$/.exec(req.url ?? '');
    if (!m) return void res.writeHead(404).end();
    const total = Number(m[1]);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(total) });
    pump(res as unknown as Parameters<typeof pump>[0], total, () => res.end());
  });
  servers.push(source, echo, web);
  return { source: await listen(source), echo: await listen(echo), http: await listen(web) };
}

// ---------------------------------------------------------------- clients

function stream(port: number, bytes: number): Promise<StreamResult> {
  return new Promise((resolve) => {
    const start = performance.now();
    let got = 0;
    let verified = true;
    const sock = net.connect({ host: HOST, port, noDelay: true });
    const timer = setTimeout(() => sock.destroy(new Error(`timed out after ${CONNECT_TIMEOUT_MS * 5} ms`)), CONNECT_TIMEOUT_MS * 5);
    const finish = (error: string | null) => {
      clearTimeout(timer);
      const seconds = (performance.now() - start) / 1000;
      sock.destroy();
      resolve({ seconds, bytes: got, verified: verified && error === null && got === bytes, error });
    };
    sock.once('connect', () => {
      const head = Buffer.alloc(8);
      head.writeBigUInt64BE(BigInt(bytes));
      sock.write(head);
    });
    sock.on('data', (d: Buffer) => {
      for (let i = 0; i < d.length;) {
        const off = got % BLOCK.length;
        const n = Math.min(d.length - i, BLOCK.length - off);
        if (verified && !d.subarray(i, i + n).equals(BLOCK.subarray(off, off + n))) verified = false;
        got += n;
        i += n;
      }
    });
    sock.once('end', () => finish(got === bytes ? null : `stream ended after ${got} of ${bytes} bytes`));
    sock.once('error', (e) => finish(e.message));
  });
}

/** connect, send 1 byte, read its echo, end, wait for close */
function shortConnection(port: number): Promise<{ echoMs: number; cycleMs: number }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let echoMs = -1;
    const sock = net.connect({ host: HOST, port, noDelay: true });
    const timer = setTimeout(() => sock.destroy(new Error('timed out after 10 s')), 10_000);
    sock.once('connect', () => sock.write('x'));
    sock.on('data', (d: Buffer) => {
      if (echoMs >= 0) return;
      if (d[0] !== 0x78) return void sock.destroy(new Error(`echo was ${d.toString('hex')}`));
      echoMs = performance.now() - start;
      sock.end();
    });
    sock.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    sock.once('close', (hadError) => {
      clearTimeout(timer);
      if (hadError) return;
      if (echoMs < 0) reject(new Error('closed before the echo'));
      else resolve({ echoMs, cycleMs: performance.now() - start });
    });
  });
}

/** `warmup` connections first, not counted (they warm the JIT of whatever serves the port: Warren's cold first connections cost ~2×) */
async function latency(port: number, count: number, warmup: number): Promise<LatencyResult> {
  for (let i = 0; i < warmup; i++) await shortConnection(port).catch(() => {});
  const r: LatencyResult = { echoMs: [], cycleMs: [], failures: 0, errors: [] };
  for (let i = 0; i < count; i++) {
    try {
      const s = await shortConnection(port);
      r.echoMs.push(s.echoMs);
      r.cycleMs.push(s.cycleMs);
    } catch (e) {
      r.failures++;
      if (r.errors.length < 5) r.errors.push(e instanceof Error ? e.message : String(e));
    }
  }
  return r;
}

async function burst(port: number, count: number, size: number): Promise<BurstResult> {
  const payloads = Array.from({ length: count }, () => randomBytes(size));
  const digests = payloads.map((p) => createHash('sha256').update(p).digest('hex'));
  const r: BurstResult = { seconds: 0, ok: 0, lost: 0, corrupted: 0, errors: [] };
  const note = (e: string) => void (r.errors.length < 5 && r.errors.push(e));
  const start = performance.now();
  await Promise.all(
    payloads.map(
      (payload, i) =>
        new Promise<void>((resolve) => {
          const chunks: Buffer[] = [];
          let got = 0;
          let settled = false;
          const sock = net.connect({ host: HOST, port, noDelay: true });
          const settle = (outcome: 'ok' | 'lost' | 'corrupted', why?: string) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            r[outcome]++;
            if (why) note(`#${i}: ${why}`);
            if (outcome === 'ok') sock.end();
            else sock.destroy();
            resolve();
          };
          const timer = setTimeout(() => settle('lost', `timed out after ${CONNECT_TIMEOUT_MS} ms with ${got} of ${size} bytes echoed`), CONNECT_TIMEOUT_MS);
          sock.once('connect', () => sock.write(payload));
          sock.on('data', (d: Buffer) => {
            chunks.push(d);
            got += d.length;
            if (got < size) return;
            if (got > size) return settle('corrupted', `${got} bytes echoed for ${size} sent`);
            const ok = createHash('sha256').update(Buffer.concat(chunks)).digest('hex') === digests[i];
            settle(ok ? 'ok' : 'corrupted', ok ? undefined : 'sha256 of the echo differs');
          });
          sock.on('error', (e) => settle('lost', e.message));
          sock.once('close', () => settle('lost', `closed after ${got} of ${size} bytes echoed`));
        }),
    ),
  );
  r.seconds = (performance.now() - start) / 1000;
  return r;
}

function handle(req: LoadRequest): Promise<unknown> {
  switch (req.op) {
    case 'stream':
      return stream(req.port, req.bytes);
    case 'latency':
      return latency(req.port, req.count, req.warmup);
    case 'burst':
      return burst(req.port, req.count, req.size);
    case 'proxy':
      return startWanProxy({ targetPort: req.targetPort, rttMs: req.rttMs }).then((p) => p.port);
  }
}

if (process.send) {
  const send = (m: LoadMessage) => process.send!(m);
  process.on('message', (m: LoadRequest & { id: number }) => {
    handle(m).then(
      (result) => send({ id: m.id, result }),
      (e: unknown) => send({ id: m.id, error: e instanceof Error ? e.message : String(e) }),
    );
  });
  // the parent went away (or is done): nothing here may outlive it
  process.on('disconnect', () => {
    for (const s of servers) s.close();
    process.exit(0);
  });
  send({ type: 'ready', ports: await startServers() });
}
