// Whether to trust the server, decided in ssh2's hostVerifier: before any credential is sent (ssh2
// starts authentication only once the verifier says yes), the key is checked against the known_hosts
// files; an unknown key is shown to the user (type and SHA256 fingerprint) and added to Warren's own
// file when accepted; a changed or @revoked key is refused with the reason. knownhosts.ts reads and
// writes the files; this module makes the decision.
import type { ConnectConfig } from 'ssh2';
import { ssh2AlgorithmLists } from '../agent/ssh2-internals.js';
import { WarrenError } from '../../shared/errors.js';
import type { ConnectDeps, ConnectSpec, Connected } from './connect-spec.js';
import { addKnownHost, checkHostKey, fingerprintSHA256, keyTypeOf, knownKeyTypes, type HostKeyVerdict } from './knownhosts.js';
import { KEX_OFFER } from './pq/kex.js';

/** OpenSSH's host key algorithms in its order of preference (KEX_DEFAULT_PK_ALG in myproposal.h, OpenSSH 9), then the two it dropped from its defaults (ssh-rsa in 8.8, ssh-dss in 7.0) and ssh2 still has */
const OPENSSH_ORDER = [
  'ssh-ed25519-cert-v01@openssh.com',
  'ecdsa-sha2-nistp256-cert-v01@openssh.com',
  'ecdsa-sha2-nistp384-cert-v01@openssh.com',
  'ecdsa-sha2-nistp521-cert-v01@openssh.com',
  'sk-ssh-ed25519-cert-v01@openssh.com',
  'sk-ecdsa-sha2-nistp256-cert-v01@openssh.com',
  'rsa-sha2-512-cert-v01@openssh.com',
  'rsa-sha2-256-cert-v01@openssh.com',
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
  'ssh-dss',
];

/** the key type a known_hosts line holds for a host key algorithm: a certificate's is its key's, rsa-sha2-* sign with an ssh-rsa key */
function keyTypeFor(algorithm: string): string {
  const cert = /^(.+)-cert-v01@openssh\.com$/.exec(algorithm)?.[1];
  const plain = cert === undefined ? algorithm : cert.startsWith('sk-') ? `${cert}@openssh.com` : cert;
  return plain.startsWith('rsa-sha2-') ? 'ssh-rsa' : plain;
}

/**
 * The host key algorithms to offer, as OpenSSH orders them (order_hostkeyalgs in sshconnect2.c): every
 * algorithm for a key type known for this host first, in OpenSSH's order of preference (Ed25519, ECDSA,
 * RSA; not the known_hosts file's order: `ssh-keyscan` writes RSA first), then the implementation's
 * defaults. Only algorithms `supported` holds are offered: a known type it lacks (`ssh-ed448`,
 * security-key types) is returned in `skipped` instead, since offering it made ssh2 throw before the
 * handshake. Undefined `algorithms`: no known type is supported, the defaults as they are.
 */
export function orderHostKeyAlgorithms(
  knownTypes: string[],
  supported: readonly string[],
  defaults: readonly string[],
): { algorithms: string[] | undefined; skipped: string[] } {
  const known = new Set(knownTypes);
  const first = OPENSSH_ORDER.filter((a) => supported.includes(a) && known.has(keyTypeFor(a)));
  const covered = new Set(first.map(keyTypeFor));
  const skipped = knownTypes.filter((t) => !covered.has(t));
  return { algorithms: first.length === 0 ? undefined : [...new Set([...first, ...defaults])], skipped };
}

/**
 * What Warren offers this host, as ssh2's ConnectConfig wants it: the key exchanges of KEX_OFFER
 * (post-quantum first) and orderHostKeyAlgorithms for this host with ssh2's lists; a skipped known type
 * is said in the session log.
 */
export async function algorithmOffer(
  knownHostsFiles: string[],
  hostname: string,
  port: number,
  log: (line: string) => void = () => {},
): Promise<NonNullable<ConnectConfig['algorithms']>> {
  const { SUPPORTED_SERVER_HOST_KEY: supported = [], DEFAULT_SERVER_HOST_KEY: defaults = [] } = ssh2AlgorithmLists;
  const { algorithms, skipped } = orderHostKeyAlgorithms(await knownKeyTypes(knownHostsFiles, hostname, port), supported, defaults);
  const offered = algorithms ?? defaults;
  for (const type of skipped) {
    log(`known_hosts lists an ${type} key for this host, which Warren cannot verify; using ${offered.join(', ')}`);
  }
  return { kex: [...KEX_OFFER] as never, ...(algorithms && { serverHostKey: algorithms as never }) };
}

/** Why Warren refuses a revoked or a changed host key; for a changed one, the MITM warning and the `ssh-keygen -R` line that removes the old key. */
export function hostKeyRefusal(
  verdict: Extract<HostKeyVerdict, { status: 'revoked' | 'changed' }>,
  spec: Pick<ConnectSpec, 'hostname' | 'port'>,
  type: string,
  fingerprint: string,
): WarrenError {
  const name = spec.port === 22 ? spec.hostname : `[${spec.hostname}]:${spec.port}`;
  if (verdict.status === 'revoked') {
    return new WarrenError(
      'HOST_KEY_REVOKED',
      `The ${type} host key of ${name} (${fingerprint}) is marked @revoked in ${verdict.file}:${verdict.line}. Warren will not connect. Ask the server's administrator for its current key.`,
      { fingerprint, file: verdict.file, line: verdict.line },
    );
  }
  return new WarrenError(
    'HOST_KEY_CHANGED',
    `REMOTE HOST IDENTIFICATION HAS CHANGED for ${name}. The server now presents the ${type} key ${fingerprint}, but ${verdict.file}:${verdict.line} holds ${verdict.knownFingerprint}. Someone could be intercepting the connection (a man-in-the-middle attack), or the server was reinstalled. Nothing was sent to it. If you know the key changed legitimately, remove the old line (ssh-keygen -R "${name}" -f "${verdict.file}") and connect again.`,
    { fingerprint, knownFingerprint: verdict.knownFingerprint, file: verdict.file, line: verdict.line, name },
  );
}

/** The verdict on the server's key: known, accepted by the user (then recorded), or a HOST_KEY_* error. */
export async function verifyHostKey(
  key: Buffer,
  spec: Pick<ConnectSpec, 'hostname' | 'port'>,
  deps: Pick<ConnectDeps, 'knownHostsFiles' | 'prompter'>,
  log: (line: string) => void,
): Promise<Connected['hostKey']> {
  const type = keyTypeOf(key);
  const fingerprint = fingerprintSHA256(key);
  const verdict = await checkHostKey(deps.knownHostsFiles, spec.hostname, spec.port, key);
  const name = spec.port === 22 ? spec.hostname : `[${spec.hostname}]:${spec.port}`;
  log(`Server host key: ${type} ${fingerprint}: ${verdict.status}${'file' in verdict ? ` (${verdict.file}:${verdict.line})` : ''}`);
  switch (verdict.status) {
    case 'known':
      return { type, fingerprint };
    case 'unknown': {
      const answer = await deps.prompter.ask({
        kind: 'hostkey',
        host: spec.hostname,
        port: spec.port,
        keyType: type,
        fingerprint,
        otherKnownTypes: verdict.otherKnownTypes,
        unsupportedKnownTypes: verdict.unsupportedKnownTypes,
      });
      if (!('accept' in answer) || !answer.accept) {
        throw new WarrenError('HOST_KEY_REJECTED', `You did not accept the ${type} host key ${fingerprint} of ${name}, so Warren did not connect.`, {
          fingerprint,
        });
      }
      await addKnownHost(deps.knownHostsFiles.at(-1)!, spec.hostname, spec.port, key);
      log(`You accepted the host key; added to ${deps.knownHostsFiles.at(-1)}`);
      return { type, fingerprint };
    }
    default:
      throw hostKeyRefusal(verdict, spec, type, fingerprint);
  }
}

export interface VerifierEvents {
  verified(hostKey: Connected['hostKey']): void;
  refused(e: WarrenError): void;
  /** the login is over already (failed, timed out): then ssh2 is gone and must not be told */
  settled(): boolean;
}

/**
 * ssh2's hostVerifier for one connection: at login, verifyHostKey's verdict, told to ssh2 (and to `on`)
 * when it comes. ssh2 asks again at every key re-exchange (the server's RekeyLimit, or a long session):
 * then the server must show the key it logged in with, as OpenSSH requires; nobody is asked, and another
 * key ends the connection (the reconnect then meets the full check).
 */
export function hostVerifier(
  spec: Pick<ConnectSpec, 'hostname' | 'port'>,
  deps: Pick<ConnectDeps, 'knownHostsFiles' | 'prompter'>,
  log: (line: string) => void,
  on: VerifierEvents,
): ConnectConfig['hostVerifier'] {
  let accepted: Buffer | null = null;
  return ((key: Buffer, verify: (ok: boolean) => void) => {
    if (accepted) {
      const same = key.equals(accepted);
      if (!same)
        log('The server showed another host key when the session keys were renewed: the connection is closed (a reconnect checks the new key in full)');
      return verify(same);
    }
    // the connection may have failed (timed out, closed) while the user was asked: then ssh2 is gone
    verifyHostKey(key, spec, deps, log)
      .then((k) => {
        accepted = Buffer.from(key);
        on.verified(k);
        if (!on.settled()) verify(true);
      })
      .catch((e: unknown) => {
        on.refused(e instanceof WarrenError ? e : new WarrenError('HOST_KEY_REJECTED', String(e)));
        if (!on.settled()) verify(false);
      });
  }) as unknown as ConnectConfig['hostVerifier'];
}
