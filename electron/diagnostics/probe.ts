// One SSH connection, watched phase by phase for the doctor: the lines the server sends first, both
// sides' algorithm lists (from ssh2's debug output), the host key and its known_hosts verdict, the
// methods the server accepts, and every identity offered on its own with the server's answer.
import ssh2, { type Client, type ConnectConfig, type IdentityCallback, type ParsedKey, type SignCallback, type SigningRequestOptions } from 'ssh2';
import type { AuthAttempt } from '../../shared/doctor.js';
import type { WarrenError } from '../../shared/errors.js';
import { KEY_FILE, readBounded, readIfExists } from '../files/read.js';
import { certMarkOf } from '../agent/certificates.js';
import { LoginAgent } from '../agent/client.js';
import { identityOrder, kbdAnswer, keyFileOffers } from '../ssh/auth-plan.js';
import type { ConnectDeps, ConnectSpec, Transport } from '../ssh/connect-spec.js';
import { firstWords, textOf, watchIdentification, type PreIdent } from '../ssh/ident.js';
import { visible } from '../../shared/untrusted.js';
import { checkHostKey, fingerprintSHA256, keyTypeOf, type HostKeyVerdict } from '../ssh/knownhosts.js';
import { trustOf } from '../ssh/hostkey.js';

// ssh2 is CommonJS: Node's ESM loader sees only its default export
const { BaseAgent, Client: SshClient, utils } = ssh2;

type Method = 'publickey' | 'password' | 'keyboard-interactive';
type Signer = (data: Buffer, options: SigningRequestOptions, cb: SignCallback) => void;

/** Something to log in with: a key (from a file or the agent) or a password. */
export interface Identity {
  kind: 'key' | 'password';
  label: string;
  /** a key's type (`ssh-ed25519`, `ssh-rsa`, …), for advice that depends on it */
  keyType?: string;
  /** the methods it can be offered with, preferred first; empty when it cannot be offered (`note` says why) */
  methods: Method[];
  note?: string;
  /** the ssh2 auth object */
  auth?(user: string, method: Method): unknown;
}

/**
 * An agent holding one key, so that each identity is offered on its own. ssh2 asks it to sign only
 * once the server has accepted the key; a signer that fails ends that attempt alone (level 'agent').
 */
class OneKey extends BaseAgent<ParsedKey> {
  constructor(
    private readonly key: ParsedKey,
    private readonly signer: Signer,
  ) {
    super();
  }
  getIdentities(cb: IdentityCallback<ParsedKey>): void {
    cb(null, [this.key]);
  }
  sign(_key: ParsedKey, data: Buffer, options: SigningRequestOptions | SignCallback, cb?: SignCallback): void {
    if (typeof options === 'function') this.signer(data, {}, options);
    else this.signer(data, options, cb!);
  }
}

const describeKey = (k: ParsedKey) => `${k.type} ${fingerprintSHA256(k.getPublicSSH())}`;

function keyIdentity(label: string, key: ParsedKey, signer: Signer): Identity {
  return { kind: 'key', label, keyType: key.type, methods: ['publickey'], auth: (user) => ({ type: 'agent', username: user, agent: new OneKey(key, signer) }) };
}

async function agentIdentities(socket: string): Promise<Identity[]> {
  // the agent client a login uses: the agent's keys, and the certificates it holds
  const agent = new LoginAgent(socket);
  const keys = await new Promise<ParsedKey[] | Error>((resolve) => agent.getIdentities((err, found) => resolve(err ?? found ?? [])));
  if (keys instanceof Error) return [{ kind: 'key', label: `ssh-agent at ${socket}`, methods: [], note: `the agent did not answer (${keys.message})` }];
  if (keys.length === 0) return [{ kind: 'key', label: 'ssh-agent', methods: [], note: 'the agent holds no keys' }];
  return keys.map((k) =>
    keyIdentity(`agent ${certMarkOf(k) ? 'certificate' : 'key'} ${describeKey(k)}${k.comment ? ` (${k.comment})` : ''}`, k, (data, options, cb) =>
      agent.sign(k, data, options, cb),
    ),
  );
}

/** Signs with the key itself (a certificate's key signs as its plain key: certKey()). */
const keySigner =
  (key: ParsedKey): Signer =>
  (data, options, cb) => {
    const signature = key.sign(data, options.hash);
    if (signature instanceof Error) cb(signature);
    else cb(null, signature);
  };

/** A key file's offers in a login's order (its certificate first, keyFileOffers), each on its own. */
async function keyFileIdentities(file: string, key: ParsedKey, signer: (key: ParsedKey) => Signer): Promise<Identity[]> {
  const { offers, problem } = await keyFileOffers(file, key);
  const out: Identity[] = problem ? [{ kind: 'key', label: `certificate ${file}-cert.pub`, methods: [], note: problem }] : [];
  for (const o of offers)
    out.push(keyIdentity(o.what === 'certificate' ? `certificate ${o.file} (${o.key.type})` : `key ${file} (${describeKey(o.key)})`, o.key, signer(o.key)));
  return out;
}

async function fileIdentities(file: string, explicit: boolean, passphrase: () => Promise<string | null>): Promise<Identity[]> {
  const label = `key ${file}`;
  const data = await readBounded(file, KEY_FILE).catch((e: WarrenError) => e);
  if (data instanceof Error) return explicit ? [{ kind: 'key', label, methods: [], note: data.message.replace(/\.$/, '') }] : [];
  let key = utils.parseKey(data);
  if (key instanceof Error && /passphrase/i.test(key.message)) {
    const saved = await passphrase();
    if (saved !== null) key = utils.parseKey(data, saved);
    if (key instanceof Error) {
      // still ask the server about its public key: "it would accept this key" is worth knowing
      const why = saved === null ? 'it is encrypted and no passphrase is saved for this host' : 'the saved passphrase does not decrypt it';
      const pub = utils.parseKey((await readIfExists(`${file}.pub`, KEY_FILE).catch(() => null)) ?? '');
      if (pub instanceof Error) return [{ kind: 'key', label, methods: [], note: `${why} (and there is no ${file}.pub to offer instead)` }];
      return keyFileIdentities(file, Array.isArray(pub) ? pub[0]! : pub, () => (_data, _options, cb) => cb(new Error(why)));
    }
  }
  if (key instanceof Error) return [{ kind: 'key', label, methods: [], note: `not a private key Warren can read (${key.message})` }];
  return keyFileIdentities(file, Array.isArray(key) ? key[0]! : key, keySigner);
}

function passwordIdentity(a: ConnectSpec['auth'], password: { value: string; source: string } | null): Identity {
  if (!password) return { kind: 'password', label: 'password', methods: [], note: 'none is saved for this host, and the doctor never asks for one' };
  const pw = password.value;
  return {
    kind: 'password',
    label: `password (${password.source})`,
    methods: a === 'keyboard-interactive' ? ['keyboard-interactive'] : ['password', 'keyboard-interactive'],
    auth: (user, method) =>
      method === 'password'
        ? { type: 'password', username: user, password: pw }
        : { type: 'keyboard-interactive', username: user, prompt: kbdAnswer(async (_n, _i, prompts) => prompts.map(() => pw)) },
  };
}

/**
 * What a login to this hop offers, in the order Warren's connections offer it (identityOrder: agent,
 * key files with their certificates first, password) as the host's auth setting allows. The password
 * is only the one given or saved.
 */
export async function identitiesFor(
  spec: ConnectSpec,
  deps: Pick<ConnectDeps, 'agentSocket' | 'home' | 'secrets'>,
  password: { value: string; source: string } | null,
): Promise<Identity[]> {
  const out: Identity[] = [];
  if (spec.auth === 'agent' && !deps.agentSocket)
    out.push({ kind: 'key', label: 'ssh-agent', methods: [], note: 'no agent is running (SSH_AUTH_SOCK is not set)' });
  for (const source of identityOrder(spec, deps)) {
    if (source.kind === 'agent') out.push(...(await agentIdentities(source.socket)));
    else if (source.kind === 'file') out.push(...(await fileIdentities(source.file, source.explicit, () => deps.secrets.get('passphrase'))));
    else out.push(passwordIdentity(spec.auth, password));
  }
  return out;
}

type SshError = Error & { level?: string };

export interface ProbeOptions {
  spec: ConnectSpec;
  knownHostsFiles: string[];
  identities: Identity[];
  /** the key exchanges and host key algorithms to offer (known types first), from algorithmOffer() */
  algorithms: NonNullable<ConnectConfig['algorithms']>;
  /** the ProxyCommand's exit, when the transport is one */
  exited?: Promise<WarrenError>;
  signal?: AbortSignal;
}

/** The state of one SSH connection attempt, filled in by ssh2's events; steps wait on it with `until`. */
export class Probe {
  readonly client: Client = new SshClient();
  /** what the server sent before its SSH banner (its identification line), or instead of one */
  readonly pre: PreIdent;
  /** both sides' lists per ssh2 category ('KEX method', 'Host key format', 'C->S cipher', …) */
  readonly lists = new Map<string, { local: string[]; remote: string[] }>();
  /** the algorithms agreed on ('KEX algorithm', 'Host key format', 'C->S Cipher', 'C->S MAC') */
  readonly chosen = new Map<string, string>();
  hostKey: { type: string; fingerprint: string; verdict: HostKeyVerdict } | null = null;
  /** what the server accepts, as it answered the `none` probe */
  methods: string[] | null = null;
  /** one per identity, in order */
  readonly attempts: AuthAttempt[];
  loggedIn = false;
  /** the first error that ended (or will end) the connection */
  error: SshError | null = null;
  closed = false;
  private current: AuthAttempt | null = null;
  private next = 0;
  private readonly waiters = new Set<() => void>();

  private constructor(
    private readonly sock: Transport,
    readonly options: ProbeOptions,
  ) {
    this.attempts = options.identities.map((i) => ({ label: i.label, result: 'not-tried', note: i.note ?? null }));
    // paused, so nothing flows before ssh2 listens too (it resumes the stream)
    sock.pause();
    this.pre = watchIdentification(sock, (seen) =>
      this.update(() => {
        if (seen.flooded) this.end();
      }),
    );
  }

  /** the server's identification line, once it came */
  get banner(): string | null {
    return this.pre.ident;
  }

  /** Starts the SSH handshake on a transport that has just opened: synchronously, so no event on it goes unheard. */
  static start(sock: Transport, options: ProbeOptions): Probe {
    const p = new Probe(sock, options);
    const { spec, algorithms } = options;
    options.signal?.addEventListener('abort', () => p.end(), { once: true });
    p.client.on('error', (e: SshError) => p.onError(e));
    p.client.on('close', () => p.update(() => (p.closed = true)));
    p.client.on('ready', () =>
      p.update(() => {
        if (p.current) p.current.result = 'accepted';
        p.loggedIn = true;
      }),
    );
    const config: ConnectConfig = {
      sock,
      algorithms,
      username: spec.user,
      readyTimeout: 0, // each step has its own
      debug: (line: string) => p.debug(line),
      hostVerifier: ((key: Buffer, verify: (ok: boolean) => void) => void p.verifyHost(key, verify)) as unknown as ConnectConfig['hostVerifier'],
      authHandler: ((methodsLeft: string[] | null, partial: boolean | null, next: (auth: unknown) => void) =>
        next(p.nextAuth(methodsLeft, partial === true))) as unknown as ConnectConfig['authHandler'],
    };
    p.client.connect(config);
    return p;
  }

  /** the connection is over, or will be in a moment */
  get over(): boolean {
    return this.closed || this.error !== null;
  }

  get tooManyFailures(): boolean {
    return /too many authentication failures/i.test(this.error?.message ?? '');
  }

  /** Resolves true once `done()` holds, false after `ms` without it. */
  until(done: () => boolean, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const check = () => {
        if (!done()) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        resolve(false);
      }, ms);
      this.waiters.add(check);
      check();
    });
  }

  /** what the server sent instead of an SSH banner, its controls visible; null when it sent nothing */
  answered(): string | null {
    const first = firstWords(this.pre);
    if (first === null) return null;
    const printable = first.replace(/[^\x20-\x7e]/g, '');
    if (printable.length < first.length / 2) {
      return `${first.length} bytes of binary data (${Buffer.from(first.slice(0, 8), 'latin1')
        .toString('hex')
        .replace(/(..)(?!$)/g, '$1 ')} …)`;
    }
    return visible(textOf(first).slice(0, 200));
  }

  end(): void {
    this.client.end();
    this.sock.destroy();
  }

  private update(change: () => void): void {
    change();
    for (const check of [...this.waiters]) check();
  }

  private debug(line: string): void {
    const list = /^Handshake: \((local|remote)\) (.+?): (.*)$/.exec(line);
    if (list) {
      const entry = this.lists.get(list[2]!) ?? { local: [], remote: [] };
      entry[list[1] as 'local' | 'remote'] = list[3]!.split(',').filter(Boolean);
      this.lists.set(list[2]!, entry);
      return;
    }
    const chose = /^Handshake: (KEX algorithm|Host key format|C->S Cipher|C->S MAC): (.*)$/.exec(line);
    if (chose) this.chosen.set(chose[1]!, chose[2]!);
  }

  /** Records the verdict; lets the handshake go on only for a key known_hosts already trusts. */
  private async verifyHost(key: Buffer, verify: (ok: boolean) => void): Promise<void> {
    const { knownHostsFiles, spec } = this.options;
    try {
      const { host, port } = trustOf(spec, knownHostsFiles);
      const verdict = await checkHostKey(knownHostsFiles, host, port, key);
      this.update(() => (this.hostKey = { type: keyTypeOf(key), fingerprint: fingerprintSHA256(key), verdict }));
      verify(verdict.status === 'known');
    } catch (e) {
      this.onError(e instanceof Error ? e : new Error(String(e)));
      verify(false);
    }
  }

  /** ssh2's authHandler: `none` first (the server answers with its methods), then each identity once. */
  private nextAuth(methodsLeft: string[] | null, partial: boolean): unknown {
    const user = this.options.spec.user;
    if (methodsLeft === null) return { type: 'none', username: user };
    this.update(() => {
      if (this.current?.result === 'not-tried') {
        this.current.result = partial ? 'partial' : 'refused';
        if (partial) this.current.note = `accepted, but the server also wants one of: ${methodsLeft.join(', ')}`;
      }
      this.current = null;
      this.methods ??= methodsLeft;
    });
    while (this.next < this.options.identities.length) {
      const identity = this.options.identities[this.next]!;
      const attempt = this.attempts[this.next++]!;
      if (identity.methods.length === 0 || !identity.auth) continue;
      const method = identity.methods.find((m) => methodsLeft.includes(m));
      if (!method) {
        attempt.note = `the server does not accept ${identity.methods.join(' or ')}`;
        continue;
      }
      this.current = attempt;
      return identity.auth(user, method);
    }
    return false;
  }

  private onError(e: SshError): void {
    this.update(() => {
      // a key the server accepted but that could not sign: that attempt failed, the login goes on
      if (e.level === 'agent' && this.current) {
        this.current.result = 'failed';
        this.current.note = `the server accepts this key, but ${e.message}`;
        return;
      }
      this.error ??= e;
      if (this.tooManyFailures && this.current?.result === 'not-tried') this.current.result = 'refused';
    });
  }
}
