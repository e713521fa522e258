import net from 'node:net';
import { createServer as createSocksServer } from '@pondwader/socks5-server';
import type { ClientChannel, TcpConnectionDetails } from 'ssh2';
import type { TunnelState, TunnelStatus } from '../../shared/tunnels.js';
import { WarrenError } from '../../shared/errors.js';
import type { Tunnel } from '../../shared/model.js';
import { forwardArgs } from '../../shared/sshcommand.js';
import { visible } from '../../shared/untrusted.js';
import type { ConnectionManager, Endpoint, Lease } from '../ssh/connections.js';
import type { ServerSoftware } from '../ssh/ident.js';
import { tuneReceiveWindow } from '../ssh/window.js';
import { channelOpenError } from '../ssh/errors.js';
import { asWarrenError, isFinal, supervise, unlessAborted, Waker, type Backoff } from '../ssh/retry.js';

export interface RunnerDeps {
  connections: ConnectionManager;
  endpointOf(hostId: string): Promise<Endpoint>;
  socksPassword(tunnelId: string): Promise<string | null>;
  /** told after every change of status (state, counters) */
  onChange(): void;
  backoff: Backoff;
}

/** how long a connection that arrives while the tunnel reconnects waits for it before it is closed */
const HOLD_MS = 15_000;
const HISTORY = 60;

/** the SOCKS5 reply for a failed `direct-tcpip` open, from the reason and text sshd gave */
export function socksReply(
  err: Error,
): 'CONNECTION_NOT_ALLOWED' | 'CONNECTION_REFUSED' | 'NETWORK_UNREACHABLE' | 'HOST_UNREACHABLE' | 'TTL_EXPIRED' | 'GENERAL_FAILURE' {
  const { why, kind } = channelOpenError(err);
  switch (kind) {
    case 'prohibited':
      return 'CONNECTION_NOT_ALLOWED';
    case 'refused':
      return 'CONNECTION_REFUSED';
    case 'network-unreachable':
      return 'NETWORK_UNREACHABLE';
    case 'timeout':
      return 'TTL_EXPIRED';
    case 'dns':
    case 'unreachable':
      return 'HOST_UNREACHABLE';
    default:
      // "Temporary failure in name resolution" (EAI_AGAIN): the name did not resolve, for now
      return /temporary failure/i.test(why) ? 'HOST_UNREACHABLE' : 'GENERAL_FAILURE';
  }
}

/**
 * One tunnel's life: bind, connect (on the host's shared connection), forward, and when the
 * connection drops, keep the local port bound and reconnect with exponential backoff until it is
 * back, a final error (authentication, host key) stops it, or the user does.
 */
export class TunnelRunner {
  private state: TunnelState = 'stopped';
  private attempt = 0;
  private nextRetryAt: number | null = null;
  private error: WarrenError | null = null;
  private warning: string | null = null;
  private boundPort: number | null = null;
  private since = Date.now();
  private bytesIn = 0;
  private bytesOut = 0;
  private lastTotal = 0;
  private history: number[] = [];
  private readonly sockets = new Set<net.Socket | ClientChannel>();
  /** the local sockets joined to a channel */
  private readonly piped = new WeakSet<net.Socket>();
  private listener: net.Server | null = null;
  private socks: ReturnType<typeof createSocksServer> | null = null;
  private lease: Lease | null = null;
  private waiters = new Set<(lease: Lease | null) => void>();
  private run: { controller: AbortController; done: Promise<void> } | null = null;
  private readonly waker = new Waker();
  private settled: (() => void) | null = null;

  constructor(
    public tunnel: Tunnel,
    private readonly deps: RunnerDeps,
  ) {}

  status(): TunnelStatus {
    return {
      id: this.tunnel.id,
      state: this.state,
      attempt: this.attempt,
      nextRetryAt: this.nextRetryAt,
      error: this.error?.toWire() ?? null,
      warning: this.warning,
      boundPort: this.boundPort,
      connections: this.sockets.size,
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      history: this.history,
      since: this.since,
    };
  }

  get active(): boolean {
    return this.run !== null;
  }

  /** Starts the tunnel; resolves once it is up, failed or reconnecting. On a waiting tunnel: "retry now". */
  async start(): Promise<TunnelStatus> {
    if (this.run) {
      this.waker.wake();
      return this.status();
    }
    const controller = new AbortController();
    const outcome = new Promise<void>((resolve) => (this.settled = resolve));
    this.error = null;
    this.warning = null;
    this.attempt = 0;
    this.set('starting');
    const done = this.loop(controller.signal).finally(() => this.settle());
    this.run = { controller, done };
    await outcome;
    return this.status();
  }

  /** resume from sleep, network back: a waiting tunnel tries now */
  wake(): void {
    this.waker.wake();
  }

  async stop(): Promise<TunnelStatus> {
    const run = this.run;
    if (run) {
      run.controller.abort();
      await run.done;
    }
    return this.status();
  }

  /** Once a second: the traffic sample for the sparkline. Returns whether anything moved. */
  tick(): boolean {
    const total = this.bytesIn + this.bytesOut;
    const rate = total - this.lastTotal;
    this.lastTotal = total;
    if (!this.run && this.history.every((x) => x === 0)) return false;
    this.history = [...this.history, rate].slice(-HISTORY);
    return true;
  }

  private set(state: TunnelState, extra: Partial<{ attempt: number; nextRetryAt: number | null; error: WarrenError | null }> = {}): void {
    if (state !== this.state) this.since = Date.now();
    this.state = state;
    this.attempt = extra.attempt ?? (state === 'reconnecting' ? this.attempt : 0);
    this.nextRetryAt = extra.nextRetryAt ?? null;
    if ('error' in extra) this.error = extra.error ?? null;
    if (state === 'up' || state === 'failed' || state === 'reconnecting') this.settle();
    this.deps.onChange();
  }

  private settle(): void {
    this.settled?.();
    this.settled = null;
  }

  private async loop(signal: AbortSignal): Promise<void> {
    const t = this.tunnel;
    /** a forward the server refuses fails the tunnel: retrying will not change its mind */
    const refused = new WeakSet<WarrenError>();
    try {
      if (t.kind !== 'remote') await this.bind();
      await supervise({
        signal,
        backoff: this.deps.backoff,
        waker: this.waker,
        final: (e) => isFinal(e) || refused.has(e),
        waiting: (attempt, nextRetryAt, error) => this.set('reconnecting', { attempt, nextRetryAt, error }),
        life: async ({ up }) => {
          const lease = await this.deps.connections.acquire(await this.deps.endpointOf(t.hostId));
          try {
            if (signal.aborted) return null;
            const teardown = await this.forward(lease).catch((e: unknown) => {
              const error = asWarrenError(e);
              refused.add(error);
              throw error;
            });
            this.lease = lease;
            lease.log(`Tunnel "${t.name}" up: ${forwardArgs({ ...t, bindPort: this.boundPort ?? t.bindPort }).join(' ')}`);
            up();
            this.set('up', { error: null });
            this.waiters.forEach((w) => w(lease));
            this.waiters.clear();
            const outcome = await unlessAborted(lease.closed, signal);
            this.lease = null;
            teardown();
            return outcome;
          } finally {
            lease.release();
          }
        },
      });
      this.shutdown();
      this.set('stopped', { error: null });
    } catch (e) {
      this.shutdown();
      this.set('failed', { error: asWarrenError(e) });
    } finally {
      this.run = null;
    }
  }

  private shutdown(): void {
    this.listener?.close();
    this.listener = null;
    this.socks = null;
    this.boundPort = null;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    this.waiters.forEach((w) => w(null));
    this.waiters.clear();
  }

  /** the shared connection while up; while reconnecting, waits (a while) for it to come back */
  private waitUp(): Promise<Lease | null> {
    if (this.lease) return Promise.resolve(this.lease);
    if (!this.run) return Promise.resolve(null);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(done);
        resolve(null);
      }, HOLD_MS);
      const done = (lease: Lease | null) => {
        clearTimeout(timer);
        resolve(lease);
      };
      this.waiters.add(done);
    });
  }

  /** Binds the local port (local and dynamic forwards); a taken port fails the tunnel and says which. */
  private async bind(): Promise<void> {
    const t = this.tunnel;
    // half-open allowed: a client that sends its request and shuts its side (nc -N, HTTP/1.0 tools) still
    // gets the whole answer, as through ssh -L (see pipe)
    const server = net.createServer({ noDelay: true, allowHalfOpen: true }, (sock) => this.accept(sock));
    const socks = t.kind === 'dynamic' ? await this.socksServer() : null;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) => {
        const where = `${t.bindAddress}:${t.bindPort}`;
        if (e.code === 'EADDRINUSE')
          reject(
            new WarrenError(
              'LOCAL_PORT',
              `Local port ${t.bindPort} is already in use on ${t.bindAddress}; another program (or another tunnel) listens there. Pick another port.`,
              { port: t.bindPort, bindAddress: t.bindAddress, cause: 'EADDRINUSE' },
            ),
          );
        else if (e.code === 'EACCES')
          reject(
            new WarrenError('LOCAL_PORT', `Not allowed to listen on ${where}: ports below 1024 need administrator rights. Pick a port above 1024.`, {
              port: t.bindPort,
              cause: 'EACCES',
            }),
          );
        else if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND')
          reject(new WarrenError('LOCAL_PORT', `This machine has no address ${t.bindAddress} to listen on.`, { cause: e.code }));
        else reject(new WarrenError('LOCAL_PORT', `Listening on ${where} failed: ${e.message}`, { cause: e.code }));
      });
      server.listen({ host: t.bindAddress === '*' ? undefined : t.bindAddress, port: t.bindPort, backlog: 511 }, () => resolve());
    });
    server.on('error', () => {});
    this.listener = server;
    this.boundPort = (server.address() as net.AddressInfo).port;
    this.socks = socks;
  }

  private accept(sock: net.Socket): void {
    this.track(sock);
    sock.on('error', () => {});
    if (this.socks) {
      // a client that shuts its side before its SOCKS request is granted has nothing more to say
      sock.once('end', () => {
        if (!this.piped.has(sock)) sock.destroy();
      });
      this.socks._handleConnection(sock);
      return;
    }
    const t = this.tunnel;
    void this.waitUp().then((lease) => {
      if (!lease || sock.destroyed) return sock.destroy();
      lease.client.forwardOut(sock.remoteAddress ?? '127.0.0.1', sock.remotePort ?? 0, t.destHost!, t.destPort!, (err, channel) => {
        if (err) {
          this.warn(`${t.destHost}:${t.destPort} could not be reached from the server: ${channelOpenError(err).why}`);
          return sock.destroy();
        }
        this.pipe(sock, channel, lease);
      });
    });
  }

  private async socksServer(): Promise<ReturnType<typeof createSocksServer>> {
    const t = this.tunnel;
    const socks = createSocksServer();
    if (t.socksUser !== undefined) {
      const password = (await this.deps.socksPassword(t.id)) ?? '';
      socks.setAuthHandler((conn) => conn.username === t.socksUser && conn.password === password);
    }
    socks.setConnectionHandler((conn, sendStatus) => {
      if (conn.command !== 'connect') return sendStatus('COMMAND_NOT_SUPPORTED');
      void this.waitUp().then((lease) => {
        if (!lease) return sendStatus('GENERAL_FAILURE');
        lease.client.forwardOut('127.0.0.1', 0, conn.destAddress, conn.destPort, (err, channel) => {
          if (err) {
            this.warn(`${conn.destAddress}:${conn.destPort} could not be reached from the server: ${channelOpenError(err).why}`);
            return sendStatus(socksReply(err));
          }
          sendStatus('REQUEST_GRANTED');
          this.pipe(conn.socket as net.Socket, channel, lease);
        });
      });
    });
    return socks;
  }

  /**
   * Sets the forward up on a fresh connection. A forward the server refuses fails the tunnel
   * (OpenSSH's ExitOnForwardFailure): it is never left looking up while it cannot work.
   */
  private async forward(lease: Lease): Promise<() => void> {
    const t = this.tunnel;
    if (t.kind !== 'remote') {
      // probe: the server tells "administratively prohibited" when it forbids forwarding
      const [host, port] = t.kind === 'local' ? [t.destHost!, t.destPort!] : ['127.0.0.1', 1];
      const err = await new Promise<Error | null>((resolve) =>
        lease.client.forwardOut('127.0.0.1', 0, host, port, (e, ch) => {
          ch?.destroy();
          resolve(e ?? null);
        }),
      );
      const refusal = err ? channelOpenError(err) : null;
      if (refusal?.kind === 'prohibited') {
        // the server's own words first: only OpenSSH's reasons are guessed at after them
        throw new WarrenError(
          'CHANNEL',
          `The server refuses to forward connections (administratively prohibited; it said: "${visible(refusal.why)}"). ${whyNoForwarding(lease.software, t.kind === 'local' ? `${host}:${port}` : 'this destination')}`,
          { reason: 'administratively prohibited', serverSaid: refusal.why },
        );
      }
      this.warning = err && t.kind === 'local' ? `${host}:${port} is not reachable from the server right now: ${channelOpenError(err).why}` : null;
      return () => {};
    }
    const client = lease.client;
    const port = await new Promise<number>((resolve, reject) =>
      client.forwardIn(t.bindAddress, t.bindPort, (err, p) => {
        if (err) {
          reject(
            new WarrenError(
              'CHANNEL',
              `The server refused to listen on ${t.bindAddress}:${t.bindPort} for this remote forward. ${
                lease.software === 'TinySSH'
                  ? whyNoForwarding('TinySSH', '')
                  : `The port may be in use on the server, need root (below 1024), or remote forwarding is disabled (${lease.software === 'Dropbear' ? 'Dropbear started with -k' : 'AllowTcpForwarding no / local'}).`
              }`,
              { bindAddress: t.bindAddress, port: t.bindPort },
            ),
          );
        } else resolve(p);
      }),
    );
    this.boundPort = port;
    const onConnection = (info: TcpConnectionDetails, accept: () => ClientChannel) => {
      if (info.destPort !== port || info.destIP !== t.bindAddress) return;
      const channel = accept();
      this.track(channel);
      const sock = net.connect({ host: t.destHost!, port: t.destPort!, noDelay: true, allowHalfOpen: true });
      sock.once('connect', () => this.pipe(sock, channel, lease));
      sock.once('error', (e: NodeJS.ErrnoException) => {
        this.warn(`${t.destHost}:${t.destPort} on this machine: ${e.code ?? e.message}`);
        channel.destroy();
      });
    };
    client.on('tcp connection', onConnection);
    return () => {
      client.off('tcp connection', onConnection);
      for (const s of this.sockets) s.destroy();
      try {
        client.unforwardIn(t.bindAddress, port);
      } catch {
        // the connection is gone, and the server's listener with it
      }
      this.boundPort = null;
    };
  }

  private track(s: net.Socket | ClientChannel): void {
    this.sockets.add(s);
    s.once('close', () => {
      this.sockets.delete(s);
    });
  }

  /**
   * Bytes from the far side are "in", bytes from the local side are "out". Each side's end (EOF) is
   * passed on as an end, not a close, so either may shut its half and still read the other's answer;
   * the socket closes once both halves have ended. Closing the local socket as soon as the channel
   * closed also made every short connection wait, about one time in a hundred, 40 ms for the next
   * channel's confirmation: sshd (no TCP_NODELAY without a terminal) held it behind its unacknowledged
   * close of the previous channel.
   */
  private pipe(local: net.Socket, far: ClientChannel, lease: Lease): void {
    this.piped.add(local);
    this.track(local);
    tuneReceiveWindow(far, lease.rttMs);
    local.on('data', (d: Buffer) => (this.bytesOut += d.length));
    far.on('data', (d: Buffer) => (this.bytesIn += d.length));
    local.on('error', () => far.destroy());
    far.on('error', () => local.destroy());
    local.once('close', () => far.destroy());
    far.once('close', () => local.end());
    local.pipe(far);
    far.pipe(local);
  }

  private warn(message: string): void {
    if (this.warning === message) return;
    this.warning = message;
    this.deps.onChange();
  }
}

/** What makes a server refuse forwarding, for the software it runs (only OpenSSH has an sshd_config). */
function whyNoForwarding(software: ServerSoftware, dest: string): string {
  switch (software) {
    case 'TinySSH':
      return 'The server runs TinySSH, which has no port forwarding at all: run this tunnel through another host (one with OpenSSH or Dropbear can reach the same destination).';
    case 'Dropbear':
      return 'The server runs Dropbear, started with -j (no local forwarding) or built without TCP forwarding. Ask its administrator, or use another host.';
    default:
      return `On OpenSSH, its sshd_config has AllowTcpForwarding no, or PermitOpen does not allow ${dest}. Ask its administrator, or use another host.`;
  }
}
