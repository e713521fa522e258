// A long link on loopback: a TCP proxy on 127.0.0.1 that holds every byte for half the round-trip time
// in each direction (this kernel has no netem), optionally at a capped rate, so SSH clients between it
// and a test sshd meet what a server 50 or 150 ms away does to them: their channel windows and request
// pipelines, not the CPU, set the speed. Bounded: a direction holds at most `maxQueuedBytes` in flight,
// then it stops reading (TCP's backpressure reaches the sender, as a full link's queue does).
import net from 'node:net';

export interface WanOptions {
  /** where the proxy forwards to, on 127.0.0.1 */
  targetPort: number;
  /** round-trip time added, in ms (half each way) */
  rttMs: number;
  /** the link's rate in bytes per second, each way; default: no cap (the delay alone) */
  rateBytesPerSec?: number;
  /** most bytes held per direction (default 64 MiB: above 150 ms × 400 MB/s) */
  maxQueuedBytes?: number;
}

export interface WanProxy {
  readonly port: number;
  readonly rttMs: number;
  /** connections accepted so far */
  connections(): number;
  close(): Promise<void>;
}

/** One direction of one connection: bytes from `from` reach `to` oneWayMs later, in order. */
function delayedPipe(from: net.Socket, to: net.Socket, oneWayMs: number, rate: number | undefined, maxQueued: number): void {
  const queue: { due: number; data: Buffer | null }[] = []; // null: the end of the stream
  let queued = 0;
  let head = 0;
  let linkFreeAt = 0;
  let timer: NodeJS.Timeout | null = null;
  let waitingDrain = false;

  const deliver = () => {
    timer = null;
    const now = performance.now();
    while (head < queue.length && queue[head]!.due <= now + 0.5) {
      const { data } = queue[head]!;
      queue[head++] = undefined as never;
      if (data === null) {
        to.end();
        return;
      }
      queued -= data.length;
      if (from.isPaused() && queued < maxQueued / 2) from.resume();
      if (!to.write(data)) {
        waitingDrain = true;
        to.once('drain', () => {
          waitingDrain = false;
          deliver();
        });
        return;
      }
    }
    if (head > 1024 && head * 2 > queue.length) (queue.splice(0, head), (head = 0));
    schedule();
  };
  const schedule = () => {
    if (timer || waitingDrain || head >= queue.length) return;
    timer = setTimeout(deliver, Math.max(0, queue[head]!.due - performance.now()));
  };
  const enqueue = (data: Buffer | null) => {
    const now = performance.now();
    let sent = now;
    if (rate && data) {
      // serialisation on a link of that rate: this chunk goes out once the ones before it have
      sent = Math.max(now, linkFreeAt) + (data.length / rate) * 1000;
      linkFreeAt = sent;
    }
    queue.push({ due: sent + oneWayMs, data });
    if (data) queued += data.length;
    if (queued > maxQueued) from.pause();
    schedule();
  };
  from.on('data', (d: Buffer) => enqueue(d));
  from.on('end', () => enqueue(null));
}

export async function startWanProxy(opts: WanOptions): Promise<WanProxy> {
  const maxQueued = opts.maxQueuedBytes ?? 64 * 1024 * 1024;
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (client) => {
    accepted++;
    const upstream = net.connect({ host: '127.0.0.1', port: opts.targetPort, allowHalfOpen: true, noDelay: true });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    delayedPipe(client, upstream, opts.rttMs / 2, opts.rateBytesPerSec, maxQueued);
    delayedPipe(upstream, client, opts.rttMs / 2, opts.rateBytesPerSec, maxQueued);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    rttMs: opts.rttMs,
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
