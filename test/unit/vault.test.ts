import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WarrenError } from '../../shared/errors.js';
import { createSecrets, type KeychainLike } from '../../electron/store/secrets.js';

const PASS = 'correct horse battery staple';
const SECRET = 'hunter2-very-secret';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'warren-vault-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** a prompt that answers from a script and records what it was asked */
function prompter(...answers: string[]) {
  const asked: string[] = [];
  const ask = async (mode: 'create' | 'unlock', retry: boolean) => {
    asked.push(`${mode}${retry ? ' retry' : ''}`);
    const answer = answers.shift();
    if (answer === undefined) throw new WarrenError('CANCELLED', 'the test has no more answers');
    return answer;
  };
  return { asked, ask };
}

const vault = (ask: ReturnType<typeof prompter>['ask']) => createSecrets({ dataDir, prefer: 'vault', askVaultPassphrase: ask });
const vaultFile = () => join(dataDir, 'vault.json');

async function secretsError(promise: Promise<unknown>): Promise<WarrenError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WarrenError);
  expect((error as WarrenError).code).toBe('SECRETS');
  return error as WarrenError;
}

describe('vault', () => {
  it('round-trips set/get/delete across two instances, and asks nothing before it is needed', async () => {
    const first = prompter(PASS);
    const a = await vault(first.ask);
    expect(a.backend).toBe('vault');
    expect(a.detail).toContain(vaultFile());
    expect(await a.get('nobody')).toBeNull(); // no vault yet: nothing to unlock
    expect(first.asked).toEqual([]);
    await a.set('host:1', SECRET);
    await a.set('host:2', 'other');
    expect(await a.get('host:1')).toBe(SECRET);
    expect(first.asked).toEqual(['create']);

    const second = prompter(PASS);
    const b = await vault(second.ask);
    expect(await b.get('host:1')).toBe(SECRET);
    await b.delete('host:1');
    expect(await b.get('host:1')).toBeNull();
    expect(second.asked).toEqual(['unlock']);

    const third = await vault(prompter(PASS).ask);
    expect(await third.get('host:1')).toBeNull();
    expect(await third.get('host:2')).toBe('other');
  });

  it('writes a 0600 file that holds neither the secret nor the passphrase, with a fresh IV each time', async () => {
    const secrets = await vault(prompter(PASS).ask);
    await secrets.set('host:1', SECRET);
    const before = JSON.parse(await readFile(vaultFile(), 'utf8')) as { iv: string; kdf: { name: string; N: number } };
    await secrets.set('host:1', SECRET);
    const text = await readFile(vaultFile(), 'utf8');
    const after = JSON.parse(text) as typeof before;
    for (const needle of [SECRET, PASS, Buffer.from(SECRET).toString('base64'), Buffer.from(PASS).toString('base64')]) {
      expect(text).not.toContain(needle);
    }
    expect(after.kdf).toMatchObject({ name: 'scrypt', N: 2 ** 15, r: 8, p: 1 });
    expect(after.iv).not.toBe(before.iv);
    expect((await stat(vaultFile())).mode & 0o777).toBe(0o600);
    expect(await readdir(dataDir)).toEqual(['vault.json']); // no temporary files left behind
  });

  it('asks again after a wrong passphrase, with retry=true', async () => {
    await (await vault(prompter(PASS).ask)).set('host:1', SECRET);
    const p = prompter('wrong', PASS);
    const secrets = await vault(p.ask);
    expect(await secrets.get('host:1')).toBe(SECRET);
    expect(p.asked).toEqual(['unlock', 'unlock retry']);
  });

  it('stays locked after three wrong passphrases, and can be unlocked later', async () => {
    await (await vault(prompter(PASS).ask)).set('host:1', SECRET);
    const p = prompter('wrong1', 'wrong2', 'wrong3', PASS);
    const secrets = await vault(p.ask);
    const error = await secretsError(secrets.get('host:1'));
    expect(error.message).toMatch(/wrong three times/);
    expect(p.asked).toEqual(['unlock', 'unlock retry', 'unlock retry']);
    expect(await secrets.get('host:1')).toBe(SECRET);
  });

  it('passes a cancelled prompt through', async () => {
    await (await vault(prompter(PASS).ask)).set('host:1', SECRET);
    const error = await (await vault(prompter().ask)).get('host:1').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CANCELLED' });
  });

  it('moves a corrupt vault aside, never overwriting it, and says where it went', async () => {
    await writeFile(vaultFile(), '{"version":1,"kdf":', { mode: 0o600 });
    const p = prompter(PASS);
    const secrets = await vault(p.ask);
    const error = await secretsError(secrets.get('host:1'));
    const aside = (await readdir(dataDir)).filter((name) => name.startsWith('vault.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(error.message).toContain(join(dataDir, aside[0]!));
    expect(await readFile(join(dataDir, aside[0]!), 'utf8')).toBe('{"version":1,"kdf":');
    expect(p.asked).toEqual([]);
    // the next save starts a new vault
    await secrets.set('host:1', SECRET);
    expect(await secrets.get('host:1')).toBe(SECRET);
  });

  it('treats a vault with a mangled IV as damaged, not as a wrong passphrase', async () => {
    await (await vault(prompter(PASS).ask)).set('host:1', SECRET);
    const sealed = JSON.parse(await readFile(vaultFile(), 'utf8')) as { iv: string };
    await writeFile(vaultFile(), JSON.stringify({ ...sealed, iv: 'AAAA' }));
    const p = prompter(PASS);
    const error = await secretsError((await vault(p.ask)).get('host:1'));
    expect(error.message).toMatch(/moved, untouched, to .*vault\.json\.corrupt-/);
    expect(p.asked).toEqual([]);
  });

  it('serialises concurrent calls: one prompt for many gets', async () => {
    await (await vault(prompter(PASS).ask)).set('host:1', SECRET);
    const p = prompter(PASS, PASS, PASS);
    const secrets = await vault(p.ask);
    const results = await Promise.all([secrets.get('host:1'), secrets.get('host:1'), secrets.get('nobody'), secrets.set('host:2', 'x')]);
    expect(results).toEqual([SECRET, SECRET, null, undefined]);
    expect(p.asked).toEqual(['unlock']);
  });
});

describe('keychain selection', () => {
  const memoryKeychain = (): KeychainLike & { items: Map<string, string> } => {
    const items = new Map<string, string>();
    return {
      items,
      getPassword: async (service, account) => items.get(`${service}/${account}`) ?? null,
      setPassword: async (service, account, password) => void items.set(`${service}/${account}`, password),
      deletePassword: async (service, account) => items.delete(`${service}/${account}`),
    };
  };

  it('uses a keychain that passes the probe, and leaves no probe item behind', async () => {
    const keychain = memoryKeychain();
    const secrets = await createSecrets({ dataDir, keychain, askVaultPassphrase: prompter().ask });
    expect(secrets.backend).toBe('keychain');
    await secrets.set('host:1', SECRET);
    expect([...keychain.items]).toEqual([['warren/host:1', SECRET]]);
  });

  it('falls back to the vault and says why when the keychain fails the probe', async () => {
    const keychain = { ...memoryKeychain(), getPassword: () => Promise.reject(new Error('DBus error: no socket')) };
    const secrets = await createSecrets({ dataDir, keychain, askVaultPassphrase: prompter().ask });
    expect(secrets.backend).toBe('vault');
    expect(secrets.detail).toMatch(/OS keychain not used: no Secret Service on D-Bus \(DBus error: no socket\)/);
  });

  it('falls back to the vault when the keychain does not answer within 3 s', async () => {
    vi.useFakeTimers();
    try {
      const keychain = { ...memoryKeychain(), getPassword: () => new Promise<null>(() => {}) };
      const pending = createSecrets({ dataDir, keychain, askVaultPassphrase: prompter().ask });
      await vi.advanceTimersByTimeAsync(3000);
      const secrets = await pending;
      expect(secrets.backend).toBe('vault');
      expect(secrets.detail).toMatch(/OS keychain not used: the OS keychain did not answer within 3 s/);
    } finally {
      vi.useRealTimers();
    }
  });

  it('turns a keychain failure at run time into a SECRETS error', async () => {
    const keychain = memoryKeychain();
    const secrets = await createSecrets({ dataDir, keychain, askVaultPassphrase: prompter().ask });
    keychain.setPassword = () => Promise.reject(new Error('collection is locked'));
    const error = await secretsError(secrets.set('host:1', SECRET));
    expect(error.message).toMatch(/OS keychain failed to store a secret: collection is locked/);
  });
});
