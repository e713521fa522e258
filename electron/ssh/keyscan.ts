// ssh-keyscan through Warren's own route: the host key a server presents now, fetched as a login to it
// would be (the same transport — a TCP socket, its ProxyCommand, or a channel from its jump chain's last
// hop — and the same host key algorithms, so the server picks the same key type), then the connection
// is closed before authentication: nothing about the user is ever sent.
import ssh2, { type ConnectConfig } from 'ssh2';
import { WarrenError } from '../../shared/errors.js';
import { visible } from '../../shared/untrusted.js';
import type { ConnectionManager, Endpoint } from './connections.js';
import { channelTo, throughHop } from './connections.js';
import type { Transport } from './connect-spec.js';
import { closedDuringLogin, floodedError, loginError } from './errors.js';
import { algorithmOffer, trustOf } from './hostkey.js';
import { firstWords, textOf, watchIdentification } from './ident.js';
import { keyTypeOf } from './knownhosts.js';
import { nameError, openSocket, runProxyCommand } from './transport.js';

// ssh2 is CommonJS: Node's ESM loader sees only its default export
const { Client: SshClient } = ssh2;

export interface ScannedKey {
  key: Buffer;
  /** how it was reached: 'directly', 'through its ProxyCommand', 'through jump host X' */
  route: string;
}

/** The transport a login to the endpoint would use, and what to do once done with it. */
async function transportTo(endpoint: Endpoint, connections: ConnectionManager, timeoutMs: number): Promise<{ sock: Transport; route: string; done(): void }> {
  const { spec, via } = endpoint;
  if (via) {
    const parent = await connections.acquire(via).catch((e: unknown) => Promise.reject(throughHop(e, via)));
    const sock = await channelTo(parent, endpoint, via).catch((e: unknown) => {
      parent.release();
      throw e;
    });
    return { sock, route: `through jump host ${via.label}`, done: () => parent.release() };
  }
  if (spec.proxyCommand !== null) return { sock: runProxyCommand(spec.proxyCommand, spec).stream, route: 'through its ProxyCommand', done: () => {} };
  return { sock: await openSocket(spec.hostname, spec.port, timeoutMs), route: 'directly', done: () => {} };
}

/**
 * The server's host key, once the key exchange proved the server holds it (ssh2 checks the exchange's
 * signature before its 'handshake' event). The key is a checked SSH public key blob (keyTypeOf).
 */
export async function scanHostKey(endpoint: Endpoint, knownHostsFiles: string[], connections: ConnectionManager, timeoutMs = 15_000): Promise<ScannedKey> {
  const { spec } = endpoint;
  const refused = nameError(spec);
  if (refused) throw refused;
  const trust = trustOf(spec, knownHostsFiles);
  const { serverHostKey } = await algorithmOffer(trust.files, trust.host, trust.port);
  const { sock, route, done } = await transportTo(endpoint, connections, timeoutMs);
  const client = new SshClient();
  try {
    const key = await new Promise<Buffer>((resolve, reject) => {
      let offered: Buffer | null = null;
      const timer = setTimeout(
        () => reject(new WarrenError('HANDSHAKE', `${spec.hostname}:${spec.port} did not finish the key exchange within ${timeoutMs / 1000} s.`)),
        timeoutMs,
      );
      const settle = (e: WarrenError | null) => {
        clearTimeout(timer);
        if (e) reject(e);
        else if (offered) resolve(offered);
      };
      // ssh2 reads text before the identification line without end: a server that floods it is given up on, as in a login
      watchIdentification(sock, (seen) => {
        if (seen.flooded) settle(floodedError(spec, visible(textOf(firstWords(seen) ?? '').slice(0, 120))));
      });
      client.on('handshake', () => settle(null));
      client.on('error', (err: Error) => settle(loginError(err, spec, null)));
      client.on('close', () => settle(closedDuringLogin(spec)));
      const config: ConnectConfig = {
        sock,
        username: spec.user,
        ...(serverHostKey && { algorithms: { serverHostKey } }),
        hostVerifier: ((key: Buffer) => {
          try {
            keyTypeOf(key); // a malformed blob is refused: the handshake fails
          } catch {
            return false;
          }
          offered = Buffer.from(key);
          return true;
        }) as unknown as ConnectConfig['hostVerifier'],
        // never reached (the connection ends at 'handshake'), and never with a credential
        authHandler: ((_m: unknown, _p: unknown, next: (a: false) => void) => next(false)) as unknown as ConnectConfig['authHandler'],
      };
      client.connect(config);
    });
    return { key, route };
  } finally {
    client.end();
    sock.destroy();
    done();
  }
}
