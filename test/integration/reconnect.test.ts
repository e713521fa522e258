// Reconnect: the session's sshd process is killed under a working terminal; the terminal counts down,
// reconnects by itself and is back in the directory it was in. Real sshd.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WarrenError } from '../../shared/errors.js';
import type { SessionEvent } from '../../shared/sftp.js';
import { cleanupAll, ensureTestUser, startSshd, TEST_PASSWORD, TEST_USER, type Sshd } from '../harness/ssh.js';
import { openTerminal, startWarren, type TestWarren } from '../harness/warren.js';

let sshd: Sshd;
beforeAll(async () => {
  await ensureTestUser();
  sshd = await startSshd();
});
afterAll(cleanupAll);

async function warren(server = sshd): Promise<{ w: TestWarren; hostId: string }> {
  const w = await startWarren({ backoff: { baseMs: 300, capMs: 1000 } });
  w.answer = (p) => (p.kind === 'hostkey' ? { accept: true } : { value: 'vault-pass' });
  const h = await w.client.call('hosts.create', {
    name: 'box',
    groupId: null,
    hostname: '127.0.0.1',
    port: server.port,
    user: TEST_USER,
    auth: 'password',
    password: TEST_PASSWORD,
  });
  return { w, hostId: h.id };
}

describe('terminal reconnect', () => {
  it('killed session: countdown, reconnect, same session, back in the tracked directory, scrollback kept', async () => {
    const { w, hostId } = await warren();
    const t = openTerminal(w, { hostId });
    const first = await t.opened;
    await t.type('mkdir -p /tmp/warren-reconnect-dir\n');
    await t.type('cd /tmp/warren-reconnect-dir\n');
    await t.type('echo before-$((1+1))\n');
    await t.waitFor(/^before-2\r?$/m);

    await sshd.killSessions();
    const r = await t.next('reconnecting');
    expect(r.attempt).toBe(1);
    expect(r.nextRetryAt).toBeGreaterThan(Date.now() - 1000);
    expect(r.error.code).toBe('DISCONNECTED');
    // typing while offline goes nowhere, and says so
    const offline = await w.client.call('terminal.input', { sessionId: first.sessionId, data: 'rm -rf /tmp/x\n' }).catch((e: unknown) => e);
    expect((offline as WarrenError).code).toBe('DISCONNECTED');

    const again = await t.next('opened');
    expect(again.sessionId).toBe(first.sessionId);
    expect(again.connectionId).not.toBe(first.connectionId);
    await t.type('pwd\n');
    await t.waitFor(/^\/tmp\/warren-reconnect-dir\r?$/m);
    expect(t.text()).toContain('before-2'); // what came before is still there
    expect(t.text()).not.toContain('rm -rf');
    t.close();
    await w.close();
  });

  it('a Remote command runs again on the reconnect, and no directory is typed into it', async () => {
    const { w, hostId } = await warren();
    await w.client.call('hosts.update', { id: hostId, patch: { remoteCommand: 'echo run-$((20+1)); exec sh' } });
    const t = openTerminal(w, { hostId });
    const first = await t.opened;
    await t.waitFor(/^run-21\r?\n\$ $/m);
    await t.type('cd /tmp && echo there-$((1+1))\n');
    await t.waitFor(/^there-2\r?$/m);

    await sshd.killSessions();
    await t.next('reconnecting');
    const again = await t.next('opened');
    expect(again.sessionId).toBe(first.sessionId);
    // (after the old shell's last prompt, which no newline ended)
    await expect.poll(() => t.text().match(/run-21\r?\n/g)?.length ?? 0, { timeout: 10_000 }).toBe(2);
    // said once, for the session, not for each shell
    expect(t.events.filter((e) => e.type === 'runs')).toHaveLength(1);
    const { lines } = await w.client.call('connections.log', { id: again.connectionId });
    expect(lines.join('\n')).not.toContain('Returning to the last working directory');
    t.close();
    await w.close();
  });

  it('after the loss, the tunnel passes traffic again and SFTP lists the same folder', async () => {
    const { w, hostId } = await warren();
    const http = await import('node:http');
    const web = http.createServer((_q, r) => r.end('after reconnect'));
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
    const webPort = (web.address() as { port: number }).port;
    const { port } = await w.client.call('tunnels.freePort', { bindAddress: '127.0.0.1' });
    const tunnel = await w.client.call('tunnels.create', { name: 'web', hostId, kind: 'local', bindPort: port, destHost: '127.0.0.1', destPort: webPort });
    await w.client.call('tunnels.start', { id: tunnel.id });
    const t = openTerminal(w, { hostId });
    await t.opened;
    const before = await w.client.call('sftp.list', { target: { hostId }, path: '/etc/ssh' });

    await sshd.killSessions();
    await t.next('opened');
    await expect
      .poll(
        async () =>
          await fetch(`http://127.0.0.1:${port}/`)
            .then((r) => r.text())
            .catch(() => ''),
        { timeout: 15_000 },
      )
      .toBe('after reconnect');
    const after = await w.client.call('sftp.list', { target: { hostId }, path: before.path });
    expect(after.entries.map((e) => e.name).sort()).toEqual(before.entries.map((e) => e.name).sort());
    t.close();
    web.close();
    await w.close();
  });

  it("a file pane's SFTP session: open, lost with a countdown when the connection dies, open again by itself", async () => {
    const { w, hostId } = await warren();
    const events: SessionEvent[] = [];
    let seen: () => void = () => {};
    const stop = w.client.subscribe('sftp.watch', { target: { hostId } }, { onEvent: (e) => (events.push(e), seen()) });
    const count = (state: SessionEvent['state']) => events.filter((e) => e.state === state).length;
    const until = (pred: () => boolean) =>
      new Promise<void>((resolve) => {
        seen = () => pred() && resolve();
        seen();
      });
    await until(() => count('open') === 1);
    // nothing else uses the host: the watch alone holds the connection (no terminal, no transfer)
    expect((await w.client.call('connections.list', {})).filter((c) => c.hostId === hostId)).toHaveLength(1);

    await sshd.killSessions();
    await until(() => count('lost') === 1);
    const lost = events.find((e) => e.state === 'lost')!;
    expect(lost).toMatchObject({ attempt: 1, error: { code: 'DISCONNECTED' } });
    expect(lost.state === 'lost' && lost.retryAt).toBeGreaterThan(Date.now() - 1000);
    await until(() => count('open') === 2);
    expect((await w.client.call('sftp.list', { target: { hostId }, path: '/etc/ssh' })).entries.length).toBeGreaterThan(0);
    stop();
    await w.close();
  });

  it('OSC 7 from the shell is the directory it returns to', async () => {
    const { w, hostId } = await warren();
    const t = openTerminal(w, { hostId });
    await t.opened;
    await t.type("printf '\\033]7;file://box/var/tmp\\007'; echo osc-$((3+4))\n");
    await t.waitFor(/osc-7\r?$/m);
    await sshd.killSessions();
    await t.next('opened');
    await t.type('pwd\n');
    await t.waitFor(/^\/var\/tmp\r?$/m);
    t.close();
    await w.close();
  });

  it('"reconnect now" skips the wait', async () => {
    const server = await startSshd();
    const { w, hostId } = await warren(server);
    const t = openTerminal(w, { hostId });
    const { sessionId } = await t.opened;
    await server.stop();
    await t.next('reconnecting');
    const waiting = await t.next('reconnecting'); // attempt 2 failed too: the server is down
    expect(waiting.attempt).toBe(2);
    await server.restart();
    const started = Date.now();
    await w.client.call('terminal.reconnect', { sessionId });
    await t.next('opened');
    expect(Date.now() - started).toBeLessThan(Math.max(500, waiting.nextRetryAt - started));
    t.close();
    await w.close();
    await server.stop();
  });

  it('stops on a changed host key and says so', async () => {
    const server = await startSshd();
    const { w, hostId } = await warren(server);
    const t = openTerminal(w, { hostId });
    await t.opened;
    await server.restart({ newHostKeys: true });
    const ended = await t.ended;
    expect(ended?.code).toBe('HOST_KEY_CHANGED');
    await w.close();
    await server.stop();
  });

  it('a normal exit does not reconnect', async () => {
    const { w, hostId } = await warren();
    const t = openTerminal(w, { hostId });
    await t.type('exit\n');
    expect(await t.ended).toBeNull();
    expect(t.events.map((e) => e.type)).not.toContain('reconnecting');
    await w.close();
  });
});
