// WAN benchmark: Warren and OpenSSH's own tools through one delay proxy (test/harness/wan.ts, in the load
// process, off Warren's event loop) in front of one real sshd, at 50 ms and 150 ms of round trip: SFTP
// download and upload (`sftp` as users run it), one stream through a local forward (`ssh -N -L`), and a
// whole `exec HOST true` process (`ssh` vs `warren exec`). Interleaved, the first side alternating.
// A benchmark: it reports, it never fails on a time. `npx tsx test/bench/wan.ts` prints a table and writes
// test/output/bench/wan.json.
import '../../electron/tune-gc.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { chown, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanupAll, ensureTestUser, freePort, makeKey, startSshd, tempDir, TEST_USER } from '../harness/ssh.js';
import { openTerminal, startLocalForward, startWarren } from '../harness/warren.js';
import { startLoad } from './load.js';
import { sshOptions, warrenTransfer } from './sftp.js';

const MiB = 1024 ** 2;
const MB = 1e6;
const RTTS = (process.env.BENCH_WAN_RTTS ?? '50,150').split(',').map(Number);
const RUNS = Number(process.env.BENCH_WAN_RUNS ?? 3);
/** bytes per transfer at each RTT: about the same number of seconds at each */
const bytesAt = (rtt: number) => (rtt <= 50 ? 64 : 32) * MiB;
const EXEC_RUNS = Number(process.env.BENCH_WAN_EXEC_RUNS ?? 5);
const SHM = '/dev/shm/warren-bench-wan';
const OUT_DIR = fileURLToPath(new URL('../output/bench/', import.meta.url));
const WARREN_BIN = resolve('bin/warren.js');

const log = (s: string) => console.error(`bench wan: ${s}`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

function run(cmd: string, args: string[], input?: string): Promise<void> {
  return new Promise((ok, fail) => {
    const child = spawn(cmd, args, { stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? ok() : fail(new Error(`${cmd} ${args.join(' ')} exited with ${code}: ${stderr.trim()}`))));
    child.stdin?.end(input);
  });
}

const canConnect = (port: number) =>
  new Promise<boolean>((r) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => (s.destroy(), r(true)));
    s.once('error', () => r(false));
  });

const timed = async (f: () => Promise<unknown>) => {
  const t0 = performance.now();
  await f();
  return (performance.now() - t0) / 1000;
};

interface Row {
  case: string;
  rttMs: number;
  warren: string;
  openssh: string;
  /** seconds per run */
  warrenSeconds: number[];
  opensshSeconds: number[];
  /** for throughput rows: MB per run's median */
  bytes: number | null;
}

export async function benchWan(): Promise<{ date: string; load: [number, number]; rows: Row[] }> {
  const { home } = await ensureTestUser();
  const { uid, gid } = await stat(home);
  const sshd = await startSshd();
  const key = await makeKey(await tempDir('warren-bench-wan-'));
  await sshd.authorize(key.pub);
  const children = new Set<ChildProcess>();
  const load = await startLoad(children);
  const remote = join(SHM, 'remote');
  const local = join(SHM, 'local');
  await rm(SHM, { recursive: true, force: true });
  await mkdir(remote, { recursive: true, mode: 0o755 });
  await mkdir(local, { recursive: true });
  await chown(SHM, uid, gid);
  await chown(remote, uid, gid);
  process.once('exit', () => rmSync(SHM, { recursive: true, force: true }));
  const sizes = [...new Set(RTTS.map(bytesAt))];
  for (const size of sizes) {
    const data = randomBytes(size);
    await writeFile(join(local, `up-${size}.bin`), data);
    await writeFile(join(remote, `down-${size}.bin`), data);
    await chown(join(remote, `down-${size}.bin`), uid, gid);
  }
  const sshOpts = [...sshOptions(key.path), '-o', 'IdentitiesOnly=yes'];
  const loadBefore = loadavg()[0]!;
  const rows: Row[] = [];
  const both = async (row: Omit<Row, 'warrenSeconds' | 'opensshSeconds'>, warren: () => Promise<number>, openssh: () => Promise<number>, runs = RUNS) => {
    const w: number[] = [];
    const o: number[] = [];
    await warren(); // untimed warm-up of each
    await openssh();
    for (let i = 0; i < runs; i++) {
      for (const side of i % 2 === 0 ? ['w', 'o'] : ['o', 'w']) (side === 'w' ? w : o).push(side === 'w' ? await warren() : await openssh());
    }
    rows.push({ ...row, warrenSeconds: w, opensshSeconds: o });
    log(`${row.case} @ ${row.rttMs} ms: Warren ${median(w).toFixed(2)} s, ${row.openssh} ${median(o).toFixed(2)} s`);
  };

  try {
    for (const rtt of RTTS) {
      const port = await load.proxy(sshd.port, rtt);
      const size = bytesAt(rtt);
      const server = { host: '127.0.0.1', port, key: key.path };
      const sftpBatch = (cmd: string) => run('sftp', ['-q', '-b', '-', '-P', String(port), ...sshOpts, `${TEST_USER}@127.0.0.1`], `${cmd}\n`);

      await both(
        { case: 'SFTP download', rttMs: rtt, warren: 'Warren', openssh: 'sftp', bytes: size },
        () => warrenTransfer(server, { direction: 'download', from: join(remote, `down-${size}.bin`), to: join(local, 'down-warren.bin') }),
        () => timed(() => sftpBatch(`get "${join(remote, `down-${size}.bin`)}" "${join(local, 'down-sftp.bin')}"`)),
      );
      await both(
        { case: 'SFTP upload', rttMs: rtt, warren: 'Warren', openssh: 'sftp', bytes: size },
        () => warrenTransfer(server, { direction: 'upload', from: join(local, `up-${size}.bin`), to: join(remote, 'up-warren.bin') }),
        () => timed(() => sftpBatch(`put "${join(local, `up-${size}.bin`)}" "${join(remote, 'up-sftp.bin')}"`)),
      );

      // one stream through a local forward: set up once per side, then timed per stream
      const w = await startWarren();
      w.answer = (p) => (p.kind === 'hostkey' ? { accept: true } : { cancel: true });
      const h = await w.client.call('hosts.create', {
        name: 'wan',
        groupId: null,
        hostname: '127.0.0.1',
        port,
        user: TEST_USER,
        auth: 'key',
        identityFile: key.path,
      });
      const t = await startLocalForward(w, h.id, load.ports.source);
      const wPort = t.port;
      if (t.status.state !== 'up') throw new Error(`Warren's forward did not come up: ${t.status.error?.message ?? t.status.state}`);
      const oPort = await freePort();
      const ssh = spawn('ssh', ['-N', '-L', `${oPort}:127.0.0.1:${load.ports.source}`, ...sshOpts, '-p', String(port), `${TEST_USER}@127.0.0.1`], {
        stdio: 'ignore',
      });
      children.add(ssh);
      for (const deadline = Date.now() + 20_000; !(await canConnect(oPort));) {
        if (Date.now() > deadline) throw new Error('ssh -L never listened');
        await new Promise((r) => setTimeout(r, 50));
      }
      const stream = async (p: number) => {
        const r = await load.stream(p, size);
        if (!r.verified) throw new Error(`stream through port ${p}: ${r.error ?? 'bytes differ'}`);
        return r.seconds;
      };
      await both(
        { case: '-L one stream', rttMs: rtt, warren: 'Warren -L', openssh: 'ssh -L', bytes: size },
        () => stream(wPort),
        () => stream(oPort),
      );
      ssh.kill();
      await w.client.call('tunnels.stop', { id: t.id });

      // a whole process that runs `true`: the CLI against ssh; the host key known to both. First while this
      // Warren holds a connection to the host (a terminal open) and serves the reuse socket, as the app does
      const warrenExec = () => timed(() => run(process.execPath, [WARREN_BIN, '--data-dir', w.dataDir, 'exec', 'wan', '--', 'true']));
      const sshExec = () => timed(() => run('ssh', [...sshOpts, '-p', String(port), `${TEST_USER}@127.0.0.1`, 'true']));
      const term = openTerminal(w, { hostId: h.id });
      await term.opened;
      await w.services.serveReuse();
      await both(
        { case: 'exec HOST true, the app connected to HOST', rttMs: rtt, warren: 'warren exec (reuse)', openssh: 'ssh', bytes: null },
        warrenExec,
        sshExec,
        EXEC_RUNS,
      );
      term.close();
      await w.close();
      await both({ case: 'exec HOST true, whole process', rttMs: rtt, warren: 'warren exec', openssh: 'ssh', bytes: null }, warrenExec, sshExec, EXEC_RUNS);
    }
  } finally {
    await load.stop();
    for (const c of children) c.kill('SIGKILL');
    await rm(SHM, { recursive: true, force: true });
  }
  return { date: new Date().toISOString(), load: [loadBefore, loadavg()[0]!], rows };
}

export function formatWan(r: { load: [number, number]; rows: Row[] }): string {
  const lines = [
    `WAN: a delay proxy on loopback, no rate cap, median of ${RUNS} (exec: ${EXEC_RUNS}); load ${r.load[0].toFixed(1)} → ${r.load[1].toFixed(1)}`,
    '| case | RTT | Warren | OpenSSH | Warren time / OpenSSH time |',
    '|---|---|---|---|---|',
  ];
  for (const row of r.rows) {
    const w = median(row.warrenSeconds);
    const o = median(row.opensshSeconds);
    const fmt = (s: number) => (row.bytes ? `${(row.bytes / s / MB).toFixed(1)} MB/s` : `${(s * 1000).toFixed(0)} ms`);
    lines.push(`| ${row.case} | ${row.rttMs} ms | ${row.warren} ${fmt(w)} | ${row.openssh} ${fmt(o)} | ${(w / o).toFixed(2)}× |`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  try {
    const r = await benchWan();
    console.log(formatWan(r));
    await mkdir(OUT_DIR, { recursive: true });
    await writeFile(join(OUT_DIR, 'wan.json'), `${JSON.stringify(r, null, 2)}\n`);
  } catch (e) {
    console.error(`bench wan failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exitCode = 1;
  } finally {
    await cleanupAll().catch((e: unknown) => console.error(`cleanup: ${String(e)}`));
  }
}

await main();
