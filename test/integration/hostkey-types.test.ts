// Host key types against a real sshd with Ed25519, ECDSA and RSA host keys: the known_hosts written by
// the real ssh-keyscan (RSA first) makes Warren pick the key OpenSSH's ssh -v picks; a known type ssh2
// cannot verify (ssh-ed448) is skipped and said, never offered (it made ssh2 throw before the
// handshake), and when it is the only key known the prompt and the doctor say why the key is unknown.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorEvent, DoctorReport } from '../../shared/doctor.js';
import type { Prompt } from '../../shared/prompts.js';
import { cleanupAll, ensureTestUser, startSshd, tempDir, TEST_PASSWORD, TEST_USER, type Sshd } from '../harness/ssh.js';
import { openTerminal, startWarren, type TestWarren } from '../harness/warren.js';

let sshd: Sshd;
/** the lines `ssh-keyscan -p PORT 127.0.0.1` writes, in its order */
let scanned: string[];
/** a well-formed ssh-ed448 key line for the sshd (a 57-byte Ed448 public key), as a newer server would have */
let ed448Line: string;

beforeAll(async () => {
  await ensureTestUser();
  sshd = await startSshd({ rsaHostKey: true });
  const out = execFileSync('ssh-keyscan', ['-p', String(sshd.port), '127.0.0.1'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  scanned = out.split('\n').filter((l) => l.startsWith(`[127.0.0.1]:${sshd.port} `));
  const blob = Buffer.concat([Buffer.from([0, 0, 0, 9]), Buffer.from('ssh-ed448'), Buffer.from([0, 0, 0, 57]), Buffer.alloc(57, 0x5a)]);
  ed448Line = `[127.0.0.1]:${sshd.port} ssh-ed448 ${blob.toString('base64')}`;
});
afterAll(cleanupAll);

/** a Warren whose ~/.ssh/known_hosts holds these lines; it answers the host-key prompt with `acceptKey` */
async function warrenKnowing(lines: string[], acceptKey = false): Promise<{ w: TestWarren; file: string }> {
  const home = await tempDir('warren-home-');
  await mkdir(`${home}/.ssh`, { recursive: true });
  const file = `${home}/.ssh/known_hosts`;
  await writeFile(file, `${lines.join('\n')}\n`);
  const w = await startWarren({ home });
  w.answer = (p: Prompt) =>
    p.kind === 'hostkey'
      ? { accept: acceptKey }
      : p.kind === 'password'
        ? { value: TEST_PASSWORD }
        : p.kind === 'vault'
          ? { value: 'vault-pass' }
          : { cancel: true };
  return { w, file };
}

const addHost = (w: TestWarren, extra: Record<string, unknown> = {}) =>
  w.client.call('hosts.create', { name: 'box', groupId: null, hostname: '127.0.0.1', port: sshd.port, user: TEST_USER, auth: 'password', ...extra });

/** the host key type OpenSSH's own ssh picks with that known_hosts file (ssh -v; only the handshake counts) */
function opensshPicks(file: string): string | undefined {
  const args = ['-v', '-o', `UserKnownHostsFile=${file}`, '-o', 'GlobalKnownHostsFile=/dev/null', '-o', 'BatchMode=yes'];
  args.push('-o', 'StrictHostKeyChecking=yes', '-o', 'PreferredAuthentications=none', '-p', String(sshd.port), `${TEST_USER}@127.0.0.1`, 'true');
  const { stderr } = spawnSync('ssh', args, { encoding: 'utf8', timeout: 20_000 });
  return /Server host key: (\S+) SHA256:/.exec(stderr)?.[1];
}

/** connects a terminal; the negotiated host key and the session log */
async function connectOnce(w: TestWarren): Promise<{ type: string; log: string }> {
  const host = await addHost(w);
  const t = openTerminal(w, { hostId: host.id });
  const { connectionId } = await t.opened;
  const conn = (await w.client.call('connections.list', {})).find((c) => c.id === connectionId);
  const { lines } = await w.client.call('connections.log', { id: connectionId });
  t.close();
  return { type: conn?.hostKey.type ?? `no connection ${connectionId} in connections.list`, log: lines.join('\n') };
}

async function doctor(w: TestWarren): Promise<DoctorReport> {
  const host = await addHost(w, { password: TEST_PASSWORD });
  const events: DoctorEvent[] = [];
  await new Promise<void>((resolve, reject) =>
    w.client.subscribe('doctor.run', { target: { hostId: host.id } }, { onEvent: (e) => events.push(e), onEnd: (err) => (err ? reject(err) : resolve()) }),
  );
  const last = events.at(-1);
  if (last?.type !== 'report') throw new Error(`the doctor ended without a report after: ${JSON.stringify(events.map((e) => e.type))}`);
  return last.report;
}
const step = (r: DoctorReport, id: string) => r.steps.find((s) => s.id === id) ?? { id, status: 'missing', detail: r.text };
const statuses = (r: DoctorReport) => r.steps.map((s) => `${s.id}:${s.status}`);

describe('known key types', () => {
  it('the known_hosts ssh-keyscan writes (RSA first): Warren picks the Ed25519 key, as OpenSSH does', async () => {
    // ssh-keyscan writes the keys in the order the answers came: here ECDSA first; RSA first elsewhere
    expect(scanned.map((l) => l.split(' ')[1]).sort()).toEqual(['ecdsa-sha2-nistp256', 'ssh-ed25519', 'ssh-rsa']);
    const rank = (l: string) => ['ssh-rsa', 'ecdsa-sha2-nistp256', 'ssh-ed25519'].indexOf(l.split(' ')[1] ?? '');
    for (const lines of [scanned, scanned.toSorted((x, y) => rank(x) - rank(y))]) {
      const { w, file } = await warrenKnowing(lines);
      const openssh = opensshPicks(file);
      expect(openssh).toBe('ssh-ed25519');
      const { type } = await connectOnce(w);
      expect(type, `known_hosts in the order ${lines.map((l) => l.split(' ')[1]).join(', ')}`).toBe(openssh);
      expect(w.asked.map((p) => p.kind)).toEqual(['password']); // known: no host-key question
      await w.close();
    }
  });

  it('an ssh-ed448 line beside the real keys: skipped and said in the session log, the known key used', async () => {
    const { w, file } = await warrenKnowing([ed448Line, ...scanned]);
    const { type, log } = await connectOnce(w);
    expect(type).toBe(opensshPicks(file));
    expect(log).toMatch(/known_hosts lists an ssh-ed448 key for this host, which Warren cannot verify; using ssh-ed25519, /);
    expect(log).toMatch(/Server host key: ssh-ed25519 SHA256:\S+: known/);
    expect(w.asked.map((p) => p.kind)).toEqual(['password']);
    await w.close();
  });

  it('only an ssh-ed448 key known: the prompt says that key is of a type Warren cannot verify, not that it changed', async () => {
    const { w } = await warrenKnowing([ed448Line], true);
    const { type, log } = await connectOnce(w);
    const hk = w.asked.find((p) => p.kind === 'hostkey');
    expect(hk).toMatchObject({ kind: 'hostkey', keyType: type, otherKnownTypes: [], unsupportedKnownTypes: ['ssh-ed448'] });
    expect(sshd.hostKeys.find((k) => k.type === type)?.fingerprint).toBe(hk?.kind === 'hostkey' ? hk.fingerprint : 'no host-key prompt');
    expect(log).toMatch(/known_hosts lists an ssh-ed448 key for this host, which Warren cannot verify; using ssh-ed25519, /);
    expect(log).toMatch(/: unknown/);
    await w.close();
  });
});

describe('the doctor with key types it cannot verify', () => {
  it('an ssh-ed448 line beside the real keys: every step passes', async () => {
    const { w } = await warrenKnowing([ed448Line, ...scanned]);
    const report = await doctor(w);
    expect(statuses(report)).toEqual(['dns:pass', 'tcp:pass', 'banner:pass', 'kex:pass', 'hostkey:pass', 'methods:pass', 'auth:pass']);
    expect(step(report, 'kex').detail).toMatch(/host key ssh-ed25519,/);
    await w.close();
  });

  it('only an ssh-ed448 key known: the host key is unknown, and the detail says the known one cannot be verified', async () => {
    const { w, file } = await warrenKnowing([ed448Line]);
    const before = await readFile(file, 'utf8');
    const report = await doctor(w);
    expect(statuses(report)).toEqual(['dns:pass', 'tcp:pass', 'banner:pass', 'kex:pass', 'hostkey:warn', 'methods:skip', 'auth:skip']);
    expect(step(report, 'hostkey').detail).toMatch(
      /in none of your known_hosts files \(they hold its ssh-ed448 key, a type Warren cannot verify: not a changed key/,
    );
    expect(w.asked.filter((p) => p.kind === 'hostkey')).toEqual([]);
    expect(await readFile(file, 'utf8')).toBe(before);
    await w.close();
  });
});
