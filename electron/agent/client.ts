// The ssh-agent protocol (draft-miller-ssh-agent), client side: list, add (with lifetime / confirm
// constraints, as `ssh-add -t` / `-c`), remove, remove all, sign. Over SSH_AUTH_SOCK (a Unix socket, or
// on Windows the OpenSSH agent's named pipe) or Pageant (through ssh2's Pageant transport).
import { createPrivateKey, type JsonWebKey } from 'node:crypto';
import { existsSync } from 'node:fs';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import ssh2, { type ParsedKey, type SigningRequestOptions } from 'ssh2';
import { WarrenError } from '../../shared/errors.js';
import { certKey, certMarkOf } from './certificates.js';
import { algorithmOf, mpint, Reader, str, u32 } from './wire.js';
import { describeKey } from './keyinfo.js';

/** Windows' own OpenSSH agent (the "OpenSSH Authentication Agent" service) */
export const OPENSSH_PIPE = '\\\\.\\pipe\\openssh-ssh-agent';

/**
 * Where the agent is: SSH_AUTH_SOCK when set; on Windows without it, the OpenSSH agent's named pipe
 * when that agent runs, else Pageant (`pageant`, as ssh2 names it); elsewhere, no agent.
 */
export function agentSocket(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  exists: (p: string) => boolean = existsSync,
): string | undefined {
  const sock = env.SSH_AUTH_SOCK?.trim();
  if (sock) return sock;
  if (platform !== 'win32') return undefined;
  return exists(OPENSSH_PIPE) ? OPENSSH_PIPE : 'pageant';
}

function howToStart(platform: NodeJS.Platform): string {
  if (platform === 'win32')
    return 'Start the "OpenSSH Authentication Agent" service (administrator PowerShell: Get-Service ssh-agent | Set-Service -StartupType Automatic; Start-Service ssh-agent) or run Pageant, then try again.';
  if (platform === 'darwin')
    return 'macOS starts one for each login session; start Warren from your login session, or run eval "$(ssh-agent -s)" in a terminal and start Warren from that terminal.';
  return 'Run eval "$(ssh-agent -s)" in a terminal and start Warren from that terminal, or turn on your desktop\u2019s agent (GNOME Keyring, KDE Wallet, or systemctl --user enable --now ssh-agent) so SSH_AUTH_SOCK is set when you log in.';
}

/** The AGENT error for no agent at all, with how to start one. */
export function noAgent(platform: NodeJS.Platform = process.platform): WarrenError {
  const how = howToStart(platform);
  return new WarrenError('AGENT', `No ssh-agent is running: SSH_AUTH_SOCK is not set. ${how}`, { howTo: how });
}

const MSG = {
  FAILURE: 5,
  SUCCESS: 6,
  REQUEST_IDENTITIES: 11,
  IDENTITIES_ANSWER: 12,
  SIGN_REQUEST: 13,
  SIGN_RESPONSE: 14,
  ADD_IDENTITY: 17,
  REMOVE_IDENTITY: 18,
  REMOVE_ALL_IDENTITIES: 19,
  ADD_ID_CONSTRAINED: 25,
} as const;
const CONSTRAIN_LIFETIME = 1;
const CONSTRAIN_CONFIRM = 2;
const SIGN_RSA_SHA2_256 = 2;
const SIGN_RSA_SHA2_512 = 4;

export interface Constraints {
  lifetimeSeconds?: number | undefined;
  confirm?: boolean | undefined;
}

/**
 * A key as SSH2_AGENTC_ADD_IDENTITY carries it: its type, public and private fields (with a
 * certificate: the certificate's type and blob, then the private fields), without the comment.
 */
export function agentKey(key: ParsedKey, certBlob?: Buffer): Buffer {
  const jwk: JsonWebKey = createPrivateKey(key.getPrivatePEM()).export({ format: 'jwk' });
  const b = (v: string | undefined) => Buffer.from(v ?? '', 'base64url');
  let pub: Buffer[];
  let priv: Buffer[];
  if (key.type === 'ssh-ed25519') {
    pub = [];
    priv = [str(b(jwk.x)), str(Buffer.concat([b(jwk.d), b(jwk.x)]))];
  } else if (key.type.startsWith('ecdsa-sha2-')) {
    pub = [str(key.type.slice(11)), str(Buffer.concat([Buffer.from([4]), b(jwk.x), b(jwk.y)]))];
    priv = [mpint(b(jwk.d))];
  } else if (key.type === 'ssh-rsa') {
    pub = [mpint(b(jwk.n)), mpint(b(jwk.e))];
    priv = [b(jwk.d), b(jwk.qi), b(jwk.p), b(jwk.q)].map(mpint);
  } else {
    throw new WarrenError('KEY_FILE', `Warren adds Ed25519, ECDSA and RSA keys to the agent, not ${key.type}; use ssh-add for this one.`);
  }
  return certBlob ? Buffer.concat([str(algorithmOf(certBlob)), str(certBlob), ...priv]) : Buffer.concat([str(key.type), ...pub, ...priv]);
}

export class AgentClient {
  constructor(readonly socket: string) {}

  async identities(): Promise<{ blob: Buffer; comment: string }[]> {
    const r = await this.request(Buffer.from([MSG.REQUEST_IDENTITIES]), MSG.IDENTITIES_ANSWER);
    return Array.from({ length: r.u32() }, () => ({ blob: r.bytes(), comment: r.text() }));
  }

  async add(key: Buffer, comment: string, c: Constraints = {}): Promise<void> {
    const constraints = Buffer.concat([
      ...(c.lifetimeSeconds ? [Buffer.from([CONSTRAIN_LIFETIME]), u32(c.lifetimeSeconds)] : []),
      ...(c.confirm ? [Buffer.from([CONSTRAIN_CONFIRM])] : []),
    ]);
    const type = constraints.length > 0 ? MSG.ADD_ID_CONSTRAINED : MSG.ADD_IDENTITY;
    await this.request(Buffer.concat([Buffer.from([type]), key, str(comment), constraints]), MSG.SUCCESS, 'add the key');
  }

  async remove(blob: Buffer): Promise<void> {
    await this.request(Buffer.concat([Buffer.from([MSG.REMOVE_IDENTITY]), str(blob)]), MSG.SUCCESS, 'remove the key');
  }

  async removeAll(): Promise<void> {
    await this.request(Buffer.from([MSG.REMOVE_ALL_IDENTITIES]), MSG.SUCCESS, 'remove all keys');
  }

  /** the signature without its algorithm name; a key added with confirm waits for the user, hence the long timeout */
  async sign(blob: Buffer, data: Buffer, flags: number): Promise<Buffer> {
    const r = await this.request(
      Buffer.concat([Buffer.from([MSG.SIGN_REQUEST]), str(blob), str(data), u32(flags)]),
      MSG.SIGN_RESPONSE,
      'sign (for a key added with confirmation: the request was denied)',
      120_000,
    );
    const signature = new Reader(r.bytes());
    signature.text();
    return signature.bytes();
  }

  private open(): Promise<Duplex> {
    if (this.socket === 'pageant') {
      return new Promise((resolve, reject) =>
        new ssh2.PageantAgent('pageant').getStream((err, stream) =>
          err || !stream
            ? reject(
                new WarrenError(
                  'AGENT',
                  `Pageant does not answer (${err?.message ?? 'no stream'}): start Pageant, or the "OpenSSH Authentication Agent" service.`,
                ),
              )
            : resolve(stream),
        ),
      );
    }
    return new Promise((resolve, reject) => {
      const sock = net.connect(this.socket);
      sock.once('connect', () => resolve(sock));
      sock.once('error', (e: NodeJS.ErrnoException) =>
        reject(
          new WarrenError(
            'AGENT',
            `No ssh-agent answers at ${this.socket} (${e.code ?? e.message}): SSH_AUTH_SOCK points to an agent that has stopped. ${howToStart(process.platform)}`,
            { socket: this.socket, code: e.code },
          ),
        ),
      );
    });
  }

  /** sends one message, returns the body of the answer when it has the expected type */
  private async request(message: Buffer, expect: number, what = 'answer', timeoutMs = 10_000): Promise<Reader> {
    const answer = await this.exchange(message, timeoutMs);
    if (answer[0] === expect) return new Reader(answer.subarray(1));
    throw new WarrenError(
      'AGENT',
      answer[0] === MSG.FAILURE ? `The ssh-agent refused to ${what}.` : `The ssh-agent answered an unexpected message (${answer[0]}).`,
    );
  }

  /** sends one message (without its length) and returns the agent's answer as it is (without its length) */
  async exchange(message: Buffer, timeoutMs = 10_000): Promise<Buffer> {
    const stream = await this.open();
    const answer = await new Promise<Buffer>((resolve, reject) => {
      let got = Buffer.alloc(0);
      const timer = setTimeout(
        () => reject(new WarrenError('AGENT', `The ssh-agent at ${this.socket} did not answer within ${timeoutMs / 1000} s.`)),
        timeoutMs,
      );
      const done = () => clearTimeout(timer);
      stream.on('data', (chunk: Buffer) => {
        got = Buffer.concat([got, chunk]);
        if (got.length >= 4 && got.length >= 4 + got.readUInt32BE(0)) {
          done();
          resolve(got.subarray(4, 4 + got.readUInt32BE(0)));
        }
      });
      stream.once('error', (e) => (done(), reject(new WarrenError('AGENT', `The ssh-agent connection failed: ${e.message}`))));
      stream.once('close', () => (done(), reject(new WarrenError('AGENT', `The ssh-agent at ${this.socket} closed the connection without answering.`))));
      stream.write(Buffer.concat([u32(message.length), message]));
    }).finally(() => stream.destroy());
    return answer;
  }
}

type SignCallback = (err: Error | null, signature?: Buffer) => void;

/**
 * The agent for ssh2's `agent` login: like ssh2's own, plus the certificates the agent holds (which
 * ssh2 skips), offered through the certificate support in ./certificates.ts.
 */
export class LoginAgent extends ssh2.BaseAgent<ParsedKey> {
  private readonly client: AgentClient;
  constructor(socket: string) {
    super();
    this.client = new AgentClient(socket);
  }

  getIdentities(cb: (err: Error | null, keys?: ParsedKey[]) => void): void {
    this.client.identities().then(
      (ids) =>
        cb(
          null,
          ids.flatMap(({ blob, comment }) => {
            try {
              const cert = describeKey(blob).certificate;
              const key = ssh2.utils.parseKey(cert ? cert.publicBlob : blob);
              if (key instanceof Error) return [];
              // the agent's comment, as ssh2's own agent client keeps it (the doctor names keys by it)
              (key as ParsedKey).comment = comment;
              return [cert ? certKey(key as ParsedKey, blob) : (key as ParsedKey)];
            } catch {
              return []; // a type ssh2 cannot use
            }
          }),
        ),
      (e: Error) => cb(e),
    );
  }

  sign(key: ParsedKey, data: Buffer, options: SigningRequestOptions | SignCallback, cb?: SignCallback): void {
    const done = (typeof options === 'function' ? options : cb)!;
    const hash = typeof options === 'function' ? undefined : options?.hash;
    const mark = certMarkOf(key);
    const flags = mark
      ? mark.baseType === 'ssh-rsa'
        ? SIGN_RSA_SHA2_512
        : 0
      : key.type !== 'ssh-rsa'
        ? 0
        : hash === 'sha512'
          ? SIGN_RSA_SHA2_512
          : hash === 'sha256'
            ? SIGN_RSA_SHA2_256
            : 0;
    this.client.sign(key.getPublicSSH(), data, flags).then(
      (s) => done(null, s),
      (e: Error) => done(e),
    );
  }
}
