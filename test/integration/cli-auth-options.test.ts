// `warren -F FILE exec|connect ALIAS` honours what the config says of logging in, the session and the
// algorithms, as ssh does: IdentitiesOnly, IdentityAgent, AddKeysToAgent, PreferredAuthentications,
// PasswordAuthentication, NumberOfPasswordPrompts, SetEnv/SendEnv, RequestTTY, RemoteCommand, Ciphers and
// MACs. Each case runs the real `ssh -F FILE ALIAS …` first as ground truth (answering password questions
// through SSH_ASKPASS, which counts them), then Warren with the same file (on a real terminal, through
// `script`, where it must be asked something), and compares what each did and what sshd logged.
import { execFile, spawn } from 'node:child_process';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cleanupAll,
  ensureTestUser,
  makeKey,
  startAgent,
  startSshd,
  tempDir,
  TEST_PASSWORD,
  TEST_USER,
  type Agent,
  type Sshd,
  type TestKey,
} from '../harness/ssh.js';
import { openTerminal, startWarren } from '../harness/warren.js';

const WARREN = path.resolve('bin/warren.js');
const base = { ...process.env, SSH_AUTH_SOCK: '' };
let sshd: Sshd;
let key: TestKey;
let locked: TestKey;
let wrong1: TestKey;
let wrong2: TestKey;
let wrongAgent: Agent;
let goodAgent: Agent;
let dir: string;
let dataDir: string;
let askpass: string;
let certified: TestKey;
let certFile: string;
let n = 0;

type Result = { code: number; stdout: string; stderr: string };

function child(cmd: string, args: string[], env: NodeJS.ProcessEnv, input = ''): Promise<Result> {
  return new Promise((resolve) => {
    const c = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => c.kill('SIGKILL'), 20_000);
    c.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    c.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    c.on('close', (code) => (clearTimeout(timer), resolve({ code: code ?? -1, stdout, stderr })));
    c.stdin.on('error', () => {}).end(input);
  });
}

const warren = (args: string[], env: NodeJS.ProcessEnv = base) => child(process.execPath, [WARREN, '--data-dir', dataDir, ...args], env);

/** the real ssh; a password or passphrase question is answered `answer` by SSH_ASKPASS, which counts the questions in the returned `asked` */
async function ssh(args: string[], opts: { env?: NodeJS.ProcessEnv; answer?: string } = {}): Promise<Result & { asked: number }> {
  const log = path.join(dir, `askpass-${++n}.log`);
  const env = { ...(opts.env ?? base), SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', ASKPASS_LOG: log, ASKPASS_ANSWER: opts.answer ?? 'wrong-password' };
  const r = await child('ssh', args, env);
  const asked = (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean).length;
  return { ...r, asked };
}

/**
 * `warren ARGS` on a real terminal (`script` gives it a PTY): each time the screen shows `question`, `answer`
 * is typed (a line), at most `times` times; it returns the screen and how many times it was asked.
 */
function atTerminal(args: string[], question: RegExp, answer: string, env: NodeJS.ProcessEnv = base): Promise<{ code: number; screen: string; asked: number }> {
  const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
  const c = spawn('script', ['-qfec', [process.execPath, WARREN, '--data-dir', dataDir, ...args].map(quote).join(' '), '/dev/null'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env,
  });
  let screen = '';
  let asked = 0;
  const timer = setTimeout(() => c.kill('SIGKILL'), 25_000);
  const global = new RegExp(question.source, 'g');
  c.stdout.setEncoding('utf8').on('data', (d: string) => {
    screen += d;
    const count = screen.match(global)?.length ?? 0;
    while (asked < count) {
      asked++;
      c.stdin.write(`${answer}\r`);
    }
  });
  return new Promise((resolve) =>
    c.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, screen, asked });
    }),
  );
}

/** a config file for alias `t` with these options after the address and a known_hosts file that knows the server */
async function config(options: string[], identity: string | null = key.path): Promise<string> {
  const folder = path.join(dir, `case-${++n}`);
  await mkdir(folder, { recursive: true });
  const kh = path.join(folder, 'kh');
  await writeFile(kh, sshd.hostKeys.map((k) => `[127.0.0.1]:${sshd.port} ${k.pub.split(' ').slice(0, 2).join(' ')}\n`).join(''));
  const file = path.join(folder, 'config');
  await writeFile(
    file,
    [
      'Host t',
      '  HostName 127.0.0.1',
      `  Port ${sshd.port}`,
      `  User ${TEST_USER}`,
      ...(identity ? [`  IdentityFile ${identity}`] : []),
      `  UserKnownHostsFile ${kh}`,
      ...options.map((o) => `  ${o}`),
      '',
    ].join('\n'),
  );
  return file;
}

/** what sshd logged while `run` ran */
async function logged<T>(run: () => Promise<T>): Promise<{ result: T; log: string }> {
  const before = (await sshd.log()).length;
  const result = await run();
  // sshd writes its last lines as the session ends
  await new Promise((r) => setTimeout(r, 300));
  return { result, log: (await sshd.log()).slice(before) };
}

const count = (text: string, re: RegExp) => text.match(new RegExp(re.source, 'g'))?.length ?? 0;

beforeAll(async () => {
  await ensureTestUser();
  dir = await tempDir('warren-cli-auth-');
  // a user CA sshd trusts, and a key it certified (the key itself is not authorized); its certificate lives apart from it
  const ca = await makeKey(path.join(dir, 'ca'), { name: 'ca' });
  certified = await makeKey(dir, { name: 'certified' });
  await mkdir(path.join(dir, 'certs'));
  await promisify(execFile)('ssh-keygen', ['-q', '-s', ca.path, '-I', 'warren-test-cert', '-n', TEST_USER, '-V', '-5m:+1h', certified.pubPath]);
  certFile = path.join(dir, 'certs', 'elsewhere-cert.pub');
  await rename(`${certified.path}-cert.pub`, certFile);
  sshd = await startSshd({ extraConfig: ['MaxAuthTries 2', 'AcceptEnv WARREN_*', 'LogLevel DEBUG1', `TrustedUserCAKeys ${ca.pubPath}`] });
  key = await makeKey(dir, { name: 'right' });
  locked = await makeKey(dir, { name: 'locked', passphrase: 'correct horse' });
  wrong1 = await makeKey(dir, { name: 'wrong1' });
  wrong2 = await makeKey(dir, { name: 'wrong2' });
  await sshd.authorize(key.pub);
  await sshd.authorize(locked.pub);
  wrongAgent = await startAgent();
  await wrongAgent.add(wrong1);
  await wrongAgent.add(wrong2);
  goodAgent = await startAgent();
  await goodAgent.add(key);
  dataDir = path.join(dir, 'data');
  await mkdir(dataDir, { recursive: true });
  askpass = path.join(dir, 'askpass.sh');
  await writeFile(askpass, '#!/bin/sh\necho asked >> "$ASKPASS_LOG"\nprintf "%s\\n" "$ASKPASS_ANSWER"\n');
  await chmod(askpass, 0o755);
});
afterAll(() => cleanupAll());

describe('which keys are offered', () => {
  it('IdentitiesOnly yes: an agent full of wrong keys is not offered (MaxAuthTries 2), so only then does the login succeed', async () => {
    const env = { ...base, SSH_AUTH_SOCK: wrongAgent.sock };
    const plain = await config([]);
    const only = await config(['IdentitiesOnly yes']);
    // ground truth: ssh fails on MaxAuthTries after the agent's two keys, and gets in with IdentitiesOnly
    expect((await ssh(['-F', plain, '-o', 'BatchMode=yes', 't', 'true'], { env })).code).toBe(255);
    expect((await ssh(['-F', only, '-o', 'BatchMode=yes', 't', 'true'], { env })).code).toBe(0);
    const without = await logged(() => warren(['exec', '-F', plain, 't', '--', 'echo', 'in'], env));
    expect(without.result.code).toBe(255);
    expect(without.log).toMatch(/Too many authentication failures|maximum authentication attempts exceeded/);
    const withIt = await logged(() => warren(['exec', '-F', only, 't', '--', 'echo', 'in'], env));
    expect(withIt.result).toMatchObject({ code: 0, stdout: 'in\n' });
    expect(withIt.result.stderr).not.toMatch(/IdentitiesOnly/); // no "not applied" note any more
    expect(withIt.log).toMatch(/Accepted publickey for warren-test .*ED25519/);
    expect(withIt.log).not.toMatch(/Failed publickey/);
  });

  it('IdentitiesOnly yes still uses the agent for the IdentityFile’s own key', async () => {
    const both = await startAgent();
    await both.add(wrong1);
    await both.add(locked); // the file needs a passphrase; the agent holds the key
    const file = await config(['IdentitiesOnly yes', 'BatchMode yes'], locked.path);
    const env = { ...base, SSH_AUTH_SOCK: both.sock };
    expect((await ssh(['-F', file, 't', 'true'], { env })).code).toBe(0);
    const r = await logged(() => warren(['exec', '-F', file, 't', '--', 'echo', 'in'], env));
    expect(r.result).toMatchObject({ code: 0, stdout: 'in\n' });
    expect(r.log).not.toMatch(/Failed publickey/); // wrong1 was never offered
    await both.stop();
  });

  it('IdentityAgent: a socket is used instead of SSH_AUTH_SOCK; none uses no agent at all', async () => {
    const missing = path.join(dir, 'no-such-key');
    const viaSocket = await config([`IdentityAgent ${goodAgent.sock}`, 'BatchMode yes'], missing);
    const none = await config(['IdentityAgent none', 'BatchMode yes'], missing);
    const noAgentEnv = { ...base, SSH_AUTH_SOCK: '' };
    const goodEnv = { ...base, SSH_AUTH_SOCK: goodAgent.sock };
    expect((await ssh(['-F', viaSocket, 't', 'true'], { env: noAgentEnv })).code).toBe(0);
    expect((await ssh(['-F', none, 't', 'true'], { env: goodEnv })).code).toBe(255);
    expect(await warren(['exec', '-F', viaSocket, 't', '--', 'echo', 'in'], noAgentEnv)).toMatchObject({ code: 0, stdout: 'in\n' });
    const refused = await warren(['exec', '-F', none, 't', '--', 'echo', 'in'], goodEnv);
    expect(refused.code).toBe(255);
    expect(refused.stderr).toMatch(/refused every login/);
    // the same agent through SSH_AUTH_SOCK works, so it is IdentityAgent none that kept it out
    expect((await warren(['exec', '-F', await config(['BatchMode yes'], missing), 't', '--', 'true'], goodEnv)).code).toBe(0);
  });

  it('CertificateFile: the certificate it names is offered with its key (sshd trusts only the CA)', async () => {
    const withCert = await config([`CertificateFile ${certFile}`, 'BatchMode yes'], certified.path);
    const without = await config(['BatchMode yes'], certified.path);
    expect((await ssh(['-F', withCert, 't', 'true'])).code).toBe(0);
    expect((await ssh(['-F', without, 't', 'true'])).code).toBe(255);
    const r = await logged(() => warren(['exec', '-F', withCert, 't', '--', 'echo', 'in']));
    expect(r.result).toMatchObject({ code: 0, stdout: 'in\n' });
    expect(r.log).toMatch(/Accepted publickey for warren-test .*ED25519-CERT/);
    expect((await warren(['exec', '-F', without, 't', '--', 'true'])).code).toBe(255);
  });

  it('AddKeysToAgent yes: a key file whose passphrase was asked for goes to the agent', async () => {
    const agent = await startAgent();
    const file = await config([`IdentityAgent ${agent.sock}`, 'AddKeysToAgent yes'], locked.path);
    expect(await agent.list()).not.toContain(locked.fingerprint);
    const r = await atTerminal(['exec', '-F', file, 't', '--', 'echo', 'in'], /Enter passphrase for key/, locked.passphrase);
    expect(r.asked).toBe(1);
    expect(r.code).toBe(0);
    expect(await agent.list()).toContain(locked.fingerprint);
    // and with it there, the next login asks nothing
    const again = await warren(['exec', '-F', await config([`IdentityAgent ${agent.sock}`, 'BatchMode yes'], locked.path), 't', '--', 'echo', 'again']);
    expect(again).toMatchObject({ code: 0, stdout: 'again\n' });
    await agent.stop();
  });
});

describe('which methods, in which order, how often', () => {
  it('PreferredAuthentications password,publickey: the password is tried first (sshd logs it before the key)', async () => {
    const file = await config(['PreferredAuthentications password,publickey', 'NumberOfPasswordPrompts 1']);
    const truth = await logged(() => ssh(['-F', file, 't', 'true']));
    expect(truth.result.code).toBe(0);
    expect(truth.result.asked).toBe(1);
    expect(truth.log).toMatch(/Failed password for warren-test[\s\S]*Accepted publickey/);
    const r = await logged(() => atTerminal(['exec', '-F', file, 't', '--', 'echo', 'in'], /'s password: /, 'wrong-password'));
    expect(r.result.asked).toBe(1);
    expect(r.result.code).toBe(0);
    expect(r.log).toMatch(/Failed password for warren-test[\s\S]*Accepted publickey/);
    // the default order: the key first, no password asked
    const plainFile = await config([]);
    const plain = await logged(() => warren(['exec', '-F', plainFile, 't', '--', 'true']));
    expect(plain.log).toMatch(/Accepted publickey/);
    expect(plain.log).not.toMatch(/Failed password/);
  });

  it('NumberOfPasswordPrompts 1: one wrong password, then no more questions (ssh: one askpass call)', async () => {
    const file = await config(['NumberOfPasswordPrompts 1'], path.join(dir, 'no-such-key'));
    const truth = await logged(() => ssh(['-F', file, 't', 'true']));
    expect(truth.result).toMatchObject({ code: 255, asked: 1 });
    expect(count(truth.log, /Failed password for/)).toBe(1);
    const r = await logged(() => atTerminal(['exec', '-F', file, 't', '--', 'true'], /'s password: /, 'wrong-password'));
    expect(r.result.asked).toBe(1);
    expect(r.result.code).toBe(255);
    expect(count(r.log, /Failed password for/)).toBe(1);
    // without it Warren asks up to three times, as ssh does (MaxAuthTries 2 ends it after two here)
    const three = await atTerminal(['exec', '-F', await config([], path.join(dir, 'no-such-key')), 't', '--', 'true'], /'s password: /, 'wrong-password');
    expect(three.asked).toBeGreaterThan(1);
    // and the right password gets in when asked
    const right = await atTerminal(['exec', '-F', file, 't', '--', 'echo', 'in'], /'s password: /, TEST_PASSWORD);
    expect(right.code).toBe(0);
    expect(right.screen).toMatch(/in/);
  });

  it('PasswordAuthentication no: no password is asked for or tried', async () => {
    const file = await config(['PasswordAuthentication no'], path.join(dir, 'no-such-key'));
    const truth = await logged(() => ssh(['-F', file, 't', 'true']));
    expect(truth.result).toMatchObject({ code: 255, asked: 0 });
    const r = await logged(() => atTerminal(['exec', '-F', file, 't', '--', 'true'], /'s password: /, 'wrong-password'));
    expect(r.result.asked).toBe(0);
    expect(r.result.code).toBe(255);
    expect(r.log).not.toMatch(/Failed password/);
    expect(r.result.screen).toMatch(/refused every login/);
  });

  it('PubkeyAuthentication no: the right key is not offered, so the password is asked for', async () => {
    const file = await config(['PubkeyAuthentication no', 'NumberOfPasswordPrompts 1']);
    const r = await logged(() => atTerminal(['exec', '-F', file, 't', '--', 'echo', 'in'], /'s password: /, TEST_PASSWORD));
    expect(r.result.asked).toBe(1);
    expect(r.result.code).toBe(0);
    expect(r.log).toMatch(/Accepted password/);
    expect(r.log).not.toMatch(/Accepted publickey/);
  });
});

describe('the session: environment, terminal, remote command', () => {
  it('SetEnv and SendEnv reach the command (sshd AcceptEnv WARREN_*), as with ssh', async () => {
    const file = await config(['SetEnv WARREN_SET="a b" WARREN_BOTH=set', 'SendEnv WARREN_SEND_* WARREN_BOTH']);
    const env = { ...base, WARREN_SEND_X: 'sent', WARREN_BOTH: 'from-env', WARREN_NOT: 'kept-here' };
    const command = 'echo "$WARREN_SET|$WARREN_SEND_X|$WARREN_BOTH|$WARREN_NOT"';
    const truth = await ssh(['-F', file, 't', command], { env });
    expect(truth.stdout).toBe('a b|sent|set|\n');
    const r = await warren(['exec', '-F', file, 't', '--', command], env);
    expect(r).toMatchObject({ code: 0, stdout: truth.stdout });
    // without the lines nothing is sent
    expect((await warren(['exec', '-F', await config([]), 't', '--', command], env)).stdout).toBe('|||\n');
  });

  it('the app’s shells to the name get SetEnv/SendEnv beside the locale of the terminal settings', async () => {
    const file = await config(['SetEnv WARREN_SET=shell', 'SendEnv WARREN_SEND_*']);
    process.env.WARREN_SEND_Y = 'from-app';
    const w = await startWarren({ sshConfigFile: file, agentSocket: undefined });
    try {
      const t = openTerminal(w, { quick: { hostname: 't' } });
      await t.opened;
      await t.type('echo "<$WARREN_SET|$WARREN_SEND_Y>"\r');
      await t.waitFor(/<shell\|from-app>/, 10_000);
      t.close();
    } finally {
      delete process.env.WARREN_SEND_Y;
      await w.close();
    }
  });

  it('RequestTTY force allocates a terminal (tty prints /dev/pts/N); yes does not without one on stdin, and says so as ssh does', async () => {
    const force = await config(['RequestTTY force']);
    const truth = await ssh(['-F', force, 't', 'tty']);
    expect(truth.stdout).toMatch(/^\/dev\/pts\/\d+\r?\n$/);
    const r = await warren(['exec', '-F', force, 't', '--', 'tty']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\/dev\/pts\/\d+\r?\n$/);
    const yes = await config(['RequestTTY yes']);
    const sshYes = await ssh(['-F', yes, 't', 'tty']);
    expect(sshYes.stderr).toMatch(/Pseudo-terminal will not be allocated because stdin is not a terminal/);
    const warrenYes = await warren(['exec', '-F', yes, 't', '--', 'tty']);
    expect(warrenYes.stdout).toBe(sshYes.stdout); // "not a tty"
    expect(warrenYes.stderr).toMatch(/Pseudo-terminal will not be allocated because stdin is not a terminal/);
    // with a terminal on stdin, yes allocates one
    const atTty = await atTerminal(['exec', '-F', yes, 't', '--', 'tty'], /^$/, '');
    expect(atTty.screen).toMatch(/\/dev\/pts\/\d+/);
    // the default: no terminal for a command
    expect((await warren(['exec', '-F', await config([]), 't', '--', 'tty'])).stdout).toMatch(/not a tty/);
  });

  it('RemoteCommand: connect runs it (%n expanded); exec with a command is refused as ssh refuses it', async () => {
    const file = await config(['RemoteCommand echo remote-%n-$HOME']);
    const truth = await ssh(['-F', file, 't']);
    expect(truth.code).toBe(0);
    expect(truth.stdout).toMatch(/^remote-t-\//);
    const r = await warren(['connect', '-F', file, 't']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(truth.stdout);
    const both = await ssh(['-F', file, 't', 'true']);
    expect(both.code).toBe(255);
    expect(both.stderr).toMatch(/Cannot execute command-line and remote command/);
    const refused = await warren(['exec', '-F', file, 't', '--', 'true']);
    expect(refused.code).toBe(255);
    expect(refused.stderr).toMatch(/Cannot execute command-line and remote command/);
  });
});

describe('RemoteCommand and RequestTTY in the app’s terminals', () => {
  it('a terminal to the name runs its RemoteCommand on a terminal, says which line set it, and is then a working shell', async () => {
    const file = await config(['RemoteCommand echo remote-$((6*7)); exec sh']);
    const w = await startWarren({ sshConfigFile: file, agentSocket: undefined });
    try {
      // a split or a duplicate is a second session of the same target: it runs the command too
      for (const t of [openTerminal(w, { quick: { hostname: 't' } }), openTerminal(w, { quick: { hostname: 't' } })]) {
        const runs = await t.next('runs');
        expect(runs).toEqual({
          type: 'runs',
          command: { text: 'echo remote-$((6*7)); exec sh', from: `RemoteCommand in ${file}:7` },
          pty: true,
          ptyFrom: null,
        });
        await t.waitFor(/^remote-42\r?\n\$ /m, 10_000);
        await t.type('tty; echo "ok=$((40+2))"\r');
        await t.waitFor(/^\/dev\/pts\/\d+\r?\n(?:.*\n)?ok=42\r?$/m, 10_000);
        t.close();
      }
    } finally {
      await w.close();
    }
  });

  it('warren connect to a saved host runs its Remote command, with a terminal as the app’s terminals do', async () => {
    const w = await startWarren({ dataDir, agentSocket: undefined });
    try {
      await w.client.call('hosts.create', {
        name: 'saved-cmd',
        groupId: null,
        hostname: '127.0.0.1',
        port: sshd.port,
        user: TEST_USER,
        auth: 'key',
        identityFile: key.path,
        remoteCommand: 'echo saved-$((6*7)); tty',
      });
    } finally {
      await w.close();
    }
    const line = sshd.hostKeys.map((k) => `[127.0.0.1]:${sshd.port} ${k.pub.split(' ').slice(0, 2).join(' ')}\n`).join('');
    await writeFile(path.join(dataDir, 'known_hosts'), line, { flag: 'a' });
    const r = await warren(['connect', 'saved-cmd']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^saved-42\r?\n\/dev\/pts\/\d+\r?\n$/);
  });

  it('RequestTTY no: the app’s terminal has no terminal (tty prints "not a tty") and says which line said so', async () => {
    const file = await config(['RequestTTY no']);
    const w = await startWarren({ sshConfigFile: file, agentSocket: undefined });
    try {
      const t = openTerminal(w, { quick: { hostname: 't' } });
      expect(await t.next('runs')).toEqual({ type: 'runs', command: null, pty: false, ptyFrom: `RequestTTY no in ${file}:7` });
      const { connectionId } = await t.opened;
      await t.type('tty\n');
      await t.waitFor(/^not a tty$/m, 10_000);
      // no terminal: a resize has nothing to change, and is no error
      await w.client.call('terminal.resize', { sessionId: (await t.opened).sessionId, cols: 100, rows: 30 });
      await t.type('echo "still=$((3*3))"\n');
      await t.waitFor(/^still=9$/m, 10_000);
      const { lines } = await w.client.call('connections.log', { id: connectionId });
      expect(lines.join('\n')).toContain(`Shell channel opened (no terminal: RequestTTY no in ${file}:7)`);
      t.close();
    } finally {
      await w.close();
    }
  });
});

describe('algorithms', () => {
  const cipherOf = (log: string) => /kex: client->server cipher: (\S+) MAC: (\S+)/.exec(log)?.slice(1, 3);

  it('Ciphers ^aes256-gcm@openssh.com: the cipher sshd agrees on is that one (Warren’s default is another)', async () => {
    const file = await config(['Ciphers ^aes256-gcm@openssh.com']);
    const truth = await logged(() => ssh(['-F', file, 't', 'true']));
    expect(cipherOf(truth.log)?.[0]).toBe('aes256-gcm@openssh.com');
    const r = await logged(() => warren(['exec', '-F', file, 't', '--', 'true']));
    expect(r.result.code).toBe(0);
    expect(cipherOf(r.log)?.[0]).toBe('aes256-gcm@openssh.com');
    const plainFile = await config([]);
    const plain = await logged(() => warren(['exec', '-F', plainFile, 't', '--', 'true']));
    expect(cipherOf(plain.log)?.[0]).toBe('aes128-gcm@openssh.com');
  });

  it('MACs with one Warren lacks: left out and said; the other one is used', async () => {
    const file = await config(['Ciphers aes128-ctr', 'MACs umac-128-etm@openssh.com,hmac-sha2-512']);
    const truth = await logged(() => ssh(['-F', file, 't', 'true']));
    expect(cipherOf(truth.log)).toEqual(['aes128-ctr', 'umac-128-etm@openssh.com']);
    const r = await logged(() => warren(['exec', '-F', file, 't', '--', 'true']));
    expect(r.result.code).toBe(0);
    expect(r.result.stderr).toMatch(/warren: note: ssh_config's MACs names umac-128-etm@openssh\.com, which Warren does not implement/);
    expect(cipherOf(r.log)).toEqual(['aes128-ctr', 'hmac-sha2-512']);
  });

  it('PubkeyAcceptedAlgorithms without ed25519: the ed25519 key is not offered, by ssh nor by Warren', async () => {
    const file = await config(['PubkeyAcceptedAlgorithms -ssh-ed25519*', 'BatchMode yes']);
    expect((await ssh(['-F', file, 't', 'true'])).code).toBe(255);
    const r = await logged(() => warren(['exec', '-F', file, 't', '--', 'true']));
    expect(r.result.code).toBe(255);
    expect(r.log).not.toMatch(/Accepted publickey|Failed publickey/);
    // the same key with the list unset gets in
    expect((await warren(['exec', '-F', await config(['BatchMode yes']), 't', '--', 'true'])).code).toBe(0);
  });

  it('a list that leaves nothing Warren can use is a CONFIG error naming the keyword (ssh, which has umac, connects)', async () => {
    const file = await config(['MACs umac-128-etm@openssh.com', 'Ciphers aes128-ctr']);
    expect((await ssh(['-F', file, 't', 'true'])).code).toBe(0);
    const r = await logged(() => warren(['exec', '-F', file, 't', '--', 'true']));
    expect(r.result.code).toBe(255);
    expect(r.result.stderr).toMatch(/ssh_config sets MACs umac-128-etm@openssh\.com, which leaves nothing Warren can use/);
    expect(r.log).not.toMatch(/Connection from 127\.0\.0\.1/); // refused before connecting
    const minus = await warren(['exec', '-F', await config(['KexAlgorithms -*']), 't', '--', 'true']);
    expect(minus.code).toBe(255);
    expect(minus.stderr).toMatch(/KexAlgorithms -\*, which leaves nothing/);
  });

  it('a name only a newer OpenSSH knows (mlkem768x25519-sha256 is 9.9’s): ssh 9.2 and warren resolve refuse the line, a connection goes on and says so', async () => {
    const file = await config(['KexAlgorithms +mlkem768x25519-sha256']);
    const truth = await ssh(['-F', file, 't', 'true']);
    expect(truth.code).toBe(255);
    expect(truth.stderr).toMatch(/Bad SSH2 KexAlgorithms/);
    expect((await warren(['resolve', '-F', file, 't'])).code).toBe(255);
    const r = await warren(['exec', '-F', file, 't', '--', 'echo', 'in']);
    expect([r.code, r.stdout.trim()]).toEqual([0, 'in']);
    expect(r.stderr).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: Bad SSH2 KexAlgorithms`));
  });
});
