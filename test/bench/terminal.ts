// `npm run bench`: terminal throughput and keystroke latency, Warren (xterm in Chromium, browser mode) side by side with
// OpenSSH's client and bare ssh2, against one real sshd. A benchmark: it reports, it never fails on a time.
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanupAll, ensureTestUser, makeKey, startSshd, tempDir, type Sshd } from '../harness/ssh.js';
import { bareSsh2, openssh, ssh2Echo, type Run, type Target } from './native.js';
import {
  activateTab,
  js,
  keystrokeLatencies,
  launchChromium,
  openApp,
  openTab,
  sampleMemory,
  startServer,
  typeLine,
  until,
  type App,
  type KeySample,
  type RendererMode,
  type WarrenServer,
} from './warren.js';

/** BENCH_SIZE (default 100M, as `head -c` reads it) shrinks the flood for a quick try */
const CMD = `head -c ${process.env.BENCH_SIZE ?? '100M'} /dev/urandom | base64`;
const MARK = 'BENCH-42';
const XTERM_JS = fileURLToPath(new URL('../../node_modules/@xterm/xterm/lib/xterm.js', import.meta.url));
const XTERM_CSS = fileURLToPath(new URL('../../node_modules/@xterm/xterm/css/xterm.css', import.meta.url));
const WEBGL_JS = fileURLToPath(new URL('../../node_modules/@xterm/addon-webgl/lib/addon-webgl.js', import.meta.url));
const RUNS = 3;
const KEYS = 50;
const OUT_DIR = fileURLToPath(new URL('../output/bench/', import.meta.url));

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number) => sorted(xs)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const MB = 1e6;
const MiB = 1024 * 1024;
const log = (s: string) => console.error(`bench: ${s}`);

interface Measured {
  /** seconds per run */
  runs: number[];
  seconds: number;
  /** bytes received in the last run */
  bytes: number;
}

async function measure(name: string, once: () => Promise<Run>): Promise<Measured> {
  const runs: number[] = [];
  let bytes = 0;
  for (let i = 0; i < RUNS; i++) {
    const r = await once();
    runs.push(r.seconds);
    bytes = r.bytes;
    log(`${name} #${i + 1}: ${r.seconds.toFixed(2)} s, ${r.bytes} bytes`);
  }
  return { runs, seconds: median(runs), bytes };
}

interface Flood {
  seconds: number;
  /** terminal bytes that reached the page */
  delivered: number;
  heapMax: number;
  rssMax: number;
  /** animation frames of 50 ms or more: how long the UI was unresponsive at a stretch, and in all */
  jankMax: number;
  jankTotal: number;
}

const jank = (frames: number[]) => ({ jankMax: Math.max(0, ...frames), jankTotal: frames.reduce((a, b) => a + b, 0) });

/** `CMD; echo BENCH-$((40+2))` in the active tab, from Enter until BENCH-42 is on screen */
async function flood({ page, cdp }: App, server: WarrenServer): Promise<Flood> {
  await typeLine(page, 'clear');
  await page.keyboard.press('Enter');
  await until(page, 'lacks', MARK);
  await typeLine(page, `${CMD}; echo BENCH-$((40+2))`);
  await js(page, '__bench.take()');
  const mem = sampleMemory(cdp, server);
  const start = performance.now();
  await page.keyboard.press('Enter');
  await until(page, 'has', MARK, 300_000);
  const seconds = (performance.now() - start) / 1000;
  const peaks = await mem.stop();
  const { bytes, longFrames } = await js<{ bytes: number; longFrames: number[] }>(page, '__bench.take()');
  return { seconds, delivered: bytes, heapMax: peaks.heap, rssMax: peaks.rss, ...jank(longFrames) };
}

interface Latency {
  idle: KeySample[];
  flood: KeySample[];
  /** clicking a tab until it is active, with the other tab idle / flooding */
  tabSwitchIdleMs: number;
  tabSwitchFloodMs: number;
  /** Ctrl-C in the flooding tab until its prompt is back */
  interruptMs: number;
  heapMax: number;
  rssMax: number;
  jankMax: number;
  jankTotal: number;
  /** tab 1's flood meanwhile, bytes/s reaching the page (a hidden tab's xterm still parses, but does not draw) */
  floodRate: number;
  /** the second tab shares the first one's connection */
  reused: boolean;
}

/** Tab 2 on the same host (and connection): keystrokes at its prompt, idle, then while tab 1 runs an endless flood. */
async function latency(app: App, server: WarrenServer, sshd: Sshd, key: string): Promise<Latency> {
  const { page, cdp } = app;
  await openTab(page, sshd, key);
  const reused = (await page.locator('[data-testid=terminal][data-active=true]').getAttribute('data-reused')) === 'true';
  const idle = await keystrokeLatencies(page, KEYS);

  const tabSwitchIdleMs = await activateTab(page, 0);
  await typeLine(page, 'clear');
  await page.keyboard.press('Enter');
  await typeLine(page, 'cat /dev/urandom | base64');
  await page.keyboard.press('Enter');
  await new Promise((r) => setTimeout(r, 1500));
  await js(page, '__bench.take()');
  const mem = sampleMemory(cdp, server);
  const floodStart = performance.now();
  const tabSwitchFloodMs = await activateTab(page, 1);
  const during = await keystrokeLatencies(page, KEYS);
  const peaks = await mem.stop();
  const { bytes, longFrames } = await js<{ bytes: number; longFrames: number[] }>(page, '__bench.take()');
  const floodRate = bytes / ((performance.now() - floodStart) / 1000);

  await activateTab(page, 0);
  const start = performance.now();
  await page.keyboard.press('Control+C');
  await until(page, 'has', '$ ', 60_000);
  const interruptMs = performance.now() - start;
  await typeLine(page, 'echo STOP-$((50+5))');
  await page.keyboard.press('Enter');
  await until(page, 'has', 'STOP-55');
  return {
    idle,
    flood: during,
    tabSwitchIdleMs,
    tabSwitchFloodMs,
    interruptMs,
    heapMax: peaks.heap,
    rssMax: peaks.rss,
    ...jank(longFrames),
    floodRate,
    reused,
  };
}

interface WarrenResult {
  mode: RendererMode;
  /** what the terminal actually used (its data-renderer attribute) */
  renderer: string;
  throughput: Measured;
  floods: Flood[];
  heapIdle: number;
  rssIdle: number;
  latency: Latency;
}

/** a fresh Warren server and browser per renderer, so each one's memory is its own */
async function warren(mode: RendererMode, sshd: Sshd, key: string): Promise<WarrenResult> {
  const server = await startServer(await tempDir('warren-bench-data-'));
  let app: App | undefined;
  try {
    const a = (app = await openApp(server, mode));
    await openTab(a.page, sshd, key);
    const renderer = (await js<string | null>(a.page, '__bench.renderer()')) ?? '?';
    const heapIdle = ((await a.cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize;
    const rssIdle = server.rss();
    const floods: Flood[] = [];
    const throughput = await measure(`warren ${mode} (renderer ${renderer})`, async () => {
      const f = await flood(a, server);
      floods.push(f);
      return { bytes: f.delivered, seconds: f.seconds };
    });
    log(`warren ${mode}: keystroke latency`);
    return { mode, renderer, throughput, floods, heapIdle, rssIdle, latency: await latency(a, server, sshd, key) };
  } finally {
    await app?.browser.close();
    await server.stop();
  }
}

/**
 * The renderer's own ceiling: the same amount of base64 text (76 characters and \r\n a line, as `base64`
 * through a PTY) written into xterm.js on a blank page of the same Chromium, same size and font, nothing
 * of Warren in between (no WebSocket, no addons but WebGL's), a few 1 MiB writes in flight. Seconds.
 */
async function bareXterm(mode: RendererMode, bytes: number): Promise<number> {
  const browser = await launchChromium(mode);
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.setContent(
      '<!doctype html><body style="margin:0;background:#0f1115"><div id="t" style="position:absolute;left:280px;top:66px;width:1000px;height:710px"></div></body>',
    );
    await page.addStyleTag({ path: XTERM_CSS });
    await page.addScriptTag({ path: XTERM_JS });
    if (mode === 'webgl') await page.addScriptTag({ path: WEBGL_JS });
    return await js<number>(
      page,
      `(async () => {
        const term = new Terminal({ fontFamily: 'monospace', fontSize: 14, scrollback: 10000, allowProposedApi: true });
        term.open(document.getElementById('t'));
        if (${JSON.stringify(mode)} === 'webgl') term.loadAddon(new WebglAddon.WebglAddon());
        const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
        let text = '';
        while (text.length < 1 << 20) {
          let line = '';
          for (let i = 0; i < 76; i++) line += abc[(Math.random() * 64) | 0];
          text += line + '\\r\\n';
        }
        const block = new TextEncoder().encode(text);
        const total = ${bytes};
        const t0 = performance.now();
        let sent = 0;
        let pending = 0;
        await new Promise((resolve) => {
          const pump = () => {
            while (pending < 4 && sent < total) {
              const n = Math.min(block.length, total - sent);
              sent += n;
              pending++;
              term.write(n === block.length ? block : block.subarray(0, n), () => {
                pending--;
                if (sent >= total && pending === 0) resolve();
                else pump();
              });
            }
          };
          pump();
        });
        return (performance.now() - t0) / 1000;
      })()`,
    );
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  await ensureTestUser();
  const sshd = await startSshd();
  const dir = await tempDir('warren-bench-');
  const key = await makeKey(dir);
  await sshd.authorize(key.pub);
  const t: Target = { sshd, key: key.path, knownHosts: join(dir, 'known_hosts') };

  // ssh's times include its connection setup, which the others do on an open connection: measured, and subtracted
  const setup = await measure('ssh … true (setup)', () => openssh(t, 'true', false));
  const minusSetup = (m: Measured): Measured => ({ ...m, runs: m.runs.map((s) => s - setup.seconds), seconds: m.seconds - setup.seconds });
  const native = {
    ssh2: await measure('ssh2 exec', () => bareSsh2(t, CMD, false)),
    ssh: minusSetup(await measure('ssh', () => openssh(t, CMD, false))),
    sshTT: minusSetup(await measure('ssh -tt', () => openssh(t, CMD, true))),
    ssh2Pty: await measure('ssh2 exec pty', () => bareSsh2(t, CMD, true)),
  };
  // Bare ssh2 without a PTY receives exactly the command's output: every rate below is that payload over the time
  // taken (a PTY's extra \r are not counted), so rate ratios are time ratios.
  const payload = native.ssh2.bytes;
  const dom = await warren('dom', sshd, key.path);
  const webgl = await warren('webgl', sshd, key.path).catch((e: unknown) => (log(`the WebGL run failed: ${String(e)}`), null));
  const warrens = [dom, ...(webgl ? [webgl] : [])];
  const bare: Partial<Record<RendererMode, Measured>> = {};
  for (const w of warrens)
    bare[w.mode] = await measure(`bare xterm.js page (${w.mode})`, async () => ({
      bytes: native.ssh2Pty.bytes,
      seconds: await bareXterm(w.mode, native.ssh2Pty.bytes),
    }));
  const echo = await ssh2Echo(t, KEYS);

  // ---------------------------------------------------------------- report
  const mbps = (m: Measured) => payload / m.seconds / MB;
  const ratio = (a: Measured, b: Measured) => b.seconds / a.seconds;
  const ratios: Record<string, number> = {
    'ssh2 exec / ssh': ratio(native.ssh2, native.ssh),
    'ssh2 PTY / ssh -tt': ratio(native.ssh2Pty, native.sshTT),
  };
  for (const w of warrens) {
    ratios[`Warren ${w.mode} / ssh`] = ratio(w.throughput, native.ssh);
    ratios[`Warren ${w.mode} / ssh -tt`] = ratio(w.throughput, native.sshTT);
    ratios[`Warren ${w.mode} / ssh2 PTY`] = ratio(w.throughput, native.ssh2Pty);
    ratios[`Warren ${w.mode} / bare xterm ${w.mode}`] = ratio(w.throughput, bare[w.mode]!);
    // a pipe is as fast as its slower end: the PTY's output as ssh2 receives it, or xterm drawing it
    const ceiling = bare[w.mode]!.seconds > native.ssh2Pty.seconds ? bare[w.mode]! : native.ssh2Pty;
    ratios[`Warren ${w.mode} / its ceiling`] = ratio(w.throughput, ceiling);
  }
  const rows: [string, Measured][] = [
    ['ssh (no PTY)', native.ssh],
    ['ssh -tt (PTY)', native.sshTT],
    ['ssh2 exec (no PTY)', native.ssh2],
    ['ssh2 exec (PTY)', native.ssh2Pty],
    ...warrens.map((w): [string, Measured] => [`Warren → xterm ${w.mode === 'dom' ? '&renderer=dom' : 'default'} (${w.renderer})`, w.throughput]),
    ...warrens.map((w): [string, Measured] => [`bare xterm.js page, no Warren (${w.mode})`, bare[w.mode]!]),
  ];
  const pad = (s: string, n: number) => s.padEnd(n);
  const f1 = (n: number) => n.toFixed(1);
  const mib = (n: number) => `${f1(n / MiB)} MiB`;
  const ms = (xs: number[]) => [50, 95, 100].map((p) => pad(f1(pct(xs, p)), 8)).join('');
  const keys = (xs: KeySample[], k: keyof KeySample) => ms(xs.map((x) => x[k]));
  const lines = [
    `Terminal flood: \`${CMD}\` = ${f1(payload / MB)} MB of text; median of ${RUNS} runs; MB = 10^6 bytes.`,
    `ssh's times are minus its connection setup (\`ssh … true\`: ${setup.seconds.toFixed(2)} s); the others start on an open connection.`,
    '',
    `${pad('', 44)}${pad('MB/s', 9)}${pad('median s', 10)}runs (s)`,
    ...rows.map(([name, m]) => `${pad(name, 44)}${pad(f1(mbps(m)), 9)}${pad(m.seconds.toFixed(2), 10)}${m.runs.map((s) => s.toFixed(2)).join(' / ')}`),
    '',
    'Throughput ratios (its ceiling: the slower of ssh2 PTY, the source, and bare xterm, the sink):',
    ...Object.entries(ratios).map(([k, v]) => `  ${pad(k, 30)}${v.toFixed(2)}×`),
    '',
    `${pad('Warren during the floods (maxima)', 38)}${pad('renderer heap', 16)}${pad('server RSS', 13)}${pad('longest frame', 16)}${pad('frames ≥50 ms', 16)}delivered / ssh2 PTY bytes`,
    ...warrens.flatMap((r) => [
      `  ${pad(`${r.mode}: idle, before`, 36)}${pad(mib(r.heapIdle), 16)}${mib(r.rssIdle)}`,
      ...r.floods.map(
        (fl, i) =>
          `  ${pad(`${r.mode}: flood #${i + 1}`, 36)}${pad(mib(fl.heapMax), 16)}${pad(mib(fl.rssMax), 13)}${pad(`${fl.jankMax.toFixed(0)} ms`, 16)}` +
          `${pad(`${(fl.jankTotal / 1000).toFixed(1)} s`, 16)}${(fl.delivered / native.ssh2Pty.bytes).toFixed(5)}`,
      ),
    ]),
    '',
    `${pad(`Keystroke → echo on screen in tab 2 (same connection), ${KEYS} keys`, 64)}p50 ms  p95     max`,
    `  ${pad('bare ssh2 PTY shell: write → echo received (no UI)', 62)}${ms(echo)}`,
    ...warrens.flatMap((r) => [
      `  ${pad(`${r.mode}: idle, from keyboard.press`, 62)}${keys(r.latency.idle, 'total')}`,
      `  ${pad(`${r.mode}: idle, from the page's keydown`, 62)}${keys(r.latency.idle, 'fromKeydown')}`,
      `  ${pad(`${r.mode}:   of which keydown → WebSocket send`, 62)}${keys(r.latency.idle, 'send')}`,
      `  ${pad(`${r.mode}:   of which send → echo back (server, ssh2, sshd)`, 62)}${keys(r.latency.idle, 'echo')}`,
      `  ${pad(`${r.mode}:   of which echo back → on screen (xterm)`, 62)}${keys(r.latency.idle, 'draw')}`,
      `  ${pad(`${r.mode}: tab 1 flooding, from keyboard.press`, 62)}${keys(r.latency.flood, 'total')}`,
      `  ${pad(`${r.mode}: tab 1 flooding, from the page's keydown`, 62)}${keys(r.latency.flood, 'fromKeydown')}`,
      `  ${r.mode}: same connection: ${r.latency.reused}; tab switch ${r.latency.tabSwitchIdleMs.toFixed(0)} ms idle, ${r.latency.tabSwitchFloodMs.toFixed(0)} ms during the flood; ` +
        `Ctrl-C → prompt ${r.latency.interruptMs.toFixed(0)} ms`,
      `  ${r.mode}: during the flood (tab 1 at ${f1(r.latency.floodRate / MB)} MB/s): heap ≤ ${mib(r.latency.heapMax)}, server RSS ≤ ${mib(r.latency.rssMax)}, longest frame ${r.latency.jankMax.toFixed(0)} ms, frames ≥50 ms ${(r.latency.jankTotal / 1000).toFixed(1)} s`,
    ]),
    '',
    `total ${((performance.now() - started) / 1000).toFixed(0)} s on ${cpus().length} cores`,
  ];
  console.log(lines.join('\n'));
  await mkdir(OUT_DIR, { recursive: true });
  await writeFile(
    join(OUT_DIR, 'terminal.json'),
    `${JSON.stringify({ date: new Date().toISOString(), cmd: CMD, payload, runs: RUNS, cores: cpus().length, sshSetup: setup, native, ssh2Echo: echo, warren: { dom, webgl }, bare, ratios }, null, 2)}\n`,
  );
  console.log(`results: ${join(OUT_DIR, 'terminal.json')}`);
}

// interrupted: exit through 'exit', whose hooks stop sshd, the Warren server and the browser
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(130));
try {
  await main();
} catch (e) {
  console.error(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exitCode = 1;
} finally {
  await cleanupAll().catch((e: unknown) => console.error(`cleanup: ${String(e)}`));
}
