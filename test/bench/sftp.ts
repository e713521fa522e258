// SFTP benchmark: Warren's transfer queue (its real services in-process, driven through the contract, as the app
// drives them) side by side with OpenSSH's `sftp` (batch, -R 64 -B 262144; 261120 uploading) and `scp`, against one real sshd, same key.
// A benchmark: it reports, it never fails on a time. `npx tsx test/bench/sftp.ts` prints a table and writes
// test/output/bench/sftp.json; `benchSftp()` returns the results to a caller.
import '../../electron/tune-gc.js';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { chown, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TransferJob } from '../../shared/sftp.js';
import { cleanupAll, ensureTestUser, makeKey, startSshd, tempDir, TEST_USER, type Sshd } from '../harness/ssh.js';
import { startWarren } from '../harness/warren.js';

const MiB = 1024 ** 2;
/** BENCH_SFTP_MIB shrinks the 1 GiB file for a quick try */
const BIG_MIB = Number(process.env.BENCH_SFTP_MIB ?? 1024);
const SMALL_FILES = 2000;
const SMALL_SIZE = 4096;
/** BENCH_SFTP_RUNS: runs of each case and tool */
const RUNS = Number(process.env.BENCH_SFTP_RUNS ?? 5);
const OUT_DIR = fileURLToPath(new URL('../output/bench/', import.meta.url));
const SHM = '/dev/shm/warren-bench-sftp';

const log = (s: string) => console.error(`bench sftp: ${s}`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

interface Setup {
  sshd: Sshd;
  key: string;
  /** the test user's folder for the remote side */
  remote: string;
  local: string;
  uid: number;
  gid: number;
}

type Tool = 'warren' | 'sftp' | 'scp';
type Case = 'download' | 'upload' | 'small';
const TOOLS: Tool[] = ['warren', 'sftp', 'scp'];
/** BENCH_SFTP_CASES=small (comma-separated) runs only those */
const CASES = (process.env.BENCH_SFTP_CASES?.split(',') ?? ['download', 'upload', 'small']) as Case[];

function run(cmd: string, args: string[], input?: string): Promise<void> {
  return new Promise((ok, fail) => {
    const child = spawn(cmd, args, { stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? ok() : fail(new Error(`${cmd} exited with ${code}: ${stderr.trim()}`))));
    child.stdin?.end(input);
  });
}

/** OpenSSH's tools in a benchmark: this key, no known_hosts, never a prompt, errors only */
export const sshOptions = (keyPath: string) => [
  '-i',
  keyPath,
  '-o',
  'StrictHostKeyChecking=no',
  '-o',
  'UserKnownHostsFile=/dev/null',
  '-o',
  'BatchMode=yes',
  '-o',
  'LogLevel=ERROR',
];
const sshOpts = (s: Setup) => sshOptions(s.key);
const remoteSpec = (s: Setup, path: string) => `${TEST_USER}@${s.sshd.host}:${path}`;

/** where each case copies from and to */
function paths(s: Setup, c: Case, tool: Tool): { from: string; to: string; direction: 'upload' | 'download' } {
  if (c === 'download') return { direction: 'download', from: join(s.remote, 'big.bin'), to: join(s.local, `down-${tool}.bin`) };
  if (c === 'upload') return { direction: 'upload', from: join(s.local, 'big.bin'), to: join(s.remote, `up-${tool}.bin`) };
  return { direction: 'upload', from: join(s.local, 'small'), to: join(s.remote, `small-${tool}`) };
}

async function openssh(s: Setup, tool: 'sftp' | 'scp', c: Case): Promise<void> {
  const { from, to, direction } = paths(s, c, tool);
  if (tool === 'sftp') {
    const cmd = c === 'small' ? `mkdir "${to}"\nput -r "${from}/." "${to}"` : direction === 'download' ? `get "${from}" "${to}"` : `put "${from}" "${to}"`;
    // -B 262144 makes sftp's uploads fail ("Outbound message too long 262169"): they get the largest that works
    return run(
      'sftp',
      [
        '-q',
        '-b',
        '-',
        '-R',
        '64',
        '-B',
        direction === 'download' ? '262144' : '261120',
        '-P',
        String(s.sshd.port),
        ...sshOpts(s),
        `${TEST_USER}@${s.sshd.host}`,
      ],
      `${cmd}\n`,
    );
  }
  const [src, dst] = direction === 'download' ? [remoteSpec(s, from), to] : [from, remoteSpec(s, to)];
  return run('scp', ['-q', ...(c === 'small' ? ['-r'] : []), '-P', String(s.sshd.port), ...sshOpts(s), src, dst]);
}

/**
 * One transfer through Warren, from a cold start as the OpenSSH tools have one: timed from the enqueue call, which
 * connects, authenticates and opens SFTP, until the queue reports the job done. Returns seconds.
 */
export async function warrenTransfer(
  server: { host: string; port: number; key: string },
  job: { direction: 'upload' | 'download'; from: string; to: string },
): Promise<number> {
  const w = await startWarren();
  try {
    w.answer = (p) => (p.kind === 'hostkey' ? { accept: true } : p.kind === 'vault' ? { value: 'bench' } : { cancel: true });
    const h = await w.client.call('hosts.create', {
      name: 'bench',
      groupId: null,
      hostname: server.host,
      port: server.port,
      user: TEST_USER,
      auth: 'key',
      identityFile: server.key,
    });
    const start = performance.now();
    const done = await new Promise<TransferJob>((ok, fail) => {
      let id = '';
      const stop = w.client.subscribe(
        'transfers.watch',
        {},
        {
          onEvent: (e) => {
            const j = e.jobs.find((x) => x.id === id);
            if (!j || j.scanning || !['done', 'failed', 'cancelled', 'paused', 'skipped'].includes(j.state)) return;
            stop();
            ok(j);
          },
          onEnd: (err) => fail(err ?? new Error('the queue stream ended')),
        },
      );
      w.client
        .call('transfers.enqueue', {
          direction: job.direction,
          target: { hostId: h.id },
          items: [{ from: job.from, to: job.to }],
          conflict: 'overwrite',
          preserve: { mtime: false, mode: false },
        })
        .then((r) => (id = r.ids[0]!), fail);
    });
    if (done.state !== 'done') throw new Error(`Warren's ${job.direction} ended ${done.state}: ${done.error?.message ?? ''}`);
    return (performance.now() - start) / 1000;
  } finally {
    await w.close();
  }
}

/** removes the copy, and writes dirty pages out, so no run pays for the one before */
async function clean(s: Setup, c: Case, tool: Tool): Promise<void> {
  await rm(paths(s, c, tool).to, { recursive: true, force: true });
  await run('sync', []);
}

export interface SftpBench {
  date: string;
  cores: number;
  bigMiB: number;
  smallFiles: number;
  runs: number;
  /** seconds per run, by case and tool */
  seconds: Record<Case, Record<Tool, number[]>>;
  median: Record<Case, Record<Tool, number>>;
  /** Warren's time / the tool's time (< 1: Warren is faster), of the medians and of the best runs */
  ratios: Record<string, { median: number; best: number }>;
  /** the machine's 1-minute load average before and after: other work on it skews every figure */
  load: [number, number];
}

export async function benchSftp(): Promise<SftpBench> {
  const { home } = await ensureTestUser();
  const { uid, gid } = await stat(home);
  const sshd = await startSshd();
  const dir = await tempDir('warren-bench-sftp-');
  const key = await makeKey(dir);
  await sshd.authorize(key.pub);
  // both sides on tmpfs: on this machine's disk, creating 2,000 files alone takes 2-4 s, whoever asks
  const s: Setup = { sshd, key: key.path, remote: join(SHM, 'remote'), local: join(SHM, 'local'), uid, gid };
  await rm(SHM, { recursive: true, force: true });
  await mkdir(SHM, { mode: 0o755 });
  process.once('exit', () => rmSync(SHM, { recursive: true, force: true }));
  await rm(s.remote, { recursive: true, force: true });
  await mkdir(s.remote);
  await chown(s.remote, uid, gid);
  await mkdir(join(s.local, 'small'), { recursive: true });
  log(`writing ${BIG_MIB} MiB of random data and ${SMALL_FILES} files of ${SMALL_SIZE} bytes`);
  for (let left = BIG_MIB, part = 0; left > 0; left -= 64, part++) {
    const chunk = randomBytes(Math.min(64, left) * MiB);
    await writeFile(join(s.local, 'big.bin'), chunk, { flag: part === 0 ? 'w' : 'a' });
  }
  await writeFile(join(s.remote, 'big.bin'), '');
  await run('cp', [join(s.local, 'big.bin'), join(s.remote, 'big.bin')]);
  await chown(join(s.remote, 'big.bin'), uid, gid);
  for (let i = 0; i < SMALL_FILES; i++) await writeFile(join(s.local, 'small', `f${String(i).padStart(4, '0')}`), randomBytes(SMALL_SIZE));

  const loadBefore = loadavg()[0]!;
  const seconds = Object.fromEntries(CASES.map((c) => [c, Object.fromEntries(TOOLS.map((t) => [t, [] as number[]]))])) as SftpBench['seconds'];
  try {
    const once = async (c: Case, tool: Tool): Promise<number> => {
      await clean(s, c, tool);
      const start = performance.now();
      const t =
        tool === 'warren'
          ? await warrenTransfer({ host: s.sshd.host, port: s.sshd.port, key: s.key }, paths(s, c, 'warren'))
          : (await openssh(s, tool, c), (performance.now() - start) / 1000);
      await clean(s, c, tool);
      return t;
    };
    for (const c of CASES) {
      // a first, untimed run of each: on this VM the first touch of fresh memory (a new 1 GiB file) costs seconds of
      // kernel time, and whoever ran first paid it
      for (const tool of TOOLS) log(`${c} ${tool} warm-up: ${(await once(c, tool)).toFixed(2)} s`);
      for (let i = 0; i < RUNS; i++) {
        // interleaved, and each round starting with the next tool: no tool always runs first or after the same one
        for (const tool of TOOLS.map((_, k) => TOOLS[(i + k) % TOOLS.length]!)) {
          const t = await once(c, tool);
          seconds[c][tool].push(t);
          log(`${c} ${tool} #${i + 1}: ${t.toFixed(2)} s`);
        }
      }
    }
  } finally {
    await rm(SHM, { recursive: true, force: true });
  }
  const med = Object.fromEntries(CASES.map((c) => [c, Object.fromEntries(TOOLS.map((t) => [t, median(seconds[c][t])]))])) as SftpBench['median'];
  const ratios: SftpBench['ratios'] = {};
  const best = (xs: number[]) => Math.min(...xs);
  for (const c of CASES) {
    for (const tool of ['sftp', 'scp'] as const)
      ratios[`${c}: Warren / ${tool}`] = { median: med[c].warren / med[c][tool], best: best(seconds[c].warren) / best(seconds[c][tool]) };
  }
  return {
    date: new Date().toISOString(),
    cores: cpus().length,
    bigMiB: BIG_MIB,
    smallFiles: SMALL_FILES,
    runs: RUNS,
    seconds,
    median: med,
    ratios,
    load: [loadBefore, loadavg()[0]!],
  };
}

export function formatSftp(r: SftpBench): string {
  const pad = (x: string, n: number) => x.padEnd(n);
  const label: Record<Case, string> = { download: `${r.bigMiB} MiB download`, upload: `${r.bigMiB} MiB upload`, small: `${r.smallFiles} × 4 KiB upload` };
  const size: Record<Case, number> = { download: r.bigMiB * MiB, upload: r.bigMiB * MiB, small: r.smallFiles * SMALL_SIZE };
  return [
    `SFTP: Warren's transfer queue vs OpenSSH (sftp -R 64 -B 262144, uploads -B 261120; scp), each from a cold start (connect, authenticate, copy);`,
    `median of ${r.runs}; files on tmpfs; ${r.cores} cores, load average ${r.load[0].toFixed(1)} before, ${r.load[1].toFixed(1)} after`,
    '',
    `   ${pad('', 26)}${pad('', 8)}${pad('median s', 10)}${pad('MB/s', 8)}runs (s)`,
    ...CASES.flatMap((c) =>
      TOOLS.map(
        (t, i) =>
          `   ${pad(i === 0 ? label[c] : '', 26)}${pad(t, 8)}${pad(r.median[c][t].toFixed(2), 10)}${pad((size[c] / r.median[c][t] / 1e6).toFixed(0), 8)}${r.seconds[c][t].map((x) => x.toFixed(2)).join(' / ')}`,
      ),
    ),
    '',
    'Ratios, Warren time / OpenSSH time (< 1: Warren is faster; targets: ≤ 0.8 for 1 GiB, ≤ 0.5 for the small files):',
    `   ${pad('', 28)}${pad('median', 9)}best run`,
    ...Object.entries(r.ratios).map(([k, v]) => `   ${pad(k, 28)}${pad(`${v.median.toFixed(2)}×`, 9)}${v.best.toFixed(2)}×`),
  ].join('\n');
}

async function main(): Promise<void> {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(130));
  try {
    const r = await benchSftp();
    console.log(formatSftp(r));
    await mkdir(OUT_DIR, { recursive: true });
    const file = join(OUT_DIR, 'sftp.json');
    await writeFile(file, `${JSON.stringify(r, null, 2)}\n`);
    console.log(`results: ${file}`);
  } catch (e) {
    console.error(`bench sftp failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exitCode = 1;
  } finally {
    await cleanupAll().catch((e: unknown) => console.error(`cleanup: ${String(e)}`));
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
