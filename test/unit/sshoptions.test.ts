// What an ssh_config says of trust and connecting, as a connection to a name resolved through it
// applies it: lookupHost's options (paths expanded as ssh expands them), trustOf (which files, which
// name), and the endpoint that carries them.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointFor } from '../../electron/ssh/endpoints.js';
import { trustOf } from '../../electron/ssh/hostkey.js';
import { lookupHost, type ConfiguredHost, type SshOptions } from '../../electron/sshconfig/lookup.js';

let dir: string;
const home = '/home/someone';
const localUser = userInfo().username;

async function lookup(config: string, alias = 'box'): Promise<ConfiguredHost> {
  const file = join(dir, `config-${Math.random().toString(36).slice(2)}`);
  await writeFile(file, config);
  return lookupHost(alias, { file, home, localUser });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warren-sshoptions-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** what lookupHost says of the login, session and algorithm options when the config sets none of them */
const SESSION_DEFAULTS = { identitiesOnly: false, certificateFiles: [], setEnv: {}, sendEnv: [], requestTty: 'auto', algorithms: {} };

describe('lookupHost: the options a connection applies', () => {
  it('defaults, as ssh: ask, no files of the config (Warren’s own then), /etc/ssh global files, one attempt, no timeout', async () => {
    const c = await lookup('Host box\n  HostName 10.0.0.1\n');
    expect(c.options).toEqual({
      globalKnownHostsFiles: ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'],
      strictHostKeyChecking: 'ask',
      hashKnownHosts: false,
      batchMode: false,
      connectionAttempts: 1,
      ...SESSION_DEFAULTS,
    });
    expect(c.optionsSet).toBe(false);
  });

  it('each setting, in the spellings ssh accepts, with ~ and %-tokens expanded as ssh expands them', async () => {
    const c = await lookup(
      [
        'Host box',
        '  HostName Target.Example',
        '  User alice',
        '  Port 2200',
        '  UserKnownHostsFile ~/kh/%h-%p-%r %d/second-%u-%n-%k "/with space/%%"',
        '  GlobalKnownHostsFile /etc/g1 ~/g2-%L',
        '  HostKeyAlias Box.Alias',
        '  StrictHostKeyChecking off',
        '  HashKnownHosts true',
        '  BatchMode yes',
        '  ConnectTimeout 1m5s',
        '  ConnectionAttempts 3',
        '',
      ].join('\n'),
    );
    expect(c.options).toEqual({
      userKnownHostsFiles: [`${home}/kh/target.example-2200-alice`, `${home}/second-${localUser}-box-box.alias`, '/with space/%'],
      globalKnownHostsFiles: ['/etc/g1', `${home}/g2-${hostname().split('.')[0]}`],
      hostKeyAlias: 'box.alias',
      strictHostKeyChecking: 'no',
      hashKnownHosts: true,
      batchMode: true,
      connectTimeout: 65,
      connectionAttempts: 3,
      ...SESSION_DEFAULTS,
    });
    expect(c.optionsSet).toBe(true);
    for (const [value, mode] of [
      ['yes', 'yes'],
      ['true', 'yes'],
      ['accept-new', 'accept-new'],
      ['no', 'no'],
      ['ask', 'ask'],
    ])
      expect((await lookup(`Host box\n  StrictHostKeyChecking ${value}\n`)).options.strictHostKeyChecking).toBe(mode);
  });

  it('the login, session and algorithm options, as ssh reads them', async () => {
    process.env.WARREN_TEST_AGENT = '/run/agent.sock';
    const c = await lookup(
      [
        'Host box',
        '  User alice',
        '  IdentitiesOnly yes',
        '  IdentityFile ~/.ssh/one-%r',
        '  IdentityFile /two',
        '  CertificateFile ~/.ssh/one-cert.pub',
        '  IdentityAgent ~/agent-%r.sock',
        '  AddKeysToAgent confirm 1h',
        '  PreferredAuthentications password,keyboard-interactive,publickey',
        '  KbdInteractiveAuthentication no',
        '  NumberOfPasswordPrompts 1',
        '  SetEnv A="x y" B=2',
        '  SetEnv C=3',
        '  SendEnv LC_* -LC_ALL X',
        '  RequestTTY force',
        '  RemoteCommand echo %n-%r ~',
        '  Ciphers ^aes256-ctr',
        '',
      ].join('\n'),
    );
    expect(c.options).toMatchObject({
      identitiesOnly: true,
      identityFiles: [`${home}/.ssh/one-alice`, '/two'],
      certificateFiles: [`${home}/.ssh/one-cert.pub`],
      identityAgent: `${home}/agent-alice.sock`,
      addKeysToAgent: { confirm: true, lifetimeSeconds: 3600 },
      authMethods: ['password', 'publickey'],
      passwordPrompts: 1,
      // only the first SetEnv line counts, as in ssh
      setEnv: { A: 'x y', B: '2' },
      sendEnv: ['LC_*', 'X'],
      requestTty: 'force',
      remoteCommand: 'echo box-alice ~',
      algorithms: { ciphers: '^aes256-ctr' },
    });
    expect(c.notApplied).toEqual([]);
    expect((await lookup('Host box\n  IdentityAgent none\n')).options.identityAgent).toBeNull();
    expect((await lookup('Host box\n  IdentityAgent $WARREN_TEST_AGENT\n')).options.identityAgent).toBe('/run/agent.sock');
    expect((await lookup('Host box\n  AddKeysToAgent no\n')).options.addKeysToAgent).toBeUndefined();
    // ChallengeResponseAuthentication is the old name of KbdInteractiveAuthentication; unset, ssh's order
    expect((await lookup('Host box\n  ChallengeResponseAuthentication no\n')).options.authMethods).toEqual(['publickey', 'password']);
    expect((await lookup('Host box\n  HostName h\n')).options.authMethods).toBeUndefined();
  });

  it('none: no user file; GlobalKnownHostsFile none: no global file', async () => {
    const c = await lookup('Host box\n  UserKnownHostsFile none\n  GlobalKnownHostsFile none\n');
    expect(c.options.userKnownHostsFiles).toEqual([]);
    expect(c.options.globalKnownHostsFiles).toEqual([]);
  });

  it('the first value wins, as ssh: a later block does not override UserKnownHostsFile', async () => {
    const c = await lookup('Host box\n  UserKnownHostsFile /first\nHost *\n  UserKnownHostsFile /second\n  StrictHostKeyChecking yes\n');
    expect(c.options.userKnownHostsFiles).toEqual(['/first']);
    expect(c.options.strictHostKeyChecking).toBe('yes');
  });

  it('the keywords it applies are not noted as not applied; those it does not apply still are', async () => {
    const c = await lookup(
      'Host box\n  StrictHostKeyChecking no\n  UserKnownHostsFile /kh\n  HashKnownHosts yes\n  ConnectTimeout 3\n  BatchMode yes\n  HostKeyAlias a\n  IdentitiesOnly yes\n' +
        '  IdentityAgent none\n  IdentityFile /k1\n  IdentityFile /k2\n  CertificateFile /k1-cert.pub\n  AddKeysToAgent yes\n' +
        '  PreferredAuthentications password\n  PubkeyAuthentication no\n  PasswordAuthentication no\n  KbdInteractiveAuthentication no\n' +
        '  NumberOfPasswordPrompts 1\n  SetEnv A=1\n  SendEnv B\n  RequestTTY yes\n  RemoteCommand uptime\n  ExitOnForwardFailure yes\n' +
        '  Ciphers aes128-ctr\n  MACs hmac-sha1\n  KexAlgorithms +diffie-hellman-group14-sha1\n  HostKeyAlgorithms ssh-ed25519\n' +
        '  PubkeyAcceptedAlgorithms ssh-ed25519\n  Compression yes\n',
    );
    expect(c.notApplied.map((n) => n.keyword)).toEqual(['compression']);
  });

  it('ServerAliveInterval 0, said, turns keepalive off; unsaid, Warren keeps its 15 s', async () => {
    const off = await lookup('Host box\n  ServerAliveInterval 0\n');
    expect(off.settings.keepaliveInterval).toBe(0);
    const unsaid = await lookup('Host box\n  HostName 10.0.0.1\n');
    expect(unsaid.settings.keepaliveInterval).toBeUndefined();
    const dir_ = { host: () => ({ id: '', name: '' }), resolve: () => ({}) as never, named: () => undefined };
    expect(endpointFor({ quick: { hostname: 'box' } }, { ...dir_, configured: () => off }).spec.keepaliveInterval).toBe(0);
    expect(endpointFor({ quick: { hostname: 'box' } }, { ...dir_, configured: () => unsaid }).spec.keepaliveInterval).toBe(15);
    const count = await lookup('Host box\n  ServerAliveInterval 5\n  ServerAliveCountMax 1\n');
    expect(endpointFor({ quick: { hostname: 'box' } }, { ...dir_, configured: () => count }).spec).toMatchObject({
      keepaliveInterval: 5,
      keepaliveCountMax: 1,
    });
  });

  it('the endpoint carries the options, and a name whose config sets them gets a connection of its own', async () => {
    const dir_ = { host: () => ({ id: '', name: '' }), resolve: () => ({}) as never, named: () => undefined };
    const strict = await lookup('Host box\n  HostName 10.0.0.1\n  StrictHostKeyChecking yes\n');
    const plain = await lookup('Host box\n  HostName 10.0.0.1\n');
    const a = endpointFor({ quick: { hostname: 'box' } }, { ...dir_, configured: () => strict });
    const b = endpointFor({ quick: { hostname: 'box' } }, { ...dir_, configured: () => plain });
    expect(a.spec.sshOptions?.strictHostKeyChecking).toBe('yes');
    expect(a.key).not.toBe(b.key);
  });
});

describe('trustOf', () => {
  const defaults = ['/home/u/.ssh/known_hosts', '/data/known_hosts'];
  const base = { hostname: '10.0.0.1', port: 2222 };
  const options: SshOptions = {
    globalKnownHostsFiles: ['/etc/ssh/ssh_known_hosts'],
    strictHostKeyChecking: 'ask',
    hashKnownHosts: false,
    batchMode: false,
    connectionAttempts: 1,
  };

  it('a saved host: the defaults, new keys to Warren’s own', () => {
    expect(trustOf(base, defaults)).toEqual({ files: defaults, addTo: '/data/known_hosts', own: true, host: '10.0.0.1', port: 2222 });
  });
  it('a name from ssh_config without UserKnownHostsFile: the defaults and the global files', () => {
    expect(trustOf({ ...base, sshOptions: options }, defaults)).toEqual({
      files: [...defaults, '/etc/ssh/ssh_known_hosts'],
      addTo: '/data/known_hosts',
      own: true,
      host: '10.0.0.1',
      port: 2222,
    });
  });
  it('UserKnownHostsFile: only those (and the global ones), new keys to the first; none: nowhere', () => {
    const t = trustOf({ ...base, sshOptions: { ...options, userKnownHostsFiles: ['/a', '/b'] } }, defaults);
    expect(t).toEqual({ files: ['/a', '/b', '/etc/ssh/ssh_known_hosts'], addTo: '/a', own: false, host: '10.0.0.1', port: 2222 });
    expect(trustOf({ ...base, sshOptions: { ...options, userKnownHostsFiles: [] } }, defaults)).toMatchObject({
      files: ['/etc/ssh/ssh_known_hosts'],
      addTo: null,
    });
  });
  it('HostKeyAlias: that name, without the port', () => {
    expect(trustOf({ ...base, sshOptions: { ...options, hostKeyAlias: 'box' } }, defaults)).toMatchObject({ host: 'box', port: 22 });
  });
});
