// Receive windows sized for the path (issue 12): through a delay proxy (test/harness/wan.ts) 60 ms from
// a real sshd, an SFTP download and a -L stream grow their channel's window past ssh2's 2 MiB (sshd
// logs every WINDOW_ADJUST it receives: one larger than 2 MiB can only come from the grown window),
// never past the cap; on loopback the same download never grows it. The session log names the round
// trip measured after the login. The speed itself is the WAN bench's business (npm run bench).
import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARTS } from '../../electron/sftp/queue.js';
import { WINDOW_CAP } from '../../electron/ssh/window.js';
import { cleanupAll, ensureTestUser, startSshd, tempDir, type Sshd } from '../harness/ssh.js';
import { startWanProxy, type WanProxy } from '../harness/wan.js';
import { queue, startLocalForward, transfer, warrenWithHost } from '../harness/warren.js';

const MIB = 1 << 20;
const RTT = 60;
let sshd: Sshd;
let proxy: WanProxy;
let web: http.Server;
let webPort: number;
const page = randomBytes(24 * MIB);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  await ensureTestUser();
  sshd = await startSshd({ extraConfig: ['LogLevel DEBUG2'] });
  proxy = await startWanProxy({ targetPort: sshd.port, rttMs: RTT });
  web = http.createServer((_q, res) => res.end(page));
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
  webPort = (web.address() as AddressInfo).port;
});
afterAll(async () => {
  web.close();
  await proxy.close();
  await cleanupAll();
});

/** the WINDOW_ADJUST amounts sshd received since `from` (its log's length then) */
async function adjustsSince(from: number): Promise<number[]> {
  return [...(await sshd.log()).slice(from).matchAll(/rcvd adjust (\d+)/g)].map((m) => Number(m[1]));
}

async function download(port: number): Promise<{ adjusts: number[]; log: string }> {
  const { w, target } = await warrenWithHost({ port });
  const q = queue(w);
  const home = (await w.client.call('sftp.home', { target })).path;
  const name = `wan-${randomBytes(4).toString('hex')}.bin`;
  await writeFile(path.join(home, name), page);
  const local = await tempDir('warren-wan-');
  const logFrom = (await sshd.log()).length;
  const [job] = await transfer(w, q, { direction: 'download', target, items: [{ from: `${home}/${name}`, to: path.join(local, name) }] });
  expect(job?.error?.message ?? job?.state).toBe('done');
  expect(sha256(await readFile(path.join(local, name)))).toBe(sha256(page));
  const [conn] = await w.client.call('connections.list', {});
  const { lines } = await w.client.call('connections.log', { id: conn!.id });
  await w.client.call('sftp.delete', { target, path: `${home}/${name}` });
  q.stop();
  await w.close();
  return { adjusts: await adjustsSince(logFrom), log: lines.join('\n') };
}

describe('receive windows', () => {
  it('grow past 2 MiB for an SFTP download 60 ms away, up to the cap, and the log names the round trip', async () => {
    const { adjusts, log } = await download(proxy.port);
    expect(Math.max(...adjusts)).toBeGreaterThan(2 * MIB);
    expect(Math.max(...adjusts)).toBeLessThanOrEqual(WINDOW_CAP);
    const rtt = Number(/Round trip to the server: ([\d.]+) ms/.exec(log)?.[1]);
    expect(rtt).toBeGreaterThanOrEqual(RTT);
    expect(rtt).toBeLessThan(RTT * 3);
  });

  it("stay ssh2's on loopback", async () => {
    const { adjusts } = await download(sshd.port);
    expect(adjusts.length).toBeGreaterThan(0);
    expect(Math.max(...adjusts)).toBeLessThanOrEqual(2 * MIB);
  });

  it('grow for a stream through a -L tunnel 60 ms away, and the bytes are right', async () => {
    const { w, target } = await warrenWithHost({ port: proxy.port });
    const t = await startLocalForward(w, target.hostId, webPort);
    const port = t.port;
    expect(t.status.state).toBe('up');
    const logFrom = (await sshd.log()).length;
    const body = Buffer.from(await (await fetch(`http://127.0.0.1:${port}/`)).arrayBuffer());
    expect(sha256(body)).toBe(sha256(page));
    const adjusts = await adjustsSince(logFrom);
    expect(Math.max(...adjusts)).toBeGreaterThan(2 * MIB);
    expect(Math.max(...adjusts)).toBeLessThanOrEqual(WINDOW_CAP);
    await w.client.call('tunnels.stop', { id: t.id });
    await w.close();
  });

  it('carry a large upload 60 ms away in parts at once, each on its own SFTP channel, and it arrives whole', async () => {
    const { w, target } = await warrenWithHost({ port: proxy.port });
    const q = queue(w);
    const local = await tempDir('warren-wan-up-');
    const data = randomBytes(40 * MIB);
    await writeFile(path.join(local, 'big.bin'), data);
    const home = (await w.client.call('sftp.home', { target })).path;
    const to = `${home}/wan-up-${randomBytes(4).toString('hex')}.bin`;
    const logFrom = (await sshd.log()).length;
    const [job] = await transfer(w, q, { direction: 'upload', target, items: [{ from: path.join(local, 'big.bin'), to }], conflict: 'overwrite' });
    expect(job?.error?.message ?? job?.state).toBe('done');
    // the channels at work: the session's own at once, the others as they open (a late one finds no part left)
    const [parts] = q.filesOf(job!.id).map((f) => f.parts);
    expect(parts).toBeGreaterThanOrEqual(PARTS - 2);
    expect(parts).toBeLessThanOrEqual(PARTS);
    expect(sha256(await readFile(to))).toBe(sha256(data));
    // sshd started an sftp subsystem for each part's channel but the session's own (open since sftp.home)
    // (the last may open as the copy ends: sshd's log can lag the channel by a moment)
    await expect.poll(async () => ((await sshd.log()).slice(logFrom).match(/subsystem request for sftp/g) ?? []).length, { timeout: 5000 }).toBe(PARTS - 1);
    await w.client.call('sftp.delete', { target, path: to });
    q.stop();
    await w.close();
  });

  it('resume each part where it stopped after the connection is cut in the middle', async () => {
    const { w, target } = await warrenWithHost({ port: proxy.port }, { backoff: { baseMs: 200, capMs: 1000 } });
    const q = queue(w);
    const local = await tempDir('warren-wan-cut-');
    const data = randomBytes(64 * MIB);
    await writeFile(path.join(local, 'big.bin'), data);
    const home = (await w.client.call('sftp.home', { target })).path;
    const to = `${home}/wan-cut-${randomBytes(4).toString('hex')}.bin`;
    const { ids } = await w.client.call('transfers.enqueue', {
      direction: 'upload',
      target,
      items: [{ from: path.join(local, 'big.bin'), to }],
      conflict: 'overwrite',
    });
    await q.until('a third written', () => q.filesOf(ids[0]!).some((f) => f.bytes > 20 * MIB && f.parts > 1));
    await sshd.killSessions();
    await q.until('paused by the lost connection, then done', () => q.jobs.get(ids[0]!)?.state === 'done', 60_000);
    const rows = q.events.flatMap(({ e }) => e.files.filter((f) => f.jobId === ids[0]));
    const paused = rows.findIndex((f) => f.state === 'paused');
    expect(paused).toBeGreaterThan(0);
    // it went on from what the parts had written, not from 0
    expect(rows.slice(paused).find((f) => f.state === 'running')?.bytes).toBeGreaterThan(8 * MIB);
    expect(sha256(await readFile(to))).toBe(sha256(data));
    await w.client.call('sftp.delete', { target, path: to });
    q.stop();
    await w.close();
  }, 90_000);

  it('fall back to one stream when the server allows one session per connection', async () => {
    const strict = await startSshd({ extraConfig: ['MaxSessions 1'] });
    const far = await startWanProxy({ targetPort: strict.port, rttMs: RTT });
    const { w, target } = await warrenWithHost({ port: far.port });
    const q = queue(w);
    const local = await tempDir('warren-wan-one-');
    const data = randomBytes(36 * MIB);
    await writeFile(path.join(local, 'big.bin'), data);
    const home = (await w.client.call('sftp.home', { target })).path;
    const to = `${home}/wan-one-${randomBytes(4).toString('hex')}.bin`;
    const [job] = await transfer(w, q, { direction: 'upload', target, items: [{ from: path.join(local, 'big.bin'), to }], conflict: 'overwrite' });
    expect(job?.error?.message ?? job?.state).toBe('done');
    expect(q.filesOf(job!.id).map((f) => f.parts)).toEqual([1]);
    expect(sha256(await readFile(to))).toBe(sha256(data));
    q.stop();
    await w.close();
    await far.close();
    await strict.stop();
  }, 60_000);
});
