// Pure key logic: authorized_keys lines, options, certificate parsing and validity, what a key file
// tells without its passphrase, and where the agent is.
import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { authorizedKeysOptions, certState } from '../../shared/keys.js';
import { agentSocket, OPENSSH_PIPE } from '../../electron/agent/client.js';
import { describeKey, parseCertificateLine } from '../../electron/agent/keyinfo.js';
import { mpint, str, u32 } from '../../electron/agent/wire.js';
import { addLine, findKey, parseAuthorizedLine, removeKey } from '../../electron/keys/authorized.js';
import { sniffPrivateKey, wellFormed } from '../../electron/keys/files.js';

/** a key pair as Warren's generator makes it: ssh2's, minus the malformed ones it sometimes produces */
const gen = (type: 'ed25519' | 'ecdsa' | 'rsa', opts: Record<string, unknown> = {}) => {
  for (;;) {
    const pair = ssh2.utils.generateKeyPairSync(type as 'rsa', { bits: type === 'rsa' ? 3072 : 256, comment: 'me@box', ...opts } as { bits: number });
    if (wellFormed(pair.public)) return pair;
  }
};
const blobOf = (pub: string) => Buffer.from(pub.split(' ')[1]!, 'base64');

describe('authorized_keys lines', () => {
  const a = gen('ed25519').public;
  const b = gen('ecdsa').public;

  it('parses options, quoted strings with spaces and escaped quotes, and leaves comments and junk alone', () => {
    const line = `command="echo \\"hi there\\" ssh-ed25519",from="10.0.0.0/8",no-pty ${a} extra words`;
    expect(parseAuthorizedLine(line)).toEqual({
      options: 'command="echo \\"hi there\\" ssh-ed25519",from="10.0.0.0/8",no-pty',
      blob: blobOf(a),
      comment: 'me@box extra words',
    });
    expect(parseAuthorizedLine(`  ${a}`)).toMatchObject({ options: '', comment: 'me@box' });
    expect(parseAuthorizedLine(`# ${a}`)).toBeNull();
    expect(parseAuthorizedLine('ssh-ed25519 bm90IGEga2V5')).toBeNull(); // the blob's type must match
    expect(parseAuthorizedLine('')).toBeNull();
  });

  it('adds a key once, whatever its comment or options, on a line of its own', () => {
    expect(addLine('', a)).toBe(`${a}\n`);
    expect(addLine(b, a)).toBe(`${b}\n${a}\n`); // a last line without newline gets one
    const withA = `# team keys\nno-pty ${a.replace('me@box', 'other comment')}\n`;
    expect(addLine(withA, a)).toBeNull();
    expect(addLine(withA, `restrict ${a}`)).toBeNull();
    expect(findKey(withA, blobOf(a))?.options).toBe('no-pty');
    expect(() => addLine('', 'not a key')).toThrow();
  });

  it('removes every line of one key and keeps everything else byte for byte', () => {
    const text = `# comment\n${b}\n\nfrom="x" ${a}\n${a}\n`;
    expect(removeKey(text, blobOf(a))).toBe(`# comment\n${b}\n\n`);
    expect(removeKey(text, blobOf(gen('ed25519').public))).toBeNull();
  });

  it('renders options with quoting as sshd reads it', () => {
    expect(authorizedKeysOptions({})).toBe('');
    expect(
      authorizedKeysOptions({
        command: 'say "hi" \\o/',
        from: '10.0.0.0/8,!10.0.0.1',
        noPortForwarding: true,
        noAgentForwarding: true,
        noX11Forwarding: true,
        noPty: true,
      }),
    ).toBe('command="say \\"hi\\" \\\\o/",from="10.0.0.0/8,!10.0.0.1",no-port-forwarding,no-agent-forwarding,no-X11-forwarding,no-pty');
  });
});

describe('key files and blobs', () => {
  it('describes each type and size as ssh-keygen -l does', () => {
    expect(describeKey(blobOf(gen('ed25519').public))).toMatchObject({ algorithm: 'ssh-ed25519', type: 'ED25519', bits: 256, certificate: null });
    expect(describeKey(blobOf(gen('ecdsa', { bits: 521 }).public))).toMatchObject({ algorithm: 'ecdsa-sha2-nistp521', type: 'ECDSA', bits: 521 });
    expect(describeKey(blobOf(gen('rsa', { bits: 4096 }).public))).toMatchObject({ algorithm: 'ssh-rsa', type: 'RSA', bits: 4096 });
  });

  it('tells a private key, its passphrase and its public key without the passphrase', () => {
    const plain = gen('ed25519');
    expect(sniffPrivateKey(plain.private)).toEqual({ encrypted: false, publicBlob: blobOf(plain.public), comment: 'me@box' });
    const locked = gen('ecdsa', { passphrase: 'pw', cipher: 'aes256-ctr' });
    expect(sniffPrivateKey(locked.private)).toEqual({ encrypted: true, publicBlob: blobOf(locked.public), comment: '' });
    expect(
      sniffPrivateKey('-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n'),
    ).toEqual({ encrypted: true, publicBlob: null, comment: '' });
    expect(sniffPrivateKey(plain.public)).toBeNull();
    expect(sniffPrivateKey('-----BEGIN OPENSSH PRIVATE KEY-----\nbm9wZQ==\n-----END OPENSSH PRIVATE KEY-----\n')).toBeNull();
  });
});

describe('certificates', () => {
  const key = blobOf(gen('ed25519').public);
  const ca = blobOf(gen('ed25519').public);
  const u64 = (n: bigint) => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(n);
    return b;
  };
  const strings = (...v: string[]) => str(Buffer.concat(v.map((x) => str(x))));
  /** an ed25519 user certificate as PROTOCOL.certkeys lays it out (the signature is not checked here) */
  const certificate = (after: bigint, before: bigint) =>
    Buffer.concat([
      str('ssh-ed25519-cert-v01@openssh.com'),
      str(Buffer.alloc(32, 7)),
      str(key.subarray(19)), // the public key field of the ed25519 blob
      u64(42n),
      u32(1),
      str('alice@laptop'),
      strings('alice', 'deploy'),
      u64(after),
      u64(before),
      str(Buffer.concat([str('force-command'), str(str('uptime'))])),
      str(Buffer.concat([str('permit-pty'), str(''), str('permit-agent-forwarding'), str('')])),
      str(''),
      str(ca),
      str(Buffer.concat([str('ssh-ed25519'), str(Buffer.alloc(64))])),
    ]);

  it('parses principals, validity, options and the certified key', () => {
    const blob = certificate(1_700_000_000n, 1_700_003_600n);
    const info = describeKey(blob);
    expect(info).toMatchObject({ algorithm: 'ssh-ed25519-cert-v01@openssh.com', type: 'ED25519-CERT', bits: 256, fingerprint: describeKey(key).fingerprint });
    expect(info.certificate?.publicBlob).toEqual(key);
    expect(info.certificate?.info).toEqual({
      algorithm: 'ssh-ed25519-cert-v01@openssh.com',
      kind: 'user',
      keyId: 'alice@laptop',
      serial: '42',
      principals: ['alice', 'deploy'],
      validAfter: 1_700_000_000_000,
      validBefore: 1_700_003_600_000,
      caFingerprint: describeKey(ca).fingerprint,
      criticalOptions: { 'force-command': 'uptime' },
      extensions: ['permit-pty', 'permit-agent-forwarding'],
    });
    const forever = describeKey(certificate(0n, 0xffff_ffff_ffff_ffffn)).certificate!.info;
    expect([forever.validAfter, forever.validBefore]).toEqual([null, null]);
    expect(parseCertificateLine(`ssh-ed25519-cert-v01@openssh.com ${blob.toString('base64')} me`)?.blob).toEqual(blob);
    expect(parseCertificateLine(`ssh-ed25519 ${key.toString('base64')}`)).toBeNull();
  });

  it('says when a certificate is valid, expiring soon, expired or not yet valid', () => {
    const hour = 3_600_000;
    const now = Date.UTC(2026, 0, 1);
    expect(certState({ validAfter: null, validBefore: null }, now)).toEqual({ state: 'valid', message: null });
    expect(certState({ validAfter: now - hour, validBefore: now + 50 * 60_000 }, now).state).toBe('valid');
    // a 1-hour certificate warns in its last quarter
    expect(certState({ validAfter: now - 50 * 60_000, validBefore: now + 10 * 60_000 }, now)).toEqual({
      state: 'expiring',
      message: 'the certificate expires in 10 min (2026-01-01T00:10:00Z); ask your CA for a new one soon',
    });
    // a yearly one a week ahead, not before
    expect(certState({ validAfter: now - 300 * 24 * hour, validBefore: now + 8 * 24 * hour }, now).state).toBe('valid');
    expect(certState({ validAfter: now - 300 * 24 * hour, validBefore: now + 6 * 24 * hour }, now).message).toMatch(/expires in 6 days/);
    expect(certState({ validAfter: now - 2 * hour, validBefore: now - hour }, now)).toEqual({
      state: 'expired',
      message: 'the certificate expired at 2025-12-31T23:00:00Z; ask your CA to sign the key again',
    });
    expect(certState({ validAfter: now + hour, validBefore: null }, now).state).toBe('not-yet-valid');
  });
});

describe('where the agent is', () => {
  const none = () => false;
  it('uses SSH_AUTH_SOCK everywhere it is set', () => {
    expect(agentSocket({ SSH_AUTH_SOCK: '/tmp/ssh-x/agent.1' }, 'linux', none)).toBe('/tmp/ssh-x/agent.1');
    expect(agentSocket({ SSH_AUTH_SOCK: '\\\\.\\pipe\\my-agent' }, 'win32', none)).toBe('\\\\.\\pipe\\my-agent');
  });
  it('has none on Linux and macOS without it', () => {
    expect(agentSocket({}, 'linux', () => true)).toBeUndefined();
    expect(agentSocket({ SSH_AUTH_SOCK: ' ' }, 'darwin', none)).toBeUndefined();
  });
  it('on Windows: the OpenSSH agent pipe when it runs, else Pageant', () => {
    expect(agentSocket({}, 'win32', (p) => p === OPENSSH_PIPE)).toBe('\\\\.\\pipe\\openssh-ssh-agent');
    expect(agentSocket({}, 'win32', none)).toBe('pageant');
  });
});

it('encodes mpints as SSH does', () => {
  expect(mpint(Buffer.from([0, 0, 0x7f]))).toEqual(Buffer.from([0, 0, 0, 1, 0x7f]));
  expect(mpint(Buffer.from([0x80]))).toEqual(Buffer.from([0, 0, 0, 2, 0, 0x80]));
  expect(mpint(Buffer.from([0]))).toEqual(Buffer.from([0, 0, 0, 0]));
});

describe('generated keys', () => {
  it('ssh2 alone sometimes makes an Ed25519 key with 31 bytes; wellFormed tells it apart', () => {
    const good = gen('ed25519').public;
    const [type, b64, comment] = good.split(' ');
    const blob = Buffer.from(b64!, 'base64');
    // the same layout with a 31-byte key, as ssh2 writes it when the key starts with a zero byte
    const short = Buffer.concat([blob.subarray(0, 15), Buffer.from([0, 0, 0, 31]), blob.subarray(20)]);
    expect(wellFormed(good)).toBe(true);
    expect(wellFormed(`${type} ${short.toString('base64')} ${comment}`)).toBe(false);
  });
});
