// The connection doctor: a support engineer's checklist, run hop by hop on the way to a host.
import { chmod, stat } from 'node:fs/promises';
import type { Client } from 'ssh2';
import type { DoctorEvent, DoctorReport, DoctorStep, DoctorStepId } from '../../shared/doctor.js';
import { WarrenError } from '../../shared/errors.js';
import type { ConnectDeps, ConnectSpec, SavedSecrets } from '../ssh/connect-spec.js';
import { algorithmOffer, trustOf } from '../ssh/hostkey.js';
import type { Endpoint } from '../ssh/connections.js';
import { identitiesFor, Probe } from './probe.js';
import { redactStep, reportText } from './report.js';
import * as check from './steps.js';

export interface DoctorOptions {
  /** tried on the target (not on jump hosts), never saved */
  password?: string;
  /** how long each phase may take */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** What every hop of one run shares. */
interface Run {
  add(step: DoctorStep): void;
  /** the secrets read or given, to be removed from the report text */
  used: Set<string>;
  timeoutMs: number;
  signal: AbortSignal | undefined;
}

/** The steps of one hop, emitted as they complete; the network steps an early failure leaves unchecked are emitted as skipped. */
class HopSteps {
  private readonly statuses = new Map<DoctorStepId, DoctorStep['status']>();
  private failed: string | null = null;

  constructor(
    private readonly hop: string,
    private readonly titles: Partial<Record<DoctorStepId, string>>,
    private readonly add: (s: DoctorStep) => void,
  ) {}

  /** runs one check; returns what the next step needs, or null when the checks cannot go on */
  async run<T>(id: DoctorStepId, outcome: () => Promise<check.Outcome<T>> | check.Outcome<T>): Promise<T | null> {
    const started = Date.now();
    const { value, advice, ...o } = await outcome();
    this.emit({ id, hop: this.hop, title: this.titles[id]!, ms: Date.now() - started, advice: advice ?? null, ...o });
    if (value === undefined) this.failed ??= this.titles[id]!;
    return value ?? null;
  }

  status(id: DoctorStepId): DoctorStep['status'] | undefined {
    return this.statuses.get(id);
  }

  skipRest(): void {
    for (const id of ['dns', 'tcp', 'proxy', 'banner', 'kex', 'hostkey', 'methods', 'auth'] as const) {
      const title = this.titles[id];
      if (title !== undefined && !this.statuses.has(id))
        this.emit({ id, hop: this.hop, title, status: 'skip', ms: 0, detail: `Not checked: "${this.failed}" did not pass.`, advice: null });
    }
  }

  private emit(step: DoctorStep): void {
    this.statuses.set(step.id, step.status);
    this.add(step);
  }
}

/** The previous hop, logged in: it opens the channel to the next one. */
type Via = { client: Client; label: string };

/** The hop's transport: a jump host's channel, the ProxyCommand, or DNS then TCP. */
async function open(steps: HopSteps, spec: ConnectSpec, via: Via | null, timeoutMs: number): Promise<check.Opened | null> {
  if (via) return steps.run('tcp', () => check.channelOutcome(via, spec.hostname, spec.port, timeoutMs));
  if (spec.proxyCommand) return steps.run('proxy', () => check.proxyOutcome(spec));
  const address = await steps.run('dns', () => check.dnsOutcome(spec.hostname));
  return address === null ? null : steps.run('tcp', () => check.tcpOutcome(spec.hostname, address, spec.port, timeoutMs));
}

export class Doctor {
  /** key files that a run reported as readable by others: the only ones fixKeyPermissions touches */
  private readonly fixable = new Set<string>();

  constructor(private readonly depsFor: (endpoint: Endpoint) => ConnectDeps) {}

  /**
   * Checks every hop of the way to the endpoint in order; a hop that fails is named and the hops
   * after it are skipped. Emits each step as it completes, then the report, which it also returns.
   */
  async run(endpoint: Endpoint, options: DoctorOptions, emit: (e: DoctorEvent) => void, signal?: AbortSignal): Promise<DoctorReport> {
    const startedAt = Date.now();
    const hops: Endpoint[] = [];
    for (let e: Endpoint | null = endpoint; e; e = e.via) hops.unshift(e);
    const steps: DoctorStep[] = [];
    const run: Run = {
      add: (s) => {
        steps.push(s);
        for (const f of s.fixable ?? []) this.fixable.add(f);
        if (!signal?.aborted) emit({ type: 'step', step: s });
      },
      used: new Set(options.password ? [options.password] : []),
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      signal,
    };
    const clients: Client[] = [];
    let failed: string | null = null;
    try {
      for (const [i, hop] of hops.entries()) {
        if (signal?.aborted) break;
        if (failed !== null) {
          const { hostname, port } = hop.spec;
          run.add({
            id: 'tcp',
            hop: hop.label,
            title: `Channel from ${hops[i - 1]!.label} to ${hostname}:${port}`,
            status: 'skip',
            ms: 0,
            detail: `Not checked: jump host ${failed} failed first.`,
            advice: null,
          });
          continue;
        }
        const via: Via | null = i > 0 ? { client: clients[i - 1]!, label: hops[i - 1]!.label } : null;
        const password = i === hops.length - 1 && options.password ? { value: options.password, source: 'given' } : null;
        const client = await this.checkHop(hop, via, password, run);
        if (client) clients.push(client);
        else failed = hop.label;
      }
    } finally {
      for (const c of clients.reverse()) c.end();
    }
    const report: DoctorReport = {
      target: endpoint.label,
      ok: steps.every((s) => s.status === 'pass'),
      startedAt,
      // the steps as the text has them: without a secret a server may have echoed back
      steps: steps.map((step) => redactStep(step, run.used)),
      text: reportText(endpoint.label, startedAt, steps, run.used),
    };
    if (!signal?.aborted) emit({ type: 'report', report });
    return report;
  }

  /** `chmod 600` of a key file a run reported; any other path is refused (the renderer is untrusted). */
  async fixKeyPermissions(path: string): Promise<{ path: string; mode: string }> {
    if (!this.fixable.has(path))
      throw new WarrenError('NOT_FOUND', `Warren changes the permissions only of key files the doctor reported; ${path} is not one. Run the doctor again.`);
    const st = await stat(path).catch(() => null);
    if (!st?.isFile()) throw new WarrenError('KEY_FILE', `${path} is no longer a file.`);
    await chmod(path, 0o600);
    this.fixable.delete(path);
    return { path, mode: '0600' };
  }

  /** One hop: returns its logged-in client (to reach the next hop through), or null when it failed. */
  private async checkHop(hop: Endpoint, via: Via | null, given: { value: string; source: string } | null, run: Run): Promise<Client | null> {
    const { spec } = hop;
    const { timeoutMs, signal } = run;
    const deps = this.depsFor(hop);
    const where = `${spec.hostname}:${spec.port}`;
    const first: Partial<Record<DoctorStepId, string>> = via
      ? { tcp: `Channel from ${via.label} to ${where}` }
      : spec.proxyCommand
        ? { proxy: 'ProxyCommand' }
        : { dns: `Resolve ${spec.hostname}`, tcp: `TCP connection to ${where}` };
    const steps = new HopSteps(
      hop.label,
      {
        ...first,
        banner: 'SSH banner',
        kex: 'Key exchange',
        hostkey: 'Host key',
        methods: 'Authentication methods',
        auth: `Log in as ${spec.user}`,
        keyfiles: 'Key file permissions',
        account: 'Account name',
      },
      run.add,
    );
    // every secret read is remembered, to be removed from the report text; one that cannot be read
    // (a vault nobody unlocks, as in a CLI without a terminal) counts as not saved
    const secrets: SavedSecrets = {
      get: async (kind) => {
        const value = await deps.secrets.get(kind).catch(() => null);
        if (value !== null) run.used.add(value);
        return value;
      },
      save: async () => {},
    };

    // everything asynchronous happens before the transport opens: no event on it may go unheard
    const saved = given ? null : await secrets.get('password');
    const identities = await identitiesFor(spec, { ...deps, secrets }, given ?? (saved === null ? null : { value: saved, source: 'saved' }));
    const trust = trustOf(spec, deps.knownHostsFiles);
    const algorithms = await algorithmOffer(trust.files, trust.host, trust.port);
    const opened = await open(steps, spec, via, timeoutMs);
    let client: Client | null = null;
    let refused = false;
    if (opened && !signal?.aborted) {
      const p = Probe.start(opened.sock, { spec, knownHostsFiles: trust.files, identities, algorithms, exited: opened.exited, signal });
      const ready =
        (await steps.run('banner', () => check.bannerOutcome(p, where, timeoutMs))) &&
        (await steps.run('kex', () => check.kexOutcome(p, timeoutMs))) &&
        (await steps.run('hostkey', () => check.hostKeyOutcome(p))) &&
        (await steps.run('methods', () => check.methodsOutcome(p, timeoutMs)));
      if (ready) client = await steps.run('auth', () => check.authOutcome(p, timeoutMs * 3));
      if (!client) p.end();
      refused = steps.status('auth') === 'fail' && !p.tooManyFailures && p.attempts.some((a) => a.result === 'refused');
    } else opened?.sock.destroy();
    steps.skipRest();
    const keyFiles = await check.keyFilesOutcome(spec, deps.home);
    if (keyFiles) await steps.run('keyfiles', () => keyFiles);
    if (refused) await steps.run('account', () => check.accountOutcome(spec.user));
    return client;
  }
}
