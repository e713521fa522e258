// Real OpenSSH components for tests: a throw-away sshd per test suite, a test user, keys and an agent.
// Runs as root (sshd must be root to check passwords and allocate PTYs). See docs/TESTING.md.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { access, appendFile, chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TEST_USER = 'warren-test';
export const TEST_PASSWORD = 'warren-test-pw-7Qx2';
const HOST = '127.0.0.1';

// ---------------------------------------------------------------- processes

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

function exec(cmd: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, timeout: 30_000, stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 128, stdout, stderr }));
    child.stdin
      ?.on('error', () => {
        /* exited before reading: its exit code tells */
      })
      .end(opts.input);
  });
}

async function run(cmd: string, args: string[], opts?: { input?: string; env?: NodeJS.ProcessEnv }): Promise<string> {
  const r = await exec(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.code}): ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
}

/** Alive and not a zombie (PID 1 on these machines does not reap orphans, so kill(pid, 0) is not enough). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when there are none
  }
}

/** SIGSTOP a process and its descendants (so none can fork away while we walk), then SIGKILL them all. Synchronous: usable on 'exit'. */
export function killTree(pid: number): number[] {
  const freeze = (p: number): number[] => {
    signal(p, 'SIGSTOP');
    return [p, ...childrenOf(p).flatMap(freeze)];
  };
  const all = freeze(pid);
  for (const p of all) signal(p, 'SIGKILL');
  return all;
}

export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

export function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: HOST, port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

// ---------------------------------------------------------------- bookkeeping: nothing outlives the test process

/** a server process the harness started (sshd, or another implementation: see interop.ts) */
export interface TrackedServer {
  readonly pid: number;
  stop(): Promise<void>;
}

const live = { servers: new Set<TrackedServer>(), agents: new Set<AgentImpl>(), dirs: new Set<string>() };

/** `server` is stopped by cleanupAll() and killed when the test process exits */
export function trackServer(server: TrackedServer): void {
  live.servers.add(server);
}

export function untrackServer(server: TrackedServer): void {
  live.servers.delete(server);
}

process.once('exit', () => {
  for (const s of live.servers) if (s.pid) killTree(s.pid);
  for (const a of live.agents) signal(a.pid, 'SIGKILL');
  for (const d of live.dirs) rmSync(d, { recursive: true, force: true });
});

export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await chmod(dir, 0o755); // sshd reads authorized_keys as the user: every directory on the path must be traversable
  live.dirs.add(dir);
  return dir;
}

export async function cleanupAll(): Promise<void> {
  const results = await Promise.allSettled([...[...live.servers].map((s) => s.stop()), ...[...live.agents].map((a) => a.stop())]);
  await Promise.all([...live.dirs].map((d) => rm(d, { recursive: true, force: true })));
  live.dirs.clear();
  askpass = undefined;
  const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
  if (errors.length) throw new AggregateError(errors, 'cleanupAll: some processes did not stop');
}

/** An SSH_ASKPASS program that prints $WARREN_ASKPASS (so secrets travel by environment, never through a shell command line). */
let askpass: Promise<string> | undefined;
function askpassScript(): Promise<string> {
  return (askpass ??= (async () => {
    const path = join(await tempDir('warren-askpass-'), 'askpass.sh');
    await writeFile(path, '#!/bin/sh\nprintf \'%s\\n\' "$WARREN_ASKPASS"\n', { mode: 0o755 });
    return path;
  })());
}

// ---------------------------------------------------------------- user, ports, keys

const usersReady = new Map<string, Promise<{ user: string; password: string; home: string }>>();

/** Kills the per-connection processes (and what runs under them) of the sshd whose listener is `pid`; the listener stays. */
async function killSessionsOf(pid: number): Promise<void> {
  const killed = childrenOf(pid).flatMap(killTree);
  await waitFor('sshd sessions to exit', () => !killed.some(alive));
}

/** A local account with a home in /home and this password (created once per process; another process may race us). */
export function ensureUser(user: string, password: string): Promise<{ user: string; password: string; home: string }> {
  let ready = usersReady.get(user);
  if (!ready) {
    ready = (async () => {
      const home = `/home/${user}`;
      const userExists = async () => (await exec('id', ['-u', user])).code === 0;
      if (!(await userExists())) {
        // another process may create it at the same moment: only its absence afterwards is an error
        await run('useradd', ['-m', '-d', home, '-s', '/bin/bash', user]).catch(async (e: unknown) => {
          if (!(await userExists())) throw e;
        });
      }
      await run('chpasswd', [], { input: `${user}:${password}\n` });
      return { user, password, home };
    })().catch((e: unknown) => {
      usersReady.delete(user);
      throw e;
    });
    usersReady.set(user, ready);
  }
  return ready;
}

export function ensureTestUser(): Promise<{ user: string; password: string; home: string }> {
  return ensureUser(TEST_USER, TEST_PASSWORD);
}

/** Makes `path` (and everything under it) the test user's, as a folder of theirs on the server is. */
export async function giveToTestUser(path: string): Promise<void> {
  await run('chown', ['-R', `${TEST_USER}:`, path]);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, HOST, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** `ssh-keygen -lf` prints "256 SHA256:… comment (ED25519)": the second field. */
async function fingerprintOf(pubPath: string): Promise<string> {
  const fp = (await run('ssh-keygen', ['-lf', pubPath])).split(/\s+/)[1];
  if (!fp?.startsWith('SHA256:')) throw new Error(`unexpected ssh-keygen -lf output for ${pubPath}`);
  return fp;
}

export interface TestKey {
  path: string;
  pubPath: string;
  pub: string;
  fingerprint: string;
  passphrase: string;
}

export async function makeKey(dir: string, opts: { type?: 'ed25519' | 'ecdsa' | 'rsa'; passphrase?: string; name?: string } = {}): Promise<TestKey> {
  const type = opts.type ?? 'ed25519';
  const passphrase = opts.passphrase ?? '';
  await mkdir(dir, { recursive: true });
  let name = opts.name ?? `id_${type}`;
  for (let n = 2; !opts.name && (await exists(join(dir, name))); n++) name = `id_${type}_${n}`; // default names never overwrite
  const path = join(dir, name);
  await rm(path, { force: true });
  await rm(`${path}.pub`, { force: true });
  await run('ssh-keygen', ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '2048'] : []), '-N', passphrase, '-C', `warren-test-${name}`, '-f', path]);
  const pubPath = `${path}.pub`;
  return { path, pubPath, pub: (await readFile(pubPath, 'utf8')).trim(), fingerprint: await fingerprintOf(pubPath), passphrase };
}

// ---------------------------------------------------------------- sshd

export interface SshdOptions {
  /** extra sshd_config lines, appended (e.g. 'AllowTcpForwarding no', 'MaxAuthTries 2', 'AuthenticationMethods publickey') */
  extraConfig?: string[];
  /** UsePAM yes + KbdInteractiveAuthentication yes, so keyboard-interactive works through PAM (pam_unix asks 'Password:'); default false (UsePAM no) */
  pam?: boolean;
  /** reuse this port (to restart on the same port) */
  port?: number;
  /** an RSA host key beside the ed25519 and ecdsa ones (`ssh-keyscan` then writes the RSA line first, as for most servers) */
  rsaHostKey?: boolean;
}

export interface Sshd {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly dir: string;
  readonly hostKeys: { type: string; path: string; pub: string; fingerprint: string }[];
  readonly logFile: string;
  authorize(pubKeyLine: string): Promise<void>;
  log(): Promise<string>;
  acceptedLogins(): Promise<number>;
  /** stops sshd (its sessions too) and starts it again on the same port, after `downMs` of nothing listening */
  restart(opts?: { newHostKeys?: boolean; downMs?: number }): Promise<void>;
  killSessions(): Promise<void>;
  stop(): Promise<void>;
}

const hostKeyTypes = (opts: SshdOptions): string[] => ['ed25519', 'ecdsa', ...(opts.rsaHostKey ? ['rsa'] : [])];

/**
 * The config: extraConfig's global lines first (sshd keeps the FIRST value of a keyword), then our defaults minus
 * the keywords extraConfig sets (some, like Subsystem, are fatal when repeated), then extraConfig's Match blocks
 * (everything after a Match line belongs to it, so they must come last). HostKey accumulates: ours always stay.
 */
function sshdConfig(dir: string, port: number, opts: SshdOptions): string {
  const extra = opts.extraConfig ?? [];
  const firstMatch = extra.findIndex((l) => /^\s*match\s/i.test(l));
  const global = firstMatch < 0 ? extra : extra.slice(0, firstMatch);
  const matches = firstMatch < 0 ? [] : extra.slice(firstMatch);
  const keyword = (l: string) => l.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  const overridden = new Set(global.map(keyword).filter((k) => k !== 'hostkey'));
  const defaults = [
    `ListenAddress ${HOST}`,
    `Port ${port}`,
    ...hostKeyTypes(opts).map((t) => `HostKey ${join(dir, `ssh_host_${t}_key`)}`),
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys', '%u')}`,
    'StrictModes no',
    `UsePAM ${opts.pam ? 'yes' : 'no'}`,
    'PasswordAuthentication yes',
    `KbdInteractiveAuthentication ${opts.pam ? 'yes' : 'no'}`,
    'PubkeyAuthentication yes',
    `AllowUsers ${TEST_USER}`,
    'PermitRootLogin no',
    'AllowTcpForwarding yes',
    'Subsystem sftp internal-sftp',
    'LogLevel VERBOSE',
  ].filter((l) => !overridden.has(keyword(l)));
  return [...global, ...defaults, ...matches, ''].join('\n');
}

class SshdImpl implements Sshd {
  readonly host = HOST;
  port = 0;
  pid = 0;
  hostKeys: { type: string; path: string; pub: string; fingerprint: string }[] = [];
  readonly logFile: string;
  readonly configFile: string;
  readonly pidFile: string;
  readonly authorizedKeys: string;

  constructor(
    readonly dir: string,
    readonly hostKeyTypes: string[],
  ) {
    this.logFile = join(dir, 'sshd.log');
    this.configFile = join(dir, 'sshd_config');
    this.pidFile = join(dir, 'sshd.pid');
    this.authorizedKeys = join(dir, 'authorized_keys', TEST_USER);
  }

  async generateHostKeys(): Promise<void> {
    this.hostKeys = [];
    for (const t of this.hostKeyTypes) {
      const path = join(this.dir, `ssh_host_${t}_key`);
      await rm(path, { force: true });
      await rm(`${path}.pub`, { force: true });
      await run('ssh-keygen', ['-q', '-t', t, ...(t === 'rsa' ? ['-b', '2048'] : []), '-N', '', '-C', `warren-test-host-${t}`, '-f', path]);
      const pub = (await readFile(`${path}.pub`, 'utf8')).trim();
      this.hostKeys.push({ type: pub.split(' ')[0] ?? t, path, pub, fingerprint: await fingerprintOf(`${path}.pub`) });
    }
  }

  /** Start the daemon: it forks, then binds and writes the PidFile. Failures after the fork reach only the log (without a "fatal:" prefix). */
  async launch(): Promise<void> {
    await rm(this.pidFile, { force: true });
    const logStart = (await this.log()).length;
    const newLog = async () => (await this.log()).slice(logStart).trim();
    await run('/usr/sbin/sshd', ['-f', this.configFile, '-E', this.logFile]);
    await waitFor(`sshd on port ${this.port} to write ${this.pidFile}`, async () => {
      const pid = Number((await readFile(this.pidFile, 'utf8').catch(() => '')).trim());
      if (pid > 0) return ((this.pid = pid), true);
      const running = (await exec('pgrep', ['-f', this.configFile])).code === 0;
      if (!running) throw new Error(`sshd failed to start on port ${this.port}: ${await newLog()}`);
      return false;
    });
    trackServer(this);
    await waitFor(`sshd to accept TCP on port ${this.port}`, () => canConnect(this.port));
  }

  /** Kill the listener and every session under it; the port is free when this resolves. */
  async halt(): Promise<void> {
    if (!this.pid) return;
    const all = killTree(this.pid);
    this.pid = 0;
    await waitFor('sshd processes to exit', () => !all.some(alive));
    await rm(this.pidFile, { force: true });
  }

  async authorize(pubKeyLine: string): Promise<void> {
    await appendFile(this.authorizedKeys, `${pubKeyLine.trim()}\n`);
    await chmod(this.authorizedKeys, 0o644);
  }

  /** sshd -E ends its lines with \r\n: normalized to \n */
  async log(): Promise<string> {
    return (await readFile(this.logFile, 'utf8').catch(() => '')).replace(/\r\n/g, '\n');
  }

  async acceptedLogins(): Promise<number> {
    return (await this.log()).match(/\bAccepted \S+ for /g)?.length ?? 0;
  }

  async restart(opts: { newHostKeys?: boolean; downMs?: number } = {}): Promise<void> {
    await this.halt();
    if (opts.downMs) await new Promise((r) => setTimeout(r, opts.downMs));
    if (opts.newHostKeys) await this.generateHostKeys();
    await this.launch();
  }

  async killSessions(): Promise<void> {
    if (!this.pid) throw new Error('sshd is not running');
    await killSessionsOf(this.pid);
  }

  async stop(): Promise<void> {
    await this.halt();
    untrackServer(this);
  }
}

export async function startSshd(options: SshdOptions = {}): Promise<Sshd> {
  await ensureTestUser();
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  const sshd = new SshdImpl(await tempDir('warren-sshd-'), hostKeyTypes(options));
  await mkdir(join(sshd.dir, 'authorized_keys'));
  await chmod(join(sshd.dir, 'authorized_keys'), 0o755);
  await writeFile(sshd.authorizedKeys, '');
  await chmod(sshd.authorizedKeys, 0o644);
  await sshd.generateHostKeys();
  for (let attempt = 1; ; attempt++) {
    sshd.port = options.port ?? (await freePort());
    const config = sshdConfig(sshd.dir, sshd.port, options);
    await writeFile(sshd.configFile, config);
    const check = await exec('/usr/sbin/sshd', ['-t', '-f', sshd.configFile]);
    if (check.code !== 0) throw new Error(`invalid sshd config: ${(check.stderr || check.stdout).trim()}\n--- ${sshd.configFile} ---\n${config}`);
    try {
      await sshd.launch();
      return sshd;
    } catch (e) {
      // a free port can be taken between freePort() and sshd's bind: pick another
      if (options.port !== undefined || attempt >= 5 || !/Address already in use|Cannot bind/i.test(String(e))) throw e;
    }
  }
}

// ---------------------------------------------------------------- ssh-agent

export interface Agent {
  sock: string;
  pid: number;
  env: Record<string, string>;
  add(key: TestKey): Promise<void>;
  list(): Promise<string>;
  stop(): Promise<void>;
}

class AgentImpl implements Agent {
  constructor(
    readonly sock: string,
    readonly pid: number,
    private readonly exited: Promise<void>,
  ) {}

  get env(): Record<string, string> {
    return { SSH_AUTH_SOCK: this.sock, SSH_AGENT_PID: String(this.pid) };
  }

  async add(key: TestKey): Promise<void> {
    const env = { ...process.env, ...this.env, SSH_ASKPASS: await askpassScript(), SSH_ASKPASS_REQUIRE: 'force', WARREN_ASKPASS: key.passphrase };
    await run('ssh-add', [key.path], { env });
  }

  async list(): Promise<string> {
    const r = await exec('ssh-add', ['-l'], { env: { ...process.env, ...this.env } });
    if (r.code > 1) throw new Error(`ssh-add -l failed (exit ${r.code}): ${r.stderr.trim()}`);
    return r.stdout; // exit 1 = "The agent has no identities."
  }

  async stop(): Promise<void> {
    if (live.agents.has(this)) signal(this.pid, 'SIGTERM'); // not once it has exited: its pid may be reused
    await this.exited;
  }
}

export async function startAgent(): Promise<Agent> {
  const dir = await tempDir('warren-agent-');
  const sock = join(dir, 'agent.sock');
  const logFile = join(dir, 'agent.log');
  const fd = openSync(logFile, 'w');
  const child = spawn('ssh-agent', ['-D', '-a', sock], { stdio: ['ignore', 'ignore', fd] });
  closeSync(fd);
  child.unref();
  let agent: AgentImpl | undefined;
  let done = false;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      done = true;
      if (agent) live.agents.delete(agent);
      resolve();
    }),
  );
  const pid = await new Promise<number>((resolve, reject) => {
    child.once('spawn', () => resolve(child.pid ?? 0));
    child.once('error', reject);
  });
  agent = new AgentImpl(sock, pid, exited);
  live.agents.add(agent);
  await waitFor('ssh-agent socket', async () => {
    if (done) throw new Error(`ssh-agent exited: ${(await readFile(logFile, 'utf8')).trim()}`);
    return exists(sock);
  });
  return agent;
}
