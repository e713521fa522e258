// "Replace the host key…" against real sshds: a known_hosts that holds a wrong key for the server makes
// the connection fail as HOST_KEY_CHANGED; hostkeys.inspect shows the old line and the key the server
// presents (fetched without a login, directly or through the jump host); hostkeys.replace rewrites the
// file that held the old key and the next connection needs no host-key question. A key that changes
// again between inspect and replace is refused, and the file stays as it was; a server that floods text
// instead of identifying itself is given up on.
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStallingServer } from '../harness/hostile.js';
import { cleanupAll, ensureTestUser, startSshd, tempDir, type Sshd } from '../harness/ssh.js';
import { answerAsUser, openTerminal, savePasswordHost, startWarren, type TestWarren } from '../harness/warren.js';

let sshd: Sshd;
let bastion: Sshd;
/** an ed25519 public key that is not the server's, as `type base64` */
let wrongKey: string;
let wrongFingerprint: string;

beforeAll(async () => {
  await ensureTestUser();
  [sshd, bastion] = await Promise.all([startSshd(), startSshd()]);
  const dir = await tempDir('warren-wrong-key-');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'x', '-f', join(dir, 'k')]);
  wrongKey = (await readFile(join(dir, 'k.pub'), 'utf8')).split(' ').slice(0, 2).join(' ');
  wrongFingerprint = execFileSync('ssh-keygen', ['-lf', join(dir, 'k.pub')], { encoding: 'utf8' }).split(' ')[1]!;
});
afterAll(cleanupAll);

const ed25519 = (s: Sshd) => s.hostKeys.find((k) => k.type === 'ssh-ed25519')!;
const nameOf = (s: Sshd) => `[127.0.0.1]:${s.port}`;

/** a Warren whose ~/.ssh/known_hosts (or its own, `inDataDir`) holds `text`; host keys it is asked about are accepted */
async function warrenWith(text: string, inDataDir = false): Promise<{ w: TestWarren; file: string }> {
  const home = await tempDir('warren-home-');
  const dataDir = await tempDir('warren-data-');
  await mkdir(join(home, '.ssh'));
  const file = inDataDir ? join(dataDir, 'known_hosts') : join(home, '.ssh', 'known_hosts');
  await writeFile(file, text, { mode: 0o644 });
  const w = await startWarren({ home, dataDir });
  answerAsUser(w);
  return { w, file };
}

const addHost = async (w: TestWarren, name: string, port: number, extra: { jump?: string; proxyCommand?: string } = {}) =>
  ({ hostId: (await savePasswordHost(w, { name, port, ...extra })).id }) as const;

/** opens a terminal and closes it again: resolves once it opened, rejects with why it could not */
async function connect(w: TestWarren, target: { hostId: string }): Promise<void> {
  const t = openTerminal(w, target);
  try {
    await t.opened;
  } finally {
    t.close();
  }
}

describe('replacing a changed host key', () => {
  it('refused, inspected, replaced in ~/.ssh/known_hosts (other lines kept, mode kept), then connects without a question', async () => {
    const comment = '# keep me';
    const unrelated = `other.example ${wrongKey}`;
    const { w, file } = await warrenWith(`${comment}\n${unrelated}\n${nameOf(sshd)} ${wrongKey}\n`);
    try {
      const target = await addHost(w, 'box', sshd.port);
      await expect(connect(w, target)).rejects.toMatchObject({ code: 'HOST_KEY_CHANGED' });
      const before = await sshd.acceptedLogins();

      const change = await w.client.call('hostkeys.inspect', { target });
      expect(change).toEqual({
        name: nameOf(sshd),
        keyType: 'ssh-ed25519',
        fingerprint: ed25519(sshd).fingerprint,
        route: 'directly',
        stale: [{ file, line: 3, fingerprint: wrongFingerprint, hashed: false }],
      });
      const done = await w.client.call('hostkeys.replace', { target, fingerprint: change.fingerprint });
      expect(done).toEqual({ file, removed: change.stale });
      const pub = ed25519(sshd).pub.split(' ').slice(0, 2).join(' ');
      expect(await readFile(file, 'utf8')).toBe(`${comment}\n${unrelated}\n${nameOf(sshd)} ${pub}\n`);
      expect((await stat(file)).mode & 0o777).toBe(0o644);
      // neither call logged in: the key was fetched by a key exchange alone
      expect(await sshd.acceptedLogins()).toBe(before);

      w.asked.length = 0;
      await connect(w, target);
      expect(w.asked.filter((p) => p.kind === 'hostkey')).toEqual([]);
      expect(execFileSync('ssh-keygen', ['-F', nameOf(sshd), '-f', file], { encoding: 'utf8' })).toContain(pub);
    } finally {
      await w.close();
    }
  });

  it('replaces the key in the file that held it: Warren’s own known_hosts in the data dir', async () => {
    const { w, file } = await warrenWith(`${nameOf(sshd)} ${wrongKey}\n`, true);
    try {
      const target = await addHost(w, 'box', sshd.port);
      const change = await w.client.call('hostkeys.inspect', { target });
      expect(change.stale).toEqual([{ file, line: 1, fingerprint: wrongFingerprint, hashed: false }]);
      await w.client.call('hostkeys.replace', { target, fingerprint: change.fingerprint });
      expect(await readFile(file, 'utf8')).toContain(ed25519(sshd).pub.split(' ')[1]);
      await connect(w, target);
    } finally {
      await w.close();
    }
  });

  it('fetches the key through the jump host the host is reached by', async () => {
    const { w, file } = await warrenWith(`${nameOf(sshd)} ${wrongKey}\n`);
    try {
      await addHost(w, 'bastion', bastion.port);
      const target = await addHost(w, 'inner', sshd.port, { jump: 'bastion' });
      await expect(connect(w, target)).rejects.toMatchObject({ code: 'HOST_KEY_CHANGED' });
      const change = await w.client.call('hostkeys.inspect', { target });
      expect(change).toMatchObject({ route: 'through jump host bastion', fingerprint: ed25519(sshd).fingerprint, stale: [{ file, line: 1 }] });
      await w.client.call('hostkeys.replace', { target, fingerprint: change.fingerprint });
      await connect(w, target);
    } finally {
      await w.close();
    }
  });

  it('fetches the key through the host’s ProxyCommand', async () => {
    const { w } = await warrenWith(`${nameOf(sshd)} ${wrongKey}\n`);
    try {
      const target = await addHost(w, 'proxied', sshd.port, { proxyCommand: 'nc %h %p' });
      const change = await w.client.call('hostkeys.inspect', { target });
      expect(change).toMatchObject({ route: 'through its ProxyCommand', fingerprint: ed25519(sshd).fingerprint });
      await w.client.call('hostkeys.replace', { target, fingerprint: change.fingerprint });
      await connect(w, target);
    } finally {
      await w.close();
    }
  });

  it('replaces the key of the jump host the error named', async () => {
    const { w, file } = await warrenWith(`${nameOf(bastion)} ${wrongKey}\n`);
    try {
      await addHost(w, 'bastion', bastion.port);
      const target = await addHost(w, 'inner', sshd.port, { jump: 'bastion' });
      await expect(connect(w, target)).rejects.toMatchObject({ code: 'HOST_KEY_CHANGED', detail: { hop: 'bastion' } });
      const change = await w.client.call('hostkeys.inspect', { target, hop: 'bastion' });
      expect(change).toMatchObject({ name: nameOf(bastion), route: 'directly', fingerprint: ed25519(bastion).fingerprint, stale: [{ file, line: 1 }] });
      await w.client.call('hostkeys.replace', { target, hop: 'bastion', fingerprint: change.fingerprint });
      await connect(w, target);
      await expect(w.client.call('hostkeys.inspect', { target, hop: 'nowhere' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    } finally {
      await w.close();
    }
  });

  it('refuses when the server’s key changed again after the user confirmed it, and leaves the file alone', async () => {
    const changing = await startSshd();
    const { w, file } = await warrenWith(`${nameOf(changing)} ${wrongKey}\n`);
    try {
      const target = await addHost(w, 'box', changing.port);
      const change = await w.client.call('hostkeys.inspect', { target });
      const text = await readFile(file, 'utf8');
      await changing.restart({ newHostKeys: true });
      await expect(w.client.call('hostkeys.replace', { target, fingerprint: change.fingerprint })).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringContaining(`now presents the ssh-ed25519 key ${ed25519(changing).fingerprint}, not ${change.fingerprint}`),
      });
      expect(await readFile(file, 'utf8')).toBe(text);
      // a key that is not the changed one is no reason to replace anything
      await w.client.call('hostkeys.replace', { target, fingerprint: ed25519(changing).fingerprint });
      await expect(w.client.call('hostkeys.inspect', { target })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/already holds/) });
    } finally {
      await w.close();
      await changing.stop();
    }
  });

  it('refuses to record the key of a host no known_hosts file holds another key for: that is the first-meeting question, not a replacement', async () => {
    const { w, file } = await warrenWith('');
    try {
      const target = await addHost(w, 'new', sshd.port);
      const own = join(w.dataDir, 'known_hosts');
      const ownBefore = await readFile(own, 'utf8').catch(() => null);
      await expect(w.client.call('hostkeys.replace', { target, fingerprint: ed25519(sshd).fingerprint })).rejects.toMatchObject({ code: 'CONFLICT' });
      expect(await readFile(file, 'utf8')).toBe('');
      expect(await readFile(own, 'utf8').catch(() => null)).toBe(ownBefore);
      w.asked.length = 0;
      await connect(w, target);
      expect(w.asked.filter((p) => p.kind === 'hostkey')).toHaveLength(1);
    } finally {
      await w.close();
    }
  });

  it('never records a key marked @revoked', async () => {
    const revoked = `@revoked * ${ed25519(sshd).pub.split(' ').slice(0, 2).join(' ')}`;
    const { w, file } = await warrenWith(`${nameOf(sshd)} ${wrongKey}\n${revoked}\n`);
    try {
      const target = await addHost(w, 'box', sshd.port);
      const fingerprint = ed25519(sshd).fingerprint;
      await expect(w.client.call('hostkeys.inspect', { target })).rejects.toMatchObject({ code: 'HOST_KEY_REVOKED' });
      await expect(w.client.call('hostkeys.replace', { target, fingerprint })).rejects.toMatchObject({ code: 'HOST_KEY_REVOKED' });
      expect(await readFile(file, 'utf8')).toBe(`${nameOf(sshd)} ${wrongKey}\n${revoked}\n`);
    } finally {
      await w.close();
    }
  });

  it('shows a disconnect reason a server sends during the key exchange with its controls and direction overrides escaped', async () => {
    const evil = 'Key verified\u202e OK\x1b[2J\x07';
    // SSH_MSG_DISCONNECT (1), reason 2 (protocol error), the text, no language tag: an unencrypted packet right after the identification
    const text = Buffer.from(evil, 'utf8');
    const payload = Buffer.concat([Buffer.from([1, 0, 0, 0, 2]), Buffer.from([0, 0, 0, text.length]), text, Buffer.alloc(4)]);
    // at least 4 bytes of padding, the whole packet a multiple of 8
    let pad = 8 - ((5 + payload.length) % 8);
    if (pad < 4) pad += 8;
    const head = Buffer.alloc(5);
    head.writeUInt32BE(1 + payload.length + pad);
    head[4] = pad;
    const server = net.createServer((s) => s.end(Buffer.concat([Buffer.from('SSH-2.0-evil\r\n'), head, payload, Buffer.alloc(pad)])));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { w } = await warrenWith('');
    try {
      const port = (server.address() as net.AddressInfo).port;
      const failed: unknown = await w.client.call('hostkeys.inspect', { target: { quick: { hostname: '127.0.0.1', port } } }).catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(Error);
      const { message } = failed as Error;
      expect(message).toContain(String.raw`Key verified\u202e OK\e[2J\x07`);
      expect(message).not.toMatch(/[\u202e\x1b\x07]/);
    } finally {
      await w.close();
      server.close();
    }
  });

  it('gives up on a server that floods text instead of identifying itself', async () => {
    const server = await startStallingServer('endless-banner');
    const { w } = await warrenWith('');
    try {
      const started = Date.now();
      await expect(w.client.call('hostkeys.inspect', { target: { quick: { hostname: '127.0.0.1', port: server.port } } })).rejects.toMatchObject({
        code: 'NOT_SSH',
        message: expect.stringContaining('sent 256 KiB of text before any SSH identification line'),
      });
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await w.close();
      await server.close();
    }
  });
});
