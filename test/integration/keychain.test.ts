// The secrets store against a real gnome-keyring on a private D-Bus. Run it through the harness:
//   test/with-keyring.sh npx vitest run --project integration test/integration/keychain.test.ts
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecrets, type Secrets } from '../../electron/store/secrets.js';

// Never write into the keyring of whoever runs this: only into the throw-away one of the harness.
if (!process.env.WARREN_TEST_KEYRING || !process.env.DBUS_SESSION_BUS_ADDRESS) {
  throw new Error(
    'keychain.test.ts needs the throw-away keyring of test/with-keyring.sh (a private D-Bus with gnome-keyring). Run:\n' +
      '  test/with-keyring.sh npx vitest run --project integration test/integration/keychain.test.ts\n' +
      'or `npm run test:integration`.',
  );
}

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../..', import.meta.url));
const noPrompt = () => Promise.reject(new Error('the vault must not be asked for in this test'));

/** @napi-rs/keyring stores an item with attributes {service, username} and label keyring:<username>@<service> */
async function lookup(account: string): Promise<string | null> {
  try {
    return (await run('secret-tool', ['lookup', 'service', 'warren', 'username', account])).stdout;
  } catch (e) {
    if ((e as { code?: unknown }).code === 1) return null; // secret-tool's "no such item"
    throw e;
  }
}

let dataDir: string;
let secrets: Secrets;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'warren-keychain-'));
  secrets = await createSecrets({ dataDir, askVaultPassphrase: noPrompt });
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('OS keychain (gnome-keyring under a private D-Bus)', () => {
  it('is chosen, and says so', () => {
    expect(secrets.backend).toBe('keychain');
    expect(secrets.detail).toBe('OS keychain (Secret Service) via @napi-rs/keyring');
  });

  it('stores what the real secret-tool finds, persists it, and deletes it', async () => {
    const account = `host:${randomBytes(6).toString('hex')}:password`;
    const secret = `pw-${randomBytes(9).toString('base64')}`;
    await secrets.set(account, secret);
    expect(await lookup(account)).toBe(secret);
    const found = await run('secret-tool', ['search', '--all', 'service', 'warren', 'username', account]);
    const item = found.stdout + found.stderr; // secret-tool prints the schema and attributes on stderr
    expect(item).toContain(`label = keyring:${account}@warren`);
    expect(item).toContain('attribute.service = warren');
    expect(item).toContain(`attribute.username = ${account}`);

    const again = await createSecrets({ dataDir, askVaultPassphrase: noPrompt });
    expect(await again.get(account)).toBe(secret);

    await secrets.delete(account);
    expect(await lookup(account)).toBeNull();
    expect(await again.get(account)).toBeNull();
    await secrets.delete(account); // deleting what is gone is fine
  });

  it('reads an item another program stored with the same attributes', async () => {
    const account = `host:${randomBytes(6).toString('hex')}:passphrase`;
    const child = execFile('secret-tool', ['store', '--label=from secret-tool', 'service', 'warren', 'username', account]);
    child.stdin?.end('stored-elsewhere');
    await new Promise((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve(code) : reject(new Error(`secret-tool store exited ${code}`)))));
    expect(await secrets.get(account)).toBe('stored-elsewhere');
    await secrets.delete(account);
  });

  it('leaves no probe item behind', async () => {
    expect(await lookup('warren-keychain-probe')).toBeNull();
  });

  it('falls back to the vault, saying why, when D-Bus is not there', async () => {
    const script = `
      const { createSecrets } = await import(${JSON.stringify(new URL('../../electron/store/secrets.ts', import.meta.url).href)});
      const s = await createSecrets({ dataDir: ${JSON.stringify(dataDir)}, askVaultPassphrase: () => Promise.reject(new Error('no')) });
      console.log(JSON.stringify({ backend: s.backend, detail: s.detail }));`;
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dataDir, 'no-such-bus')}` };
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repo, env });
    const chosen = JSON.parse(stdout) as { backend: string; detail: string };
    expect(chosen.backend).toBe('vault');
    expect(chosen.detail).toContain(join(dataDir, 'vault.json'));
    expect(chosen.detail).toMatch(/OS keychain not used: no Secret Service on D-Bus \(.*no-such-bus/);
  });
});
