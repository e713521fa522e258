// The `warren` command against a real sshd, run as a user runs it: as a child process, with and
// without a terminal (`script` gives it a real PTY).
import { spawn } from 'node:child_process';
import { execFile } from 'node:child_process';
import { stat, writeFile } from 'node:fs/promises';
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
  dataDir = w.dataDir;
  await w.close();
});
afterAll(async () => {
  web.close();
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
