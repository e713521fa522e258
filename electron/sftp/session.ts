import type { Client, ClientChannel, SFTPWrapper } from 'ssh2';
import { WarrenError } from '../../shared/errors.js';
import { sftpOnChannel, sftpRequestLimit } from '../agent/ssh2-internals.js';
import type { ConnectionManager, Endpoint, Lease } from '../ssh/connections.js';
import { isSessionLimit } from '../ssh/errors.js';
import { Slots } from './copy.js';
import type { Files } from './files.js';
import { RemoteFiles } from './remote.js';
import { tuneReceiveWindow } from '../ssh/window.js';

/** data requests in flight per session (shared by every file on it), as `sftp -R 64` */
export const REQUESTS_IN_FLIGHT = 64;
const IDLE_MS = 60_000;
const OPEN_TIMEOUT_MS = 20_000;
/** where distributions put sftp-server (Debian, Fedora, Arch, macOS, others) */
const SFTP_SERVERS = [
  '/usr/lib/openssh/sftp-server',
  '/usr/libexec/openssh/sftp-server',
  '/usr/lib/ssh/sftp-server',
  '/usr/libexec/sftp-server',
  '/usr/lib/sftp-server',
];

export interface SftpSession {
  readonly label: string;
  readonly files: Files;
  /** the session's budget of data requests in flight, each with its buffer */
  readonly slots: Slots;
  /** settles with why, once the session is gone (connection lost, channel closed, closed unused) */
  readonly closed: Promise<WarrenError>;
  /** the connection's round trip in ms, once measured */
  rttMs(): number | null;
  /**
   * Another SFTP channel on the same connection, for one part of a large file (each channel has its
   * own window: on a long link, several carry more than one). Null when the server refuses another
   * session on this connection (MaxSessions, TinySSH), or for SFTP through sudo.
   */
  extraChannel(signal: AbortSignal): Promise<SftpChannel | null>;
}

/** An SFTP channel of its own for a part of a file; close it when the part is done. */
export interface SftpChannel {
  readonly files: Files;
  readonly slots: Slots;
  close(): void;
}

/** data requests in flight on a part's channel: 16 × 255 KiB ≈ 4 MiB, twice sshd's window */
const PART_REQUESTS = 16;
/**
 * The most extra channels a session has open at once, whatever the number of files: OpenSSH's default
 * MaxSessions is 10, and a terminal or two must still find room beside the SFTP session and these.
 */
const MAX_EXTRA_CHANNELS = 7;
/** a channel the server does not answer within this is given up (the part goes on another) */
const EXTRA_OPEN_MS = 15_000;

interface Open {
  session: SftpSession;
  busy: number;
  idle: NodeJS.Timeout | null;
  close(): void;
}

export interface SessionDeps {
  connections: ConnectionManager;
  /** SFTP as this user through sudo (the host's sftpSudo setting), or null */
  sudoOf(endpoint: Endpoint): string | null;
}

/**
 * One SFTP session per host, riding the host's shared connection: opened on first use, reused by the
 * browser and every transfer, closed after a minute unused, and opened again (on a new connection if
 * need be) after the connection or the channel went away.
 */
export class SftpSessions {
  private readonly open = new Map<string, Promise<Open>>();

  constructor(private readonly deps: SessionDeps) {}

  async acquire(endpoint: Endpoint): Promise<{ session: SftpSession; release(): void }> {
    const sudo = this.deps.sudoOf(endpoint);
    const key = `${endpoint.key}\0${sudo ?? ''}`;
    let opening = this.open.get(key);
    if (!opening) {
      opening = this.start(endpoint, sudo, () => this.open.get(key) === opening && this.open.delete(key));
      this.open.set(key, opening);
    }
    const o = await opening;
    o.busy++;
    if (o.idle) clearTimeout(o.idle);
    let released = false;
    return {
      session: o.session,
      release: () => {
        if (released) return;
        released = true;
        if (--o.busy === 0) o.idle = setTimeout(o.close, IDLE_MS).unref();
      },
    };
  }

  async use<T>(endpoint: Endpoint, f: (s: SftpSession) => Promise<T>): Promise<T> {
    const { session, release } = await this.acquire(endpoint);
    try {
      return await f(session);
    } finally {
      release();
    }
  }

  closeAll(): void {
    for (const o of this.open.values())
      void o.then(
        (x) => x.close(),
        () => {},
      );
    this.open.clear();
  }

  private async start(endpoint: Endpoint, sudo: string | null, forget: () => void): Promise<Open> {
    let lease: Lease;
    let sftp: SFTPWrapper;
    try {
      ({ lease, value: sftp } = await this.deps.connections.acquireSession(endpoint, (client) =>
        sudo ? sudoSftp(client, sudo, endpoint) : subsystem(client),
      ));
    } catch (e) {
      forget();
      if (e instanceof WarrenError) throw e;
      const why = (e as Error).message;
      throw new WarrenError(
        'CHANNEL',
        sudo
          ? `${endpoint.label} refused to run a command (for SFTP as ${sudo}): ${why}`
          : `${endpoint.label} refused to start SFTP: ${why}. Its sshd_config may have no "Subsystem sftp" line, or the account may not allow it.`,
        { reason: why },
      );
    }
    tuneReceiveWindow(sftp, lease.rttMs);
    let gone: WarrenError | null = null;
    let closed!: (why: WarrenError) => void;
    /** extra channels open now (extraChannel) */
    let extras = 0;
    const o: Open = {
      session: {
        label: endpoint.label,
        files: new RemoteFiles(sftp, endpoint.label, () => gone),
        slots: new Slots(REQUESTS_IN_FLIGHT, chunkSize(sftp)),
        closed: new Promise((resolve) => (closed = resolve)),
        rttMs: lease.rttMs,
        extraChannel: async (signal) => {
          if (sudo !== null || gone || extras >= MAX_EXTRA_CHANNELS || signal.aborted) return null;
          extras++;
          let timer: NodeJS.Timeout | undefined;
          const opening = subsystem(lease.client).catch(() => null);
          const extra = await Promise.race([
            opening,
            new Promise<null>((resolve) => {
              timer = setTimeout(() => resolve(null), EXTRA_OPEN_MS);
              signal.addEventListener('abort', () => resolve(null), { once: true });
            }),
          ]);
          clearTimeout(timer);
          if (!extra || signal.aborted) {
            extras--;
            void opening.then((late) => late?.end()); // given up on: closed whenever it opens
            return null;
          }
          tuneReceiveWindow(extra, lease.rttMs);
          extra.on('error', () => {});
          let ended: WarrenError | null = null;
          const end = () => {
            if (ended) return;
            ended = new WarrenError('DISCONNECTED', `An SFTP channel to ${endpoint.label} was closed.`);
            extras--;
            extra.end();
          };
          extra.once('close', end);
          return { files: new RemoteFiles(extra, endpoint.label, () => gone ?? ended), slots: new Slots(PART_REQUESTS, chunkSize(extra)), close: end };
        },
      },
      busy: 0,
      idle: null,
      close: () => die(new WarrenError('DISCONNECTED', `The SFTP session with ${endpoint.label} was closed.`)),
    };
    const die = (why: WarrenError) => {
      if (gone) return;
      gone = why;
      closed(why);
      forget();
      if (o.idle) clearTimeout(o.idle);
      sftp.end();
      lease.release();
    };
    void lease.closed.then(die);
    sftp.on('error', () => {}); // a broken session fails its requests, which say so
    sftp.once('close', () => die(new WarrenError('DISCONNECTED', `The SFTP session with ${endpoint.label} ended.`)));
    return o;
  }
}

/**
 * The largest read or write ssh2 sends as one request (sftp-server's limit is 255 KiB; ssh2 splits
 * anything larger into two requests, the second waiting for the first).
 */
function chunkSize(sftp: SFTPWrapper): number {
  return sftpRequestLimit(sftp);
}

/** the sftp subsystem on a new session channel; rejects with ssh2's error when refused */
function subsystem(client: Client): Promise<SFTPWrapper> {
  return new Promise((resolve, reject) => client.sftp((err, sftp) => (err ? reject(err) : resolve(sftp))));
}

// ---------------------------------------------------------------- SFTP as root

function execOut(client: Client, command: string): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) =>
    client.exec(command, (err, ch) => {
      if (err) return reject(err);
      let stdout = '';
      ch.on('data', (d: Buffer) => (stdout += d.toString()));
      ch.stderr.resume();
      ch.on('close', (code: number | null) => resolve({ code, stdout }));
    }),
  );
}

/**
 * SFTP as another user: sftp-server started by `sudo -n -u USER` on an exec channel. ssh2 speaks SFTP
 * only over a subsystem channel, so this does what Client.sftp() does (ssh2/lib/client.js: an SFTP
 * object given the channel's ids, registered as that channel, then `_init()`: sftpOnChannel in
 * agent/ssh2-internals.ts), on an exec channel instead. Registered in place of the exec channel, it receives the channel's data, exit and close;
 * its stderr (sudo's complaints) is kept for the error message.
 */
async function sudoSftp(client: Client, user: string, endpoint: Endpoint): Promise<SFTPWrapper> {
  const label = endpoint.label;
  const probe = await execOut(client, `sh -c 'for p in ${SFTP_SERVERS.join(' ')}; do if [ -x "$p" ]; then echo "$p"; exit 0; fi; done; exit 1'`).catch(
    (e: Error) => {
      // a refusal the caller may answer with a connection of its own (acquireSession)
      if (isSessionLimit(e)) throw e;
      throw new WarrenError('CHANNEL', `${label} refused to run a command (to find sftp-server for SFTP as ${user}): ${e.message}`);
    },
  );
  const server = probe.stdout.trim();
  if (probe.code !== 0 || !SFTP_SERVERS.includes(server)) {
    throw new WarrenError(
      'CHANNEL',
      `SFTP as ${user} needs OpenSSH's sftp-server on ${label}, and it is in none of ${SFTP_SERVERS.join(', ')}. Install it (Debian/Ubuntu: openssh-sftp-server), or turn SFTP as ${user} off for this host.`,
      { reason: 'no-sftp-server' },
    );
  }
  const command = `sudo -n -u ${user} -- ${server}`;
  return new Promise((resolve, reject) => {
    let stderr = '';
    let exit: number | null = null;
    const fail = () => reject(sudoError(stderr, exit, { user, server, label, login: endpoint.spec.user }));
    const timer = setTimeout(
      () => reject(new WarrenError('CHANNEL', `${command} on ${label} did not start SFTP within ${OPEN_TIMEOUT_MS / 1000} s.`)),
      OPEN_TIMEOUT_MS,
    );
    client.exec(command, (err, channel: ClientChannel) => {
      if (err) {
        clearTimeout(timer);
        return reject(new WarrenError('CHANNEL', `${label} refused to run ${command}: ${err.message}`));
      }
      const { sftp, start } = sftpOnChannel(client, channel, (d) => {
        if (d !== null) stderr += d.toString();
      });
      const settle = () => {
        clearTimeout(timer);
        sftp.removeAllListeners('ready').removeAllListeners('exit');
      };
      sftp.once('ready', () => (settle(), resolve(sftp)));
      sftp.once('exit', (code: number | null) => (exit = code));
      sftp.once('close', () => (settle(), fail()));
      start();
    });
  });
}

function sudoError(
  stderr: string,
  exit: number | null,
  { user, server, label, login }: { user: string; server: string; label: string; login: string },
): WarrenError {
  const said = stderr.trim().split('\n').slice(-2).join(' / ');
  const detail = { reason: 'sudo', stderr: said, exit };
  const rule = `${login} ALL=(${user}) NOPASSWD: ${server}`;
  if (/password is required/i.test(said)) {
    return new WarrenError(
      'CHANNEL',
      `sudo on ${label} needs a password to run sftp-server as ${user}, and Warren runs it without one (sudo -n). Allow it without a password with a sudoers rule such as "${rule}" (in a file under /etc/sudoers.d/, edited with visudo), or turn SFTP as ${user} off for this host.`,
      { ...detail, reason: 'sudo-password' },
    );
  }
  if (/not allowed|not in the sudoers|may not run sudo|not permitted/i.test(said)) {
    return new WarrenError(
      'CHANNEL',
      `You may not run ${server} as ${user} through sudo on ${label} (sudo said: ${said}). Ask its administrator for a sudoers rule such as "${rule}".`,
      { ...detail, reason: 'sudo-denied' },
    );
  }
  if (exit === 127 || /sudo: (command )?not found/i.test(said)) {
    return new WarrenError('CHANNEL', `sudo is not installed on ${label}, so SFTP cannot run as ${user} there.`, { ...detail, reason: 'sudo-missing' });
  }
  return new WarrenError(
    'CHANNEL',
    `sudo -n -u ${user} ${server} on ${label} ended${exit === null ? '' : ` with status ${exit}`} before SFTP started${said ? `: ${said}` : ''}.`,
    detail,
  );
}
