// Connections, authentication, host keys and terminals against a real OpenSSH sshd.
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WarrenError } from '../../shared/errors.js';
import { connect } from '../../electron/ssh/connect.js';
import { BACKGROUND, HIGH_WATER } from '../../electron/ssh/terminals.js';
import { cleanupAll, ensureTestUser, freePort, makeKey, startAgent, startSshd, tempDir, TEST_PASSWORD, TEST_USER, type Sshd } from '../harness/ssh.js';
import { openTerminal, startWarren, type TestWarren } from '../harness/warren.js';

let sshd: Sshd;
const acceptAll = (w: TestWarren, password = TEST_PASSWORD) => {
  w.answer = (p) => {
    if (p.kind === 'hostkey') return { accept: true };
    if (p.kind === 'password') return { value: password };
    if (p.kind === 'vault') return { value: 'vault-master-pass' };
    return { cancel: true };
  };
};

async function addHost(w: TestWarren, extra: Record<string, unknown> = {}) {
  return w.client.call('hosts.create', { name: 'box', groupId: null, hostname: '127.0.0.1', port: sshd.port, user: TEST_USER, ...extra });
}

async function failure(p: Promise<unknown>): Promise<WarrenError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof WarrenError) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

beforeAll(async () => {
  await ensureTestUser();
  sshd = await startSshd();
});
afterAll(cleanupAll);

describe('host keys', () => {
  it('asks about an unknown key with the fingerprint ssh-keygen prints, then remembers it in OpenSSH format', async () => {
    const w = await startWarren();
    acceptAll(w);
    const host = await addHost(w, { auth: 'password' });
    const t = openTerminal(w, { hostId: host.id });
    await t.opened;
    const hk = w.asked.find((p) => p.kind === 'hostkey');
    expect(hk?.kind).toBe('hostkey');
    if (hk?.kind !== 'hostkey') throw new Error('unreachable');
    const expected = sshd.hostKeys.find((k) => hk.keyType.includes(k.type));
    expect(hk.fingerprint).toBe(expected?.fingerprint);
    const kh = await readFile(`${w.dataDir}/known_hosts`, 'utf8');
    expect(kh).toContain(`[127.0.0.1]:${sshd.port} ${hk.keyType} `);
    t.close();
    // a second connection does not ask again
    w.asked.length = 0;
    const t2 = openTerminal(w, { hostId: host.id });
    await t2.opened;
    expect(w.asked.filter((p) => p.kind === 'hostkey')).toHaveLength(0);
    t2.close();
    await w.close();
  });

  it('refuses an unknown key the user rejects, before any credential is sent', async () => {
    const w = await startWarren();
    w.answer = (p) => (p.kind === 'hostkey' ? { accept: false } : { value: TEST_PASSWORD });
    const host = await addHost(w, { auth: 'password' });
    const before = (await sshd.log()).match(/Failed|Accepted/g)?.length ?? 0;
    const e = await failure(openTerminal(w, { hostId: host.id }).opened);
    expect(e.code).toBe('HOST_KEY_REJECTED');
    expect(w.asked.map((p) => p.kind)).toEqual(['hostkey']);
    expect((await sshd.log()).match(/Failed|Accepted/g)?.length ?? 0).toBe(before);
    await w.close();
  });

  it('refuses a changed key loudly and never asks for the password', async () => {
    const changing = await startSshd();
    const w = await startWarren();
    acceptAll(w);
    const host = await w.client.call('hosts.create', {
      name: 'c',
      groupId: null,
      hostname: '127.0.0.1',
      port: changing.port,
      user: TEST_USER,
      auth: 'password',
    });
    const t = openTerminal(w, { hostId: host.id });
    await t.opened;
    t.close();
    await changing.restart({ newHostKeys: true });
    w.asked.length = 0;
    const logins = await changing.acceptedLogins();
    const e = await failure(openTerminal(w, { hostId: host.id }).opened);
    expect(e.code).toBe('HOST_KEY_CHANGED');
    expect(e.message).toMatch(/REMOTE HOST IDENTIFICATION HAS CHANGED/);
    expect(e.message).toContain('ssh-keygen -R');
    expect(e.detail?.fingerprint).toMatch(/^SHA256:/);
    expect(w.asked).toEqual([]);
    expect(await changing.acceptedLogins()).toBe(logins);
    expect(await changing.log()).not.toMatch(/Failed password/);
    await w.close();
    await changing.stop();
  });

  it('trusts keys already in ~/.ssh/known_hosts, hashed by ssh-keygen -H', async () => {
    const home = await tempDir('warren-home-');
    const { execFileSync } = await import('node:child_process');
    const { mkdir, writeFile } = await import('node:fs/promises');
    await mkdir(`${home}/.ssh`, { recursive: true });
    const lines = sshd.hostKeys.map((k) => `[127.0.0.1]:${sshd.port} ${k.pub.split(' ').slice(0, 2).join(' ')}`).join('\n');
    await writeFile(`${home}/.ssh/known_hosts`, `${lines}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', `${home}/.ssh/known_hosts`], { stdio: 'ignore' });
    expect(await readFile(`${home}/.ssh/known_hosts`, 'utf8')).toMatch(/^\|1\|/);
    const w = await startWarren({ home });
    acceptAll(w);
    const host = await addHost(w, { auth: 'password' });
    const t = openTerminal(w, { hostId: host.id });
    await t.opened;
    expect(w.asked.map((p) => p.kind)).toEqual(['password']);
    t.close();
    await w.close();
  });
});

describe('authentication', () => {
  it('password typed at the prompt, saved only when asked, never in the settings file', async () => {
    const w = await startWarren();
    w.answer = (p) => (p.kind === 'hostkey' ? { accept: true } : p.kind === 'password' ? { value: TEST_PASSWORD, save: true } : { value: 'vault-master-pass' });
    const host = await addHost(w, { auth: 'password' });
    const t = openTerminal(w, { hostId: host.id });
    await t.type('echo $((6*7))\n');
    await t.waitFor(/^42\r?$/m);
    t.close();
    const tree = await w.client.call('tree.get', {});
    expect(tree.hosts[0]?.hasPassword).toBe(true);
    expect(JSON.stringify(tree)).not.toContain(TEST_PASSWORD);
    expect(await readFile(`${w.dataDir}/settings.json`, 'utf8')).not.toContain(TEST_PASSWORD);
    expect(await readFile(`${w.dataDir}/vault.json`, 'utf8')).not.toContain(TEST_PASSWORD);
    // the next login uses the saved password: no password prompt
    w.asked.length = 0;
    const t2 = openTerminal(w, { hostId: host.id });
    await t2.opened;
    expect(w.asked.filter((p) => p.kind === 'password')).toEqual([]);
    t2.close();
    await w.close();
  });

  it('keeps an ssh -v style session log, without the password', async () => {
    const w = await startWarren();
    acceptAll(w);
    const host = await addHost(w, { auth: 'password' });
    const t = openTerminal(w, { hostId: host.id });
    const { connectionId } = await t.opened;
    const { lines } = await w.client.call('connections.log', { id: connectionId });
    const text = lines.join('\n');
    for (const step of [
      /TCP connection established/,
      /Server banner: SSH-2\.0-OpenSSH/,
      /Key exchange: \S+ \(post-quantum\); host key algorithm \S+; cipher/,
      /Server host key: \S+ SHA256:\S+: unknown/,
      /You accepted the host key/,
      /The server accepts: publickey, password/,
      /Trying password…/,
      /Authenticated as warren-test with password/,
      /Shell channel opened \(80×24/,
    ]) {
      expect(text).toMatch(step);
    }
    expect(text).not.toContain(TEST_PASSWORD);
    t.close();
    await w.close();
  });

  it('a wrong password is asked again, then fails naming offered and tried methods', async () => {
    const w = await startWarren();
    acceptAll(w, 'not-the-password');
    const host = await addHost(w, { auth: 'password' });
    const e = await failure(openTerminal(w, { hostId: host.id }).opened);
    expect(e.code).toBe('AUTH_FAILED');
    expect(w.asked.filter((p) => p.kind === 'password').map((p) => p.kind === 'password' && p.retry)).toEqual([false, true, true]);
    expect(e.detail?.offered).toEqual(expect.arrayContaining(['publickey', 'password']));
    expect(e.detail?.tried).toEqual(['password: refused', 'password: refused', 'password: refused']);
    expect((e.detail?.log as string[]).join('\n')).toMatch(/password: refused/);
    expect(JSON.stringify(e.detail)).not.toContain('not-the-password');
    expect(e.message).toContain('The server accepts: ');
    await w.close();
  });

  it('key file with a passphrase: asks for the passphrase, logs in with the key', async () => {
    const dir = await tempDir('warren-keys-');
    const key = await makeKey(dir, { type: 'ed25519', passphrase: 'correct horse' });
    await sshd.authorize(key.pub);
    const w = await startWarren();
    w.answer = (p) => (p.kind === 'hostkey' ? { accept: true } : p.kind === 'passphrase' ? { value: 'correct horse' } : { cancel: true });
    const host = await addHost(w, { auth: 'key', identityFile: key.path });
    const t = openTerminal(w, { hostId: host.id });
    await t.opened;
    expect(w.asked.map((p) => p.kind)).toEqual(['hostkey', 'passphrase']);
    expect(await sshd.log()).toContain(`Accepted publickey for ${TEST_USER}`);
    t.close();
    await w.close();
  });

  it('a wrong passphrase is asked again', async () => {
    const dir = await tempDir('warren-keys-');
    const key = await makeKey(dir, { type: 'ecdsa', passphrase: 'right' });
    await sshd.authorize(key.pub);
    const w = await startWarren();
    let n = 0;
    w.answer = (p) => (p.kind === 'hostkey' ? { accept: true } : p.kind === 'passphrase' ? { value: n++ === 0 ? 'wrong' : 'right' } : { cancel: true });
    const host = await addHost(w, { auth: 'key', identityFile: key.path });
    const t = openTerminal(w, { hostId: host.id });
    await t.opened;
    expect(w.asked.filter((p) => p.kind === 'passphrase').map((p) => p.kind === 'passphrase' && p.retry)).toEqual([false, true]);
    t.close();
    await w.close();
  });

  it('ssh-agent: logs in with the agent key and no prompt but the host key', async () => {
    const dir = await tempDir('warren-keys-');
    const key = await makeKey(dir, { type: 'rsa' });
    await sshd.authorize(key.pub);
    const agent = await startAgent();
    await agent.add(key);
    const w = await startWarren({ agentSocket: agent.sock });
    acceptAll(w);
    const host = await addHost(w, { auth: 'agent' });
    const t = openTerminal(w, { hostId: host.id });
    await t.opened;
    expect(w.asked.map((p) => p.kind)).toEqual(['hostkey']);
    expect(await sshd.log()).toMatch(new RegExp(`Accepted publickey for ${TEST_USER}.*RSA`));
    t.close();
    await w.close();
    await agent.stop();
  });

  it('keyboard-interactive through PAM', async () => {
    const pam = await startSshd({ pam: true, extraConfig: ['PasswordAuthentication no'] });
    const w = await startWarren();
    w.answer = (p) => {
      if (p.kind === 'hostkey') return { accept: true };
      if (p.kind === 'keyboard-interactive') return { values: p.prompts.map(() => TEST_PASSWORD) };
      return { cancel: true };
    };
    const host = await w.client.call('hosts.create', {
      name: 'k',
      groupId: null,
      hostname: '127.0.0.1',
      port: pam.port,
      user: TEST_USER,
      auth: 'keyboard-interactive',
    });
    const t = openTerminal(w, { hostId: host.id });
    await t.opened;
    const kbd = w.asked.find((p) => p.kind === 'keyboard-interactive');
    expect(kbd?.kind === 'keyboard-interactive' && kbd.prompts[0]?.prompt).toMatch(/password/i);
    expect(await pam.log()).toContain(`Accepted keyboard-interactive/pam for ${TEST_USER}`);
    t.close();
    await w.close();
    await pam.stop();
  });
});

describe('failures name their layer', () => {
  it('closed port → TCP_REFUSED', async () => {
    const w = await startWarren();
    const port = await freePort();
    const e = await failure(openTerminal(w, { quick: { hostname: '127.0.0.1', port, user: TEST_USER } }).opened);
    expect(e.code).toBe('TCP_REFUSED');
    expect(e.message).toContain(`port ${port}`);
    await w.close();
  });

  it('a name that does not resolve → DNS', async () => {
    const w = await startWarren();
    const e = await failure(openTerminal(w, { quick: { hostname: 'no-such-host.invalid', user: TEST_USER } }).opened);
    expect(e.code).toBe('DNS');
    await w.close();
  });

  it('a listener that never speaks → NOT_SSH', async () => {
    const silent = net.createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as AddressInfo).port;
    const e = await failure(
      connect(
        { hostname: '127.0.0.1', port, user: TEST_USER, auth: 'password', identityFile: null, keepaliveInterval: 0, keepaliveCountMax: 3, proxyCommand: null },
        {
          prompter: { ask: () => Promise.reject(new Error('no')) },
          secrets: { get: async () => null, save: async () => {} },
          knownHostsFiles: [],
          agentSocket: undefined,
          home: '/nonexistent',
          readyTimeoutMs: 1000,
        },
      ),
    );
    expect(e.code).toBe('NOT_SSH');
    expect(e.message).toMatch(/accepted the TCP connection but sent no SSH identification within 1 s/);
    silent.close();
  });

  it('an HTTP server on the port → NOT_SSH', async () => {
    const web = http.createServer((_q, s) => s.end('hello'));
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
    const port = (web.address() as AddressInfo).port;
    const w = await startWarren();
    const e = await failure(openTerminal(w, { quick: { hostname: '127.0.0.1', port, user: TEST_USER } }).opened);
    expect(e.code).toBe('NOT_SSH');
    expect(e.message).toContain('HTTP/1.1 400');
    web.close();
    await w.close();
  });
});

describe('terminals', () => {
  it('two terminals share one connection, which closes when the last leaves', async () => {
    const w = await startWarren();
    acceptAll(w);
    const host = await addHost(w, { auth: 'password', password: TEST_PASSWORD });
    const before = await sshd.acceptedLogins();
    const a = openTerminal(w, { hostId: host.id });
    const b = openTerminal(w, { hostId: host.id });
    const [oa, ob] = await Promise.all([a.opened, b.opened]);
    expect(oa.connectionId).toBe(ob.connectionId);
    expect([oa.reused, ob.reused].sort()).toEqual([false, true]);
    expect(await sshd.acceptedLogins()).toBe(before + 1);
    const list = await w.client.call('connections.list', {});
    expect(list).toHaveLength(1);
    expect(list[0]?.sessions).toBe(2);
    a.close();
    await expect.poll(async () => (await w.client.call('connections.list', {}))[0]?.sessions).toBe(1);
    b.close();
    await expect.poll(async () => (await w.client.call('connections.list', {})).length).toBe(0);
    await w.close();
  });

  it('a new shell gets the TERM and the locale the settings name (SendEnv LANG LC_*), where AcceptEnv takes them', async () => {
    const accepting = await startSshd({ extraConfig: ['AcceptEnv LANG LC_*'] });
    const w = await startWarren();
    acceptAll(w);
    const host = await w.client.call('hosts.create', {
      name: 'env',
      groupId: null,
      hostname: '127.0.0.1',
      port: accepting.port,
      user: TEST_USER,
      auth: 'password',
      password: TEST_PASSWORD,
    });
    const shellSays = async (command: string, expected: RegExp) => {
      const t = openTerminal(w, { hostId: host.id });
      const { connectionId } = await t.opened;
      await t.type(`${command}\n`);
      await t.waitFor(expected);
      const { lines } = await w.client.call('connections.log', { id: connectionId });
      t.close();
      return lines.join('\n');
    };
    await w.client.call('settings.set', { terminal: { termType: 'vt220', locale: 'C.UTF-8' } });
    // in the C locale é is two characters; in C.UTF-8, one
    const log = await shellSays(`echo "T=$TERM L=$LANG"; printf 'caf\\303\\251' | wc -m`, /^T=vt220 L=C\.UTF-8\r?\n\s*4\r?$/m);
    expect(log).toMatch(/Shell channel opened \(80×24, vt220, LANG=C\.UTF-8 sent\)/);
    // 'local': this process's LANG and LC_* go along, as ssh with SendEnv LANG LC_*; a value that is no locale does not
    const saved = { paper: process.env.LC_PAPER, time: process.env.LC_TIME };
    process.env.LC_PAPER = 'en_GB.UTF-8';
    process.env.LC_TIME = 'x; rm -rf /';
    try {
      await w.client.call('settings.set', { terminal: { locale: 'local' } });
      await shellSays('echo "P=$LC_PAPER TM=[${LC_TIME-unset}]"', /^P=en_GB\.UTF-8 TM=\[unset\]\r?$/m);
      await w.client.call('settings.set', { terminal: { locale: 'none' } });
      await shellSays('echo "P=[${LC_PAPER-unset}]"', /^P=\[unset\]\r?$/m);
    } finally {
      for (const [k, v] of [['LC_PAPER', saved.paper] as const, ['LC_TIME', saved.time] as const]) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    await w.close();
  });

  it('a host’s shells get the TERM and the locale its group and itself set, over the app’s settings', async () => {
    const w = await startWarren();
    acceptAll(w);
    const prod = await w.client.call('groups.create', { name: 'prod', parentId: null, terminal: { termType: 'vt100', locale: 'C.UTF-8' } });
    const inProd = await addHost(w, { name: 'old-box', groupId: prod.id, auth: 'password', password: TEST_PASSWORD });
    const own = await addHost(w, { name: 'own', groupId: prod.id, auth: 'password', password: TEST_PASSWORD, terminal: { termType: 'xterm' } });
    const plain = await addHost(w, { name: 'plain', auth: 'password', password: TEST_PASSWORD });
    const termOf = async (hostId: string) => {
      const t = openTerminal(w, { hostId });
      const { connectionId } = await t.opened;
      await t.type('echo "T=[$TERM]"\n');
      const m = await t.waitFor(/^T=\[([^\]]*)\]\r?$/m);
      const { lines } = await w.client.call('connections.log', { id: connectionId });
      t.close();
      return { term: m[1], log: lines.join('\n') };
    };
    const prodShell = await termOf(inProd.id);
    expect(prodShell.term).toBe('vt100');
    expect(prodShell.log).toMatch(/Shell channel opened \(80×24, vt100, LANG=C\.UTF-8 sent\)/);
    // the host's own wins over its group's
    expect((await termOf(own.id)).term).toBe('xterm');
    expect((await termOf(plain.id)).term).toBe('xterm-256color');
    // a change of the group's applies to the next shell
    await w.client.call('groups.update', { id: prod.id, terminal: { termType: 'vt220' } });
    expect((await termOf(inProd.id)).term).toBe('vt220');
    await w.client.call('groups.update', { id: prod.id, terminal: null });
    expect((await termOf(inProd.id)).term).toBe('xterm-256color');
    await w.close();
  });

  it('a saved host’s Remote command runs instead of the login shell, on a terminal, in each of its terminals; none turns a group’s off', async () => {
    const w = await startWarren();
    acceptAll(w);
    const group = await w.client.call('groups.create', { name: 'tmuxed', parentId: null, defaults: { remoteCommand: 'echo from-group; exec sh' } });
    const host = await addHost(w, {
      name: 'cmd',
      groupId: group.id,
      auth: 'password',
      password: TEST_PASSWORD,
      remoteCommand: 'echo remote-$((6*7)); exec sh',
    });
    const [a, b] = [openTerminal(w, { hostId: host.id }), openTerminal(w, { hostId: host.id })];
    for (const t of [a, b]) {
      expect(await t.next('runs')).toEqual({
        type: 'runs',
        command: { text: 'echo remote-$((6*7)); exec sh', from: 'the host’s Remote command' },
        pty: true,
        ptyFrom: null,
      });
      await t.opened;
      await t.waitFor(/^remote-42\r?\n\$ /m);
      // then a working shell, on a terminal
      await t.type('tty; echo "sum=$((2+3))"\n');
      await t.waitFor(/^\/dev\/pts\/\d+\r?\n(?:.*\n)?sum=5\r?$/m);
    }
    const { lines } = await w.client.call('connections.log', { id: (await a.opened).connectionId });
    expect(lines.join('\n')).toMatch(
      /Running the host’s Remote command instead of the login shell \(80×24, xterm-256color.*\): echo remote-\$\(\(6\*7\)\); exec sh/,
    );
    a.close();
    b.close();
    // the group's, inherited; none turns it off again (a login shell, and no `runs` event)
    await w.client.call('hosts.update', { id: host.id, patch: { remoteCommand: null } });
    const g = openTerminal(w, { hostId: host.id });
    expect((await g.next('runs')).command?.from).toBe('the Remote command of group tmuxed');
    await g.waitFor(/^from-group\r?$/m);
    g.close();
    await w.client.call('hosts.update', { id: host.id, patch: { remoteCommand: 'none' } });
    const plain = openTerminal(w, { hostId: host.id });
    await plain.opened;
    await plain.type('echo "shell=$((1+1))"\n');
    await plain.waitFor(/^shell=2\r?$/m);
    expect(plain.events.some((e) => e.type === 'runs')).toBe(false);
    plain.close();
    await w.close();
  });

  it('a Remote command with a NUL or over 4096 characters is refused, by name', async () => {
    const w = await startWarren();
    const nul = await failure(addHost(w, { remoteCommand: 'echo a\u0000b' }));
    expect(nul.code).toBe('BAD_REQUEST');
    expect(JSON.stringify(nul.detail)).toMatch(/remoteCommand: a remote command cannot hold a NUL character/);
    const long = await failure(addHost(w, { remoteCommand: 'x'.repeat(4097) }));
    expect(JSON.stringify(long.detail)).toMatch(/remoteCommand: a remote command is at most 4096 characters/);
    await w.close();
  });

  it("sshd's MaxSessions (10) full: the 11th and 12th shells open on a second connection, which they share", async () => {
    const w = await startWarren();
    acceptAll(w);
    const host = await addHost(w, { auth: 'password', password: TEST_PASSWORD });
    const before = await sshd.acceptedLogins();
    const first = openTerminal(w, { hostId: host.id });
    await first.opened;
    const more = Array.from({ length: 11 }, () => openTerminal(w, { hostId: host.id }));
    const terms = [first, ...more];
    const opened = await Promise.all(terms.map((t) => t.opened));
    const byConnection = new Map<string, number>();
    for (const o of opened) byConnection.set(o.connectionId, (byConnection.get(o.connectionId) ?? 0) + 1);
    expect([...byConnection.values()].sort((a, b) => a - b)).toEqual([2, 10]);
    expect(await sshd.acceptedLogins()).toBe(before + 2);
    // every shell works, the ones on the second connection too
    for (const [i, t] of terms.entries()) {
      await t.type(`echo shell-$((${i}+100))\n`);
      await t.waitFor(new RegExp(`^shell-${i + 100}\\r?$`, 'm'));
    }
    const overflow = opened.find((o) => byConnection.get(o.connectionId) === 2)!;
    expect((await w.client.call('connections.log', { id: opened[0]!.connectionId })).lines.join('\n')).toMatch(/refused another session on this connection/);
    expect(overflow.connectionId).not.toBe(opened[0]!.connectionId);
    for (const t of terms) t.close();
    await expect.poll(async () => (await w.client.call('connections.list', {})).length).toBe(0);
    await w.close();
  }, 60_000);

  it('resizes the remote PTY', async () => {
    const w = await startWarren();
    acceptAll(w);
    const host = await addHost(w, { auth: 'password', password: TEST_PASSWORD });
    const t = openTerminal(w, { hostId: host.id }, { cols: 80, rows: 24 });
    const { sessionId } = await t.opened;
    await w.client.call('terminal.resize', { sessionId, cols: 132, rows: 41 });
    await t.type('stty size\n');
    await t.waitFor(/^41 132\r?$/m);
    t.close();
    await w.close();
  });

  it('exit ends the session with its status', async () => {
    const w = await startWarren();
    acceptAll(w);
    const host = await addHost(w, { auth: 'password', password: TEST_PASSWORD });
    const t = openTerminal(w, { hostId: host.id });
    await t.type('exit 3\n');
    expect(await t.ended).toBeNull();
    await w.close();
  });

  it('flow control: output stops while the renderer does not acknowledge, and resumes when it does', async () => {
    const w = await startWarren();
    acceptAll(w);
    const host = await addHost(w, { auth: 'password', password: TEST_PASSWORD });
    const t = openTerminal(w, { hostId: host.id }, { ack: false });
    const { sessionId } = await t.opened;
    await t.type('head -c 30000000 /dev/zero | base64 -w 100; echo FLOOD-$((40+2))\n');
    await new Promise((r) => setTimeout(r, 1500));
    const stalled = t.bytes();
    expect(stalled).toBeGreaterThan(HIGH_WATER / 2);
    expect(stalled).toBeLessThan(HIGH_WATER + 256 * 1024);
    await new Promise((r) => setTimeout(r, 500));
    expect(t.bytes()).toBe(stalled);
    // acknowledge as the renderer would, until the flood is through
    let acked = 0;
    const timer = setInterval(() => {
      const n = t.bytes() - acked;
      acked += n;
      if (n > 0) void w.client.call('terminal.ack', { sessionId, bytes: n });
    }, 5);
    await t.waitFor(/FLOOD-42\r?\n/, 60_000);
    clearInterval(timer);
    expect(t.bytes()).toBeGreaterThan(40_000_000);
    t.close();
    await w.close();
  });

  it('a hidden tab is paced: a flood there gets its small window at most once a beat, and full speed once shown again', async () => {
    const w = await startWarren();
    acceptAll(w);
    const host = await addHost(w, { auth: 'password', password: TEST_PASSWORD });
    const t = openTerminal(w, { hostId: host.id });
    const { sessionId } = await t.opened;
    await w.client.call('terminal.background', { sessionId, background: true });
    await t.type('head -c 30000000 /dev/zero | base64 -w 100; echo FLOOD-$((40+2))\n');
    const rateOver = async (ms: number) => {
      const from = t.bytes();
      const started = performance.now();
      await new Promise((r) => setTimeout(r, ms));
      return (t.bytes() - from) / ((performance.now() - started) / 1000);
    };
    await new Promise((r) => setTimeout(r, 500));
    // its bytes per beat, and the batch that may already be on its way when they are used up
    const most = (BACKGROUND.bytes + 64 * 1024) / (BACKGROUND.everyMs / 1000);
    const hidden = await rateOver(2000);
    expect(hidden).toBeGreaterThan(0);
    expect(hidden).toBeLessThan(most * 1.1);
    await w.client.call('terminal.background', { sessionId, background: false });
    expect(await rateOver(1500)).toBeGreaterThan(most * 2);
    await t.waitFor(/FLOOD-42\r?\n/, 60_000);
    t.close();
    await w.close();
  });
});
