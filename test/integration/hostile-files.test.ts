// Hostile input from the local side, against real sshd: files that are not files (/dev/zero, FIFOs) or
// are too large, named as keys, certificates, Includes and known_hosts; user and host names that would
// be shell code in a ProxyCommand; and a data dir others may read. Beside each, the legitimate case works.
import { execFileSync } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorEvent, DoctorReport } from '../../shared/doctor.js';
import type { WarrenError } from '../../shared/errors.js';
import type { Target } from '../../shared/model.js';
import type { Endpoint } from '../../electron/ssh/connections.js';
import { cleanupAll, ensureTestUser, makeKey, startAgent, startSshd, tempDir, TEST_PASSWORD, TEST_USER, type Sshd, type TestKey } from '../harness/ssh.js';
import { answerAsUser, openTerminal, startWarren, type TestWarren } from '../harness/warren.js';

let sshd: Sshd;
let key: TestKey;
let dir: string;

beforeAll(async () => {
  await ensureTestUser();
  sshd = await startSshd();
  dir = await tempDir('warren-hostile-');
  key = await makeKey(dir, { type: 'ed25519' });
  await sshd.authorize(key.pub);
});
afterAll(cleanupAll);

async function warren(options: Parameters<typeof startWarren>[0] = {}): Promise<TestWarren> {
  const w = await startWarren({ home: await tempDir('warren-home-'), ...options });
  answerAsUser(w);
  return w;
}

async function addHost(w: TestWarren, fields: Record<string, unknown>) {
  return w.client.call('hosts.create', { name: 'h', groupId: null, hostname: '127.0.0.1', port: sshd.port, user: TEST_USER, ...fields });
}

/** p, or a rejection once `ms` have passed: a read stuck on a FIFO never settles */
function within<T>(ms: number, p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_r, reject) => (timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => Promise.reject(new Error('expected a failure')),
    (e: unknown) => e as WarrenError,
  );

async function fifo(name: string, where = dir): Promise<string> {
  const file = path.join(where, name);
  execFileSync('mkfifo', [file]);
  return file;
}

/** libuv's file-system threads (4 unless UV_THREADPOOL_SIZE says otherwise) all answer: a file read, getaddrinfo and the key list run on them */
const POOL = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
async function threadPoolAnswers(w: TestWarren): Promise<void> {
  const small = path.join(dir, 'small.txt');
  await writeFile(small, 'small\n');
  const [text, address, keys] = await within(
    2000,
    Promise.all([readFile(small, 'utf8'), lookup('localhost'), w.client.call('keys.list', {})]),
    'a file read, a DNS lookup and keys.list',
  );
  expect(text).toBe('small\n');
  expect(address.address).toMatch(/^(127\.0\.0\.1|::1)$/);
  expect(Array.isArray(keys)).toBe(true);
}

async function diagnose(w: TestWarren, target: Target): Promise<DoctorReport> {
  const events: DoctorEvent[] = [];
  await new Promise<void>((resolve, reject) =>
    w.client.subscribe('doctor.run', { target }, { onEvent: (e) => events.push(e), onEnd: (err) => (err ? reject(err) : resolve()) }),
  );
  const last = events.at(-1);
  if (last?.type !== 'report') throw new Error('the doctor ended without a report');
  return last.report;
}

describe('files that are not regular files, or too large', () => {
  it('/dev/zero as a host\u2019s identity file: the login fails at once and says why, memory stays small, the doctor says the same; a real key logs in', async () => {
    const w = await warren();
    const zero = await addHost(w, { name: 'zero', auth: 'key', identityFile: '/dev/zero' });
    const rss = process.memoryUsage.rss();
    const e = await within(10_000, failure(openTerminal(w, { hostId: zero.id }).opened), 'the login with /dev/zero');
    expect(e.code).toBe('AUTH_FAILED');
    expect(e.message).toContain('Key file /dev/zero is not a regular file (a character device)');
    expect(process.memoryUsage.rss() - rss).toBeLessThan(100 * 1024 * 1024);
    const report = await within(15_000, diagnose(w, { hostId: zero.id }), 'the doctor');
    expect(report.ok).toBe(false);
    expect(report.text).toContain('Key file /dev/zero is not a regular file (a character device)');
    expect(process.memoryUsage.rss() - rss).toBeLessThan(100 * 1024 * 1024);

    const good = await addHost(w, { name: 'good', auth: 'key', identityFile: key.path });
    const t = openTerminal(w, { hostId: good.id });
    await t.type('echo key-$((6*7))\n');
    await t.waitFor(/key-42/);
    t.close();
    await w.close();
  });

  it('FIFOs given to keys.import and agent.add: refused within a second, and the thread pool still answers; real keys import and add', async () => {
    const agent = await startAgent();
    const w = await warren({ agentSocket: agent.sock });
    // agent.add takes keys in ~/.ssh and Warren's folder only; keys.import reads from anywhere
    const sshDir = w.services.keys.folders.ssh;
    await mkdir(sshDir, { recursive: true });
    const fifos = await Promise.all(Array.from({ length: POOL }, (_, i) => fifo(`fifo-key-${i}`, i % 2 === 0 ? dir : sshDir)));
    const errors = await within(
      1000,
      Promise.all(fifos.map((f, i) => failure(i % 2 === 0 ? w.client.call('keys.import', { path: f }) : w.client.call('agent.add', { path: f })))),
      'reading FIFOs as keys',
    );
    errors.forEach((e, i) => {
      expect(e.code, e.message).toBe('KEY_FILE');
      expect(e.message).toBe(`Key file ${fifos[i]} is not a regular file (a FIFO): Warren reads only regular files.`);
    });
    await threadPoolAnswers(w);

    const imported = await w.client.call('keys.import', { path: key.path, name: 'real' });
    expect(imported.fingerprint).toBe(key.fingerprint);
    expect((await w.client.call('agent.add', { path: imported.path })).added.map((i) => i.fingerprint)).toEqual([key.fingerprint]);
    await w.close();
  });

  it('a 2 MiB file as a key is refused without being read whole; a .pub beside a key that is a FIFO fails the import too', async () => {
    const w = await warren();
    const big = path.join(dir, 'big-key');
    await writeFile(big, Buffer.alloc(2 * 1024 * 1024, 'A'));
    const e = await failure(w.client.call('keys.import', { path: big }));
    expect(e.code).toBe('KEY_FILE');
    expect(e.message).toBe(`Key file ${big} is larger than 1 MiB: not a key.`);

    const other = await makeKey(await tempDir('warren-fifo-pub-'), { type: 'ed25519' });
    await rm(other.pubPath);
    execFileSync('mkfifo', [other.pubPath]);
    const pub = await within(1000, failure(w.client.call('keys.import', { path: other.path, name: 'other' })), 'a FIFO .pub');
    expect(pub.message).toBe(`Key file ${other.pubPath} is not a regular file (a FIFO): Warren reads only regular files.`);
    await threadPoolAnswers(w);
    await w.close();
  });

  it('an ssh_config Include of a FIFO is reported within a second, the thread pool still answers, and the rest (a real Include too) imports', async () => {
    const w = await warren();
    const confDir = await tempDir('warren-hostile-conf-');
    const included = path.join(confDir, 'extra.conf');
    await writeFile(included, ['Host extra', '  HostName 127.0.0.1', `  Port ${sshd.port}`, ''].join('\n'));
    const pipes = await Promise.all(Array.from({ length: POOL }, (_, i) => fifo(`fifo-conf-${i}`)));
    const config = path.join(confDir, 'config');
    await writeFile(
      config,
      [
        ...pipes.map((p) => `Include ${p}`),
        `Include ${included}`,
        'Host fine',
        '  HostName 127.0.0.1',
        `  Port ${sshd.port}`,
        'Host *',
        `  User ${TEST_USER}`,
        '',
      ].join('\n'),
    );
    const report = await within(1000, w.client.call('sshconfig.import', { file: config }), 'importing a config that includes FIFOs');
    expect(report.created).toEqual(['extra', 'fine']);
    for (const p of pipes)
      expect(report.problems.map((x) => x.message)).toContain(`ssh_config file ${p} is not a regular file (a FIFO): Warren reads only regular files.`);
    await threadPoolAnswers(w);
    const tree = await w.client.call('tree.get', {});
    expect(tree.hosts.find((h) => h.name === 'extra')).toMatchObject({ hostname: '127.0.0.1', port: sshd.port, user: TEST_USER });
    await w.close();
  });

  it('a FIFO as ~/.ssh/known_hosts is skipped at once, as an unreadable one is: the host key is asked about and the login works', async () => {
    const home = await tempDir('warren-home-');
    await mkdir(path.join(home, '.ssh'));
    execFileSync('mkfifo', [path.join(home, '.ssh', 'known_hosts')]);
    const w = await warren({ home });
    const h = await addHost(w, { auth: 'password', password: TEST_PASSWORD });
    const t = openTerminal(w, { hostId: h.id });
    await within(5000, t.opened, 'a login beside a FIFO known_hosts');
    expect(w.asked.map((p) => p.kind)).toContain('hostkey');
    t.close();
    await threadPoolAnswers(w);
    await w.close();
  });
});

describe('ProxyCommand: user and host names are never shell code', () => {
  const PROXY = 'env WARREN_USER=%r nc %h %p';

  it('a saved host whose user would run a command is refused, by the connection and by the doctor, and nothing runs; with a real user (%h bare or in quotes) it connects', async () => {
    const marker = `.warren-pwned-${process.pid}-${Date.now()}`;
    const w = await warren();
    const h = await addHost(w, { user: `x$(cd;touch\${IFS}${marker})`, auth: 'password', password: TEST_PASSWORD, proxyCommand: PROXY });
    const e = await failure(openTerminal(w, { hostId: h.id }).opened);
    expect(e.code).toBe('BAD_REQUEST');
    expect(e.message).toContain(`The user name "x$(cd;touch\${IFS}${marker})" has characters OpenSSH refuses`);
    const report = await diagnose(w, { hostId: h.id });
    expect(report.steps.find((s) => s.id === 'proxy')).toMatchObject({ status: 'fail', detail: expect.stringContaining('The user name') });
    await new Promise((r) => setTimeout(r, 300)); // a shell started by mistake would have touched it by now
    expect(existsSync(path.join(homedir(), marker))).toBe(false);

    for (const proxyCommand of [PROXY, 'nc "%h" %p']) {
      const ok = await addHost(w, { name: proxyCommand, auth: 'password', password: TEST_PASSWORD, proxyCommand });
      const t = openTerminal(w, { hostId: ok.id });
      await t.type('echo proxied-$((2*21))\n');
      await t.waitFor(/proxied-42/);
      t.close();
    }
    await w.close();
  });

  it('user and host names with $( ), backticks, ; and a newline are refused before any shell starts', async () => {
    const w = await warren();
    const out = await tempDir('warren-pwned-');
    const spec = {
      hostname: '127.0.0.1',
      port: sshd.port,
      user: TEST_USER,
      auth: 'password',
      identityFile: null,
      keepaliveInterval: 15,
      keepaliveCountMax: 3,
      proxyCommand: PROXY,
    } as const;
    const cases = [
      { user: `x$(touch\${IFS}${out}/user)` },
      { hostname: `127.0.0.1\`touch ${out}/backtick\`` },
      { hostname: `127.0.0.1;touch ${out}/semicolon;` },
      { hostname: `127.0.0.1\ntouch ${out}/newline\n` },
    ];
    for (const [i, c] of cases.entries()) {
      const endpoint: Endpoint = { key: `hostile-${i}`, hostId: null, label: 'hostile', spec: { ...spec, ...c }, via: null };
      const e = (await failure(w.services.connections.acquire(endpoint))) as WarrenError;
      expect(e.code, JSON.stringify(c)).toBe('BAD_REQUEST');
      expect(e.message).toMatch(c.user ? /^The user name .* has characters OpenSSH refuses/ : /^The host name .* has characters OpenSSH refuses/s);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(
      existsSync(path.join(out, 'user')) ||
        existsSync(path.join(out, 'backtick')) ||
        existsSync(path.join(out, 'semicolon')) ||
        existsSync(path.join(out, 'newline')),
    ).toBe(false);
    await w.close();
  });
});

describe('the data dir', () => {
  const mode = async (p: string) => (await stat(p)).mode & 0o777;

  it('a data dir others may read (0755, settings.json 0644, known_hosts 0644) is made 0700, its files 0600, and keeps its hosts', async () => {
    const dataDir = await tempDir('warren-data-');
    const first = await warren({ dataDir });
    await addHost(first, { name: 'kept', auth: 'password' });
    await first.close();
    await chmod(dataDir, 0o755);
    await chmod(path.join(dataDir, 'settings.json'), 0o644);
    await writeFile(path.join(dataDir, 'known_hosts'), '', { mode: 0o644 });
    await chmod(path.join(dataDir, 'known_hosts'), 0o644);

    const w = await warren({ dataDir });
    expect(await mode(dataDir)).toBe(0o700);
    const h = await addHost(w, { name: 'new', auth: 'password', password: TEST_PASSWORD });
    expect(await mode(path.join(dataDir, 'settings.json'))).toBe(0o600);
    expect((await w.client.call('tree.get', {})).hosts.map((x) => x.name).sort()).toEqual(['kept', 'new']);
    const t = openTerminal(w, { hostId: h.id });
    await t.opened;
    t.close();
    expect(await mode(path.join(dataDir, 'known_hosts'))).toBe(0o600);
    expect(await mode(path.join(dataDir, 'vault.json'))).toBe(0o600);
    await w.close();
  });
});
