// Post-quantum key exchange (issue 16): Warren offers mlkem768x25519-sha256 and sntrup761x25519-sha512
// first, as OpenSSH 10 does. Real OpenSSH 9.2 speaks sntrup761x25519-sha512@openssh.com (its default):
// a server limited to it is reached, the connection info and
// the doctor say the exchange was post-quantum. OpenSSH 9.2 has no ML-KEM, so ML-KEM runs against
// ssh2's own server (the hostile harness) with the same key exchange code on its side.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorEvent, DoctorReport } from '../../shared/doctor.js';
import { cleanupAll, startSshd, TEST_USER, type Sshd } from '../harness/ssh.js';
import { startHostileServer } from '../harness/hostile.js';
import { openTerminal, startWarren, warrenWithHost, type TestWarren } from '../harness/warren.js';

let sntrupOnly: Sshd;
let warrens: TestWarren[] = [];

beforeAll(async () => {
  sntrupOnly = await startSshd({ extraConfig: ['KexAlgorithms sntrup761x25519-sha512@openssh.com'] });
}, 60_000);

afterAll(async () => {
  await Promise.all(warrens.map((w) => w.close()));
  warrens = [];
  await cleanupAll();
});

async function withHost(port: number, extra: Record<string, unknown> = {}) {
  const made = await warrenWithHost({ port, ...extra });
  warrens.push(made.w);
  return made;
}

/** the key exchange connections.list reports for the connection a terminal opened on */
async function kexOf(w: TestWarren, connectionId: string) {
  const c = (await w.client.call('connections.list', {})).find((x) => x.id === connectionId);
  return c?.kex ?? { name: `no connection ${connectionId}`, postQuantum: false };
}

async function doctor(w: TestWarren, target: { hostId: string }): Promise<DoctorReport> {
  const events: DoctorEvent[] = [];
  await new Promise<void>((resolve, reject) =>
    w.client.subscribe('doctor.run', { target }, { onEvent: (e) => events.push(e), onEnd: (err) => (err ? reject(err) : resolve()) }),
  );
  const last = events.at(-1);
  if (last?.type !== 'report') throw new Error(`the doctor ended without a report: ${JSON.stringify(events.map((e) => e.type))}`);
  return last.report;
}

/** the key exchange Warren reports for a shell on an ssh2 server (the hostile harness) that allows only `kex` */
async function kexWithServerAllowing(kex: string) {
  const server = await startHostileServer({ algorithms: { kex: [kex] as never }, output: 'shell-up\r\n' });
  const w = await startWarren();
  warrens.push(w);
  w.answer = (p) => (p.kind === 'hostkey' ? { accept: true } : p.kind === 'password' ? { value: 'x' } : { cancel: true });
  const t = openTerminal(w, { quick: { hostname: '127.0.0.1', port: server.port, user: TEST_USER } });
  const { connectionId } = await t.opened;
  await t.waitFor(/shell-up/);
  const found = await kexOf(w, connectionId);
  t.close();
  await server.close();
  return found;
}

describe('post-quantum key exchange', () => {
  it('reaches an OpenSSH server that allows only sntrup761x25519-sha512@openssh.com, and says it is post-quantum', async () => {
    const { w, target } = await withHost(sntrupOnly.port);
    const t = openTerminal(w, target);
    const { connectionId } = await t.opened;
    await t.type('echo pq-$((40+2))\n');
    await t.waitFor(/pq-42/);
    expect(await kexOf(w, connectionId)).toEqual({ name: 'sntrup761x25519-sha512@openssh.com', postQuantum: true });
    const { lines } = await w.client.call('connections.log', { id: connectionId });
    expect(lines.join('\n')).toMatch(/Key exchange: sntrup761x25519-sha512@openssh\.com \(post-quantum\)/);
    t.close();

    const report = await doctor(w, target);
    const kex = report.steps.find((s) => s.id === 'kex');
    expect(kex?.status).toBe('pass');
    expect(kex?.detail).toMatch(/key exchange sntrup761x25519-sha512@openssh\.com \(post-quantum\)/);
  });

  it('prefers the post-quantum exchange with an sshd that offers everything (its default list)', async () => {
    const sshd = await startSshd();
    const { w, target } = await withHost(sshd.port);
    const t = openTerminal(w, target);
    const { connectionId } = await t.opened;
    expect((await kexOf(w, connectionId)).postQuantum).toBe(true);
    t.close();
  });

  it('negotiates mlkem768x25519-sha256 with a server that allows only it (ssh2 server, same exchange code)', async () => {
    expect(await kexWithServerAllowing('mlkem768x25519-sha256')).toEqual({ name: 'mlkem768x25519-sha256', postQuantum: true });
  });

  it('says so when a server offers no post-quantum exchange (curve25519 only)', async () => {
    expect(await kexWithServerAllowing('curve25519-sha256')).toEqual({ name: 'curve25519-sha256', postQuantum: false });
  });
});
