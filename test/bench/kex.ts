// Key exchange benchmark: what post-quantum costs a login. Two real sshds, one allowing only
// curve25519-sha256, one only sntrup761x25519-sha512@openssh.com; Warren's whole login (TCP, key
// exchange, host key check, Ed25519 key auth) through its real ConnectionManager, and OpenSSH's
// `ssh HOST true` beside it with the same key, so the PQ/classic ratio of each client is printed. Then
// the client's own work per exchange (KEM key pair + decapsulation + X25519), per method.
// A benchmark: it reports, it never fails on a time. `npx tsx test/bench/kex.ts` prints a table and
// writes test/output/bench/kex.json.
import '../../electron/tune-gc.js';
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hybridClient, hybridServer, PQ_KEX } from '../../electron/ssh/pq/kex.js';
import { cleanupAll, ensureTestUser, makeKey, startSshd, tempDir, TEST_USER, type Sshd } from '../harness/ssh.js';
import { startWarren } from '../harness/warren.js';

const RUNS = Number(process.env.BENCH_KEX_RUNS ?? 30);
const OUT_DIR = fileURLToPath(new URL('../output/bench/', import.meta.url));
const log = (s: string) => console.error(`bench kex: ${s}`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

interface KexResult {
  runs: number;
  /** median ms of a whole login, per client and server */
  login: { warren: { classic: number; pq: number }; ssh: { classic: number; pq: number } };
  /** median ms of the client's side of one exchange (key pairs, decapsulation, X25519), per method */
  clientWork: Record<string, number>;
}

export async function benchKex(): Promise<KexResult> {
  await ensureTestUser();
  const classic = await startSshd({ extraConfig: ['KexAlgorithms curve25519-sha256'] });
  const pq = await startSshd({ extraConfig: ['KexAlgorithms sntrup761x25519-sha512@openssh.com'] });
  const dir = await tempDir('warren-bench-kex-');
  const key = await makeKey(dir, { type: 'ed25519' });
  await classic.authorize(key.pub);
  await pq.authorize(key.pub);
  const w = await startWarren();
  // Warren records the host keys it accepts there; ssh reads the same file
  const knownHosts = join(w.dataDir, 'known_hosts');
  w.answer = (p) => (p.kind === 'hostkey' ? { accept: true } : { cancel: true });
  const warrenLogin = async (sshd: Sshd) => {
    const host = await w.client.call('hosts.create', {
      name: `bench-${sshd.port}`,
      groupId: null,
      hostname: sshd.host,
      port: sshd.port,
      user: TEST_USER,
      auth: 'key',
      identityFile: key.path,
    });
    const endpoint = w.services.endpointOf({ hostId: host.id });
    const times: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const t0 = performance.now();
      const lease = await w.services.connections.acquire(endpoint);
      const ms = performance.now() - t0;
      const closed = lease.closed;
      lease.release();
      await closed;
      if (i > 0) times.push(ms); // the first one records the host key
    }
    return median(times);
  };
  const sshLogin = (sshd: Sshd) => {
    const args = [
      '-i',
      key.path,
      '-o',
      'IdentitiesOnly=yes',
      '-o',
      `UserKnownHostsFile=${knownHosts}`,
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      'BatchMode=yes',
    ];
    args.push('-F', '/dev/null', '-p', String(sshd.port), `${TEST_USER}@${sshd.host}`, 'true');
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const r = spawnSync('ssh', args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 20_000 });
      if (r.status !== 0) throw new Error(`ssh failed: ${String(r.stderr)}`);
      times.push(performance.now() - t0);
    }
    return median(times);
  };
  // interleaved, so a busy moment of the machine falls on both
  log(`${RUNS} logins each…`);
  const warrenClassic = await warrenLogin(classic);
  const warrenPq = await warrenLogin(pq);
  const sshClassic = sshLogin(classic);
  const sshPq = sshLogin(pq);
  await w.close();

  const clientWork: Record<string, number> = {};
  for (const m of PQ_KEX.filter((x) => !x.name.endsWith('@openssh.com'))) {
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // the server's part (encapsulation) happens first, outside the clock: only the client's work counts
      const t0 = performance.now();
      const c = hybridClient(m);
      const t1 = performance.now();
      const { reply } = hybridServer(m, c.init);
      const t2 = performance.now();
      c.secret(reply);
      times.push(t1 - t0 + (performance.now() - t2));
    }
    clientWork[m.name] = median(times);
  }
  return { runs: RUNS, login: { warren: { classic: warrenClassic, pq: warrenPq }, ssh: { classic: sshClassic, pq: sshPq } }, clientWork };
}

export function formatKex(r: KexResult): string {
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  const { warren, ssh } = r.login;
  return [
    `Login (key exchange + Ed25519 key auth), median of ${r.runs}:`,
    `| client | curve25519-sha256 | sntrup761x25519-sha512 | PQ / classic |`,
    `|---|---|---|---|`,
    `| Warren (in process) | ${ms(warren.classic)} | ${ms(warren.pq)} | ${(warren.pq / warren.classic).toFixed(2)}× |`,
    `| ssh HOST true (whole process) | ${ms(ssh.classic)} | ${ms(ssh.pq)} | ${(ssh.pq / ssh.classic).toFixed(2)}× |`,
    `Client work per exchange (KEM key pair + decapsulation + X25519), median of ${r.runs}:`,
    ...Object.entries(r.clientWork).map(([name, t]) => `  ${name}: ${ms(t)}`),
  ].join('\n');
}

async function main(): Promise<void> {
  try {
    const r = await benchKex();
    console.log(formatKex(r));
    await mkdir(OUT_DIR, { recursive: true });
    await writeFile(join(OUT_DIR, 'kex.json'), `${JSON.stringify(r, null, 2)}\n`);
  } catch (e) {
    console.error(`bench kex failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exitCode = 1;
  } finally {
    await cleanupAll().catch((e: unknown) => console.error(`cleanup: ${String(e)}`));
  }
}

await main();
