// The `warren` command against a real sshd, run as a user runs it: as a child process, with and
// without a terminal (`script` gives it a real PTY).
import { spawn } from 'node:child_process';
import { execFile } from 'node:child_process';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupAll, ensureTestUser, makeKey, startSshd, tempDir, TEST_PASSWORD, TEST_USER, type Sshd, type TestKey } from '../harness/ssh.js';
import { openTerminal, startWarren } from '../harness/warren.js';

const WARREN = path.resolve('bin/warren.js');
let sshd: Sshd;
let key: TestKey;
let dataDir: string;
let web: http.Server;
let webPort: number;
let tunnelPort: number;
const squatter = net.createServer();

function warren(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [WARREN, '--data-dir', dataDir, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

beforeAll(async () => {
  await ensureTestUser();
  sshd = await startSshd();
  key = await makeKey(await tempDir('warren-cli-key-'), { type: 'ed25519' });
  await sshd.authorize(key.pub);
  web = http.createServer((_q, s) => s.end('cli tunnel'));
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
  webPort = (web.address() as AddressInfo).port;
  // the hosts, as a user would have made them in the app
  const w = await startWarren();
  const g = await w.client.call('groups.create', { name: 'prod', parentId: null, defaults: { user: TEST_USER } });
  const box = await w.client.call('hosts.create', { name: 'box', groupId: g.id, hostname: '127.0.0.1', port: sshd.port, auth: 'key', identityFile: key.path });
  await w.client.call('hosts.create', { name: 'pw', groupId: g.id, hostname: '127.0.0.1', port: sshd.port, auth: 'password' });
  tunnelPort = (await w.client.call('tunnels.freePort', { bindAddress: '127.0.0.1' })).port;
  await w.client.call('tunnels.create', { name: 'web', hostId: box.id, kind: 'local', bindPort: tunnelPort, destHost: '127.0.0.1', destPort: webPort });
  // more tunnels, on a host of their own (box's forwards are what export is checked against)
  const box2 = await w.client.call('hosts.create', {
    name: 'box2',
    groupId: null,
    hostname: '127.0.0.1',
    port: sshd.port,
    user: TEST_USER,
    auth: 'key',
    identityFile: key.path,
  });
  const second = (await w.client.call('tunnels.freePort', { bindAddress: '127.0.0.1' })).port;
  await w.client.call('tunnels.create', { name: 'web2', hostId: box2.id, kind: 'local', bindPort: second, destHost: '127.0.0.1', destPort: webPort });
  // a port someone else holds: that tunnel can only fail
  await new Promise<void>((r) => squatter.listen(0, '127.0.0.1', r));
  const held = (squatter.address() as AddressInfo).port;
  await w.client.call('tunnels.create', { name: 'taken', hostId: box2.id, kind: 'local', bindPort: held, destHost: '127.0.0.1', destPort: webPort });
  dataDir = w.dataDir;
  await w.close();
});
afterAll(async () => {
  web.close();
  squatter.close();
  await cleanupAll();
});

describe('warren exec', () => {
  it('without a terminal, an unknown host key is an error that says so (exit 255), never a prompt', async () => {
    const r = await warren(['exec', 'box', '--', 'true']);
    expect(r.code).toBe(255);
    expect(r.stderr).toMatch(/Prompt: .*trust the host key of 127\.0\.0\.1.*stdin is not a terminal/);
  });

  it('runs the command, prints its output and exits with its status, like ssh HOST COMMAND', async () => {
    // accept the host key once, interactively (here: through the app's prompt)
    const w = await startWarren({ dataDir });
    w.answer = (p) => (p.kind === 'hostkey' ? { accept: true } : { cancel: true });
    const t = openTerminal(w, { hostId: (await w.client.call('tree.get', {})).hosts.find((h) => h.name === 'box')!.id });
    await t.opened;
    t.close();
    await w.close();

    const r = await warren(['exec', 'box', '--', 'echo out; echo err >&2; exit 7']);
    expect(r).toMatchObject({ code: 7, stdout: 'out\n', stderr: 'err\n' });
    const piped = await warren(['exec', 'box', '--', 'tr a-z A-Z'], 'from stdin\n');
    expect(piped.stdout).toBe('FROM STDIN\n');
  });

  it('a password that would have to be asked is an error without a terminal', async () => {
    const r = await warren(['exec', 'pw', '--', 'true']);
    expect(r.code).toBe(255);
    expect(r.stderr).toMatch(/the password of warren-test@127\.0\.0\.1.*stdin is not a terminal/);
  });

  it('usage errors exit 2', async () => {
    expect((await warren(['exec', 'box'])).code).toBe(2);
    expect((await warren(['nope'])).code).toBe(2);
    expect((await warren(['exec', 'not a host', '--', 'x'])).code).toBe(2);
  });
});

describe('warren connect', () => {
  it('asks for the password at the terminal and gives an interactive shell', async () => {
    const child = spawn('script', ['-qfec', `${process.execPath} ${WARREN} --data-dir ${dataDir} connect pw`, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (screen += d));
    const waitFor = async (re: RegExp) => {
      await expect.poll(() => re.test(screen), { timeout: 15_000 }).toBe(true);
    };
    await waitFor(/password: $/m);
    child.stdin.write(`${TEST_PASSWORD}\r`);
    await waitFor(/\$ $/m);
    child.stdin.write('echo $((6*7)); exit 5\r');
    const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
    expect(screen).toMatch(/^42\r?$/m);
    expect(screen).not.toContain(TEST_PASSWORD);
    expect(code).toBe(5);
  });
});

describe('warren tunnel', () => {
  it('up runs in the foreground; status sees it; down stops it', async () => {
    const up = spawn(process.execPath, [WARREN, '--data-dir', dataDir, 'tunnel', 'up', 'web'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise((resolve) => up.on('close', resolve));
    let out = '';
    up.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    await expect.poll(() => /web: up on port (\d+)/.test(out), { timeout: 15_000, message: `tunnel up said: ${out}` }).toBe(true);
    const port = Number(/web: up on port (\d+)/.exec(out)![1]);
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('cli tunnel');
    expect((await warren(['tunnel', 'status'])).stdout).toMatch(
      new RegExp(`^web\\tbox\\t-L 127\\.0\\.0\\.1:${tunnelPort}:127\\.0\\.0\\.1:${webPort}\\trunning \\(process ${up.pid}\\)`, 'm'),
    );
    const down = await warren(['tunnel', 'down', 'web']);
    expect(down.code).toBe(0);
    expect(await exited).toBe(0);
    expect((await warren(['tunnel', 'status', 'web'])).stdout).toContain('\tstopped');
    expect((await warren(['tunnel', 'down', 'web'])).code).toBe(1);
  });

  const upProcess = (names: string[]) => {
    const up = spawn(process.execPath, [WARREN, '--data-dir', dataDir, 'tunnel', 'up', ...names], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    up.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    up.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const exited = new Promise<number>((resolve) => up.on('close', (c) => resolve(c ?? -1)));
    return { up, exited, out: () => out, err: () => err };
  };
  const runFiles = async () => (await readdir(path.join(dataDir, 'run')).catch(() => [])).sort();

  it('down names the tunnels one process runs and stops it once; it stays up while any tunnel is; its files go', async () => {
    const p = upProcess(['web', 'web2', 'taken']);
    await expect.poll(() => /web: up/.test(p.out()) && /web2: up/.test(p.out()) && /taken: failed/.test(p.out()), { timeout: 15_000 }).toBe(true);
    // one tunnel failed for good (its port is taken), the others keep the process up
    await new Promise((r) => setTimeout(r, 500));
    expect(p.up.exitCode).toBeNull();
    expect(await runFiles()).toHaveLength(4); // three pid files and the socket that vouches for them
    const down = await warren(['tunnel', 'down', 'web', 'web2']);
    expect(down).toMatchObject({ code: 0, stdout: `web, web2: stopped (process ${p.up.pid})\n` });
    expect(await p.exited).toBe(0);
    expect(await runFiles()).toEqual([]);
  });

  it('exits 1 when every tunnel has failed, and leaves no files behind', async () => {
    const p = upProcess(['taken']);
    expect(await p.exited).toBe(1);
    expect(p.out()).toMatch(/taken: failed: Local port \d+ is already in use on 127\.0\.0\.1/);
    expect(p.err()).toContain('the tunnel failed; nothing is left to run');
    expect(await runFiles()).toEqual([]);
  });

  it('a pid file whose process is gone, or is someone else now, is not believed: status says stopped, down signals nobody', async () => {
    const tree = await startWarren({ dataDir });
    const id = (await tree.client.call('tree.get', {})).tunnels.find((t) => t.name === 'web')!.id;
    await tree.close();
    const other = spawn('sleep', ['60']);
    await mkdir(path.join(dataDir, 'run'), { recursive: true });
    for (const content of [String(other.pid), JSON.stringify({ pid: other.pid, socket: path.join(dataDir, 'run', `tunnel-up-${other.pid}.sock`) })]) {
      await writeFile(path.join(dataDir, 'run', `tunnel-${id}.pid`), content);
      expect((await warren(['tunnel', 'status', 'web'])).stdout).toMatch(/\tstopped$/m);
      await writeFile(path.join(dataDir, 'run', `tunnel-${id}.pid`), content);
      const down = await warren(['tunnel', 'down', 'web']);
      expect(down.code).toBe(1);
      expect(down.stderr).toContain("web is not running under 'warren tunnel up'");
      expect(other.exitCode).toBeNull();
      expect(other.signalCode).toBeNull();
      // and the stale file is gone
      expect(await runFiles()).toEqual([]);
    }
    other.kill();
  });
});

describe('warren export and command', () => {
  it('export gives ssh_config that OpenSSH resolves to the same values', async () => {
    const r = await warren(['export', 'prod']);
    expect(r.code).toBe(0);
    const file = path.join(await tempDir('warren-export-'), 'config');
    await writeFile(file, r.stdout);
    const g = await promisify(execFile)('ssh', ['-G', '-F', file, 'box']);
    const values = Object.fromEntries(g.stdout.split('\n').map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)]));
    expect(values).toMatchObject({
      hostname: '127.0.0.1',
      user: TEST_USER,
      port: String(sshd.port),
      identityfile: key.path,
      serveraliveinterval: '15',
      serveralivecountmax: '3',
      localforward: `[127.0.0.1]:${tunnelPort} [127.0.0.1]:${webPort}`,
      identitiesonly: 'yes',
    });
  });

  it('command prints what OpenSSH would run', async () => {
    const r = await warren(['command', 'box']);
    expect(r.stdout.trim()).toBe(`ssh -p ${sshd.port} -i ${key.path} -o ServerAliveInterval=15 -o ServerAliveCountMax=3 ${TEST_USER}@127.0.0.1`);
  });

  it('ls shows the tree', async () => {
    const r = await warren(['ls']);
    expect(r.stdout).toMatch(/^prod\/\n {2}box\twarren-test@127\.0\.0\.1:\d+\n {4}⇄ web\t-L /m);
  });
});

describe('warren exec reuses a connection another Warren holds (ControlMaster)', () => {
  const logins = async () => ((await sshd.log()).match(/Accepted publickey/g) ?? []).length;

  it('runs on the open connection through the data dir’s private socket: no new login, same output and statuses; without one it connects itself', async () => {
    const w = await startWarren({ dataDir });
    w.answer = (p) => (p.kind === 'hostkey' ? { accept: true } : { cancel: true });
    const boxId = (await w.client.call('tree.get', {})).hosts.find((h) => h.name === 'box')!.id;
    const t = openTerminal(w, { hostId: boxId });
    try {
      await t.opened;
      await w.services.serveReuse();
      const socket = path.join(dataDir, 'mux.sock');
      expect((await stat(socket)).mode & 0o777).toBe(0o600);
      const before = await logins();

      const r = await warren(['exec', 'box', '--', 'echo out; echo err >&2; exit 7']);
      expect(r).toMatchObject({ code: 7, stdout: 'out\n', stderr: 'err\n' });
      const piped = await warren(['exec', 'box', '--', 'tr a-z A-Z'], 'through the master\n');
      expect(piped.stdout).toBe('THROUGH THE MASTER\n');
      const killed = await warren(['exec', 'box', '--', 'kill -9 $$']);
      expect(killed.code).toBe(255);
      expect(killed.stderr).toMatch(/killed by signal KILL/);
      expect(await logins()).toBe(before);
      expect(w.services.connections.log((await w.client.call('connections.list', {}))[0]!.id).join('\n')).toMatch(/`warren exec` reuses this connection/);

      // what is not a request is answered so, and the master goes on serving
      const answer = await new Promise<string>((resolve) => {
        const c = net.connect(socket);
        let text = '';
        c.on('data', (d: Buffer) => (text += d.toString()));
        c.on('close', () => resolve(text));
        c.end('{"v":1,"op":"rm -rf"}\n');
      });
      expect(JSON.parse(answer)).toMatchObject({ ok: false });
      expect((await warren(['exec', 'box', '--', 'echo again'])).stdout).toBe('again\n');

      // a host it holds no connection to: the command connects itself (here it must ask for a password, and cannot)
      const own = await warren(['exec', 'pw', '--', 'true']);
      expect(own.code).toBe(255);
      expect(own.stderr).toMatch(/password/i);
    } finally {
      t.close();
      await w.close();
    }
    // the master is gone: exec logs in on its own
    const alone = await logins();
    expect((await warren(['exec', 'box', '--', 'echo alone'])).stdout).toBe('alone\n');
    expect(await logins()).toBe(alone + 1);
  });
});
