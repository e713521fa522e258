// The `warren` command's conventions, run as a user runs it (bin/warren.js as a child process): --json
// on ls, tunnel status and doctor (parsed, with their fields, never a secret), what ls says when there is
// nothing, --help per command and `warren help CMD`, unknown options exit 2 naming the option, the shell
// completion scripts (bash -n, and completing a host name when sourced), and which modules ls,
// help, completion and __complete load: never ssh2 or the keychain.
import { execFile, spawn } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../electron/store/peek.js';
import { cleanupAll, ensureTestUser, makeKey, startSshd, tempDir, TEST_USER, type Sshd } from '../harness/ssh.js';
import { startWarren } from '../harness/warren.js';

const WARREN = path.resolve('bin/warren.js');
const TRACE = path.resolve('test/harness/trace-imports.mjs');
const SECRET = 'correct-horse-battery-staple-7';
let dataDir: string;
let emptyDir: string;
let sshd: Sshd;
let sshConfig: string;
let shims: string;

type Run = { code: number; stdout: string; stderr: string; imports: string[] };

/** `warren ARGS` without a terminal; `imports`: every module URL it resolved (test/harness/trace-imports.mjs) */
async function warren(args: string[], opts: { dir?: string } = {}): Promise<Run> {
  const trace = path.join(await tempDir('warren-trace-'), 'imports');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', TRACE, WARREN, '--data-dir', opts.dir ?? dataDir, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, WARREN_TRACE_IMPORTS: trace, SSH_AUTH_SOCK: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => {
      void readFile(trace, 'utf8').then(
        (t) => resolve({ code: code ?? -1, stdout, stderr, imports: t.split('\n').filter(Boolean) }),
        () => resolve({ code: code ?? -1, stdout, stderr, imports: [] }),
      );
    });
    child.stdin.end();
  });
}
const heavy = (r: Run) => r.imports.filter((u) => /node_modules\/(ssh2|@napi-rs\/keyring|cpu-features)\//.test(u));

beforeAll(async () => {
  await ensureTestUser();
  sshd = await startSshd();
  const key = await makeKey(await tempDir('warren-conv-key-'), { type: 'ed25519' });
  await sshd.authorize(key.pub);
  const w = await startWarren();
  w.answer = (p) => (p.kind === 'vault' ? { value: 'vault-pass' } : { cancel: true });
  const g = await w.client.call('groups.create', { name: 'prod', parentId: null, defaults: { user: TEST_USER } });
  const db = await w.client.call('groups.create', { name: 'db', parentId: g.id, defaults: { port: sshd.port } });
  const box = await w.client.call('hosts.create', { name: 'box', groupId: db.id, hostname: '127.0.0.1', auth: 'key', identityFile: key.path, tags: ['web'] });
  // a saved password: never in any JSON
  await w.client.call('hosts.create', { name: 'pw', groupId: g.id, hostname: '127.0.0.1', port: sshd.port, auth: 'password', password: SECRET });
  await w.client.call('tunnels.create', { name: 'web', hostId: box.id, kind: 'local', bindPort: 18080, destHost: '127.0.0.1', destPort: 80 });
  await w.client.call('tunnels.create', { name: 'socks', hostId: box.id, kind: 'dynamic', bindPort: 11080, socksUser: 'me', socksPassword: SECRET });
  dataDir = w.dataDir;
  await w.close();
  emptyDir = await tempDir('warren-conv-empty-');
  sshConfig = path.join(await tempDir('warren-conv-config-'), 'config');
  await writeFile(sshConfig, 'Host alias-one alias-two\n  HostName 127.0.0.1\nHost *.wild !neg\n  User x\n');
  // `warren` on PATH, as the completion script calls it back by the name it was invoked as
  shims = await tempDir('warren-conv-bin-');
  await writeFile(path.join(shims, 'warren'), `#!/bin/sh\nexec '${process.execPath}' '${WARREN}' "$@"\n`, { mode: 0o755 });
});
afterAll(cleanupAll);

describe('--json', () => {
  it('ls --json: every group, host (effective settings) and tunnel, with documented fields; no secret', async () => {
    const r = await warren(['ls', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as {
      version: number;
      groups: { name: string; path: string }[];
      hosts: Record<string, unknown>[];
      tunnels: Record<string, unknown>[];
    };
    expect(j.version).toBe(1);
    expect(j.groups.map((g) => g.path)).toEqual(['prod', 'prod/db']);
    const box = j.hosts.find((h) => h.name === 'box')!;
    // the user comes from prod, the port from prod/db: resolved as the app resolves them
    expect(box).toMatchObject({ group: 'prod/db', hostname: '127.0.0.1', user: TEST_USER, port: sshd.port, auth: 'key', tags: ['web'], jump: null });
    expect(Object.keys(box).sort()).toEqual(
      ['auth', 'favourite', 'group', 'groupId', 'hostname', 'id', 'identityFile', 'jump', 'name', 'port', 'proxyCommand', 'tags', 'user'].sort(),
    );
    expect(j.tunnels.find((t) => t.name === 'web')).toMatchObject({
      host: 'box',
      kind: 'local',
      bindPort: 18080,
      destHost: '127.0.0.1',
      destPort: 80,
      args: '-L 127.0.0.1:18080:127.0.0.1:80',
    });
    expect(r.stdout).not.toContain(SECRET);
    // no secret, nor whether one is saved: no key names one
    expect(r.stdout).not.toMatch(/"has[A-Z]\w*"|"\w*(password|passphrase|secret)\w*":/i);
    expect(heavy(r)).toEqual([]);
  });

  it('tunnel status --json: each tunnel with whether it runs', async () => {
    const r = await warren(['tunnel', 'status', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { version: number; tunnels: Record<string, unknown>[] };
    expect(j.version).toBe(1);
    expect(j.tunnels.map((t) => t.name).sort()).toEqual(['socks', 'web']);
    expect(j.tunnels.find((t) => t.name === 'socks')).toMatchObject({
      host: 'box',
      kind: 'dynamic',
      bindPort: 11080,
      destHost: null,
      running: false,
      pid: null,
    });
    expect(r.stdout).not.toContain(SECRET);
    expect(r.stdout).not.toMatch(/"has[A-Z]\w*"|"\w*(password|passphrase|secret)\w*":/i);
    const one = JSON.parse((await warren(['tunnel', 'status', 'web', '--json'])).stdout) as { tunnels: unknown[] };
    expect(one.tunnels).toHaveLength(1);
    expect(heavy(r)).toEqual([]);
  });

  it('doctor --json: the report as JSON (target, ok, each step with its verdict), and the exit status of the run', async () => {
    // an unknown host key: the doctor never accepts it, so the run fails at that step
    const r = await warren(['doctor', 'box', '--json', '--timeout', '5']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { version: number; target: string; ok: boolean; startedAt: string; steps: Record<string, unknown>[] };
    expect(j).toMatchObject({ version: 1, ok: false });
    expect(j.target).toContain('box');
    expect(Number.isNaN(Date.parse(j.startedAt))).toBe(false);
    const ids = j.steps.map((s) => s.id);
    expect(ids.slice(0, 3)).toEqual(['dns', 'tcp', 'banner']);
    expect(j.steps.find((s) => s.id === 'tcp')).toMatchObject({
      status: 'pass',
      hop: expect.any(String),
      title: expect.any(String),
      detail: expect.any(String),
    });
    expect(j.steps.find((s) => s.id === 'hostkey')?.status).toMatch(/^(fail|warn)$/);
    // nothing but the JSON on stdout
    expect(r.stdout.trim().startsWith('{')).toBe(true);
  });
});

describe('ls', () => {
  it('says so when there are no hosts (exit 0), and --json is then empty', async () => {
    const r = await warren(['ls'], { dir: emptyDir });
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(r.stderr).toMatch(/^No saved hosts\. Add one in the app, or import your ssh_config with warren import/);
    const j = await warren(['ls', '--json'], { dir: emptyDir });
    expect(JSON.parse(j.stdout)).toEqual({ version: 1, groups: [], hosts: [], tunnels: [] });
    expect(j.stderr).toBe('');
    // and with hosts, it does not
    expect((await warren(['ls'])).stderr).toBe('');
  });

  it('ls, help and completion load neither ssh2 nor the keychain; a command that connects does (the trace sees it)', async () => {
    for (const args of [['ls'], ['ls', '--json'], ['help'], ['help', 'exec'], ['exec', '--help'], ['completion', 'bash'], ['__complete', 'hosts']]) {
      const r = await warren(args);
      expect([args.join(' '), r.code]).toEqual([args.join(' '), 0]);
      expect([args.join(' '), heavy(r)]).toEqual([args.join(' '), []]);
      expect(r.imports.length).toBeGreaterThan(0);
    }
    // nor the schema library: what ls loads of the bundle is a few small chunks (zod alone is ~750 KB)
    const ls = await warren(['ls']);
    const loaded = ls.imports.filter((u) => u.startsWith('file://') && u.includes('/dist/cli/'));
    const bytes = (await Promise.all([...new Set(loaded)].map((u) => stat(new URL(u)).then((s) => s.size)))).reduce((a, b) => a + b, 0);
    expect(bytes).toBeLessThan(150 * 1024);
    expect((await warren(['command', 'box'])).imports.filter((u) => u.includes('/dist/cli/')).length).toBeGreaterThan(new Set(loaded).size);
    const connects = await warren(['command', 'box']);
    expect(connects.code).toBe(0);
    expect(heavy(connects).join()).toMatch(/ssh2/);
  });

  it('a reader that goes away (ls | head -1) ends it quietly: status 141, as SIGPIPE ends ssh, and no stack trace', async () => {
    const dir = await tempDir('warren-conv-many-');
    const hosts = Array.from({ length: 4000 }, (_, i) => ({
      id: `h${i}`,
      name: `host-${i}`,
      groupId: null,
      hostname: `10.0.${i >> 8}.${i & 255}`,
      hasPassword: false,
      hasPassphrase: false,
    }));
    await writeFile(path.join(dir, 'settings.json'), JSON.stringify({ schemaVersion: 4, groups: [], hosts, tunnels: [], recent: [], tagColors: {} }));
    const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
    const { stdout, stderr } = await promisify(execFile)('bash', [
      '-c',
      `${[process.execPath, WARREN, '--data-dir', dir, 'ls'].map(quote).join(' ')} | head -1; echo "status \${PIPESTATUS[0]}"`,
    ]);
    expect(stdout).toBe('host-0\troot@10.0.0.0:22\nstatus 141\n'.replace('root', (await promisify(execFile)('id', ['-un'])).stdout.trim()));
    expect(stderr).toBe('');
  });

  it('a settings file the quick read declines (an older schema) is listed through the store, migrated', async () => {
    const dir = await tempDir('warren-conv-old-');
    await writeFile(
      path.join(dir, 'settings.json'),
      JSON.stringify({
        schemaVersion: 1,
        groups: [],
        hosts: [{ id: 'h1', name: 'old', groupId: null, hostname: 'old.example', hasPassword: false, hasPassphrase: false }],
      }),
    );
    const r = await warren(['ls'], { dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^old\t\S+@old\.example:22$/m);
    expect(JSON.parse(await readFile(path.join(dir, 'settings.json'), 'utf8'))).toMatchObject({ schemaVersion: SCHEMA_VERSION });
  });
});

describe('help and usage errors', () => {
  const commands = ['ls', 'connect', 'exec', 'command', 'tunnel', 'export', 'resolve', 'import', 'doctor', 'help', 'completion'];

  it('--help, -h and warren help CMD print the command’s own usage (exit 0)', async () => {
    for (const c of commands) {
      const long = await warren([c, '--help']);
      expect([c, long.code]).toEqual([c, 0]);
      expect(long.stdout).toMatch(new RegExp(`^usage: warren ${c}\\b`));
      expect(long.stdout).toContain('--data-dir DIR');
      expect((await warren([c, '-h'])).stdout).toBe(long.stdout);
      if (c !== 'help') expect((await warren(['help', c])).stdout).toBe(long.stdout);
    }
    expect((await warren(['doctor', '--help'])).stdout).toMatch(/--timeout SEC/);
    expect((await warren(['ls', '--help'])).stdout).toMatch(/--json/);
    const all = await warren(['help']);
    expect(all.code).toBe(0);
    for (const c of commands) expect(all.stdout).toMatch(new RegExp(`^ {2}${c}\\b`, 'm'));
    expect(all.stdout).not.toContain('__complete');
  });

  it('an unknown option exits 2 and names it; so do a missing value and an unknown command', async () => {
    for (const [args, named] of [
      [['ls', '--frobnicate'], '--frobnicate'],
      [['ls', '-z'], '-z'],
      [['doctor', 'box', '--tiemout', '3'], '--tiemout'],
      [['exec', 'box', 'ls', '-la'], '-l'],
      [['tunnel', 'status', '--jsno'], '--jsno'],
      [['--bogus', 'ls'], '--bogus'],
    ] as const) {
      const r = await warren([...args]);
      expect([args.join(' '), r.code]).toEqual([args.join(' '), 2]);
      expect(r.stderr).toContain(`unknown option ${named}`);
      expect(r.stdout).toBe('');
    }
    expect((await warren(['exec', 'box', 'ls', '-la'])).stderr).toMatch(/after --/);
    const missing = await warren(['doctor', 'box', '--timeout']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--timeout needs a value/);
    expect((await warren(['ls', '--json=yes'])).code).toBe(2);
    expect((await warren(['tunnel', 'up', 'web', '--json'])).code).toBe(2);
    const unknown = await warren(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
    expect((await warren(['help', 'frobnicate'])).code).toBe(2);
    expect((await warren(['completion', 'fish'])).code).toBe(2);
    // and what is valid still runs: options after the host, the value glued on
    expect((await warren(['tunnel', 'status', 'web', '--json'])).code).toBe(0);
    expect((await warren([`-F${sshConfig}`, 'command', 'alias-one'])).stdout).toMatch(/127\.0\.0\.1/);
  });
});

describe('shell completion', () => {
  /** sources the script in bash and completes the words as bash would (COMP_WORDS / COMP_CWORD), printing COMPREPLY one a line */
  async function complete(words: string[]): Promise<string[]> {
    const script = (await warren(['completion', 'bash'])).stdout;
    const file = path.join(await tempDir('warren-conv-comp-'), 'warren.bash');
    await writeFile(file, script);
    const quoted = words.map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ');
    const { stdout } = await promisify(execFile)(
      'bash',
      ['-c', `source "$1"; COMP_WORDS=(${quoted}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _warren; printf '%s\\n' "\${COMPREPLY[@]}"`, 'bash', file],
      { env: { ...process.env, PATH: `${shims}:${process.env.PATH}` } },
    );
    return stdout.split('\n').filter(Boolean);
  }

  it('bash: the script is valid bash and registers itself', async () => {
    const r = await warren(['completion', 'bash']);
    expect(r.code).toBe(0);
    const file = path.join(await tempDir('warren-conv-comp-'), 'warren.bash');
    await writeFile(file, r.stdout);
    await promisify(execFile)('bash', ['-n', file]);
    const { stdout } = await promisify(execFile)('bash', ['-c', 'source "$1"; complete -p warren', 'bash', file]);
    expect(stdout.trim()).toBe('complete -F _warren warren');
    // a broken script is caught by bash -n (the check can fail)
    await writeFile(file, `${r.stdout}\nif then fi\n`);
    await expect(promisify(execFile)('bash', ['-n', file])).rejects.toThrow();
  });

  it('bash: completes commands, options, saved host names, ssh_config aliases and tunnel names', async () => {
    expect(await complete(['warren', 'ex'])).toEqual(['exec', 'export']);
    expect(await complete(['warren', '--data-dir', dataDir, 'exec', 'bo'])).toEqual(['box']);
    expect(await complete(['warren', '--data-dir', dataDir, 'doctor', ''])).toEqual(expect.arrayContaining(['box', 'pw']));
    expect(await complete(['warren', '--data-dir', dataDir, '-F', sshConfig, 'connect', 'alias-'])).toEqual(['alias-one', 'alias-two']);
    // wildcard and negated patterns are not names
    expect((await complete(['warren', '--data-dir', dataDir, '-F', sshConfig, 'connect', ''])).join()).not.toMatch(/wild|neg/);
    expect(await complete(['warren', 'ls', '--j'])).toEqual(['--json']);
    expect(await complete(['warren', 'doctor', 'box', '--t'])).toEqual(['--timeout']);
    expect(await complete(['warren', 'tunnel', 's'])).toEqual(['status']);
    expect(await complete(['warren', '--data-dir', dataDir, 'tunnel', 'up', 'w'])).toEqual(['web']);
    expect(await complete(['warren', 'completion', ''])).toEqual(['bash', 'zsh']);
    // after --, the remote command is not warren's to complete
    expect(await complete(['warren', '--data-dir', dataDir, 'exec', 'box', '--', 'b'])).toEqual([]);
  });

  it('__complete hosts: saved hosts and ssh_config aliases, one a line, without ssh2 or the keychain', async () => {
    const r = await warren(['-F', sshConfig, '__complete', 'hosts']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual(['alias-one', 'alias-two', 'box', 'pw']);
    expect(heavy(r)).toEqual([]);
  });

  it('zsh: the script is valid zsh', async (ctx) => {
    const zsh = await promisify(execFile)('sh', ['-c', 'command -v zsh']).catch(() => null);
    if (!zsh) return ctx.skip('zsh is not installed here (apt-get install zsh runs this check)');
    const file = path.join(await tempDir('warren-conv-comp-'), '_warren');
    await writeFile(file, (await warren(['completion', 'zsh'])).stdout);
    await promisify(execFile)('zsh', ['-n', file]);
    // completing as zsh would call it (words, CURRENT), with compadd recording what it is offered
    const sim = [
      `source ${file} 2>/dev/null`,
      'compadd() { shift; print -l -- "$@"; }',
      `words=(warren --data-dir ${dataDir} -F /dev/null exec ''); CURRENT=7; _warren`,
      "words=(warren tunnel ''); CURRENT=3; _warren",
    ].join('\n');
    const { stdout } = await promisify(execFile)('zsh', ['-f', '-c', sim], { env: { ...process.env, PATH: `${shims}:${process.env.PATH}` } });
    expect(stdout.split('\n').filter(Boolean)).toEqual(['box', 'pw', 'up', 'down', 'status']);
  });
});
