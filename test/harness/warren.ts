// Warren's own services, started in-process on a temporary data dir and driven through the contract
// (the same RpcClient and contract server the app uses; only the transport is an in-process pipe).
import { performance } from 'node:perf_hooks';
import { RpcClient, type ClientTransport } from '../../shared/client.js';
import type { CallInput } from '../../shared/contract.js';
import type { Prompt, PromptAnswer } from '../../shared/prompts.js';
import type { TerminalEvent } from '../../shared/terminal.js';
import type { TerminalTarget } from '../../shared/model.js';
import type { TunnelStatus } from '../../shared/tunnels.js';
import type { WarrenError } from '../../shared/errors.js';
import type { TransferFile, TransferJob, TransfersEvent } from '../../shared/sftp.js';
import type { ServerMessage } from '../../shared/wire.js';
import { createPeer } from '../../electron/rpc/peer.js';
import { createServices, type Services, type ServicesOptions } from '../../electron/services.js';
import { openNodeConf } from '../../electron/store/settings.js';
import { tempDir, TEST_PASSWORD, TEST_USER } from './ssh.js';

export type Answerer = (p: Prompt) => PromptAnswer | Promise<PromptAnswer>;

export interface TestWarren {
  services: Services;
  client: RpcClient;
  dataDir: string;
  /** every prompt asked so far */
  asked: Prompt[];
  /** how prompts get answered; replace at will (default: cancel) */
  answer: Answerer;
  close(): Promise<void>;
}

export async function startWarren(options: Partial<ServicesOptions> = {}): Promise<TestWarren> {
  const dataDir = options.dataDir ?? (await tempDir('warren-data-'));
  const services = await createServices({
    mode: 'browser',
    secrets: 'vault',
    agentSocket: undefined,
    openConf: openNodeConf,
    ...options,
    dataDir,
  });
  let toClient: (m: ServerMessage) => void = () => {};
  const peer = createPeer(services.handlers, (m) => queueMicrotask(() => toClient(structuredClone(m))));
  const transport: ClientTransport = {
    send: (m) => queueMicrotask(() => peer.receive(structuredClone(m))),
    onMessage: (h) => (toClient = h),
    onClose: () => {},
  };
  const client = new RpcClient(transport);
  const w: TestWarren = {
    services,
    client,
    dataDir,
    asked: [],
    answer: () => ({ cancel: true }),
    async close() {
      stopPrompts();
      peer.close();
      await services.close();
    },
  };
  const stopPrompts = client.subscribe(
    'prompts.watch',
    {},
    {
      onEvent: (e) => {
        if (e.type !== 'ask') return;
        w.asked.push(e.prompt);
        void Promise.resolve(w.answer(e.prompt)).then((answer) => client.call('prompts.answer', { id: e.id, answer }).catch(() => {}));
      },
    },
  );
  await client.call('app.info', {}); // the prompt watcher is registered once this round trip is back
  return w;
}

/** Answers as the tests' user: host keys accepted, the vault made or opened with its test passphrase, anything else cancelled. */
export function answerAsUser(w: TestWarren): void {
  w.answer = (p) => (p.kind === 'hostkey' ? { accept: true } : p.kind === 'vault' ? { value: 'vault-pass' } : { cancel: true });
}

/** A saved host on 127.0.0.1:`port` that logs in by password (the test user's, unless `host` says otherwise). */
export function savePasswordHost(w: TestWarren, host: { port: number } & Partial<CallInput<'hosts.create'>>) {
  return w.client.call('hosts.create', {
    name: `host${Math.random()}`,
    groupId: null,
    hostname: '127.0.0.1',
    user: TEST_USER,
    auth: 'password',
    password: TEST_PASSWORD,
    ...host,
  });
}

/**
 * A Warren with one saved host on 127.0.0.1:`port` that logs in by password (the test user's, unless
 * `host` says otherwise), host keys accepted and the vault made as asked: what most tests start from.
 */
export async function warrenWithHost(
  host: { port: number } & Partial<CallInput<'hosts.create'>>,
  options: Partial<ServicesOptions> = {},
): Promise<{ w: TestWarren; target: { hostId: string } }> {
  const w = await startWarren(options);
  answerAsUser(w);
  const h = await savePasswordHost(w, host);
  return { w, target: { hostId: h.id } };
}

/** A local forward (-L) to 127.0.0.1:`destPort` on a free port Warren suggests, started; resolves with its id, port and first status. */
export async function startLocalForward(w: TestWarren, hostId: string, destPort: number): Promise<{ id: string; port: number; status: TunnelStatus }> {
  const port = (await w.client.call('tunnels.freePort', { bindAddress: '127.0.0.1' })).port;
  const t = await w.client.call('tunnels.create', { name: `to ${destPort}`, hostId, kind: 'local', bindPort: port, destHost: '127.0.0.1', destPort });
  return { id: t.id, port, status: await w.client.call('tunnels.start', { id: t.id }) };
}

/** A tunnel's status, as the dashboard first sees it on tunnels.watch. */
export function tunnelStatus(w: TestWarren, id: string): Promise<TunnelStatus> {
  return new Promise((resolve) => {
    const stop = w.client.subscribe(
      'tunnels.watch',
      {},
      {
        onEvent: (list) => {
          const s = list.find((x) => x.id === id);
          if (s) {
            stop();
            resolve(s);
          }
        },
      },
    );
  });
}

/** A terminal session driven like the renderer drives it: output collected and acknowledged. */
export interface TestTerminal {
  opened: Promise<Extract<TerminalEvent, { type: 'opened' }>>;
  /** every event but data, in order */
  events: TerminalEvent[];
  /** resolves with the next event of this type not yet handed out (it may have arrived already) */
  next<T extends TerminalEvent['type']>(type: T, timeoutMs?: number): Promise<Extract<TerminalEvent, { type: T }>>;
  ended: Promise<WarrenError | null>;
  text(): string;
  bytes(): number;
  type(data: string): Promise<void>;
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  close(): void;
}

export function openTerminal(
  w: TestWarren,
  target: TerminalTarget,
  opts: { cols?: number; rows?: number; ack?: boolean; pane?: string; restore?: boolean } = {},
): TestTerminal {
  let out = '';
  let total = 0;
  let sessionId = '';
  const decoder = new TextDecoder();
  let resolveOpened!: (e: Extract<TerminalEvent, { type: 'opened' }>) => void;
  let rejectOpened!: (e: unknown) => void;
  const opened = new Promise<Extract<TerminalEvent, { type: 'opened' }>>((res, rej) => ((resolveOpened = res), (rejectOpened = rej)));
  opened.catch(() => {});
  let resolveEnded!: (e: WarrenError | null) => void;
  const ended = new Promise<WarrenError | null>((res) => (resolveEnded = res));
  const waiters = new Set<() => void>();
  const events: TerminalEvent[] = [];
  /** `next` hands out each event once (the first `opened` goes to `opened`) */
  const taken = new Set<number>();
  const stop = w.client.subscribe(
    'terminal.session',
    { target, cols: opts.cols ?? 80, rows: opts.rows ?? 24, ...(opts.pane !== undefined && { pane: opts.pane }), ...(opts.restore && { restore: true }) },
    {
      onEvent: (e) => {
        if (e.type !== 'data') {
          events.push(e);
          waiters.forEach((f) => f());
        }
        if (e.type === 'opened') {
          if (!sessionId) taken.add(events.length - 1);
          sessionId = e.sessionId;
          resolveOpened(e);
        } else if (e.type === 'data') {
          out += decoder.decode(e.data, { stream: true });
          total += e.data.byteLength;
          if (opts.ack !== false) void w.client.call('terminal.ack', { sessionId, bytes: e.data.byteLength }).catch(() => {});
          waiters.forEach((f) => f());
        }
      },
      onEnd: (err) => {
        rejectOpened(err ?? new Error('session ended before it opened'));
        resolveEnded(err);
        waiters.forEach((f) => f());
      },
    },
  );
  return {
    opened,
    events,
    next: (type, timeoutMs = 15_000) => {
      return new Promise((resolve, reject) => {
        const check = () => {
          const i = events.findIndex((x, n) => !taken.has(n) && x.type === type);
          if (i >= 0) {
            taken.add(i);
            waiters.delete(check);
            clearTimeout(timer);
            resolve(events[i] as never);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${type} event within ${timeoutMs} ms; events: ${events.map((x) => x.type).join(', ')}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    ended,
    text: () => out,
    bytes: () => total,
    type: async (data) => {
      await opened;
      await w.client.call('terminal.input', { sessionId, data });
    },
    waitFor: (re, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const m = out.match(re);
          if (m) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(m);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${re} in terminal output:\n${out.slice(-2000)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: stop,
  };
}

/** The queue as the UI sees it, kept from the watch stream. */
export function queue(w: TestWarren) {
  const jobs = new Map<string, TransferJob>();
  const files = new Map<string, TransferFile>();
  const events: { at: number; e: TransfersEvent }[] = [];
  const waiters = new Set<() => void>();
  const stop = w.client.subscribe(
    'transfers.watch',
    {},
    {
      onEvent: (e) => {
        events.push({ at: performance.now(), e });
        for (const j of e.jobs) jobs.set(j.id, j);
        for (const f of e.files) files.set(f.id, f);
        waiters.forEach((f) => f());
      },
    },
  );
  const until = (what: string, pred: () => boolean, timeoutMs = 60_000) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!pred()) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`queue never reached: ${what}; jobs: ${JSON.stringify([...jobs.values()].map((j) => [j.from, j.state, j.error?.message]))}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  const filesOf = (jobId: string) => [...files.values()].filter((f) => f.jobId === jobId);
  return { jobs, files, events, until, filesOf, stop };
}

const SETTLED = new Set(['done', 'skipped', 'failed', 'cancelled', 'paused']);

/** enqueue and wait until every job of it has settled */
export async function transfer(w: TestWarren, q: ReturnType<typeof queue>, input: CallInput<'transfers.enqueue'>): Promise<TransferJob[]> {
  const { ids } = await w.client.call('transfers.enqueue', input);
  await q.until(`jobs ${ids.join()} settle`, () =>
    ids.every((id) => {
      const j = q.jobs.get(id);
      return j !== undefined && !j.scanning && SETTLED.has(j.state);
    }),
  );
  return ids.map((id) => q.jobs.get(id)!);
}
