// Tunnel benchmark: Warren's forwards (its real services in-process, driven through the contract; traffic through the
// tunnel's bound port) side by side with OpenSSH's `ssh -N -L` / `ssh -N -D`, against one real sshd, same key.
// A benchmark: it reports, it never fails on a time. `npx tsx test/bench/tunnels.ts` prints a table and writes
// test/output/bench/tunnels.json; `benchTunnels()` returns the results to a caller.
import '../../electron/tune-gc.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanupAll, ensureTestUser, freePort, makeKey, startSshd, tempDir, TEST_USER, type Sshd, type TestKey } from '../harness/ssh.js';
import { startWarren, tunnelStatus, type TestWarren } from '../harness/warren.js';
import { startLoad } from './load.js';
import type { BurstResult, LatencyResult, StreamResult } from './tunnels-load.js';

const GiB = 1024 ** 3;
const MB = 1e6;
/** BENCH_TUNNEL_BYTES shrinks the 1 GiB stream for a quick try */
const STREAM_BYTES = Number(process.env.BENCH_TUNNEL_BYTES ?? GiB);
const RUNS = 3;
const LATENCY_CONNS = 1000;
const LATENCY_WARMUP = 100;
const BURST_CONNS = 500;
const BURST_SIZE = 64 * 1024;
const SOCKS_BYTES = 100 * MB;
const OUT_DIR = fileURLToPath(new URL('../output/bench/', import.meta.url));

const streamLabel = () => (STREAM_BYTES === GiB ? '1 GiB' : `${(STREAM_BYTES / MB).toFixed(0)} MB`);
const log = (s: string) => console.error(`bench tunnels: ${s}`);
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)] ?? NaN;
const pct = (xs: number[], p: number) => sorted(xs)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;

// ---------------------------------------------------------------- OpenSSH

function canConnect(port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => (s.destroy(), res(true)));
    s.once('error', () => res(false));
  });
}

interface SshForward {
  port: number;
  pid: number;
  /** what sshd negotiated with this client */
  cipher: string;
  stop(): Promise<void>;
}

/** `ssh -N -L|-D …` with the benchmark's key; resolves once the forwarded port accepts connections. */
async function opensshForward(
  ctx: { sshd: Sshd; key: TestKey; knownHosts: string; children: Set<ChildProcess> },
  forward: (port: number) => string[],
  extra: string[] = [],
): Promise<SshForward> {
  const port = await freePort();
  const logBefore = (await ctx.sshd.log()).length;
  const args = [
    '-N',
    ...forward(port),
    ...extra,
    '-o',
    'ExitOnForwardFailure=yes',
    '-o',
    'StrictHostKeyChecking=accept-new',
    '-o',
    `UserKnownHostsFile=${ctx.knownHosts}`,
    '-o',
    'BatchMode=yes',
    '-o',
    'IdentitiesOnly=yes',
    '-i',
    ctx.key.path,
    '-p',
    String(ctx.sshd.port),
    `${TEST_USER}@${ctx.sshd.host}`,
  ];
  const child = spawn('ssh', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  ctx.children.add(child);
  let stderr = '';
  let exitCode: number | null = null;
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<void>((r) => child.once('exit', (code) => ((exitCode = code ?? 128), ctx.children.delete(child), r())));
  const deadline = Date.now() + 15_000;
  while (!(await canConnect(port))) {
    if (exitCode !== null) throw new Error(`ssh ${args.join(' ')} exited with ${exitCode}: ${stderr.trim()}`);
    if (Date.now() > deadline) throw new Error(`ssh ${args.join(' ')}: port ${port} never opened: ${stderr.trim()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    port,
    pid: child.pid ?? 0,
    cipher: cipherIn((await ctx.sshd.log()).slice(logBefore)),
    async stop() {
      if (exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** sshd at LogLevel DEBUG1: "kex: server->client cipher: aes128-gcm@openssh.com MAC: <implicit> …" */
function cipherIn(sshdLog: string): string {
  return /kex: server->client cipher: (\S+)/.exec(sshdLog)?.[1] ?? 'unknown';
}

/** "server_input_channel_open: ctype direct-tcpip rchan 3 win 2097152 max 32768": the window and packet size the client offers */
function channelWindows(sshdLog: string): string[] {
  return [...new Set([...sshdLog.matchAll(/ctype direct-tcpip rchan \d+ win (\d+) max (\d+)/g)].map((m) => `${m[1]}/${m[2]}`))];
}

/** CPU seconds used so far by a process (its /proc stat, in clock ticks of 1/100 s), or by this one (Warren's services run here) */
function cpuSeconds(pid?: number): number {
  if (pid === undefined) {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  }
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

/** a run, with the CPU time its forwarding client (Warren's process, or ssh) spent on it */
async function withCpu<T extends object>(run: () => Promise<T>, pid?: number): Promise<T & { clientCpu: number }> {
  const before = cpuSeconds(pid);
  const r = await run();
  return { ...r, clientCpu: cpuSeconds(pid) - before };
}

// ---------------------------------------------------------------- Warren

async function warrenTunnel(w: TestWarren, hostId: string, kind: 'local' | 'dynamic', destPort?: number): Promise<{ id: string; port: number }> {
  const dest = kind === 'local' ? { destHost: '127.0.0.1', destPort } : {};
  // a local or dynamic forward names its port; Warren offers a free one, as the editor does
  const { port: bindPort } = await w.client.call('tunnels.freePort', { bindAddress: '127.0.0.1' });
  const t = await w.client.call('tunnels.create', { name: `bench ${kind} ${destPort ?? ''}`.trim(), hostId, kind, bindPort, ...dest } as never);
  const s = await w.client.call('tunnels.start', { id: t.id });
  if (s.state !== 'up' || !s.boundPort) throw new Error(`Warren's ${kind} tunnel did not come up: ${s.state} ${s.error?.message ?? ''}`);
  return { id: t.id, port: s.boundPort };
}

// ---------------------------------------------------------------- curl through SOCKS5

interface CurlRun {
  seconds: number;
  mbps: number;
  bytes: number;
  ok: boolean;
  error: string | null;
}

function curlSocks(socksPort: number, httpPort: number): Promise<CurlRun> {
  return new Promise((res) => {
    const args = [
      '-sS',
      '--max-time',
      '120',
      '--socks5-hostname',
      `127.0.0.1:${socksPort}`,
      '-o',
      '/dev/null',
      '-w',
      '%{speed_download} %{size_download} %{time_total} %{http_code}',
      `http://127.0.0.1:${httpPort}/bytes/${SOCKS_BYTES}`,
    ];
    const child = spawn('curl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', (e) => res({ seconds: NaN, mbps: NaN, bytes: 0, ok: false, error: e.message }));
    child.on('close', (code) => {
      const [speed, size, total, status] = out.trim().split(' ').map(Number) as [number, number, number, number];
      const ok = code === 0 && size === SOCKS_BYTES && status === 200;
      res({ seconds: total, mbps: speed / MB, bytes: size, ok, error: ok ? null : `curl exit ${code}, HTTP ${status}, ${size} bytes: ${err.trim()}` });
    });
  });
}

// ---------------------------------------------------------------- the benchmark

interface Side<T> {
  name: string;
  runs: T[];
}

async function interleave<T>(sides: { name: string; run: () => Promise<T> }[], runs: number, describe: (r: T) => string): Promise<Side<T>[]> {
  const out = sides.map((s) => ({ name: s.name, runs: [] as T[] }));
  for (let i = 0; i < runs; i++) {
    // each round starts with the next side: none always runs first, or right after the same one
    for (const k of sides.map((_, j) => (i + j) % sides.length)) {
      const s = sides[k]!;
      const r = await s.run();
      out[k]!.runs.push(r);
      log(`${s.name} #${i + 1}: ${describe(r)}`);
    }
  }
  return out;
}

async function benchTunnels(): Promise<Record<string, unknown>> {
  const started = performance.now();
  const loadAtStart = loadavg();
  const children = new Set<ChildProcess>();
  // interrupted or crashed: nothing we started outlives this process (sshd and temp dirs: the harness's own exit hook)
  const onExit = () => children.forEach((c) => c.kill('SIGKILL'));
  process.once('exit', onExit);
  const stops: (() => Promise<void>)[] = [];
  try {
    await ensureTestUser();
    // DEBUG1 so that sshd's log names each connection's cipher and each channel's window (a few lines per channel, equal for both sides)
    const sshd = await startSshd({ extraConfig: ['LogLevel DEBUG1'] });
    stops.push(() => sshd.stop());
    const dir = await tempDir('warren-bench-tunnels-');
    const key = await makeKey(dir, { type: 'ed25519' });
    await sshd.authorize(key.pub);
    const ctx = { sshd, key, knownHosts: join(dir, 'known_hosts'), children };

    const load = await startLoad(children);
    stops.push(() => load.stop());
    log(`load process up: source :${load.ports.source}, echo :${load.ports.echo}, http :${load.ports.http}`);

    const w = await startWarren();
    stops.push(() => w.close());
    w.answer = (p) => (p.kind === 'hostkey' ? { accept: true } : { cancel: true });
    const host = await w.client.call('hosts.create', {
      name: 'bench',
      groupId: null,
      hostname: sshd.host,
      port: sshd.port,
      user: TEST_USER,
      auth: 'key',
      identityFile: key.path,
    });
    const logBefore = (await sshd.log()).length;
    const wSource = await warrenTunnel(w, host.id, 'local', load.ports.source);
    const warrenCipher = cipherIn((await sshd.log()).slice(logBefore));
    const wEcho = await warrenTunnel(w, host.id, 'local', load.ports.echo);
    const wSocks = await warrenTunnel(w, host.id, 'dynamic');
    const conns = await w.client.call('connections.list', {});
    log(
      `Warren: ${conns.length} SSH connection(s), tunnels on :${wSource.port} (source), :${wEcho.port} (echo), :${wSocks.port} (SOCKS5); cipher ${warrenCipher}`,
    );

    const oSource = await opensshForward(ctx, (p) => ['-L', `127.0.0.1:${p}:127.0.0.1:${load.ports.source}`]);
    stops.push(() => oSource.stop());
    // and with Warren's cipher, when ssh's default differs: how much of a difference is the cipher's
    const oSourceGcm =
      warrenCipher !== oSource.cipher && warrenCipher !== 'unknown'
        ? await opensshForward(ctx, (p) => ['-L', `127.0.0.1:${p}:127.0.0.1:${load.ports.source}`], ['-c', warrenCipher])
        : null;
    if (oSourceGcm) stops.push(() => oSourceGcm.stop());
    const oEcho = await opensshForward(ctx, (p) => ['-L', `127.0.0.1:${p}:127.0.0.1:${load.ports.echo}`]);
    stops.push(() => oEcho.stop());
    const oSocks = await opensshForward(ctx, (p) => ['-D', `127.0.0.1:${p}`]);
    stops.push(() => oSocks.stop());
    log(
      `ssh: -L :${oSource.port} (${oSource.cipher})${oSourceGcm ? `, -L :${oSourceGcm.port} (${oSourceGcm.cipher})` : ''}, -L :${oEcho.port} (echo), -D :${oSocks.port}`,
    );

    // a first, untimed stream through each: JIT compilation, TCP buffers and the heap settle before anything is timed
    for (const port of [load.ports.source, wSource.port, oSource.port, ...(oSourceGcm ? [oSourceGcm.port] : [])])
      await load.stream(port, Math.min(STREAM_BYTES, 256 * MB));

    // 1. throughput, interleaved so that neither side always runs first
    const gcmName = `ssh -L -c ${warrenCipher}`;
    const through = await interleave(
      [
        { name: 'direct (no tunnel)', run: () => withCpu(() => load.stream(load.ports.source, STREAM_BYTES), load.pid) },
        { name: 'Warren -L', run: () => withCpu(() => load.stream(wSource.port, STREAM_BYTES)) },
        { name: 'ssh -L', run: () => withCpu(() => load.stream(oSource.port, STREAM_BYTES), oSource.pid) },
        ...(oSourceGcm ? [{ name: gcmName, run: () => withCpu(() => load.stream(oSourceGcm.port, STREAM_BYTES), oSourceGcm.pid) }] : []),
      ],
      RUNS,
      (r) =>
        `${r.seconds.toFixed(2)} s, ${(r.bytes / r.seconds / MB).toFixed(0)} MB/s, client CPU ${r.clientCpu.toFixed(2)} s, verified ${r.verified}${r.error ? `, ${r.error}` : ''}`,
    );
    const warrenCounted = (await tunnelStatus(w, wSource.id)).bytesIn;

    // 2. latency: sequential short connections
    const lat = await interleave(
      [
        { name: 'direct (no tunnel)', run: () => withCpu(() => load.latency(load.ports.echo, LATENCY_CONNS, LATENCY_WARMUP), load.pid) },
        { name: 'Warren -L', run: () => withCpu(() => load.latency(wEcho.port, LATENCY_CONNS, LATENCY_WARMUP)) },
        { name: 'ssh -L', run: () => withCpu(() => load.latency(oEcho.port, LATENCY_CONNS, LATENCY_WARMUP), oEcho.pid) },
      ],
      1,
      (r) => `p50 ${pct(r.echoMs, 50).toFixed(2)} ms, p95 ${pct(r.echoMs, 95).toFixed(2)} ms, ${r.failures} failed`,
    );

    // 3. concurrency: a burst of connections, each echoing a random payload
    const burst = await interleave(
      [
        { name: 'Warren -L', run: () => withCpu(() => load.burst(wEcho.port, BURST_CONNS, BURST_SIZE)) },
        { name: 'ssh -L', run: () => withCpu(() => load.burst(oEcho.port, BURST_CONNS, BURST_SIZE), oEcho.pid) },
      ],
      RUNS,
      (r) => `${r.seconds.toFixed(3)} s, ${r.ok} ok, ${r.lost} lost, ${r.corrupted} corrupted${r.errors.length ? ` (${r.errors.join('; ')})` : ''}`,
    );

    // 4. SOCKS5 with curl
    const socks = await interleave(
      [
        { name: 'Warren -D', run: () => withCpu(() => curlSocks(wSocks.port, load.ports.http)) },
        { name: 'ssh -D', run: () => withCpu(() => curlSocks(oSocks.port, load.ports.http), oSocks.pid) },
      ],
      RUNS,
      (r) => `${r.mbps.toFixed(0)} MB/s, ${r.seconds.toFixed(2)} s${r.error ? `, ${r.error}` : ''}`,
    );

    const windows = channelWindows(await sshd.log());
    const result = summarize({
      loadAtStart,
      through,
      lat,
      burst,
      socks,
      warrenCipher,
      opensshCipher: oSource.cipher,
      warrenCounted,
      windows,
      connections: conns.length,
      gcmName,
    });
    result.seconds = (performance.now() - started) / 1000;
    return result;
  } finally {
    for (const stop of stops.reverse()) await stop().catch((e: unknown) => log(`cleanup: ${String(e)}`));
    for (const c of children) c.kill('SIGKILL');
    process.off('exit', onExit);
  }
}

// ---------------------------------------------------------------- summary and table

type Cpu = { clientCpu: number };

interface Summary {
  through: Side<StreamResult & Cpu>[];
  lat: Side<LatencyResult & Cpu>[];
  burst: Side<BurstResult & Cpu>[];
  socks: Side<CurlRun & Cpu>[];
  warrenCipher: string;
  opensshCipher: string;
  warrenCounted: number;
  windows: string[];
  connections: number;
  gcmName: string;
  loadAtStart: number[];
}

function summarize(s: Summary): Record<string, unknown> {
  const throughput = Object.fromEntries(
    s.through.map((side) => {
      const seconds = median(side.runs.map((r) => r.seconds));
      return [
        side.name,
        {
          mbps: STREAM_BYTES / seconds / MB,
          seconds,
          runs: side.runs.map((r) => r.seconds),
          clientCpu: median(side.runs.map((r) => r.clientCpu)),
          verified: side.runs.every((r) => r.verified),
          errors: side.runs.flatMap((r) => (r.error ? [r.error] : [])),
        },
      ];
    }),
  );
  const latency = Object.fromEntries(
    s.lat.map((side) => {
      const r = side.runs[0]!;
      return [
        side.name,
        {
          n: r.echoMs.length,
          cpuMsPerConn: (r.clientCpu * 1000) / (LATENCY_CONNS + LATENCY_WARMUP),
          failures: r.failures,
          errors: r.errors,
          echoP50: pct(r.echoMs, 50),
          echoP95: pct(r.echoMs, 95),
          echoMax: pct(r.echoMs, 100),
          cycleP50: pct(r.cycleMs, 50),
          cycleP95: pct(r.cycleMs, 95),
        },
      ];
    }),
  );
  const concurrency = Object.fromEntries(
    s.burst.map((side) => {
      const sum = (k: 'ok' | 'lost' | 'corrupted') => side.runs.reduce((a, r) => a + r[k], 0);
      return [
        side.name,
        {
          seconds: median(side.runs.map((r) => r.seconds)),
          runs: side.runs.map((r) => r.seconds),
          clientCpu: median(side.runs.map((r) => r.clientCpu)),
          ok: sum('ok'),
          lost: sum('lost'),
          corrupted: sum('corrupted'),
          errors: side.runs.flatMap((r) => r.errors).slice(0, 5),
        },
      ];
    }),
  );
  const socks = Object.fromEntries(
    s.socks.map((side) => {
      const seconds = median(side.runs.map((r) => r.seconds));
      return [
        side.name,
        {
          mbps: median(side.runs.map((r) => r.mbps)),
          seconds,
          runs: side.runs.map((r) => r.mbps),
          clientCpu: median(side.runs.map((r) => r.clientCpu)),
          ok: side.runs.every((r) => r.ok),
          errors: side.runs.flatMap((r) => (r.error ? [r.error] : [])),
        },
      ];
    }),
  );
  const t = (o: Record<string, unknown>, k: string, f: string) => (o[k] as Record<string, number>)[f]!;
  const ratios: Record<string, number> = {
    [`throughput (${streamLabel()} -L)`]: t(throughput, 'Warren -L', 'seconds') / t(throughput, 'ssh -L', 'seconds'),
    ...(throughput[s.gcmName] ? { [`throughput vs ${s.gcmName}`]: t(throughput, 'Warren -L', 'seconds') / t(throughput, s.gcmName, 'seconds') } : {}),
    'latency p50': t(latency, 'Warren -L', 'echoP50') / t(latency, 'ssh -L', 'echoP50'),
    'latency p95': t(latency, 'Warren -L', 'echoP95') / t(latency, 'ssh -L', 'echoP95'),
    'connection cycle p50': t(latency, 'Warren -L', 'cycleP50') / t(latency, 'ssh -L', 'cycleP50'),
    [`${BURST_CONNS} concurrent`]: t(concurrency, 'Warren -L', 'seconds') / t(concurrency, 'ssh -L', 'seconds'),
    'SOCKS5 100 MB': t(socks, 'Warren -D', 'seconds') / t(socks, 'ssh -D', 'seconds'),
  };
  return {
    date: new Date().toISOString(),
    cores: cpus().length,
    loadavgAtStart: s.loadAtStart,
    loadavgAtEnd: loadavg(),
    streamBytes: STREAM_BYTES,
    runs: RUNS,
    ciphers: { warren: s.warrenCipher, openssh: s.opensshCipher },
    channelWindowsOffered: s.windows,
    warrenConnections: s.connections,
    warrenCountedBytesIn: s.warrenCounted,
    throughput,
    latency,
    concurrency,
    socks,
    ratios,
  };
}

function formatTunnels(r: Record<string, unknown>): string {
  const pad = (x: string, n: number) => x.padEnd(n);
  const f = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '—');
  type Row = Record<string, unknown>;
  const rows = (k: string) => Object.entries(r[k] as Record<string, Row>);
  const ciphers = r.ciphers as { warren: string; openssh: string };
  const lines = [
    `Tunnels: Warren (in-process services via the contract; traffic through each tunnel's bound port) vs OpenSSH \`ssh -N\`, one sshd on loopback, ${String(r.cores)} cores; MB = 10^6 bytes.`,
    `Ciphers negotiated: Warren ${ciphers.warren}, ssh ${ciphers.openssh}. Channel window/packet offered (sshd log): ${(r.channelWindowsOffered as string[]).join(', ')}. Warren: ${String(r.warrenConnections)} SSH connection for all its tunnels; ssh: one process per forward.`,
    '',
    `1. ${streamLabel()} through a local forward (far end streams a pattern, every byte checked); median of ${String(r.runs)}`,
    `   ${pad('', 36)}${pad('MB/s', 9)}${pad('median s', 10)}${pad('runs (s)', 22)}${pad('CPU s*', 8)}verified`,
    ...rows('throughput').map(
      ([name, x]) =>
        `   ${pad(name, 36)}${pad(f(x.mbps as number, 0), 9)}${pad(f(x.seconds as number, 2), 10)}${pad((x.runs as number[]).map((v) => f(v, 2)).join(' / '), 22)}${pad(f(x.clientCpu as number, 2), 8)}${x.verified ? 'yes' : `NO ${(x.errors as string[]).join('; ')}`}`,
    ),
    `   * CPU (user+sys) of the forwarding client, median per run: Warren's whole process (services, ssh2), or the ssh process; for direct, the load process.`,
    `   Warren's own counter for that tunnel: ${f((r.warrenCountedBytesIn as number) / MB, 0)} MB in`,
    '',
    `2. ${LATENCY_CONNS} sequential connections (after ${LATENCY_WARMUP} uncounted warm-up ones): connect, 1 byte, its echo (echo), then end → close (cycle); ms`,
    `   ${pad('', 36)}${pad('echo p50', 10)}${pad('echo p95', 10)}${pad('max', 9)}${pad('cycle p50', 11)}${pad('cycle p95', 11)}${pad('CPU ms/conn*', 14)}failed`,
    ...rows('latency').map(
      ([name, x]) =>
        `   ${pad(name, 36)}${pad(f(x.echoP50 as number, 2), 10)}${pad(f(x.echoP95 as number, 2), 10)}${pad(f(x.echoMax as number, 1), 9)}${pad(f(x.cycleP50 as number, 2), 11)}${pad(f(x.cycleP95 as number, 2), 11)}${pad(f(x.cpuMsPerConn as number, 3), 14)}${String(x.failures)}`,
    ),
    '',
    `3. ${BURST_CONNS} concurrent connections, each echoing a random ${BURST_SIZE / 1024} KiB payload (sha256 checked); median of ${String(r.runs)}`,
    `   ${pad('', 36)}${pad('median s', 10)}${pad('runs (s)', 24)}${pad('CPU s*', 8)}ok / lost / corrupted (all runs)`,
    ...rows('concurrency').map(
      ([name, x]) =>
        `   ${pad(name, 36)}${pad(f(x.seconds as number, 3), 10)}${pad((x.runs as number[]).map((v) => f(v, 3)).join(' / '), 24)}${pad(f(x.clientCpu as number, 2), 8)}${String(x.ok)} / ${String(x.lost)} / ${String(x.corrupted)}${(x.errors as string[]).length ? `  e.g. ${(x.errors as string[])[0]}` : ''}`,
    ),
    '',
    `4. SOCKS5: curl --socks5-hostname, ${SOCKS_BYTES / MB} MB over HTTP; median of ${String(r.runs)}`,
    `   ${pad('', 36)}${pad('MB/s', 9)}${pad('median s', 10)}${pad('runs (MB/s)', 22)}${pad('CPU s*', 8)}ok`,
    ...rows('socks').map(
      ([name, x]) =>
        `   ${pad(name, 36)}${pad(f(x.mbps as number, 0), 9)}${pad(f(x.seconds as number, 2), 10)}${pad((x.runs as number[]).map((v) => f(v, 0)).join(' / '), 22)}${pad(f(x.clientCpu as number, 2), 8)}${x.ok ? 'yes' : `NO ${(x.errors as string[]).join('; ')}`}`,
    ),
    '',
    'Ratios, Warren time / OpenSSH time (< 1: Warren is faster):',
    ...Object.entries(r.ratios as Record<string, number>).map(([k, v]) => `   ${pad(k, 48)}${f(v, 2)}×`),
    '',
    `total ${f(r.seconds as number, 0)} s; load average ${(r.loadavgAtStart as number[]).map((v) => f(v, 2)).join(' ')} at the start, ${(r.loadavgAtEnd as number[]).map((v) => f(v, 2)).join(' ')} at the end (other work on this machine skews every number)`,
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(130));
  try {
    const r = await benchTunnels();
    console.log(formatTunnels(r));
    await mkdir(OUT_DIR, { recursive: true });
    const file = join(OUT_DIR, 'tunnels.json');
    await writeFile(file, `${JSON.stringify(r, null, 2)}\n`);
    console.log(`results: ${file}`);
  } catch (e) {
    console.error(`bench tunnels failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exitCode = 1;
  } finally {
    await cleanupAll().catch((e: unknown) => console.error(`cleanup: ${String(e)}`));
  }
}

await main();
