// Where passwords and passphrases live: the OS keychain when it works, else a vault file sealed
// with a master passphrase. Pure Node (no electron): the prompt arrives as a callback.
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { WarrenError } from '../../shared/errors.js';

export interface Secrets {
  readonly backend: 'keychain' | 'vault';
  /** one line for the UI: which store, and for the vault why the keychain was not used */
  readonly detail: string;
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<void>;
}

/** the keytar API subset we use */
export interface KeychainLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export interface SecretsOptions {
  dataDir: string;
  /** keychain service name; default 'warren' */
  service?: string;
  /** asks the user for the vault's master passphrase: 'create' the first time (no vault file yet), 'unlock' later; retry=true after a wrong one. Rejects if the user cancels. */
  askVaultPassphrase(mode: 'create' | 'unlock', retry: boolean): Promise<string>;
  /** 'auto' (default): keychain if it answers a probe, else vault. 'vault' forces the vault. */
  prefer?: 'auto' | 'vault';
  /** injected keychain (tests); default: the OS keychain through @napi-rs/keyring */
  keychain?: KeychainLike;
}

const PROBE_ACCOUNT = 'warren-keychain-probe';
const PROBE_TIMEOUT_MS = 3000;
const MAX_TRIES = 3;

export async function createSecrets(options: SecretsOptions): Promise<Secrets> {
  const service = options.service ?? 'warren';
  let why: string | undefined;
  if (options.prefer !== 'vault') {
    try {
      const keychain = options.keychain ?? (await osKeychain());
      why = await keychainProblem(keychain, service);
      if (why === '') return serialised(keychainSecrets(keychain, service));
    } catch (e) {
      why = `the keyring module did not load (${messageOf(e)})`;
    }
  }
  const vault = new Vault(join(options.dataDir, 'vault.json'), options.askVaultPassphrase);
  return serialised({
    backend: 'vault',
    detail: `vault ${vault.file}, sealed with your master passphrase (scrypt + AES-256-GCM)${why ? `; OS keychain not used: ${why}` : ''}`,
    get: (account) => vault.get(account),
    set: (account, secret) => vault.set(account, secret),
    delete: (account) => vault.delete(account),
  });
}

// ---- the OS keychain ----

/**
 * The OS keychain with the keytar API. On Linux it is pinned to the Secret Service: the keytar
 * module of @napi-rs/keyring would silently fall back to the kernel keyring, which forgets
 * everything at reboot.
 */
async function osKeychain(): Promise<KeychainLike> {
  const { AsyncEntry } = await import('@napi-rs/keyring');
  // async, so that a constructor that throws (no Secret Service) becomes a rejection
  const entry = async (service: string, account: string) => new AsyncEntry(service, account, { linux: { store: 'secret-service' } });
  return {
    getPassword: async (service, account) => (await entry(service, account)).getPassword(),
    setPassword: async (service, account, password) => (await entry(service, account)).setPassword(password),
    deletePassword: async (service, account) => (await entry(service, account)).deletePassword(),
  };
}

/** '' when the keychain reads, stores, gives back and deletes a probe item in time; else why not */
async function keychainProblem(keychain: KeychainLike, service: string): Promise<string> {
  const probe = async () => {
    await keychain.getPassword(service, PROBE_ACCOUNT);
    const value = randomBytes(12).toString('base64');
    await keychain.setPassword(service, PROBE_ACCOUNT, value);
    const back = await keychain.getPassword(service, PROBE_ACCOUNT);
    await keychain.deletePassword(service, PROBE_ACCOUNT);
    return back === value ? '' : 'the OS keychain gave back something other than what was stored';
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`the OS keychain did not answer within ${PROBE_TIMEOUT_MS / 1000} s`), PROBE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([probe(), timeout]);
  } catch (e) {
    const message = messageOf(e);
    return /d-?bus/i.test(message) ? `no Secret Service on D-Bus (${message})` : `the OS keychain failed a test (${message})`;
  } finally {
    clearTimeout(timer);
  }
}

function keychainName(): string {
  return process.platform === 'darwin' ? 'macOS Keychain' : process.platform === 'win32' ? 'Windows Credential Manager' : 'Secret Service';
}

function keychainSecrets(keychain: KeychainLike, service: string): Secrets {
  const guard = async <T>(verb: string, op: () => Promise<T>): Promise<T> => {
    try {
      return await op();
    } catch (e) {
      throw new WarrenError('SECRETS', `The OS keychain failed to ${verb} a secret: ${messageOf(e)}. Check that it is running and unlocked, then try again.`);
    }
  };
  return {
    backend: 'keychain',
    detail: `OS keychain (${keychainName()}) via @napi-rs/keyring`,
    get: (account) => guard('read', () => keychain.getPassword(service, account)),
    set: (account, secret) => guard('store', () => keychain.setPassword(service, account, secret)),
    delete: async (account) => {
      await guard('delete', () => keychain.deletePassword(service, account));
    },
  };
}

// ---- the vault ----

/** base64 of exactly (or at least) so many bytes: a wrong IV or tag length is a damaged file, not a wrong passphrase */
const bytes = (length: number, atLeast = false) =>
  z.base64().refine((b64) => (atLeast ? Buffer.from(b64, 'base64').length >= length : Buffer.from(b64, 'base64').length === length));
const Kdf = z.object({
  name: z.literal('scrypt'),
  N: z
    .number()
    .int()
    .min(2 ** 14)
    .max(2 ** 20)
    .refine((n) => (n & (n - 1)) === 0, 'N must be a power of two'),
  r: z.number().int().min(1).max(8),
  p: z.number().int().min(1).max(4),
  salt: bytes(16, true),
});
type Kdf = z.infer<typeof Kdf>;
const VaultFile = z.object({ version: z.literal(1), kdf: Kdf, iv: bytes(12), tag: bytes(16), data: z.base64() });
type VaultFile = z.infer<typeof VaultFile>;

interface Unlocked {
  kdf: Kdf;
  key: Buffer;
  entries: Map<string, string>;
}

/**
 * `<dataDir>/vault.json`: the JSON map {account: secret}, AES-256-GCM sealed under a key that
 * scrypt derives from the master passphrase. The file is read on every call (another Warren
 * process may have written it); the key is kept after the first unlock, so the passphrase is
 * asked once per run. Reading from a vault that does not exist yet asks nothing.
 */
class Vault {
  private key: { kdf: Kdf; key: Buffer } | undefined;

  constructor(
    readonly file: string,
    private readonly ask: SecretsOptions['askVaultPassphrase'],
  ) {}

  async get(account: string): Promise<string | null> {
    return (await this.open())?.entries.get(account) ?? null;
  }

  async set(account: string, secret: string): Promise<void> {
    const vault = (await this.open()) ?? (await this.create());
    vault.entries.set(account, secret);
    await this.write(vault);
  }

  async delete(account: string): Promise<void> {
    const vault = await this.open();
    if (vault?.entries.delete(account)) await this.write(vault);
  }

  /** the unlocked vault, or undefined when there is no vault file yet */
  private async open(): Promise<Unlocked | undefined> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      if (codeOf(e) === 'ENOENT') return undefined;
      throw new WarrenError('SECRETS', `Could not read the vault ${this.file}: ${messageOf(e)}. Check the file's permissions.`);
    }
    const sealed = parseVaultFile(text);
    if (!sealed) return this.moveAside('could not be read as a Warren vault');
    if (this.key && sameKdf(this.key.kdf, sealed.kdf)) {
      const plain = unseal(sealed, this.key.key);
      if (plain) return { ...this.key, entries: await this.entriesOf(plain) };
    }
    this.key = undefined;
    for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
      const key = await deriveKey(await this.prompt('unlock', attempt > 0), sealed.kdf);
      const plain = unseal(sealed, key);
      if (!plain) continue;
      this.key = { kdf: sealed.kdf, key };
      return { ...this.key, entries: await this.entriesOf(plain) };
    }
    throw new WarrenError('SECRETS', 'The vault passphrase was wrong three times; secrets stay locked. Try again from the host editor.');
  }

  private async create(): Promise<Unlocked> {
    const passphrase = await this.prompt('create', false);
    if (passphrase === '')
      throw new WarrenError('SECRETS', 'The vault needs a master passphrase that is not empty; nothing was saved. Try again from the host editor.');
    const kdf: Kdf = { name: 'scrypt', N: 2 ** 15, r: 8, p: 1, salt: randomBytes(16).toString('base64') };
    this.key = { kdf, key: await deriveKey(passphrase, kdf) };
    return { ...this.key, entries: new Map() };
  }

  private async prompt(mode: 'create' | 'unlock', retry: boolean): Promise<string> {
    try {
      return await this.ask(mode, retry);
    } catch (e) {
      if (e instanceof WarrenError) throw e;
      throw new WarrenError('SECRETS', `Could not ask for the vault passphrase (${messageOf(e)}); secrets stay locked.`);
    }
  }

  private async entriesOf(plain: Buffer): Promise<Map<string, string>> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(plain.toString('utf8'));
    } catch {
      parsed = undefined;
    }
    // not a zod record: JSON.parse keeps an account named '__proto__' as a plain key, zod drops it
    const entries = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? Object.entries(parsed) : undefined;
    if (entries?.every((entry): entry is [string, string] => typeof entry[1] === 'string')) return new Map(entries);
    return this.moveAside('decrypted to something other than a map of secrets');
  }

  private async write(vault: Unlocked): Promise<void> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', vault.key, iv);
    const data = Buffer.concat([cipher.update(JSON.stringify(Object.fromEntries(vault.entries)), 'utf8'), cipher.final()]);
    const sealed: VaultFile = {
      version: 1,
      kdf: vault.kdf,
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    };
    const temp = `${this.file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
      const handle = await open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(sealed, null, 2)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.file);
    } catch (e) {
      await rm(temp, { force: true });
      throw new WarrenError(
        'SECRETS',
        `Could not save the vault ${this.file}: ${messageOf(e)}. Check free space and the folder's permissions; the secret was not saved.`,
      );
    }
  }

  /** a damaged vault is never overwritten: it is renamed, untouched, and the caller is told where it went */
  private async moveAside(what: string): Promise<never> {
    const aside = `${this.file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    try {
      await rename(this.file, aside);
    } catch (e) {
      throw new WarrenError('SECRETS', `The vault ${this.file} ${what}, and moving it aside failed (${messageOf(e)}). Move or restore it by hand.`);
    }
    throw new WarrenError(
      'SECRETS',
      `The vault ${this.file} ${what}. It was moved, untouched, to ${aside}; the next secret you save starts a new vault. Restore the old one from a backup if you have one.`,
      { movedTo: aside },
    );
  }
}

function deriveKey(passphrase: string, kdf: Kdf): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // scrypt needs ~128·N·r bytes; Node's default maxmem (32 MiB) is exactly too small for N=2^15, r=8
    scrypt(passphrase, Buffer.from(kdf.salt, 'base64'), 32, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r }, (e, key) =>
      e ? reject(e) : resolve(key),
    );
  });
}

/** the plaintext, or undefined when GCM authentication fails (wrong key, or tampered data) */
function unseal(sealed: VaultFile, key: Buffer): Buffer | undefined {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
  } catch {
    return undefined;
  }
}

function sameKdf(a: Kdf, b: Kdf): boolean {
  return a.salt === b.salt && a.N === b.N && a.r === b.r && a.p === b.p;
}

// ---- helpers ----

function serialised(secrets: Secrets): Secrets {
  let tail: Promise<unknown> = Promise.resolve();
  const queue = <T>(op: () => Promise<T>): Promise<T> => {
    const run = tail.then(op);
    tail = run.catch(() => undefined);
    return run;
  };
  return {
    backend: secrets.backend,
    detail: secrets.detail,
    get: (account) => queue(() => secrets.get(account)),
    set: (account, secret) => queue(() => secrets.set(account, secret)),
    delete: (account) => queue(() => secrets.delete(account)),
  };
}

function parseVaultFile(text: string): VaultFile | undefined {
  try {
    const parsed = VaultFile.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function codeOf(e: unknown): unknown {
  return e instanceof Error && 'code' in e ? e.code : undefined;
}
