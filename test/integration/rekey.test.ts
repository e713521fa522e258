// Key re-exchange in the middle of the traffic. A server renews the session keys after RekeyLimit bytes
// (or time; OpenSSH also does so by itself after enough data): ssh2 asks the host-key verifier again
// each time, and a verifier that answered only at login left every rekey hanging, so the connection
// froze at the first one (then the keepalive, sent in the middle of the unfinished exchange, made sshd
// drop it as corrupted). Real sshd with `RekeyLimit 1M`: SFTP both ways, a -L tunnel and a terminal,
// with a classic and a post-quantum key exchange, on one connection throughout.
import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupAll, ensureTestUser, startSshd, tempDir, type Sshd } from '../harness/ssh.js';
import { openTerminal, queue, startLocalForward, transfer, warrenWithHost } from '../harness/warren.js';

const MIB = 1 << 20;
let web: http.Server;
let webPort: number;
const page = randomBytes(8 * MIB);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  await ensureTestUser();
  web = http.createServer((_q, res) => res.end(page));
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
  webPort = (web.address() as AddressInfo).port;
});
afterAll(async () => {
  web.close();
  await cleanupAll();
});

/** sshd's count of key exchanges it finished (each sets new inbound keys: "rekey in after N blocks"), the login's included */
const kexDone = async (sshd: Sshd) => ((await sshd.log()).match(/rekey in after/g) ?? []).length;

describe.each(['curve25519-sha256', 'sntrup761x25519-sha512@openssh.com'])('rekeying every MiB with %s', (kex) => {
  it('keeps one connection through SFTP both ways, a -L tunnel and a terminal, and the bytes are right', async () => {
    const sshd = await startSshd({ extraConfig: ['RekeyLimit 1M', `KexAlgorithms ${kex}`, 'LogLevel DEBUG1'] });
    const { w, target } = await warrenWithHost({ port: sshd.port });
    const q = queue(w);
    const local = await tempDir('warren-rekey-');
    await writeFile(path.join(local, 'up.bin'), randomBytes(12 * MIB));
    const home = (await w.client.call('sftp.home', { target })).path;
    const remote = `${home}/rekey-${randomBytes(4).toString('hex')}`;
    await w.client.call('sftp.mkdir', { target, path: remote });
    const [up] = await transfer(w, q, {
      direction: 'upload',
      target,
      items: [{ from: path.join(local, 'up.bin'), to: `${remote}/f.bin` }],
      conflict: 'overwrite',
    });
    expect(up?.error?.message ?? up?.state).toBe('done');
    const [down] = await transfer(w, q, { direction: 'download', target, items: [{ from: `${remote}/f.bin`, to: path.join(local, 'down.bin') }] });
    expect(down?.error?.message ?? down?.state).toBe('done');
    expect(sha256(await readFile(path.join(local, 'down.bin')))).toBe(sha256(await readFile(path.join(local, 'up.bin'))));

    const t = await startLocalForward(w, target.hostId, webPort);
    const port = t.port;
    expect(t.status.state).toBe('up');
    const body = Buffer.from(await (await fetch(`http://127.0.0.1:${port}/`)).arrayBuffer());
    expect(sha256(body)).toBe(sha256(page));

    const term = openTerminal(w, target);
    await term.opened;
    await term.type('head -c 3000000 /dev/zero | base64 -w 0 | wc -c; echo "term-$((6*7))"\n');
    await term.waitFor(/4000000\s+term-42/, 20_000);

    // everything above rode one connection, renewed many times, never lost
    const conns = await w.client.call('connections.list', {});
    expect(conns).toHaveLength(1);
    expect(conns[0]?.kex.name).toBe(kex);
    const { lines } = await w.client.call('connections.log', { id: conns[0]!.id });
    expect(lines.join('\n')).not.toMatch(/Connection closed|another host key/);
    expect(await kexDone(sshd)).toBeGreaterThan(20);
    expect(await sshd.log()).not.toMatch(/Connection corrupted|fatal/); // (the harness's readiness probe leaves a kex_exchange_identification line)

    term.close();
    await w.client.call('tunnels.stop', { id: t.id });
    await w.client.call('sftp.delete', { target, path: remote, recursive: true });
    q.stop();
    await w.close();
    await sshd.stop();
  }, 60_000);
});
