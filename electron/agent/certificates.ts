// OpenSSH user certificates for ssh2, which lacks them (ssh2 issue #551).
//
// A certificate login offers the certificate blob under the certificate's algorithm name
// (`ssh-ed25519-cert-v01@openssh.com`) but signs with the plain key, and the signature names the plain
// algorithm (`ssh-ed25519`). ssh2's Protocol.authPK() writes one name for both, so OpenSSH refuses the
// signature. This module wraps authPK() at run time (no patched node_modules): for a key made by
// certKey() it writes the request itself, with the two names; every other key goes to ssh2's own
// authPK() untouched (the wrapping itself, and the ssh2 internals it needs, are in ./ssh2-internals.ts).
// RSA certificates are offered as `rsa-sha2-512-cert-v01@openssh.com` and signed
// with SHA-512 (OpenSSH no longer accepts SHA-1 `ssh-rsa`). Tested against a real sshd with
// TrustedUserCAKeys (test/integration/keys.test.ts) for Ed25519, ECDSA and RSA, from files and the agent.
import type { ParsedKey } from 'ssh2';
import { certState } from '../../shared/keys.js';
import { KEY_FILE, readIfExists } from '../files/read.js';
import { describeKey, parseCertificateLine } from './keyinfo.js';
import { convertSignature, wrapAuthPK } from './ssh2-internals.js';
import { str } from './wire.js';

interface CertMark {
  /** offered as: the certificate's algorithm (for RSA, its SHA-512 variant) */
  algorithm: string;
  /** the signature's algorithm */
  signatureAlgorithm: string;
  /** the plain key's type, for ssh2's signature conversion (ECDSA: DER to SSH) */
  baseType: string;
  blob: Buffer;
}

const CERT = Symbol('warren.certificate');
type CertKey = ParsedKey & { [CERT]: CertMark };

/** the certificate a key made by certKey() carries, else undefined */
export const certMarkOf = (key: unknown): CertMark | undefined => (key as Partial<CertKey> | null)?.[CERT];

/**
 * The certificate as a key ssh2 can log in with (a key file's private key, or an agent identity's public
 * key): it behaves as `base` (same private key, so ssh2 signs with it) but presents the certificate.
 */
export function certKey(base: ParsedKey, certBlob: Buffer): ParsedKey {
  const rsa = base.type === 'ssh-rsa';
  const mark: CertMark = {
    algorithm: rsa ? 'rsa-sha2-512-cert-v01@openssh.com' : describeKey(certBlob).algorithm,
    signatureAlgorithm: rsa ? 'rsa-sha2-512' : base.type,
    baseType: base.type,
    blob: certBlob,
  };
  return Object.create(base, {
    [CERT]: { value: mark },
    type: { value: mark.algorithm },
    getPublicSSH: { value: () => certBlob },
    sign: { value: (data: Buffer) => base.sign(data, rsa ? 'sha512' : undefined) },
  }) as ParsedKey;
}

type SignCallback = (data: Buffer, done: (signature: Buffer) => void) => void;

const USERAUTH_REQUEST = 50;
wrapAuthPK((request, user, key, keyAlgo, cbSign) => {
  const mark = certMarkOf(key);
  if (!mark) return false;
  const sign = (typeof keyAlgo === 'function' ? keyAlgo : cbSign) as SignCallback | undefined;
  const payload = (signed: boolean) =>
    Buffer.concat([
      Buffer.from([USERAUTH_REQUEST]),
      str(user),
      str('ssh-connection'),
      str('publickey'),
      Buffer.from([signed ? 1 : 0]),
      str(mark.algorithm),
      str(mark.blob),
    ]);
  if (!sign) {
    request.send(payload(false));
    return true;
  }
  const body = payload(true);
  sign(Buffer.concat([str(request.sessionID), body]), (signature) => {
    const raw = convertSignature(signature, mark.baseType);
    if (!raw) throw new Error('Error while converting handshake signature');
    request.send(Buffer.concat([body, str(Buffer.concat([str(mark.signatureAlgorithm), str(raw)]))]));
  });
  return true;
});

/**
 * The certificate beside a key file (`KEY-cert.pub`, as ssh looks for it): null when there is none;
 * else the key to offer (null when it cannot be used) and a line saying why, or how long it is valid.
 */
export async function certificateFor(keyFile: string, key: ParsedKey, file = `${keyFile}-cert.pub`): Promise<{ key: ParsedKey | null; note: string } | null> {
  const data = await readIfExists(file, KEY_FILE).catch((e: Error) => e);
  if (data === null) return null;
  if (data instanceof Error) return { key: null, note: data.message.replace(/\.$/, '') };
  const parsed = parseCertificateLine(data.toString('utf8'));
  if (!parsed) return { key: null, note: `${file} is not an OpenSSH certificate` };
  const { cert, blob } = parsed;
  if (!cert.publicBlob.equals(key.getPublicSSH())) return { key: null, note: `${file} certifies another key than ${keyFile}` };
  if (cert.info.kind !== 'user') return { key: null, note: `${file} is a host certificate, not a user certificate` };
  const { state, message } = certState(cert.info);
  const who = cert.info.principals.length > 0 ? `principals ${cert.info.principals.join(', ')}` : 'any principal';
  if (state === 'expired' || state === 'not-yet-valid') return { key: null, note: `${file}: ${message}` };
  const until = cert.info.validBefore === null ? 'forever' : `until ${new Date(cert.info.validBefore).toISOString()}`;
  return { key: certKey(key, blob), note: `${file}: certificate "${cert.info.keyId}" for ${who}, valid ${until}${message ? `; ${message}` : ''}` };
}
