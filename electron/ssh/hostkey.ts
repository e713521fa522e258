// Whether to trust the server, decided in ssh2's hostVerifier: before any credential is sent (ssh2
// starts authentication only once the verifier says yes), the key is checked against the known_hosts
// files; an unknown key is shown to the user (type and SHA256 fingerprint) and added to Warren's own
// file when accepted; a changed or @revoked key is refused with the reason. For a name resolved through
// ssh_config, its UserKnownHostsFile, GlobalKnownHostsFile, HostKeyAlias, HashKnownHosts,
// StrictHostKeyChecking and BatchMode apply as ssh applies them (trustOf, verifyHostKey), except that a
// changed key is refused whatever StrictHostKeyChecking says. knownhosts.ts reads and
// writes the files; this module makes the decision.
import type { ConnectConfig } from 'ssh2';
import { ssh2AlgorithmLists } from '../agent/ssh2-internals.js';
import { WarrenError } from '../../shared/errors.js';
import type { ConnectDeps, ConnectSpec, Connected } from './connect-spec.js';
import { addKnownHost, checkHostKey, fingerprintSHA256, keyTypeOf, knownHostsName, knownKeyTypes, type HostKeyVerdict } from './knownhosts.js';
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
  // hostname and port: the name looked up (trustOf: HostKeyAlias, or the host and port)
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

/** Where a connection's host keys are looked up and recorded, and under which name: as its ssh_config says (spec.sshOptions), else Warren's defaults. */
export interface Trust {
  /** the known_hosts files read, in order */
  files: string[];
  /** where a key the user accepts (or StrictHostKeyChecking accept-new / no records) goes; null for UserKnownHostsFile none */
  addTo: string | null;
  /** addTo is Warren's own file (kept 0600, its folder made when missing) */
  own: boolean;
  /** the name looked up and written: the host and port, or HostKeyAlias (then without a port, as ssh does) */
  host: string;
  port: number;
}

/**
 * The files and the name for this connection. A saved host, or a name whose config sets no
 * UserKnownHostsFile: `defaults` (~/.ssh/known_hosts, then Warren's own, which new keys go to). A
 * UserKnownHostsFile: those files only, new keys to the first (none: nowhere), as ssh. GlobalKnownHostsFile
 * (ssh's /etc/ssh/ssh_known_hosts by default) is read for every name resolved through ssh_config.
 */
export function trustOf(spec: Pick<ConnectSpec, 'hostname' | 'port' | 'sshOptions'>, defaults: string[]): Trust {
  const o = spec.sshOptions;
  const user = o?.userKnownHostsFiles;
  return {
    files: [...(user ?? defaults), ...(o?.globalKnownHostsFiles ?? [])],
    addTo: user ? (user[0] ?? null) : (defaults.at(-1) ?? null),
    own: user === undefined,
    host: o?.hostKeyAlias ?? spec.hostname,
    port: o?.hostKeyAlias ? 22 : spec.port,
  };
}

/** A changed key stays refused whatever StrictHostKeyChecking says; for `no`, the refusal says how Warren differs from ssh. */
function changedDespite(e: WarrenError, strict: string | undefined): WarrenError {
  if (strict !== 'no' || e.code !== 'HOST_KEY_CHANGED') return e;
  return new WarrenError(
    e.code,
    `${e.message} ssh_config sets StrictHostKeyChecking no, which does not change this: OpenSSH would go on with password and keyboard-interactive authentication disabled, but Warren refuses a changed host key whatever the setting.`,
    e.detail,
  );
}

/**
 * The verdict on the server's key: known, accepted (asked, or recorded as StrictHostKeyChecking
 * accept-new / no say), or a HOST_KEY_* error. A changed or revoked key is refused whatever the config.
 */
export async function verifyHostKey(
  key: Buffer,
  spec: Pick<ConnectSpec, 'hostname' | 'port' | 'sshOptions'>,
  deps: Pick<ConnectDeps, 'knownHostsFiles' | 'prompter' | 'onWarning'>,
  log: (line: string) => void,
): Promise<Connected['hostKey']> {
  const type = keyTypeOf(key);
  const fingerprint = fingerprintSHA256(key);
  const trust = trustOf(spec, deps.knownHostsFiles);
  const o = spec.sshOptions;
  const verdict = await checkHostKey(trust.files, trust.host, trust.port, key);
  const name = knownHostsName(trust.host, trust.port);
  const alias = o?.hostKeyAlias ? ` (HostKeyAlias ${o.hostKeyAlias})` : '';
  log(`Server host key: ${type} ${fingerprint}: ${verdict.status}${'file' in verdict ? ` (${verdict.file}:${verdict.line})` : ''}${alias}`);
  if (verdict.status === 'known') return { type, fingerprint };
  if (verdict.status !== 'unknown')
    throw changedDespite(hostKeyRefusal(verdict, { hostname: trust.host, port: trust.port }, type, fingerprint), o?.strictHostKeyChecking);
  const strict = o?.strictHostKeyChecking ?? 'ask';
  const searched = trust.files.length > 0 ? trust.files.join(', ') : 'no file (UserKnownHostsFile none, GlobalKnownHostsFile none)';
  const refuse = (why: string) =>
    new WarrenError('HOST_KEY_REJECTED', `No ${type} host key is known for ${name}${alias} in ${searched}, and ${why}`, { fingerprint, name });
  if (strict === 'yes')
    throw refuse(
      `ssh_config sets StrictHostKeyChecking yes: Warren does not ask and did not connect. The server presents ${fingerprint}; once you have checked it, add it to ${trust.addTo ?? 'a known_hosts file'}.`,
    );
  if (strict === 'ask') {
    if (o?.batchMode) throw refuse(`ssh_config sets BatchMode yes: Warren asks nothing, so it did not ask to trust ${fingerprint} and did not connect.`);
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
  } else if (trust.addTo === null) {
    // as ssh: with nowhere to record it, accept-new and no do not take the key
    throw refuse(
      `ssh_config sets StrictHostKeyChecking ${strict} with UserKnownHostsFile none: there is no file to record it in, so Warren (like ssh) did not connect.`,
    );
  }
  const why = strict === 'ask' ? 'You accepted the host key' : `StrictHostKeyChecking ${strict}: the new host key is accepted`;
  if (trust.addTo === null) {
    log(`${why}; UserKnownHostsFile none: it is not recorded`);
    return { type, fingerprint };
  }
  try {
    await addKnownHost(trust.addTo, trust.host, trust.port, key, { hash: o?.hashKnownHosts === true, own: trust.own });
    log(`${why}; added to ${trust.addTo}${o?.hashKnownHosts ? ' (hashed: HashKnownHosts yes)' : ''}`);
    if (strict !== 'ask') deps.onWarning?.(`Permanently added '${name}' (${type} ${fingerprint}) to the list of known hosts (${trust.addTo}).`);
  } catch (e) {
    // as ssh: the connection goes on, and says it; nothing is written to what is not a regular file
    // (UserKnownHostsFile /dev/null, the usual "record nowhere", is said in the session log only)
    const text = `Failed to add the host to the list of known hosts (${trust.addTo}): ${e instanceof Error ? e.message : String(e)}`;
    log(text);
    if (trust.addTo !== '/dev/null') deps.onWarning?.(text);
  }
  return { type, fingerprint };
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
  spec: Pick<ConnectSpec, 'hostname' | 'port' | 'sshOptions'>,
  deps: Pick<ConnectDeps, 'knownHostsFiles' | 'prompter' | 'onWarning'>,
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
