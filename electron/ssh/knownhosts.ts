// OpenSSH known_hosts: lookups (plain, hashed, wildcard and negated patterns, [host]:port,
// @revoked, @cert-authority) and appends (atomic, to regular files only; hashed on request). Format: sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT".
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { mkdir, open, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ssh2AlgorithmLists } from '../agent/ssh2-internals.js';
import { KNOWN_HOSTS_FILE, readBounded, readIfExists } from '../files/read.js';

/** `SHA256:<base64 without padding>` of the key blob, exactly as `ssh-keygen -lf` prints it */
export function fingerprintSHA256(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** the algorithm name inside an SSH public key blob (first SSH string), e.g. 'ssh-ed25519', 'ecdsa-sha2-nistp256', 'ssh-rsa' */
export function keyTypeOf(keyBlob: Buffer): string {
  const length = keyBlob.length >= 4 ? keyBlob.readUInt32BE(0) : 0;
  const type = keyBlob.toString('latin1', 4, 4 + length);
  if (length === 0 || type.length !== length || !/^[\x21-\x7e]+$/.test(type)) throw new Error('malformed SSH public key blob');
  return type;
}

/** OpenSSH's host string for lookups: 'host' for port 22, '[host]:port' otherwise */
export function knownHostsName(host: string, port: number): string {
  const name = host.toLowerCase(); // ssh(1) lowercases the host name before any lookup
  return port === 22 ? name : `[${name}]:${port}`;
}

export type HostKeyVerdict =
  | { status: 'known'; file: string; line: number }
  /** otherKnownTypes: keys of other types Warren could have checked; unsupportedKnownTypes: keys of types it cannot verify at all (ssh-ed448), so it could not ask for them */
  | { status: 'unknown'; otherKnownTypes: string[]; unsupportedKnownTypes: string[] }
  | { status: 'changed'; file: string; line: number; knownFingerprint: string }
  | { status: 'revoked'; file: string; line: number };

export interface Entry {
  file: string;
  line: number;
  marker: '@revoked' | '@cert-authority' | undefined;
  hosts: string;
  type: string;
  blob: Buffer;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** One known_hosts line, or undefined for comments, blank and malformed lines. */
export function parseLine(text: string, file: string, line: number): Entry | undefined {
  const fields = text.trim().split(/\s+/);
  const marker = fields[0]?.startsWith('@') ? fields.shift() : undefined;
  if (marker !== undefined && marker !== '@revoked' && marker !== '@cert-authority') return undefined;
  const [hosts, type, base64] = fields;
  if (!hosts || hosts.startsWith('#') || !type || !base64 || !BASE64.test(base64)) return undefined;
  const blob = Buffer.from(base64, 'base64');
  try {
    if (keyTypeOf(blob) !== type) return undefined;
  } catch {
    return undefined;
  }
  return { file, line, marker, hosts, type, blob };
}

async function readEntries(files: string[]): Promise<Entry[]> {
  // as ssh does, a file that is missing or cannot be read is skipped; one that is not a regular file or too large too, at once
  const texts = await Promise.all(
    files.map((file) =>
      readBounded(file, KNOWN_HOSTS_FILE).then(
        (b) => b.toString('utf8'),
        () => '',
      ),
    ),
  );
  return files.flatMap((file, i) => (texts[i] ?? '').split('\n').flatMap((text, n) => parseLine(text, file, n + 1) ?? []));
}

function globMatches(pattern: string, name: string): boolean {
  const source = pattern
    .toLowerCase()
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*+/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(name);
}

/** `|1|salt|hash` with hash = HMAC-SHA1(salt, name); a hashed field holds exactly one host. */
export function hashedMatches(field: string, name: string): boolean {
  const [empty, magic, salt, hash, ...rest] = field.split('|');
  if (empty !== '' || magic !== '1' || !salt || !hash || rest.length > 0) return false;
  return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest().equals(Buffer.from(hash, 'base64'));
}

export function hostMatches(hosts: string, name: string): boolean {
  if (hosts.startsWith('|')) return hashedMatches(hosts, name);
  let matched = false;
  for (const pattern of hosts.split(',')) {
    const negated = pattern.startsWith('!');
    if (globMatches(negated ? pattern.slice(1) : pattern, name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/** Plain host-key lines (no marker) that apply to host:port, in file order. */
function hostKeyEntries(entries: Entry[], host: string, port: number): Entry[] {
  const name = knownHostsName(host, port);
  return entries.filter((e) => e.marker === undefined && hostMatches(e.hosts, name));
}

/** Reads every file (missing files are fine, unreadable/malformed lines are skipped, not fatal) and decides. */
export async function checkHostKey(files: string[], host: string, port: number, keyBlob: Buffer): Promise<HostKeyVerdict> {
  const type = keyTypeOf(keyBlob);
  const entries = await readEntries(files);
  // stricter than ssh(1), which only honours @revoked lines whose patterns match the host
  const revoked = entries.find((e) => e.marker === '@revoked' && e.blob.equals(keyBlob));
  if (revoked) return { status: 'revoked', file: revoked.file, line: revoked.line };
  const mine = hostKeyEntries(entries, host, port);
  const known = mine.find((e) => e.blob.equals(keyBlob));
  if (known) return { status: 'known', file: known.file, line: known.line };
  const changed = mine.find((e) => e.type === type);
  if (changed) return { status: 'changed', file: changed.file, line: changed.line, knownFingerprint: fingerprintSHA256(changed.blob) };
  const types = [...new Set(mine.map((e) => e.type))];
  const verifiable = (t: string) => ssh2AlgorithmLists.SUPPORTED_SERVER_HOST_KEY?.includes(t) === true;
  return { status: 'unknown', otherKnownTypes: types.filter(verifiable), unsupportedKnownTypes: types.filter((t) => !verifiable(t)) };
}

/** key types known for the host in those files, in file order without duplicates — used to prefer these algorithms during key exchange, as OpenSSH does */
export async function knownKeyTypes(files: string[], host: string, port: number): Promise<string[]> {
  return [...new Set(hostKeyEntries(await readEntries(files), host, port).map((e) => e.type))];
}

/**
 * Adds `line` at the end of the file, atomically: the file (through symlinks) must be a regular file or
 * not exist (a FIFO or a device is refused, never opened for writing); its bytes are kept as they are,
 * a newline added first where the last line has none, and the whole is written to a temporary file beside
 * it and renamed over it, with its mode (0600 for a new file). `own`, Warren's own file: its directory is
 * made (0700) when missing and the file is 0600 whatever it was; another file (one UserKnownHostsFile
 * names) keeps its mode, and a missing directory is an error, as for ssh.
 */
async function appendLine(file: string, line: string, own: boolean): Promise<void> {
  const real = await realpath(file).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return file; // a new file (or a dangling link: then it is made where the name is)
    throw e;
  });
  if (own) await mkdir(dirname(real), { recursive: true, mode: 0o700 });
  const old = await readIfExists(real, KNOWN_HOSTS_FILE);
  const mode = old === null || own ? 0o600 : (await stat(real)).mode & 0o7777;
  const before = old ?? Buffer.alloc(0);
  const unterminated = before.length > 0 && before[before.length - 1] !== 0x0a;
  const text = Buffer.concat([before, Buffer.from(`${unterminated ? '\n' : ''}${line}`, 'utf8')]);
  const temp = join(dirname(real), `.${basename(real)}.warren-${randomBytes(6).toString('hex')}`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(text);
    await handle.chmod(mode);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, real).catch(async (e: unknown) => {
    await rm(temp, { force: true });
    throw e;
  });
}

/** tail of the pending edits per resolved path: appends and rewrites of one file run one after another */
const fileQueues = new Map<string, Promise<unknown>>();

/** Runs `edit` once every earlier edit of the same file (by resolved path) in this process has finished. */
export function editSerially<T>(file: string, edit: (path: string) => Promise<T>): Promise<T> {
  const path = resolve(file);
  const done = (fileQueues.get(path) ?? Promise.resolve()).then(() => edit(path));
  const tail = done.catch(() => undefined);
  fileQueues.set(path, tail);
  void tail.then(() => {
    if (fileQueues.get(path) === tail) fileQueues.delete(path);
  });
  return done;
}

/** `|1|salt|hash` for the name (host, or [host]:port), as ssh-keygen -H and HashKnownHosts write it */
export function hashedName(name: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

/**
 * Appends `NAME TYPE BASE64` for host:port (NAME hashed with `hash`, as HashKnownHosts yes writes it) to
 * the file, atomically and only to a regular file (appendLine), creating it (0600) if needed; `own`
 * (the default): Warren's own file, see appendLine. Appends and edits of one file are serialised (editSerially).
 */
export async function addKnownHost(file: string, host: string, port: number, keyBlob: Buffer, options: { hash?: boolean; own?: boolean } = {}): Promise<void> {
  // a host that is empty or holds whitespace, commas, wildcards or markers would write other patterns
  if (!/^[^\s,*?!@|#[\]]+$/.test(host)) throw new Error(`invalid host name for known_hosts: ${JSON.stringify(host)}`);
  const name = knownHostsName(host, port);
  const line = `${options.hash ? hashedName(name) : name} ${keyTypeOf(keyBlob)} ${keyBlob.toString('base64')}\n`;
  return editSerially(file, (path) => appendLine(path, line, options.own ?? true));
}
