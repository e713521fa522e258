// Key files on this machine: what a private key file is (without its passphrase), listing, generating
// (ssh2's generator: OpenSSH format, bcrypt KDF + aes256-ctr, as ssh-keygen writes them), importing, and
// changing a passphrase (`ssh-keygen -p`, the passphrases on its stdin, never on its command line).
import { spawn } from 'node:child_process';
import { chmod, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import path from 'node:path';
import ssh2, { type ParsedKey } from 'ssh2';
import { WarrenError } from '../../shared/errors.js';
import type { KeyInfo, KeyType } from '../../shared/keys.js';
import { describeKey, parseCertificateLine, parsePublicLine, publicLine } from '../agent/keyinfo.js';
import { loadPrivateKey } from '../agent/service.js';
import { Reader } from '../agent/wire.js';
import { KEY_FILE, readBounded, readIfExists } from '../files/read.js';

const OPENSSH_MAGIC = 'openssh-key-v1\0';
/** files in ~/.ssh that are never private keys */
const NOT_KEYS = /^(config|known_hosts(\.old)?|authorized_keys2?|environment|rc)$|\.pub$|^\./;

/** the unencrypted header of an OpenSSH private key: its cipher and public key */
function opensshHeader(body: string): { cipher: string; publicBlob: Buffer } | null {
  const raw = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  if (raw.toString('latin1', 0, OPENSSH_MAGIC.length) !== OPENSSH_MAGIC) return null;
  try {
    const r = new Reader(raw.subarray(OPENSSH_MAGIC.length));
    const cipher = r.text();
    r.bytes(); // KDF name
    r.bytes(); // KDF options
    return r.u32() < 1 ? null : { cipher, publicBlob: r.bytes() };
  } catch {
    return null;
  }
}

/** What a private key file tells without its passphrase; null when the text is not a private key. */
export function sniffPrivateKey(text: string): { encrypted: boolean; publicBlob: Buffer | null; comment: string } | null {
  const pem = /^-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----\r?\n([\s\S]*?)-----END /.exec(text.trimStart());
  if (!pem) return null;
  const openssh = pem[1] === 'OPENSSH ';
  const header = openssh ? opensshHeader(pem[2]!) : null;
  if (openssh && !header) return null;
  const encrypted = header ? header.cipher !== 'none' : pem[1] === 'ENCRYPTED ' || /Proc-Type:\s*4,ENCRYPTED/.test(pem[2]!);
  if (encrypted) return { encrypted, publicBlob: header?.publicBlob ?? null, comment: '' };
  const key = ssh2.utils.parseKey(text);
  if (key instanceof Error) return null;
  const k = (Array.isArray(key) ? key[0] : key) as ParsedKey;
  return { encrypted, publicBlob: k.getPublicSSH(), comment: k.comment };
}

/** a key file's text for the key list: '' when it is missing or refused (not a regular file, too large) */
const readText = (file: string) =>
  readBounded(file, KEY_FILE).then(
    (b) => b.toString('utf8'),
    () => '',
  );

/** A private key file as the key manager shows it; null when the file is not a private key. */
export async function readKeyInfo(file: string, folder: KeyInfo['folder']): Promise<KeyInfo | null> {
  const sniffed = sniffPrivateKey(await readText(file));
  if (!sniffed) return null;
  const name = path.basename(file);
  const pub = parsePublicLine(await readText(`${file}.pub`));
  const problems: string[] = [];
  if (pub && sniffed.publicBlob && !pub.blob.equals(sniffed.publicBlob)) problems.push(`${name}.pub holds another key than ${name}`);
  const blob = sniffed.publicBlob ?? pub?.blob ?? null;
  if (!blob) problems.push('its public key cannot be read without the passphrase, and there is no .pub beside it');
  let described = null;
  try {
    described = blob && describeKey(blob);
  } catch {
    problems.push('its public key is malformed');
  }
  const certFile = `${file}-cert.pub`;
  const certText = (await readIfExists(certFile, KEY_FILE).catch(() => null))?.toString('utf8') ?? null;
  const cert = certText === null ? null : parseCertificateLine(certText)?.cert;
  if (certText !== null && !cert) problems.push(`${name}-cert.pub is not an OpenSSH certificate`);
  if (cert && blob && !cert.publicBlob.equals(blob)) problems.push(`${name}-cert.pub certifies another key`);
  const certificate = cert && (!blob || cert.publicBlob.equals(blob)) ? { ...cert.info, file: certFile } : null;
  return {
    path: file,
    name,
    folder,
    algorithm: described?.algorithm ?? null,
    type: described?.type ?? null,
    bits: described?.bits ?? null,
    comment: pub?.comment || sniffed.comment,
    fingerprint: described?.fingerprint ?? null,
    encrypted: sniffed.encrypted,
    hasPublicFile: pub !== null,
    certificate,
    problem: problems.length > 0 ? `${problems.join('; ')}.` : null,
  };
}

/** every private key in a folder (none when it does not exist), by name */
export async function listKeys(dir: string, folder: KeyInfo['folder']): Promise<KeyInfo[]> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => !NOT_KEYS.test(n)).sort();
  const keys = await Promise.all(names.map((n) => readKeyInfo(path.join(dir, n), folder)));
  return keys.filter((k): k is KeyInfo => k !== null);
}

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

/** CONFLICT when any of the files exists: Warren never overwrites a key */
async function refuseExisting(files: string[]): Promise<void> {
  for (const f of files) {
    if (await exists(f)) throw new WarrenError('CONFLICT', `${f} already exists; Warren never overwrites a key file. Choose another name.`, { path: f });
  }
}

/** creates a file that must not exist yet, with exactly this mode (whatever the umask) */
async function createFile(file: string, data: string, mode: number): Promise<void> {
  await writeFile(file, data, { flag: 'wx', mode }).catch((e: NodeJS.ErrnoException) => {
    throw e.code === 'EEXIST' ? new WarrenError('CONFLICT', `${file} already exists; Warren never overwrites a key file.`, { path: file }) : e;
  });
  await chmod(file, mode);
}

/** writes a private key (0600) and its .pub (and -cert.pub, 0644), none of which may exist; all or nothing */
async function writeKeyFiles(file: string, files: { private: string; public: string; cert?: string | undefined }): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const all: [string, string, number][] = [
    [file, files.private, 0o600],
    [`${file}.pub`, files.public, 0o644],
  ];
  if (files.cert !== undefined) all.push([`${file}-cert.pub`, files.cert, 0o644]);
  await refuseExisting(all.map(([f]) => f));
  const created: string[] = [];
  try {
    for (const [f, data, mode] of all) {
      await createFile(f, data, mode);
      created.push(f);
    }
  } catch (e) {
    await Promise.all(created.map((f) => rm(f, { force: true })));
    throw e;
  }
}

/** A generated public key line parses, and an Ed25519 key has its full 32 bytes. */
export function wellFormed(publicLine: string): boolean {
  const blob = parsePublicLine(publicLine)?.blob;
  if (!blob || ssh2.utils.parseKey(publicLine) instanceof Error) return false;
  return !blob.subarray(4, 15).equals(Buffer.from('ssh-ed25519')) || blob.length === 4 + 11 + 4 + 32;
}

export interface GenerateSpec {
  type: KeyType;
  bits?: number | undefined;
  comment?: string | undefined;
  passphrase?: string | undefined;
}

export async function generateKey(file: string, spec: GenerateSpec): Promise<void> {
  await refuseExisting([file, `${file}.pub`]);
  const bits = spec.bits ?? (spec.type === 'rsa' ? 3072 : 256);
  const options = {
    bits,
    comment: spec.comment ?? `${userInfo().username}@${hostname()}`,
    ...(spec.passphrase ? { passphrase: spec.passphrase, cipher: 'aes256-ctr', rounds: 16 } : {}),
  };
  const generate = () =>
    new Promise<{ private: string; public: string }>((resolve, reject) =>
      ssh2.utils.generateKeyPair(spec.type as 'rsa', options as { bits: number }, (err, keys) => (err ? reject(err) : resolve(keys))),
    );
  let pair = await generate();
  // ssh2 drops the leading zero byte of an Ed25519 public key that starts with one (about 1 key in
  // 256), which makes a broken key: such a pair is thrown away and made again
  for (let tries = 1; !wellFormed(pair.public); tries++) {
    if (tries === 8) throw new WarrenError('KEY_FILE', 'Key generation kept producing malformed keys; try again or use ssh-keygen.');
    pair = await generate();
  }
  await writeKeyFiles(file, { private: pair.private, public: `${pair.public}\n` });
}

/** Copies a private key (with its .pub, else one derived from it, and its -cert.pub) to `file`. */
export async function importKey(source: string, file: string, passphrase?: string): Promise<void> {
  const text = (await readBounded(source, KEY_FILE)).toString('utf8');
  const sniffed = sniffPrivateKey(text);
  if (!sniffed) throw new WarrenError('KEY_FILE', `${source} is not a private key (OpenSSH or PEM format).`, { path: source });
  const pubText = (await readIfExists(`${source}.pub`, KEY_FILE))?.toString('utf8') ?? null;
  const pub = pubText === null ? null : parsePublicLine(pubText);
  let blob = sniffed.publicBlob ?? pub?.blob;
  if (!blob) {
    if (passphrase === undefined)
      throw new WarrenError('KEY_FILE', `${source} is encrypted and has no .pub beside it: enter its passphrase so Warren can derive its public key.`, {
        path: source,
        needsPassphrase: true,
      });
    blob = (await loadPrivateKey(source, passphrase)).getPublicSSH();
  }
  const cert = (await readIfExists(`${source}-cert.pub`, KEY_FILE))?.toString('utf8');
  await writeKeyFiles(file, { private: text, public: pub ? pubText! : `${publicLine(blob, sniffed.comment)}\n`, cert });
}

/** `ssh-keygen -p`: the passphrases go to its stdin, in its own session (no terminal to prompt on). */
export async function changePassphrase(file: string, oldPassphrase: string | undefined, newPassphrase: string): Promise<void> {
  const sniffed = sniffPrivateKey((await readBounded(file, KEY_FILE)).toString('utf8'));
  if (!sniffed) throw new WarrenError('KEY_FILE', `${file} is not a private key.`, { path: file });
  if (sniffed.encrypted && oldPassphrase === undefined)
    throw new WarrenError('KEY_FILE', `${file} is protected by a passphrase: enter the current one.`, { path: file, needsPassphrase: true });
  const input = `${sniffed.encrypted ? `${oldPassphrase}\n` : ''}${newPassphrase}\n${newPassphrase}\n`;
  const env: NodeJS.ProcessEnv = { ...process.env, SSH_ASKPASS_REQUIRE: 'never' };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn('ssh-keygen', ['-p', '-f', file], { env, detached: true, stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new WarrenError(
          'KEY_FILE',
          e.code === 'ENOENT' ? 'Changing a passphrase needs ssh-keygen (the OpenSSH client); install it.' : `ssh-keygen could not start: ${e.message}`,
        ),
      ),
    );
    child.once('close', (c) => resolve({ code: c, stderr: err }));
    child.stdin.on('error', () => {}).end(input);
  });
  if (code === 0) return;
  const said = stderr.replace(/Enter [^:]*: ?/g, '').trim();
  if (/incorrect passphrase|bad passphrase/i.test(said)) throw new WarrenError('KEY_FILE', `The current passphrase for ${file} is wrong.`, { path: file });
  throw new WarrenError('KEY_FILE', `ssh-keygen -p failed for ${file}: ${said || `exit status ${code}`}`, { path: file });
}
