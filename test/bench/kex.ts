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
import { startHostileServer, type HostileServer } from '../harness/hostile.js';
import { startWarren } from '../harness/warren.js';

const RUNS = Number(process.env.BENCH_KEX_RUNS ?? 30);
/** the pause between logins in the "apart" row: more than kex.ts waits before it makes the next spare pair, plus the pair */
const GAP_MS = 400;
const OUT_DIR = fileURLToPath(new URL('../output/bench/', import.meta.url));
const log = (s: string) => console.error(`bench kex: ${s}`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

interface KexResult {
  runs: number;
  /** median ms of a whole login, per client and server */
  login: Record<'warren' | 'warrenApart' | 'ssh' | 'warrenMlkem', { classic: number; pq: number }>;
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
  w.answer = (p) => (p.kind === 'hostkey' ? { accept: true } : p.kind === 'password' ? { value: 'any' } : { cancel: true });
  /** logins to a saved host (key auth) on an sshd, or by quick connect (password) to an ssh2 server */
  const warrenLogin = async (server: Sshd | HostileServer, gapMs: number) => {
    const endpoint = await ('dir' in server
      ? w.services.endpointOf({
          hostId: (
            await w.client.call('hosts.create', {
              name: `bench-${server.port}-${gapMs}`,
              groupId: null,
              hostname: server.host,
              port: server.port,
              user: TEST_USER,
              auth: 'key',
              identityFile: key.path,
            })
          ).id,
        })
      : w.services.endpointOf({ quick: { hostname: '127.0.0.1', port: server.port, user: TEST_USER } }));
    const times: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
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
  const warrenClassic = await warrenLogin(classic, 0);
  const warrenPq = await warrenLogin(pq, 0);
  // a user's logins are seconds apart: the spare key pair is made in between
  const warrenClassicApart = await warrenLogin(classic, GAP_MS);
  const warrenPqApart = await warrenLogin(pq, GAP_MS);
  // ML-KEM: OpenSSH 9.2 has none, so ssh2's own server with the same exchange code on its side
  const ssh2Classic = await startHostileServer({ algorithms: { kex: ['curve25519-sha256'] } });
  const ssh2Mlkem = await startHostileServer({ algorithms: { kex: ['mlkem768x25519-sha256' as never] } });
  const mlkemClassic = await warrenLogin(ssh2Classic, GAP_MS);
  const mlkem = await warrenLogin(ssh2Mlkem, GAP_MS);
  await Promise.all([ssh2Classic.close(), ssh2Mlkem.close()]);
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
  return {
    runs: RUNS,
    login: {
      warren: { classic: warrenClassic, pq: warrenPq },
      warrenApart: { classic: warrenClassicApart, pq: warrenPqApart },
      warrenMlkem: { classic: mlkemClassic, pq: mlkem },
      ssh: { classic: sshClassic, pq: sshPq },
    },
    clientWork,
  };
}

export function formatKex(r: KexResult): string {
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  const { warren, warrenApart, ssh, warrenMlkem } = r.login;
  const row = (name: string, x: { classic: number; pq: number }) => `| ${name} | ${ms(x.classic)} | ${ms(x.pq)} | ${(x.pq / x.classic).toFixed(2)}× |`;
  return [
    `Login (key exchange + Ed25519 key auth), median of ${r.runs}:`,
    `| client | curve25519-sha256 | sntrup761x25519-sha512 | PQ / classic |`,
    `|---|---|---|---|`,
    row('Warren (in process), back to back', warren),
    row(`Warren (in process), ${GAP_MS} ms apart`, warrenApart),
    row('ssh HOST true (whole process)', ssh),
    "(sshd's own sntrup761 work is in every PQ column: ssh pays it too)",
    `| client → ssh2's server | curve25519-sha256 | mlkem768x25519-sha256 | PQ / classic |`,
    `|---|---|---|---|`,
    row(`Warren (in process), ${GAP_MS} ms apart, password`, warrenMlkem),
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
