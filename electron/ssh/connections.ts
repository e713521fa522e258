import { randomUUID } from 'node:crypto';
import type { Client } from 'ssh2';
import type { ConnectionInfo } from '../../shared/connections.js';
import { WarrenError } from '../../shared/errors.js';
import { visible } from '../../shared/untrusted.js';
import { connect } from './connect.js';
import type { ConnectDeps, ConnectSpec, Connected, Transport } from './connect-spec.js';
import type { ServerSoftware } from './ident.js';
import { channelOpenError, isSessionLimit } from './errors.js';

/** A resolved place to connect to: a saved host (`hostId`) or a quick-connect target. */
export interface Endpoint {
  /** connections are shared per key: the host id (or `user@host:port`), plus the hops it is reached through */
  key: string;
  hostId: string | null;
  label: string;
  spec: ConnectSpec;
  /** the previous hop of a jump chain: this endpoint is reached through a channel it opens */
  via: Endpoint | null;
  /** what Warren does differently from ssh for this endpoint (ssh_config it does not apply): logged when it connects */
  notes?: string[];
  /**
   * What its terminals run instead of the login shell: ssh_config's RemoteCommand for a name resolved through
   * it (a linked host too), else a saved host's Remote command; `from` says where it was set
   */
  command?: { text: string; from: string };
}

/** An error from a hop of the chain names that hop, so the UI can say which one failed. */
export function throughHop(e: unknown, hop: Endpoint): unknown {
  if (!(e instanceof WarrenError) || e.detail?.hop !== undefined) return e;
  return new WarrenError(e.code, `Jump host ${hop.label}: ${e.message}`, { ...e.detail, hop: hop.label });
}

/** The next hop's transport: a `direct-tcpip` channel the previous hop opens to it (ssh -J / -W). */
export function channelTo(parent: Pick<Lease, 'client'>, endpoint: Endpoint, via: Endpoint): Promise<Transport> {
  const { hostname, port } = endpoint.spec;
  return new Promise((resolve, reject) =>
    parent.client.forwardOut('127.0.0.1', 0, hostname, port, (err: Error | undefined, channel) => {
      if (!err) return resolve(channel as unknown as Transport);
      const { why, kind } = channelOpenError(err);
      const detail = { hostname, port, via: via.label, reason: why };
      if (kind === 'prohibited')
        reject(
          new WarrenError(
            'CHANNEL',
            `Jump host ${via.label} refuses to open connections onward (administratively prohibited): its sshd has AllowTcpForwarding no, or PermitOpen excludes ${hostname}:${port}.`,
            detail,
          ),
        );
      else if (kind === 'refused')
        reject(
          new WarrenError(
            'TCP_REFUSED',
            `${hostname}:${port} refused the connection from jump host ${via.label}: nothing listens there. Is sshd running on that port?`,
            detail,
          ),
        );
      else if (kind === 'dns') reject(new WarrenError('DNS', `Jump host ${via.label} cannot resolve ${hostname} (${why}).`, detail));
      else if (kind === 'timeout') reject(new WarrenError('TCP_TIMEOUT', `${hostname}:${port} did not answer jump host ${via.label} (${why}).`, detail));
      else if (kind === 'unreachable' || kind === 'network-unreachable')
        reject(new WarrenError('TCP_UNREACHABLE', `Jump host ${via.label} has no route to ${hostname}:${port} (${why}).`, detail));
      else reject(new WarrenError('CHANNEL', `Jump host ${via.label} could not reach ${hostname}:${port}: ${why}`, detail));
    }),
  );
}

/** One user's hold on a shared connection. */
export interface Lease {
  readonly connectionId: string;
  readonly client: Client;
  /** true when the connection already existed (or was being opened) for another user */
  readonly reused: boolean;
  /** what the server says it runs */
  readonly software: ServerSoftware;
  /** the connection's round trip in ms, once measured */
  rttMs(): number | null;
  /** the connection went away under this lease (server closed, network dropped, keepalive timeout) */
  readonly closed: Promise<WarrenError>;
  /** adds a line to the connection's session log (channels opened, forwards, …) */
  log(line: string): void;
  release(): void;
}

const LOG_LINES = 500;
const KEEP_CLOSED_LOGS = 50;

/**
 * One connection's `ssh -v`-style log: timestamped, bounded, never a secret (callers log facts, not values).
 * Lines carry the server's words (banners, disconnect reasons, errors): their controls are made visible here.
 */
class SessionLog {
  readonly lines: string[] = [];
  add = (line: string): void => {
    const t = new Date().toISOString().slice(11, 23);
    this.lines.push(`${t} ${visible(line)}`);
    if (this.lines.length > LOG_LINES) this.lines.splice(0, this.lines.length - LOG_LINES);
  };
}

interface Entry {
  id: string;
  endpoint: Endpoint;
  ready: Promise<Connected & { parent: Lease | null }>;
  connected: Connected | null;
  refs: number;
  openedAt: number;
  closed: Promise<WarrenError>;
  markClosed(e: WarrenError): void;
  log: SessionLog;
}

/** how many connections to one endpoint sessions spill over to before a refusal is the caller's */
const MAX_SESSION_CONNECTIONS = 64;

/**
 * One SSH connection per endpoint, shared by every terminal (later tunnels and SFTP) on it, like
 * OpenSSH's ControlMaster; reference-counted and closed when its last user leaves.
 */
export class ConnectionManager {
  private readonly entries = new Map<string, Entry>();
  /** logs of connections that closed or failed, newest last, for a while */
  private readonly pastLogs = new Map<string, SessionLog>();
  private readonly listeners = new Set<(list: ConnectionInfo[]) => void>();

  constructor(private readonly depsFor: (endpoint: Endpoint) => ConnectDeps) {}

  async acquire(endpoint: Endpoint, onStatus?: (message: string) => void): Promise<Lease> {
    let entry = this.entries.get(endpoint.key);
    const reused = entry !== undefined;
    if (!entry) entry = this.open(endpoint, onStatus);
    else onStatus?.(`Reusing the open connection to ${endpoint.label}…`);
    entry.refs++;
    this.changed();
    let connected: Connected;
    try {
      connected = await entry.ready;
    } catch (e) {
      entry.refs--;
      this.changed();
      throw e;
    }
    let released = false;
    const e = entry;
    return {
      connectionId: e.id,
      client: connected.client,
      reused,
      software: connected.software,
      rttMs: connected.rttMs,
      closed: e.closed,
      log: e.log.add,
      release: () => {
        if (released) return;
        released = true;
        e.refs--;
        if (e.refs === 0 && this.entries.get(endpoint.key) === e) {
          this.entries.delete(endpoint.key);
          e.connected?.client.end();
        }
        this.changed();
      },
    };
  }

  /**
   * A lease with a session channel (a shell, an exec, SFTP) that `open` opens on its connection; `open`
   * rejects with ssh2's error when the channel is refused. A server that allows only so many sessions
   * per connection (sshd's MaxSessions, 10 by default; TinySSH allows one) refuses one more as
   * administratively prohibited: then the session goes to the endpoint's next connection, itself shared
   * (the 11th to 20th shells of a default sshd share a second connection), as OpenSSH's multiplexer
   * falls back to a connection of its own; the logs say so. Release the lease returned when the session ends.
   */
  async acquireSession<T>(endpoint: Endpoint, open: (client: Client) => Promise<T>, onStatus?: (message: string) => void): Promise<{ lease: Lease; value: T }> {
    for (let slot = 1; ; slot++) {
      const lease = await this.acquire(slot === 1 ? endpoint : { ...endpoint, key: `${endpoint.key}#${slot}` }, onStatus);
      try {
        const value = await open(lease.client);
        if (slot > 1 && !lease.reused) lease.log(`Connection ${slot} to ${endpoint.label}: the ones before it hold as many sessions as the server allows`);
        return { lease, value };
      } catch (e) {
        lease.release();
        // a fresh connection that refuses its first session refuses sessions, not one more of them
        if (!lease.reused || !isSessionLimit(e) || slot >= MAX_SESSION_CONNECTIONS) throw e;
        lease.log(
          `${endpoint.label} refused another session on this connection ("${channelOpenError(e as Error).why}"): it allows no more sessions on one connection (TinySSH allows one; sshd, MaxSessions: 10 by default), so the new session goes to connection ${slot + 1}`,
        );
        onStatus?.(`${endpoint.label} allows no more sessions on this connection: using connection ${slot + 1}…`);
      }
    }
  }

  /** whether a connection to the endpoint is up (logged in), so that `acquire` would reuse it at once */
  connected(endpoint: Endpoint): boolean {
    return this.entries.get(endpoint.key)?.connected != null;
  }

  list(): ConnectionInfo[] {
    const out: ConnectionInfo[] = [];
    for (const e of this.entries.values()) {
      if (!e.connected) continue;
      const { spec } = e.endpoint;
      out.push({
        id: e.id,
        label: e.endpoint.label,
        hostId: e.endpoint.hostId,
        hostname: spec.hostname,
        port: spec.port,
        user: spec.user,
        sessions: e.refs,
        openedAt: e.openedAt,
        hostKey: e.connected.hostKey,
        kex: e.connected.kex,
      });
    }
    return out;
  }

  /** the session log of a connection, open or recently closed */
  log(connectionId: string): string[] {
    for (const e of this.entries.values()) if (e.id === connectionId) return [...e.log.lines];
    const past = this.pastLogs.get(connectionId);
    if (!past) throw new WarrenError('NOT_FOUND', 'That connection\u2019s log is no longer kept.');
    return [...past.lines];
  }

  onChange(listener: (list: ConnectionInfo[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  closeAll(): void {
    for (const e of this.entries.values()) e.connected?.client.end();
    this.entries.clear();
    this.changed();
  }

  private open(endpoint: Endpoint, onStatus?: (message: string) => void): Entry {
    let markClosed!: (e: WarrenError) => void;
    const closed = new Promise<WarrenError>((resolve) => (markClosed = resolve));
    const deps = this.depsFor(endpoint);
    const status = onStatus ?? deps.onStatus;
    const log = new SessionLog();
    const id = randomUUID();
    for (const note of endpoint.notes ?? []) log.add(note);
    const ready = async () => {
      if (!endpoint.via) return { ...(await connect(endpoint.spec, { ...deps, onStatus: status, log: log.add })), parent: null };
      const via = endpoint.via;
      const parent = await this.acquire(via, status).catch((e: unknown) => Promise.reject(throughHop(e, via)));
      try {
        const opening = `Opening a channel from ${via.label} to ${endpoint.spec.hostname}:${endpoint.spec.port}…`;
        status?.(opening);
        log.add(opening);
        const sock = await channelTo(parent, endpoint, via).catch((e: unknown) => {
          log.add(`Failed: ${e instanceof Error ? e.message : String(e)}`);
          throw e;
        });
        return { ...(await connect(endpoint.spec, { ...deps, sock, onStatus: status, log: log.add })), parent };
      } catch (e) {
        parent.release();
        throw e;
      }
    };
    const entry: Entry = {
      id,
      endpoint,
      log,
      ready: ready().catch((e: unknown) => {
        // the failed attempt's log travels with its error, for the error card and the doctor
        if (e instanceof WarrenError && e.detail?.log === undefined) throw new WarrenError(e.code, e.message, { ...e.detail, log: [...log.lines] });
        throw e;
      }),
      connected: null,
      refs: 0,
      openedAt: Date.now(),
      closed,
      markClosed,
    };
    this.entries.set(endpoint.key, entry);
    entry.ready.then(
      (c) => {
        entry.connected = c;
        entry.openedAt = Date.now();
        let lastError: Error | null = null;
        c.client.on('error', (err: Error) => (lastError = err));
        c.client.once('close', () => {
          c.parent?.release();
          if (this.entries.get(endpoint.key) === entry) this.entries.delete(endpoint.key);
          const why = lastError ? `: ${lastError.message}` : '';
          log.add(`Connection closed${why}`);
          this.keepLog(entry);
          entry.markClosed(new WarrenError('DISCONNECTED', `The connection to ${endpoint.label} was lost${why}.`, { reason: lastError?.message ?? 'closed' }));
          this.changed();
        });
        this.changed();
      },
      () => {
        if (this.entries.get(endpoint.key) === entry) this.entries.delete(endpoint.key);
        this.keepLog(entry);
        this.changed();
      },
    );
    return entry;
  }

  private keepLog(entry: Entry): void {
    this.pastLogs.set(entry.id, entry.log);
    for (const k of this.pastLogs.keys()) {
      if (this.pastLogs.size <= KEEP_CLOSED_LOGS) break;
      this.pastLogs.delete(k);
    }
  }

  private changed(): void {
    const list = this.list();
    for (const l of this.listeners) l(list);
  }
}
