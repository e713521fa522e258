import { randomUUID } from 'node:crypto';
import type { Client } from 'ssh2';
import type { ConnectionInfo } from '../../shared/contract.js';
import { WarrenError } from '../../shared/errors.js';
import { connect, type ConnectDeps, type ConnectSpec, type Connected } from './connect.js';

/** A resolved place to connect to: a saved host (`hostId`) or a quick-connect target. */
export interface Endpoint {
  /** connections are shared per key: the host id, or `user@host:port` for quick connect */
  key: string;
  hostId: string | null;
  label: string;
  spec: ConnectSpec;
}

/** One user's hold on a shared connection. */
export interface Lease {
  readonly connectionId: string;
  readonly client: Client;
  /** true when the connection already existed (or was being opened) for another user */
  readonly reused: boolean;
  /** the connection went away under this lease (server closed, network dropped, keepalive timeout) */
  readonly closed: Promise<WarrenError>;
  release(): void;
}

interface Entry {
  id: string;
  endpoint: Endpoint;
  ready: Promise<Connected>;
  connected: Connected | null;
  refs: number;
  openedAt: number;
  closed: Promise<WarrenError>;
  markClosed(e: WarrenError): void;
}

/**
 * One SSH connection per endpoint, shared by every terminal (later tunnels and SFTP) on it, like
 * OpenSSH's ControlMaster; reference-counted and closed when its last user leaves.
 */
export class ConnectionManager {
  private readonly entries = new Map<string, Entry>();
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
      closed: e.closed,
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
      });
    }
    return out;
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
    const entry: Entry = {
      id: randomUUID(),
      endpoint,
      ready: connect(endpoint.spec, { ...deps, onStatus: onStatus ?? deps.onStatus }),
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
          if (this.entries.get(endpoint.key) === entry) this.entries.delete(endpoint.key);
          const why = lastError ? `: ${lastError.message}` : '';
          entry.markClosed(new WarrenError('DISCONNECTED', `The connection to ${endpoint.label} was lost${why}.`, { reason: lastError?.message ?? 'closed' }));
          this.changed();
        });
        this.changed();
      },
      () => {
        if (this.entries.get(endpoint.key) === entry) this.entries.delete(endpoint.key);
        this.changed();
      },
    );
    return entry;
  }

  private changed(): void {
    const list = this.list();
    for (const l of this.listeners) l(list);
  }
}
