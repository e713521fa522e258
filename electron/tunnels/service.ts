import net from 'node:net';
import type { CallArgs } from '../../shared/contract.js';
import type { TunnelStatus } from '../../shared/tunnels.js';
import { WarrenError } from '../../shared/errors.js';
import type { Tunnel } from '../../shared/model.js';
import type { ConnectionManager, Endpoint } from '../ssh/connections.js';
import { commandFor } from '../ssh/endpoints.js';
import { DEFAULT_BACKOFF, type Backoff } from '../ssh/retry.js';
import type { HostStore } from '../store/hosts.js';
import { TunnelRunner } from './runner.js';

export interface TunnelServiceDeps {
  hosts: HostStore;
  connections: ConnectionManager;
  endpointOf(hostId: string): Promise<Endpoint>;
  backoff?: Backoff;
}

/**
 * Every saved tunnel and its runner: independent of terminals (a tunnel holds its own lease on the
 * host's shared connection), started and stopped by switch, auto-started with the app.
 */
export class TunnelService {
  private readonly runners = new Map<string, TunnelRunner>();
  private readonly listeners = new Set<(list: TunnelStatus[]) => void>();
  private readonly ticker: NodeJS.Timeout;
  private pending = false;

  constructor(private readonly deps: TunnelServiceDeps) {
    for (const t of deps.hosts.tree().tunnels) this.runner(t);
    // a deleted tunnel (or host) stops; an edited one runs with its new settings
    deps.hosts.onChange((tree, change) => {
      if (change.tunnels.length === 0 && change.removed.tunnels.length === 0) return;
      const ids = new Set(tree.tunnels.map((t) => t.id));
      for (const [id, r] of this.runners) {
        if (!ids.has(id)) {
          this.runners.delete(id);
          void r.stop();
        }
      }
      for (const t of tree.tunnels) this.runner(t).tunnel = t;
      this.changed();
    });
    this.ticker = setInterval(() => {
      let moved = false;
      for (const r of this.runners.values()) moved = r.tick() || moved;
      if (moved) this.changed();
    }, 1000);
    this.ticker.unref();
  }

  list(): TunnelStatus[] {
    return [...this.runners.values()].map((r) => r.status());
  }

  onChange(listener: (list: TunnelStatus[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async create(input: CallArgs<'tunnels.create'>): Promise<Tunnel> {
    return this.deps.hosts.createTunnel(input);
  }

  async update(id: string, patch: CallArgs<'tunnels.update'>['patch']): Promise<Tunnel> {
    const wasActive = this.get(id).active;
    if (wasActive) await this.get(id).stop();
    const t = await this.deps.hosts.updateTunnel(id, patch);
    if (wasActive) await this.get(id).start();
    return t;
  }

  async delete(id: string): Promise<void> {
    await this.get(id).stop();
    await this.deps.hosts.deleteTunnel(id);
  }

  start(id: string): Promise<TunnelStatus> {
    return this.get(id).start();
  }

  stop(id: string): Promise<TunnelStatus> {
    return this.get(id).stop();
  }

  /** resume from sleep, network back: every waiting tunnel tries now */
  wakeAll(): void {
    for (const r of this.runners.values()) r.wake();
  }

  /** Starts every auto-start tunnel; failures show on the dashboard, not here. */
  startAuto(): void {
    for (const r of this.runners.values()) if (r.tunnel.autoStart) void r.start();
  }

  async command(id: string): Promise<string> {
    const t = this.get(id).tunnel;
    return commandFor(await this.deps.endpointOf(t.hostId), t);
  }

  async freePort(bindAddress: string): Promise<number> {
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: Error) => reject(new WarrenError('LOCAL_PORT', `Cannot listen on ${bindAddress}: ${e.message}`)));
      server.listen({ host: bindAddress === '*' ? undefined : bindAddress, port: 0 }, () => resolve());
    });
    const port = (server.address() as net.AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    return port;
  }

  async close(): Promise<void> {
    clearInterval(this.ticker);
    await Promise.all([...this.runners.values()].map((r) => r.stop()));
  }

  private get(id: string): TunnelRunner {
    const r = this.runners.get(id);
    if (!r) throw new WarrenError('NOT_FOUND', `There is no tunnel with id ${id}; it may have been deleted.`);
    return r;
  }

  private runner(t: Tunnel): TunnelRunner {
    let r = this.runners.get(t.id);
    if (!r) {
      r = new TunnelRunner(t, {
        connections: this.deps.connections,
        endpointOf: this.deps.endpointOf,
        socksPassword: (id) => this.deps.hosts.socksPassword(id),
        onChange: () => this.changed(),
        backoff: this.deps.backoff ?? DEFAULT_BACKOFF,
      });
      this.runners.set(t.id, r);
    }
    return r;
  }

  /** coalesces a burst of changes into one event */
  private changed(): void {
    if (this.pending) return;
    this.pending = true;
    queueMicrotask(() => {
      this.pending = false;
      const list = this.list();
      for (const l of this.listeners) l(list);
    });
  }
}
