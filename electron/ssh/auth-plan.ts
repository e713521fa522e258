// Who we say we are, and in which order: `none` first (the server answers with the methods it
// accepts), then the agent (its certificates too), each key file (its certificate KEY-cert.pub before
// the key), then password / keyboard-interactive, as the host's auth setting allows. Passwords and
// passphrases are asked for when none is saved (at most three times, like OpenSSH); one the user asked
// to save is saved only once the login it was used for succeeded (commitSaves). identityOrder() and
// keyFileOffers() are the order itself, which the doctor offers too. With ssh_config's BatchMode yes
// nothing is asked: a key that needs its passphrase and password logins are skipped, and said.
import ssh2, { type AuthenticationType, type ParsedKey } from 'ssh2';
import path from 'node:path';
import { WarrenError } from '../../shared/errors.js';
import type { AuthMethod } from '../../shared/model.js';
import { certificateFor, certMarkOf } from '../agent/certificates.js';
import { AgentClient, agentKey, LoginAgent } from '../agent/client.js';
import { KEY_FILE, readBounded } from '../files/read.js';
import { acceptedKeyAlgorithms } from './algorithms.js';
import type { ConnectDeps, ConnectSpec } from './connect-spec.js';

// ssh2 is CommonJS: Node's ESM loader sees only its default export
const { utils } = ssh2;

const DEFAULT_IDENTITIES = ['id_ed25519', 'id_ecdsa', 'id_rsa'];
const PASSWORD_TRIES = 3;

const expandHome = (p: string, home: string) => (p === '~' ? home : p.startsWith('~/') ? path.join(home, p.slice(2)) : p);

/** The key files a login offers: ssh_config's IdentityFile lines, else the host's IdentityFile, else OpenSSH's default identities in ~/.ssh. */
export function identityFiles(spec: Pick<ConnectSpec, 'identityFile' | 'sshOptions'>, home: string): string[] {
  const configured = spec.sshOptions?.identityFiles;
  if (configured && configured.length > 0) return configured.map((f) => expandHome(f, home));
  return spec.identityFile ? [expandHome(spec.identityFile, home)] : DEFAULT_IDENTITIES.map((n) => path.join(home, '.ssh', n));
}

/**
 * The agent a login uses: ssh_config's IdentityAgent (a socket; `none`: no agent) for a name resolved
 * through it, else SSH_AUTH_SOCK as the caller found it.
 */
export function agentSocketOf(spec: Pick<ConnectSpec, 'sshOptions'>, fallback: string | undefined): string | undefined {
  const o = spec.sshOptions;
  if (!o || o.identityAgent === undefined) return fallback;
  return o.identityAgent ?? undefined;
}

/** Where a login's identities come from, in the order it offers them. `only`: that one method (ssh_config's PreferredAuthentications). */
export type IdentitySource =
  { kind: 'agent'; socket: string } | { kind: 'file'; file: string; explicit: boolean } | { kind: 'password'; only?: 'password' | 'keyboard-interactive' };

/**
 * The sources a login offers, as the host's auth setting allows: the agent (when one runs), the key
 * files, then password / keyboard-interactive. `explicit`: the host names that key file (IdentityFile),
 * so a file that cannot be read is a problem to report, not a default that is absent.
 */
export function identityOrder(
  spec: Pick<ConnectSpec, 'auth' | 'identityFile' | 'sshOptions'>,
  deps: Pick<ConnectDeps, 'agentSocket' | 'home'>,
): IdentitySource[] {
  const a = spec.auth;
  const socket = agentSocketOf(spec, deps.agentSocket);
  const keys: IdentitySource[] = [];
  if ((a === 'auto' || a === 'agent') && socket) keys.push({ kind: 'agent', socket });
  const explicit = spec.identityFile !== null || (spec.sshOptions?.identityFiles?.length ?? 0) > 0;
  if (a === 'auto' || a === 'key') for (const file of identityFiles(spec, deps.home)) keys.push({ kind: 'file', file, explicit });
  const asks = a === 'auto' || a === 'password' || a === 'keyboard-interactive';
  const methods = spec.sshOptions?.authMethods;
  if (!methods) return asks ? [...keys, { kind: 'password' }] : keys;
  // ssh_config's PreferredAuthentications order, less the methods it turns off
  return methods.flatMap((m): IdentitySource[] => (m === 'publickey' ? keys : asks ? [{ kind: 'password', only: m }] : []));
}

export interface KeyOffer {
  what: 'certificate' | 'key';
  /** the file it comes from: KEY-cert.pub or KEY */
  file: string;
  key: ParsedKey;
}

/**
 * What one key file offers, in order: an OpenSSH certificate beside the key (KEY-cert.pub) first, then
 * the key itself. `note` describes the certificate (for the log); `problem` says why one that is there
 * cannot be used (expired, another key's, …).
 */
export async function keyFileOffers(
  file: string,
  key: ParsedKey,
  certificateFiles: readonly string[] = [],
): Promise<{ offers: KeyOffer[]; note: string | null; problem: string | null }> {
  const offers: KeyOffer[] = [];
  const notes: string[] = [];
  // ssh_config's CertificateFile lines that certify this key, in their order (one of another key is not this key's)
  for (const certFile of certificateFiles) {
    const c = await certificateFor(file, key, certFile);
    if (!c || /certifies another key/.test(c.note)) continue;
    notes.push(c.note);
    if (c.key) offers.push({ what: 'certificate', file: certFile, key: c.key });
  }
  const cert = await certificateFor(file, key);
  if (cert?.key && !certificateFiles.includes(`${file}-cert.pub`)) offers.push({ what: 'certificate', file: `${file}-cert.pub`, key: cert.key });
  if (cert) notes.push(cert.note);
  offers.push({ what: 'key', file, key });
  const problem = cert && !cert.key ? cert.note : null;
  return { offers, note: notes.length > 0 ? notes.join('; ') : null, problem };
}

type Attempt = { label: string; result?: string };

/**
 * Decides, one step at a time, what to offer the server: first `none` (which makes the server list
 * the methods it accepts), then agent, keys, password and keyboard-interactive as the host's auth
 * setting allows. It records every attempt so a failure can say what was offered and what was tried.
 */
export class AuthPlan {
  fatal: WarrenError | null = null;
  /** the label of the attempt made last: once the login succeeded, the one that got in */
  lastAttempt: string | null = null;
  private offered: string[] = [];
  private readonly tried: Attempt[] = [];
  private readonly steps: (() => Promise<unknown>)[];
  private pendingSave: { kind: 'password' | 'passphrase'; value: string } | null = null;
  private current: Attempt | null = null;
  private readonly passwordTries = new Map<string, number>();
  /** NumberOfPasswordPrompts (ssh_config), else OpenSSH's 3 */
  private readonly maxTries: number;
  readonly keyProblems: string[] = [];

  constructor(
    private readonly spec: ConnectSpec,
    private readonly deps: ConnectDeps,
    private readonly log: (line: string) => void,
  ) {
    const steps: (() => Promise<unknown>)[] = [async () => ({ type: 'none', username: spec.user })];
    for (const s of identityOrder(spec, deps)) {
      steps.push(
        s.kind === 'agent'
          ? () => this.agent(s.socket)
          : s.kind === 'file'
            ? () => this.keyFile(s.file, s.explicit)
            : () => this.interactive(spec.auth, s.only),
      );
    }
    this.steps = steps;
    this.maxTries = spec.sshOptions?.passwordPrompts ?? PASSWORD_TRIES;
  }

  async next(methodsLeft: AuthenticationType[] | null): Promise<unknown> {
    if (methodsLeft && methodsLeft.join() !== this.offered.join()) this.log(`The server accepts: ${methodsLeft.join(', ')}`);
    if (methodsLeft) this.offered = methodsLeft;
    if (this.current && this.current.result === undefined) {
      this.current.result = 'refused';
      this.log(`${this.current.label}: refused`);
    }
    this.current = null;
    while (this.steps.length > 0) {
      const step = this.steps.shift()!;
      const attempt = await step();
      if (attempt) return attempt;
    }
    return false;
  }

  /** set by connect(): ends the login at once with `fatal` (the connection is closed; nothing more is sent) */
  abort: () => void = () => {};

  /** a question the login needs cannot be answered: that is why it fails, said as it is (NO_UI, CANCELLED, …) */
  private readonly giveUp = (why: unknown): void => {
    this.fatal = why instanceof WarrenError ? why : new WarrenError('CANCELLED', `Keyboard-interactive login was not answered: ${String(why)}`);
    this.abort();
  };

  failure(): WarrenError {
    const offered = this.offered.length > 0 ? this.offered : ['(none listed)'];
    const tried = this.tried.map((t) => `${t.label}: ${t.result ?? 'refused'}`);
    const extra = this.keyProblems.length > 0 ? ` Key problems: ${this.keyProblems.join('; ')}.` : '';
    return new WarrenError(
      'AUTH_FAILED',
      `${this.spec.user}@${this.spec.hostname} refused every login Warren tried. The server accepts: ${offered.join(', ')}. Warren tried: ${tried.length > 0 ? tried.join('; ') : 'nothing it was allowed to (check the host\u2019s auth setting)'}.${extra} Check the user name, add the right key to the server\u2019s authorized_keys, or choose another auth method for this host.`,
      { offered, tried, keyProblems: this.keyProblems },
    );
  }

  /**
   * Saves a password/passphrase the user asked to save, once the login it was used for succeeded.
   * Rejects when the secret could not be saved (keychain locked, vault not unlocked): the caller
   * says so, and the login stands.
   */
  async commitSaves(): Promise<void> {
    if (this.pendingSave) await this.deps.secrets.save(this.pendingSave.kind, this.pendingSave.value);
  }

  private allows(method: string): boolean {
    return this.offered.includes(method);
  }

  private begin(label: string): Attempt {
    const a: Attempt = { label };
    this.tried.push(a);
    this.current = a;
    this.lastAttempt = label;
    this.log(`Trying ${label}…`);
    return a;
  }

  private async agent(sock: string): Promise<unknown> {
    if (!this.allows('publickey')) return null;
    // Warren's agent client: ssh2's, plus the certificates the agent holds; with IdentitiesOnly, only the
    // agent's keys that are one of the identity files' (as ssh: the file's .pub, or the key itself)
    const only = this.spec.sshOptions?.identitiesOnly ? await this.identityBlobs() : null;
    const agent = new OnlyTheseKeys(sock, only, (type, cert) => this.acceptsKey(type, cert));
    const count = await new Promise<number>((resolve) => {
      agent.getIdentities((err, keys) => resolve(err || !keys ? -1 : keys.length));
    });
    if (count <= 0) {
      const none = only ? 'the agent holds none of the IdentityFile keys (IdentitiesOnly yes)' : 'the agent holds no keys';
      this.tried.push({ label: 'ssh-agent', result: count === 0 ? none : `the agent at ${sock} did not answer` });
      if (count === 0 && only) this.log(`ssh-agent: ${none}`);
      return null;
    }
    this.begin(`ssh-agent (${count} key${count === 1 ? '' : 's'})`);
    return { type: 'agent', username: this.spec.user, agent };
  }

  private async keyFile(file: string, explicit: boolean): Promise<unknown> {
    if (!this.allows('publickey')) return null;
    let data: Buffer;
    try {
      data = await readBounded(file, KEY_FILE);
    } catch (e) {
      if (explicit) this.keyProblems.push((e as Error).message.replace(/\.$/, ''));
      return null;
    }
    let key = utils.parseKey(data);
    let retry = false;
    let withPassphrase: string | null = null;
    for (let i = 0; key instanceof Error && /passphrase/i.test(key.message) && i < PASSWORD_TRIES; i++) {
      const saved = i === 0 ? await this.deps.secrets.get('passphrase') : null;
      let passphrase = saved;
      if (passphrase === null) {
        if (this.spec.sshOptions?.batchMode) {
          // as ssh in batch mode: the key is skipped, and the failure says why
          this.keyProblems.push(`${file} needs its passphrase, which was not asked for: ssh_config sets BatchMode yes`);
          this.log(`${file}: needs a passphrase; not asked (BatchMode yes)`);
          return null;
        }
        const answer = await this.deps.prompter.ask({ kind: 'passphrase', keyFile: file, retry });
        if (!('value' in answer)) return null;
        passphrase = answer.value;
        if (answer.save) this.pendingSave = { kind: 'passphrase', value: answer.value };
      }
      key = utils.parseKey(data, passphrase);
      retry = true;
      withPassphrase = passphrase;
    }
    if (key instanceof Error) {
      this.keyProblems.push(`${file}: ${key.message}`);
      return null;
    }
    const parsed = (Array.isArray(key) ? key[0] : key) as ParsedKey;
    if (withPassphrase !== null && !(key instanceof Error)) await this.addToAgent(file, parsed);
    // an OpenSSH certificate beside the key (KEY-cert.pub), or ssh_config's CertificateFile for it, is offered first, then the key itself
    const { offers: found, note, problem } = await keyFileOffers(file, parsed, this.spec.sshOptions?.certificateFiles ?? []);
    if (note) this.log(note);
    if (problem) this.keyProblems.push(problem);
    const offers = found.filter((o) => {
      if (this.acceptsKey(o.key.type, o.what === 'certificate')) return true;
      this.log(`${o.file}: not offered: ssh_config's PubkeyAcceptedAlgorithms leaves out ${o.key.type}${o.what === 'certificate' ? ' certificates' : ''}`);
      return false;
    });
    if (offers.length === 0) return null;
    const [first, ...later] = offers;
    this.steps.unshift(...later.map((o) => async () => this.offer(o)));
    return this.offer(first!);
  }

  /** PubkeyAcceptedAlgorithms (ssh_config): whether a key of this type (a certificate of it) may be offered */
  private acceptsKey(type: string, cert = false): boolean {
    const accepted = acceptedKeyAlgorithms(this.spec.sshOptions);
    if (!accepted) return true;
    const base = type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [type];
    return base.some((a) => accepted.includes(cert ? `${a}-cert-v01@openssh.com` : a));
  }

  /** the public keys of the identity files (their .pub, else the private file's public half when it is not encrypted), for IdentitiesOnly */
  private async identityBlobs(): Promise<Buffer[]> {
    const blobs: Buffer[] = [];
    for (const file of identityFiles(this.spec, this.deps.home)) {
      for (const candidate of [`${file}.pub`, file]) {
        const data = await readBounded(candidate, KEY_FILE).catch(() => null);
        const k = data && utils.parseKey(data);
        if (!k || k instanceof Error) continue;
        blobs.push(((Array.isArray(k) ? k[0] : k) as ParsedKey).getPublicSSH());
        break;
      }
    }
    return blobs;
  }

  /** AddKeysToAgent (ssh_config): a key file whose passphrase was given goes to the agent, as ssh adds it */
  private async addToAgent(file: string, key: ParsedKey): Promise<void> {
    const add = this.spec.sshOptions?.addKeysToAgent;
    const socket = agentSocketOf(this.spec, this.deps.agentSocket);
    if (!add || !socket) return;
    try {
      await new AgentClient(socket).add(agentKey(key), file, { confirm: add.confirm, lifetimeSeconds: add.lifetimeSeconds });
      const how = [add.confirm && 'confirm each use', add.lifetimeSeconds && `for ${add.lifetimeSeconds} s`].filter(Boolean).join(', ');
      this.log(`Added ${file} to the agent (AddKeysToAgent${how ? `: ${how}` : ''})`);
    } catch (e) {
      this.log(`${file} could not be added to the agent: ${(e as Error).message}`);
    }
  }

  private offer(o: KeyOffer): unknown {
    this.begin(o.what === 'certificate' ? `certificate ${o.file}` : `key ${o.file} (${o.key.type})`);
    return { type: 'publickey', username: this.spec.user, key: o.key };
  }

  /**
   * Password and keyboard-interactive. A saved password is tried first; the user is asked (at most
   * three times, as OpenSSH does) when none is saved or it was refused. When the server accepts only
   * keyboard-interactive, a password answers its password prompt.
   */
  private async interactive(method: AuthMethod, only?: 'password' | 'keyboard-interactive'): Promise<unknown> {
    const usePassword = (only ?? method) !== 'keyboard-interactive' && this.allows('password');
    const useKbd = only !== 'password' && this.allows('keyboard-interactive');
    if (!usePassword && !useKbd) return null;
    const counter = only ?? 'any';
    const tries = this.passwordTries.get(counter) ?? 0;
    if (tries >= this.maxTries) return null;
    if (this.spec.sshOptions?.batchMode) {
      // no saved password for a name from ssh_config, and nobody may be asked
      this.tried.push({ label: usePassword ? 'password' : 'keyboard-interactive', result: 'not asked: ssh_config sets BatchMode yes' });
      return null;
    }
    this.passwordTries.set(counter, tries + 1);
    // come back here after this attempt, for the next try
    this.steps.unshift(() => this.interactive(method, only));
    if (usePassword || (method === 'password' && only === undefined)) {
      const password = await this.password(tries === 0);
      if (password === null) return null;
      if (usePassword) {
        this.begin('password');
        return { type: 'password', username: this.spec.user, password };
      }
      this.begin('keyboard-interactive (password)');
      return { type: 'keyboard-interactive', username: this.spec.user, prompt: kbdAnswer(() => Promise.resolve(Array(8).fill(password) as string[])) };
    }
    this.begin('keyboard-interactive');
    return {
      type: 'keyboard-interactive',
      username: this.spec.user,
      prompt: kbdAnswer(async (name, instructions, prompts) => {
        const answer = await this.deps.prompter.ask({
          kind: 'keyboard-interactive',
          host: this.spec.hostname,
          user: this.spec.user,
          name,
          instructions,
          prompts,
        });
        if (!('values' in answer)) throw new WarrenError('CANCELLED', 'Keyboard-interactive login was cancelled.');
        return answer.values;
      }, this.giveUp),
    };
  }

  private async password(first: boolean): Promise<string | null> {
    if (first) {
      const saved = await this.deps.secrets.get('password');
      if (saved !== null) return saved;
    }
    const answer = await this.deps.prompter.ask({ kind: 'password', host: this.spec.hostname, user: this.spec.user, retry: !first });
    if (!('value' in answer)) return null;
    this.pendingSave = answer.save ? { kind: 'password', value: answer.value } : this.pendingSave;
    return answer.value;
  }
}

type KbdAsk = (name: string, instructions: string, prompts: { prompt: string; echo: boolean }[]) => Promise<string[]>;

/**
 * ssh2's keyboard-interactive prompt callback from an async `ask`. When `ask` fails (nobody can answer,
 * the user cancelled, the question timed out) `giveUp` ends the login with that reason, so the server
 * never receives empty answers (OpenSSH drops the connection for them; other servers count them as
 * failed logins); without `giveUp` (the doctor's automatic answers), nothing is answered.
 */
export function kbdAnswer(ask: KbdAsk, giveUp?: (why: unknown) => void) {
  return (name: string, instructions: string, _lang: string, prompts: { prompt: string; echo?: boolean }[], finish: (answers: string[]) => void) => {
    if (prompts.length === 0) return finish([]);
    ask(
      name,
      instructions,
      prompts.map((p) => ({ prompt: p.prompt, echo: p.echo === true })),
    )
      .then((values) => finish(prompts.map((_, i) => values[i] ?? '')))
      .catch((e: unknown) => (giveUp ? giveUp(e) : finish([])));
  };
}

/** The agent's keys, less those a login may not offer: with IdentitiesOnly, only `blobs`; a type PubkeyAcceptedAlgorithms leaves out never. */
class OnlyTheseKeys extends LoginAgent {
  constructor(
    socket: string,
    private readonly blobs: Buffer[] | null,
    private readonly accepts: (type: string, cert: boolean) => boolean,
  ) {
    super(socket);
  }

  override getIdentities(cb: (err: Error | null, keys?: ParsedKey[]) => void): void {
    super.getIdentities((err, keys) => {
      if (err || !keys) return cb(err);
      cb(
        null,
        keys.filter((k) => {
          const mark = certMarkOf(k);
          const type = mark ? mark.baseType : k.type;
          return this.accepts(type, mark !== undefined) && (this.blobs === null || this.blobs.some((b) => b.equals(k.getPublicSSH())));
        }),
      );
    });
  }
}
