// SSH servers nobody here wrote, started like the harness starts sshd (issue 16): Debian's Dropbear
// (`dropbear-bin`) and TinySSH (`tinysshd`, run per connection by ucspi-tcp's `tcpserver`, as its
// documentation says). Both log in a user of their own, `warren-interop`, whose ~/.ssh/authorized_keys
// is real (neither server can be pointed elsewhere), so no other suite's user is touched.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { alive, canConnect, ensureUser, freePort, killTree, makeKey, tempDir, trackServer, untrackServer, waitFor, type TestKey } from './ssh.js';

export const INTEROP_USER = 'warren-interop';
export const INTEROP_PASSWORD = 'warren-interop-pw-3Kd9';

export interface OtherServer {
  readonly name: 'Dropbear' | 'TinySSH';
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly pid: number;
  readonly user: string;
  readonly home: string;
  /** an Ed25519 key (the one type both take) in the user's authorized_keys */
  readonly key: TestKey;
  /** SHA256:… of the server's Ed25519 host key, as ssh prints it */
  readonly hostKeyFingerprint: string;
  log(): Promise<string>;
  stop(): Promise<void>;
}

let clientKey: Promise<{ key: TestKey; home: string }> | undefined;

/** the interop user, with one client key authorized in ~/.ssh (0700/0600, owned by the user: both servers check) */
function interopUser(): Promise<{ key: TestKey; home: string }> {
  return (clientKey ??= (async () => {
    const { home } = await ensureUser(INTEROP_USER, INTEROP_PASSWORD);
    const key = await makeKey(await tempDir('warren-interop-key-'));
    const { uid, gid } = await stat(home);
    const sshDir = join(home, '.ssh');
    await mkdir(sshDir, { recursive: true });
    await writeFile(join(sshDir, 'authorized_keys'), `${key.pub}\n`);
    for (const [p, mode] of [
      [sshDir, 0o700],
      [join(sshDir, 'authorized_keys'), 0o600],
    ] as const) {
      await chown(p, uid, gid);
      await chmod(p, mode);
    }
    return { key, home };
  })());
}

/** "SHA256:…" of an Ed25519 public key given as its 32 raw bytes */
function ed25519Fingerprint(raw: Buffer): string {
  const str = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  const blob = Buffer.concat([str(Buffer.from('ssh-ed25519')), str(raw)]);
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

function runOk(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} failed (exit ${code}): ${out.trim()}`))));
  });
}

/** Runs a server in the foreground, its output to `logFile`; resolves once it accepts TCP on `port`. */
async function launch(
  name: OtherServer['name'],
  cmd: string,
  args: string[],
  port: number,
  logFile: string,
  extra: Omit<OtherServer, 'name' | 'host' | 'port' | 'pid' | 'log' | 'stop'>,
): Promise<OtherServer> {
  const fd = openSync(logFile, 'a');
  const child = spawn(cmd, args, { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  child.unref();
  let exited = false;
  child.once('exit', () => (exited = true));
  const pid = await new Promise<number>((resolve, reject) => {
    child.once('spawn', () => resolve(child.pid ?? 0));
    child.once('error', reject);
  });
  const log = async () => (await readFile(logFile, 'utf8').catch(() => '')).replace(/\r\n/g, '\n');
  const server: OtherServer = {
    name,
    host: '127.0.0.1',
    port,
    pid,
    log,
    ...extra,
    async stop() {
      untrackServer(server);
      const all = killTree(pid);
      await waitFor(`${name} processes to exit`, () => !all.some(alive));
    },
  };
  trackServer(server);
  await waitFor(`${name} to accept TCP on port ${port}`, async () => {
    if (exited) throw new Error(`${name} exited at start: ${(await log()).trim()}`);
    return canConnect(port);
  });
  return server;
}

/** Dropbear in the foreground (-F), logging to a file (-E), an Ed25519 host key; `args` adds options (e.g. '-j' no local forwarding). */
export async function startDropbear(opts: { args?: string[] } = {}): Promise<OtherServer> {
  const { key, home } = await interopUser();
  const dir = await tempDir('warren-dropbear-');
  const hostKey = join(dir, 'dropbear_ed25519_host_key');
  await runOk('dropbearkey', ['-t', 'ed25519', '-f', hostKey]);
  const shown = await runOk('dropbearkey', ['-y', '-f', hostKey]);
  const hostKeyFingerprint = /Fingerprint: (SHA256:\S+)/.exec(shown)?.[1];
  if (!hostKeyFingerprint) throw new Error(`dropbearkey -y printed no SHA256 fingerprint: ${shown}`);
  const port = await freePort();
  return launch(
    'Dropbear',
    '/usr/sbin/dropbear',
    ['-F', '-E', '-m', '-p', `127.0.0.1:${port}`, '-r', hostKey, '-P', join(dir, 'dropbear.pid'), ...(opts.args ?? [])],
    port,
    join(dir, 'dropbear.log'),
    {
      user: INTEROP_USER,
      home,
      key,
      hostKeyFingerprint,
    },
  );
}

/** TinySSH under tcpserver (-H no DNS, -R no ident, -D no Nagle delay, -l0 no local name), with OpenSSH's sftp-server as its sftp subsystem. */
export async function startTinysshd(): Promise<OtherServer> {
  const { key, home } = await interopUser();
  const dir = await tempDir('warren-tinyssh-');
  const keyDir = join(dir, 'keys');
  await runOk('tinysshd-makekey', [keyDir]);
  const hostKeyFingerprint = ed25519Fingerprint(await readFile(join(keyDir, 'ed25519.pk')));
  const port = await freePort();
  return launch(
    'TinySSH',
    '/usr/bin/tcpserver',
    ['-HRDl0', '127.0.0.1', String(port), '/usr/sbin/tinysshd', '-v', '-x', 'sftp=/usr/lib/openssh/sftp-server', keyDir],
    port,
    join(dir, 'tinysshd.log'),
    {
      user: INTEROP_USER,
      home,
      key,
      hostKeyFingerprint,
    },
  );
}
