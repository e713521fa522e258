// ssh-copy-id done right: ~/.ssh/authorized_keys edited over SFTP on the host's shared connection
// (no remote shell, so no quoting and any login shell), and a fresh login with the key alone as proof.
import { randomBytes } from 'node:crypto';
import type { Client, SFTPWrapper, Stats } from 'ssh2';
import { WarrenError } from '../../shared/errors.js';
import { connect } from '../ssh/connect.js';
import type { ConnectDeps, Transport } from '../ssh/connect-spec.js';
import type { ConnectionManager, Endpoint } from '../ssh/connections.js';

type Callback<T> = (err: Error | null | undefined, value: T) => void;
const call = <T>(f: (cb: Callback<T>) => void): Promise<T> => new Promise((resolve, reject) => f((err, v) => (err ? reject(err) : resolve(v))));
const NO_SUCH_FILE = 2;
const missing = (e: unknown) => (e as { code?: number }).code === NO_SUCH_FILE;

export interface AuthorizedKeysEdit {
  file: string;
  /** false: the edit found nothing to do */
  changed: boolean;
  /** group/world-writable home, ~/.ssh or file: sshd's StrictModes ignores the keys then */
  warnings: string[];
}

/** as much as any authorized_keys holds (thousands of keys); a file, or a server, that says more is refused */
const MAX_AUTHORIZED_KEYS = 1024 * 1024;

/**
 * The file's text, read in chunks to at most MAX_AUTHORIZED_KEYS: ssh2's readFile believes the size the
 * server reports, and reads until EOF when it says 0, so a hostile server could make it read without end.
 */
async function readBounded(sftp: SFTPWrapper, file: string): Promise<string> {
  const handle = await call<Buffer>((cb) => sftp.open(file, 'r', cb));
  try {
    const chunks: Buffer[] = [];
    for (let at = 0; ;) {
      const buf = Buffer.alloc(64 * 1024);
      const n = await call<number>((cb) => sftp.read(handle, buf, 0, buf.length, at, (err, bytes) => cb(err, bytes)));
      if (n === 0) return Buffer.concat(chunks).toString('utf8');
      chunks.push(buf.subarray(0, n));
      at += n;
      if (at > MAX_AUTHORIZED_KEYS)
        throw new WarrenError('CONFLICT', `${file} on the server is larger than 1 MiB: Warren does not rewrite a file that large; add the key to it by hand.`, {
          reason: 'too-large',
        });
    }
  } finally {
    await call<void>((cb) => sftp.close(handle, cb)).catch(() => {});
  }
}

async function permissionWarnings(sftp: SFTPWrapper, paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const st = await call<Stats>((cb) => sftp.stat(p, cb)).catch(() => null);
    if (st && st.mode & 0o022) {
      out.push(
        `${p} is writable by group or others (mode ${(st.mode & 0o7777).toString(8).padStart(4, '0')}): sshd (StrictModes) ignores the keys; run chmod go-w ${p}`,
      );
    }
  }
  return out;
}

/**
 * Reads the login user's ~/.ssh/authorized_keys ('' when missing), applies `edit`, and writes the result
 * when it returns text: a new file is created 0600 (and ~/.ssh 0700); an existing one is replaced by
 * a complete copy with its mode, renamed over it (posix-rename), so sshd never reads half a file.
 */
export async function editAuthorizedKeys(client: Client, edit: (text: string) => string | null): Promise<AuthorizedKeysEdit> {
  const sftp = await call<SFTPWrapper>((cb) => client.sftp(cb)).catch((e: Error) => {
    throw new WarrenError('CHANNEL', `The server refused an SFTP session, which Warren needs to edit ~/.ssh/authorized_keys: ${e.message}`);
  });
  let step = 'find the home directory';
  try {
    const home = await call<string>((cb) => sftp.realpath('.', cb));
    const dir = `${home.replace(/\/$/, '')}/.ssh`;
    const file = `${dir}/authorized_keys`;
    step = `create ${dir}`;
    await call<void>((cb) => sftp.mkdir(dir, { mode: 0o700 }, cb)).catch(async (e: unknown) => {
      if (!(await call<Stats>((cb) => sftp.stat(dir, cb)).catch(() => null))?.isDirectory()) throw e;
    });
    step = `read ${file}`;
    const st = await call<Stats>((cb) => sftp.stat(file, cb)).catch((e: unknown) => (missing(e) ? null : Promise.reject(e)));
    const text = st ? await readBounded(sftp, file) : '';
    const next = edit(text);
    if (next !== null) {
      step = `write ${file}`;
      if (!st) {
        await call<void>((cb) => sftp.writeFile(file, next, { mode: 0o600, flag: 'wx' }, cb));
      } else {
        const temp = `${file}.warren-${randomBytes(4).toString('hex')}`;
        await call<void>((cb) => sftp.writeFile(temp, next, { mode: st.mode & 0o777, flag: 'wx' }, cb));
        await call<void>((cb) => sftp.ext_openssh_rename(temp, file, cb)).catch(async (e: unknown) => {
          await call<void>((cb) => sftp.unlink(temp, cb)).catch(() => {});
          throw e;
        });
      }
    }
    return { file, changed: next !== null, warnings: await permissionWarnings(sftp, [home, dir, file]) };
  } catch (e) {
    if (e instanceof WarrenError) throw e;
    throw new WarrenError('CHANNEL', `Warren could not ${step} on the server over SFTP: ${(e as Error).message}`, { step });
  } finally {
    sftp.end();
  }
}

export interface LoginDeps {
  connections: ConnectionManager;
  depsFor(endpoint: Endpoint): ConnectDeps;
}

/**
 * Proves a key: a fresh login (not the shared connection) with this key file alone, reached the same
 * way (through the host's jump chain or ProxyCommand). `passphrase` unlocks it; else the user is asked.
 */
export async function proveLogin(endpoint: Endpoint, keyFile: string, passphrase: string | undefined, deps: LoginDeps): Promise<void> {
  const { hostname, port } = endpoint.spec;
  const parent = endpoint.via ? await deps.connections.acquire(endpoint.via) : null;
  try {
    const sock = parent
      ? await new Promise<Transport>((resolve, reject) =>
          parent.client.forwardOut('127.0.0.1', 0, hostname, port, (err, channel) =>
            err
              ? reject(new WarrenError('CHANNEL', `Jump host ${endpoint.via!.label} could not reach ${hostname}:${port}: ${err.message}`))
              : resolve(channel as unknown as Transport),
          ),
        )
      : undefined;
    const { client } = await connect(
      { ...endpoint.spec, auth: 'key', identityFile: keyFile },
      {
        ...deps.depsFor(endpoint),
        agentSocket: undefined,
        secrets: { get: async (kind) => (kind === 'passphrase' ? (passphrase ?? null) : null), save: async () => {} },
        ...(sock ? { sock } : {}),
      },
    );
    client.end();
  } finally {
    parent?.release();
  }
}
