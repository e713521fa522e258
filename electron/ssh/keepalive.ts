// Keepalive as OpenSSH's ServerAliveInterval does it: anything the server sends proves the connection
// alive; after `interval` of silence Warren asks (keepalive@openssh.com) and after `countMax` unanswered
// asks it gives the connection up. ssh2's own keepalive counts only REQUEST_SUCCESS/FAILURE as answers,
// so it drops servers that answer SSH_MSG_UNIMPLEMENTED (TinySSH, after 60 s, whatever the traffic):
// connect() turns it off and runs this instead.
import type { Duplex } from 'node:stream';
import type { Client } from 'ssh2';
import { sendKeepalive } from '../agent/ssh2-internals.js';

/** Starts the keepalive on an authenticated connection; it stops when the transport closes. */
export function keepAlive(client: Client, sock: Duplex, intervalMs: number, countMax: number, log: (line: string) => void): void {
  if (intervalMs <= 0) return;
  let heard = false;
  let asked = 0;
  const onData = () => (heard = true);
  sock.on('data', onData);
  const timer = setInterval(() => {
    if (heard) {
      heard = false;
      asked = 0;
      return;
    }
    if (asked >= countMax) {
      stop();
      const seconds = Math.round((intervalMs * (countMax + 1)) / 1000);
      log(`No answer from the server for ${seconds} s (${countMax} keepalives unanswered): the connection is given up`);
      client.emit('error', Object.assign(new Error(`Keepalive timeout: no answer from the server for ${seconds} s`), { level: 'client-timeout' }));
      sock.destroy();
      return;
    }
    // during a key exchange none is sent (it would be queued), but the silence counts all the same
    sendKeepalive(client);
    asked++;
  }, intervalMs);
  timer.unref();
  const stop = () => {
    clearInterval(timer);
    sock.off('data', onData);
  };
  sock.once('close', stop);
}
