// SSH wire encoding (RFC 4251 §5): what key blobs, certificates and the agent protocol are made of.
import { createHash } from 'node:crypto';

export class Reader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  private take(n: number): Buffer {
    if (this.pos + n > this.buf.length) throw new Error('truncated SSH data');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  u8(): number {
    return this.take(1)[0]!;
  }
  u32(): number {
    return this.take(4).readUInt32BE(0);
  }
  u64(): bigint {
    return this.take(8).readBigUInt64BE(0);
  }
  /** an SSH `string` (also `mpint`, which callers keep as bytes) */
  bytes(): Buffer {
    return this.take(this.u32());
  }
  text(): string {
    return this.bytes().toString('utf8');
  }
  /** a `string` holding a list of `string`s (certificate principals, option names) */
  list(): string[] {
    const inner = new Reader(this.bytes());
    const out: string[] = [];
    while (!inner.done) out.push(inner.text());
    return out;
  }
}

export const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
export const str = (v: Buffer | string): Buffer => {
  const b = typeof v === 'string' ? Buffer.from(v) : v;
  return Buffer.concat([u32(b.length), b]);
};
/** an unsigned big-endian integer as an SSH `mpint`: no leading zeros, a zero byte when the top bit is set */
export const mpint = (v: Buffer): Buffer => {
  let i = 0;
  while (i < v.length && v[i] === 0) i++;
  const bare = v.subarray(i);
  return str(bare.length > 0 && bare[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bare]) : bare);
};

/** `SHA256:<base64 without padding>` of a key blob, exactly as `ssh-keygen -lf` prints it */
export const fingerprint = (blob: Buffer): string => `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;

/** the algorithm name a key blob starts with */
export const algorithmOf = (blob: Buffer): string => new Reader(blob).text();
