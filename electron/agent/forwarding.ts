// Scoped agent forwarding: the server never gets the real agent. Each `auth-agent@openssh.com` channel
// the server opens is served here: REQUEST_IDENTITIES lists only the host's chosen keys of the real
// agent, SIGN_REQUEST goes to the real agent only for those keys (after asking, with confirm), and
// every other message (add, remove, lock, extensions…) is answered SSH_AGENT_FAILURE.
import { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import type { Prompt, PromptAnswer } from '../../shared/prompts.js';
import { AgentClient } from './client.js';
import { identityOf } from './service.js';
import { fingerprint, Reader, str, u32 } from './wire.js';

const FAILURE = 5;
const REQUEST_IDENTITIES = 11;
const IDENTITIES_ANSWER = 12;
const SIGN_REQUEST = 13;
const USERAUTH_REQUEST = 50;
const MAX_MESSAGE = 256 * 1024;

export interface ForwardPolicy {
  keys: 'all' | string[];
  confirm: boolean;
}

export interface ForwardingDeps {
  /** the real agent (SSH_AUTH_SOCK) */
  socket: string;
  /** the host the agent is forwarded to, as prompts name it */
  host: string;
  policy: ForwardPolicy;
  ask(prompt: Prompt): Promise<PromptAnswer>;
  log(line: string): void;
}

/** The user a signature would log in as, when the data is an SSH publickey login (RFC 4252 §7); else null. */
export function loginUserOf(data: Buffer): string | null {
  try {
    const r = new Reader(data);
    r.bytes(); // session identifier
    if (r.u8() !== USERAUTH_REQUEST) return null;
    return r.text();
  } catch {
    return null;
  }
}

/** ssh2's agent for a connection that forwards: ssh2 calls getStream() for each agent channel the server opens. */
export class ForwardingAgent extends ssh2.BaseAgent<Buffer> {
  private readonly agent: AgentClient;
  /** keys the user allowed "always", for this connection */
  private readonly allowed = new Set<string>();

  constructor(private readonly deps: ForwardingDeps) {
    super();
    this.agent = new AgentClient(deps.socket);
  }

  // not used for logins (Warren logs in with its LoginAgent)
  getIdentities(cb: (err: Error | null, keys?: Buffer[]) => void): void {
    cb(new Error('the forwarding agent does not log in'));
  }
  sign(_key: Buffer, _data: Buffer, options: unknown, cb?: (err: Error | null) => void): void {
    (typeof options === 'function' ? (options as (err: Error | null) => void) : cb)?.(new Error('the forwarding agent does not log in'));
  }

  override getStream(cb: (err?: Error | null, stream?: Duplex) => void): void {
    this.deps.log('The server opened a forwarded agent channel');
    let buf = Buffer.alloc(0);
    let queue = Promise.resolve();
    const stream: Duplex = new Duplex({
      read() {},
      write: (chunk: Buffer, _enc, done) => {
        buf = Buffer.concat([buf, chunk]);
        while (buf.length >= 4) {
          const len = buf.readUInt32BE(0);
          if (len > MAX_MESSAGE) return done(new Error('agent message too long'));
          if (buf.length < 4 + len) break;
          const message = buf.subarray(4, 4 + len);
          buf = buf.subarray(4 + len);
          // answered in order, one at a time
          queue = queue.then(async () => {
            const answer = await this.answer(message).catch(() => Buffer.from([FAILURE]));
            stream.push(Buffer.concat([u32(answer.length), answer]));
          });
        }
        done();
      },
      final(done) {
        void queue.then(() => stream.push(null));
        done();
      },
    });
    cb(null, stream);
  }

  /** the keys of the real agent this host may see */
  private async exposed(): Promise<{ blob: Buffer; comment: string; fingerprint: string }[]> {
    const { keys } = this.deps.policy;
    return (await this.agent.identities())
      .map((i) => ({ ...i, fingerprint: identityOf(i.blob, i.comment).fingerprint ?? fingerprint(i.blob) }))
      .filter((i) => keys === 'all' || keys.includes(i.fingerprint) || keys.includes(fingerprint(i.blob)));
  }

  private async answer(message: Buffer): Promise<Buffer> {
    const type = message[0];
    if (type === REQUEST_IDENTITIES) {
      const ids = await this.exposed();
      this.deps.log(`Forwarded agent: listed ${ids.length} key${ids.length === 1 ? '' : 's'}`);
      return Buffer.concat([Buffer.from([IDENTITIES_ANSWER]), u32(ids.length), ...ids.flatMap((i) => [str(i.blob), str(i.comment)])]);
    }
    if (type !== SIGN_REQUEST) {
      this.deps.log(`Forwarded agent: refused message type ${type}`);
      return Buffer.from([FAILURE]);
    }
    const r = new Reader(message.subarray(1));
    const blob = r.bytes();
    const data = r.bytes();
    const key = (await this.exposed()).find((i) => i.blob.equals(blob));
    if (!key) {
      this.deps.log(`Forwarded agent: refused to sign with ${fingerprint(blob)}, a key not forwarded to this host`);
      return Buffer.from([FAILURE]);
    }
    const user = loginUserOf(data);
    if (this.deps.policy.confirm && !this.allowed.has(key.fingerprint)) {
      const a = await this.deps
        .ask({ kind: 'agent-sign', host: this.deps.host, fingerprint: key.fingerprint, comment: key.comment, user })
        .catch(() => ({ accept: false }));
      if (!('accept' in a) || !a.accept) {
        this.deps.log(`Forwarded agent: you denied a signature with ${key.fingerprint}`);
        return Buffer.from([FAILURE]);
      }
      if ('always' in a && a.always) this.allowed.add(key.fingerprint);
    }
    this.deps.log(`Forwarded agent: signing with ${key.fingerprint}${user ? ` (a login as ${user})` : ''}`);
    return this.agent.exchange(message, 120_000);
  }
}
