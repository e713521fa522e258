// What a public key blob is: its type and size as ssh-keygen names them, its fingerprint, and for an
// OpenSSH certificate (PROTOCOL.certkeys) the certified key, principals and validity.
import type { CertInfo } from '../../shared/keys.js';
import { fingerprint, Reader, str } from './wire.js';

const CERT_SUFFIX = '-cert-v01@openssh.com';
const FOREVER = 0xffff_ffff_ffff_ffffn;

export interface PublicKeyInfo {
  algorithm: string;
  /** as `ssh-keygen -l` prints it: ED25519, ECDSA, RSA, DSA, ED25519-SK, ECDSA-SK, with -CERT for a certificate */
  type: string;
  bits: number | null;
  /** of the key itself (for a certificate: of the certified key, as ssh-keygen and ssh-add show it) */
  fingerprint: string;
  certificate: Certificate | null;
}

export interface Certificate {
  info: Omit<CertInfo, 'file'>;
  /** the certified key's own blob */
  publicBlob: Buffer;
}

/** the public key fields each base type carries, in its blob and in a certificate */
const FIELDS: Record<string, number> = {
  'ssh-ed25519': 1,
  'ssh-rsa': 2,
  'ssh-dss': 4,
  'ecdsa-sha2-nistp256': 2,
  'ecdsa-sha2-nistp384': 2,
  'ecdsa-sha2-nistp521': 2,
  'sk-ssh-ed25519@openssh.com': 2,
  'sk-ecdsa-sha2-nistp256@openssh.com': 3,
};

/** `ssh-ed25519-cert-v01@openssh.com` → `ssh-ed25519`; `sk-ssh-ed25519-cert-v01@openssh.com` → `sk-ssh-ed25519@openssh.com` */
function baseAlgorithm(certAlgorithm: string): string {
  const base = certAlgorithm.slice(0, -CERT_SUFFIX.length);
  return base.startsWith('sk-') ? `${base}@openssh.com` : base;
}

function bitLength(n: Buffer): number {
  let i = 0;
  while (i < n.length && n[i] === 0) i++;
  return i === n.length ? 0 : (n.length - i - 1) * 8 + n[i]!.toString(2).length;
}

function typeAndBits(algorithm: string, fields: Buffer[]): { type: string; bits: number | null } {
  if (algorithm === 'ssh-ed25519') return { type: 'ED25519', bits: 256 };
  if (algorithm === 'ssh-rsa') return { type: 'RSA', bits: bitLength(fields[1]!) };
  if (algorithm === 'ssh-dss') return { type: 'DSA', bits: bitLength(fields[0]!) };
  if (algorithm.startsWith('ecdsa-sha2-nistp')) return { type: 'ECDSA', bits: Number(algorithm.slice(16)) };
  if (algorithm.startsWith('sk-ssh-ed25519')) return { type: 'ED25519-SK', bits: 256 };
  if (algorithm.startsWith('sk-ecdsa')) return { type: 'ECDSA-SK', bits: 256 };
  return { type: algorithm.toUpperCase(), bits: null };
}

const seconds = (s: bigint): number => Number(s) * 1000;

function parseCertificate(algorithm: string, r: Reader): Certificate {
  const base = baseAlgorithm(algorithm);
  const count = FIELDS[base];
  if (count === undefined) throw new Error(`unknown certificate type ${algorithm}`);
  r.bytes(); // nonce
  const fields = Array.from({ length: count }, () => r.bytes());
  const serial = r.u64();
  const kind = r.u32() === 2 ? 'host' : 'user';
  const keyId = r.text();
  const principals = r.list();
  const after = r.u64();
  const before = r.u64();
  const pairs = (data: Buffer) => {
    const inner = new Reader(data);
    const out: [string, string][] = [];
    while (!inner.done) {
      const name = inner.text();
      const value = inner.bytes();
      out.push([name, value.length > 0 ? new Reader(value).text() : '']);
    }
    return out;
  };
  const criticalOptions = Object.fromEntries(pairs(r.bytes()));
  const extensions = pairs(r.bytes()).map(([name]) => name);
  r.bytes(); // reserved
  const caKey = r.bytes();
  return {
    info: {
      algorithm,
      kind,
      keyId,
      serial: serial.toString(),
      principals,
      validAfter: after === 0n ? null : seconds(after),
      validBefore: before === FOREVER ? null : seconds(before),
      caFingerprint: fingerprint(caKey),
      criticalOptions,
      extensions,
    },
    // the key's own blob: its type, then the same fields as in the certificate (mpints stay as they are)
    publicBlob: Buffer.concat([str(base), ...fields.map((f) => str(f))]),
  };
}

/** Describes a public key or certificate blob; throws on a malformed one. */
export function describeKey(blob: Buffer): PublicKeyInfo {
  const r = new Reader(blob);
  const algorithm = r.text();
  if (algorithm.endsWith(CERT_SUFFIX)) {
    const certificate = parseCertificate(algorithm, r);
    const plain = describeKey(certificate.publicBlob);
    return { ...plain, algorithm, type: `${plain.type}-CERT`, certificate };
  }
  const fields = Array.from({ length: FIELDS[algorithm] ?? 0 }, () => r.bytes());
  return { algorithm, ...typeAndBits(algorithm, fields), fingerprint: fingerprint(blob), certificate: null };
}

/** `type base64 [comment]` (a .pub file, a -cert.pub file); null when the text is not one */
export function parsePublicLine(text: string): { blob: Buffer; comment: string } | null {
  const m = /^\s*(\S+)\s+([A-Za-z0-9+/]+={0,2})(?:\s+(.*?))?\s*$/.exec(text.split('\n')[0] ?? '');
  if (!m) return null;
  const blob = Buffer.from(m[2]!, 'base64');
  try {
    if (new Reader(blob).text() !== m[1]) return null;
  } catch {
    return null;
  }
  return { blob, comment: m[3] ?? '' };
}

/** the certificate a `-cert.pub` text holds; null when it holds none */
export function parseCertificateLine(text: string): { blob: Buffer; cert: Certificate } | null {
  const line = parsePublicLine(text);
  try {
    const cert = line && describeKey(line.blob).certificate;
    return cert ? { blob: line.blob, cert } : null;
  } catch {
    return null;
  }
}

/** the `.pub` line of a blob */
export const publicLine = (blob: Buffer, comment: string): string => `${describeKey(blob).algorithm} ${blob.toString('base64')}${comment ? ` ${comment}` : ''}`;
