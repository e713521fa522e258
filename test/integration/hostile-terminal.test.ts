// A shell whose output lies about its working directory: on reconnect Warren types exactly one thing the
// user did not type, the `cd` back to the last directory, and only when the directory OSC 7 announced is
// a plain absolute path. A ^U (%15) in it would make the remote tty kill the line and run the rest.
import { afterAll, describe, expect, it } from 'vitest';
import { startHostileServer, type HostileServer } from '../harness/hostile.js';
import { cleanupAll } from '../harness/ssh.js';
import { openTerminal, warrenWithHost } from '../harness/warren.js';

const servers: HostileServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await cleanupAll();
});

const HOSTILE = '\u001b]7;file://h/tmp%15touch%20pwned\u0007';
const LEGIT = '\u001b]7;file://h/srv/app\u0007';
const MARKER = 'echo after-reconnect\r';

/**
 * A terminal on a server whose shells print `output`; the connection is cut, Warren reconnects, the user
 * types MARKER. Returns what the server received in the first and in the second shell.
 */
async function reconnectAfter(output: string): Promise<string[]> {
  const server = await startHostileServer({ output });
  servers.push(server);
  const { w, target } = await warrenWithHost({ port: server.port, user: 'alice', password: 'anything' }, { backoff: { baseMs: 200, capMs: 1000 } });
  const t = openTerminal(w, target);
  await t.opened;
  await t.waitFor(/\u001b\]7;/); // the shell's output has reached Warren
  server.dropConnections();
  await t.next('reconnecting');
  await t.next('opened');
  await t.type(MARKER); // whatever Warren typed on its own arrived before this
  await expect.poll(() => server.typed[1] ?? '').toContain(MARKER);
  t.close();
  await w.close();
  return [...server.typed];
}

describe('a reconnecting terminal and the directory its shell announced', () => {
  it('a directory with ^U in it is never typed back: the new shell gets only what the user types', async () => {
    const typed = await reconnectAfter(HOSTILE);
    expect(typed[0]).toBe('');
    expect(typed[1]).not.toContain('\u0015');
    expect(typed[1]).not.toContain('pwned');
    expect(typed[1]).toBe(MARKER);
  });

  it('a plain directory is restored with a quoted cd, and nothing else', async () => {
    const typed = await reconnectAfter(LEGIT);
    expect(typed[0]).toBe('');
    expect(typed[1]).toBe(` cd -- '/srv/app'\r${MARKER}`);
  });

  it('a hostile OSC 7 after a good one leaves the good directory', async () => {
    const typed = await reconnectAfter(`${LEGIT}$ ${HOSTILE}`);
    expect(typed[1]).toBe(` cd -- '/srv/app'\r${MARKER}`);
  });
});
