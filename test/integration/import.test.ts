// ~/.ssh/config import against real sshd: a jump chain and a forward from the config work in
// Warren; importing again updates; `warren resolve -F` agrees with `ssh -G`; export round-trips.
import { execFile, spawn } from 'node:child_process';
import { appendFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupAll, ensureTestUser, freePort, makeKey, startSshd, tempDir, TEST_USER, type Sshd, type TestKey } from '../harness/ssh.js';
import { openTerminal, startWarren } from '../harness/warren.js';

const run = promisify(execFile);
let bastion: Sshd;
let target: Sshd;
let key: TestKey;
let config: string;
let webPort: number;
let fwdPort: number;
let web: http.Server;

beforeAll(async () => {
  await ensureTestUser();
  [bastion, target] = await Promise.all([startSshd(), startSshd()]);
  key = await makeKey(await tempDir('warren-import-key-'), { type: 'ed25519' });
  await Promise.all([bastion.authorize(key.pub), target.authorize(key.pub)]);
  web = http.createServer((_q, s) => s.end('imported forward'));
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
  webPort = (web.address() as AddressInfo).port;
  fwdPort = await freePort();
  config = path.join(await tempDir('warren-import-'), 'config');
  await writeFile(
    config,
    [
      '# a user\u2019s config',
      'Host bastion',
      '  HostName 127.0.0.1',
      `  Port ${bastion.port}`,
      'Host app-*',
      '  HostName 127.0.0.1',
      `  Port ${target.port}`,
      '  ProxyJump bastion',
      `  LocalForward ${fwdPort} 127.0.0.1:${webPort}`,
      'Host app-one',
      '  ServerAliveInterval 20',
      'Host *',
      `  User ${TEST_USER}`,
      `  IdentityFile ${key.path}`,
      '  ForwardAgent yes',
      '  Match exec "true"',
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  web.close();
  await cleanupAll();
});

describe('ssh_config import', () => {
  it('imports hosts with their chain and forwards, reports what it did not apply, and connects through the chain', async () => {
    const w = await startWarren();
    w.answer = (p) => (p.kind === 'hostkey' ? { accept: true } : { cancel: true });
    const report = await w.client.call('sshconfig.import', { file: config });
    expect(report.created).toEqual(['bastion', 'app-one']);
    expect(report.tunnelsAdded).toBe(1);
    expect(report.notApplied).toEqual(expect.arrayContaining([expect.objectContaining({ host: 'app-one', keyword: 'forwardagent', value: 'yes' })]));
    expect(report.problems.map((p) => p.message).join()).toMatch(/exec/i);
    const tree = await w.client.call('tree.get', {});
    const app = tree.hosts.find((h) => h.name === 'app-one')!;
    expect(app).toMatchObject({ hostname: '127.0.0.1', port: target.port, user: TEST_USER, identityFile: key.path, jump: 'bastion', keepaliveInterval: 20 });
    expect(tree.groups.find((g) => g.id === report.groupId)?.name).toBe(`Imported from ${config}`);

    const before = await bastion.acceptedLogins();
    const t = openTerminal(w, { hostId: app.id });
    await t.type('echo imported-$((2+3))\n');
    await t.waitFor(/imported-5/);
    expect(await bastion.acceptedLogins()).toBe(before + 1);
    const tunnel = tree.tunnels.find((x) => x.hostId === app.id)!;
    expect(tunnel).toMatchObject({ kind: 'local', bindAddress: '127.0.0.1', bindPort: fwdPort, destHost: '127.0.0.1', destPort: webPort });
    const up = await w.client.call('tunnels.start', { id: tunnel.id });
    expect(await (await fetch(`http://127.0.0.1:${up.boundPort}/`)).text()).toBe('imported forward');
    await w.client.call('tunnels.stop', { id: tunnel.id });
    t.close();

    // importing again updates, never duplicates
    const again = await w.client.call('sshconfig.import', { file: config });
    expect(again).toMatchObject({ created: [], updated: ['bastion', 'app-one'], tunnelsAdded: 0, groupId: report.groupId });
    const after = await w.client.call('tree.get', {});
    expect(after.hosts).toHaveLength(2);
    expect(after.tunnels).toHaveLength(1);
    await w.close();
  });
});

describe('hosts kept linked to their ssh_config', () => {
  it('connect with what the file says now: an edited Port takes effect without importing again; the file gone is a CONFIG error', async () => {
    const dir = await tempDir('warren-linked-');
    const file = path.join(dir, 'config');
    const block = (port: number) => `Host linkbox\n  HostName 127.0.0.1\n  Port ${port}\n  User ${TEST_USER}\n  IdentityFile ${key.path}\n`;
    await writeFile(file, block(bastion.port));
    const w = await startWarren();
    w.answer = (p) => (p.kind === 'hostkey' ? { accept: true } : { cancel: true });
    const report = await w.client.call('sshconfig.import', { file, linked: true });
    expect(report.created).toEqual(['linkbox']);
    const host = (await w.client.call('tree.get', {})).hosts.find((h) => h.name === 'linkbox')!;
    expect(host.linked).toEqual({ file, alias: 'linkbox' });
    const loginsOn = async (sshd: Sshd, run: () => Promise<void>) => {
      const before = await sshd.acceptedLogins();
      await run();
      return (await sshd.acceptedLogins()) - before;
    };
    const shell = async () => {
      const t = openTerminal(w, { hostId: host.id });
      await t.opened;
      t.close();
      await expect.poll(async () => (await w.client.call('connections.list', {})).length).toBe(0);
    };
    expect(await loginsOn(bastion, shell)).toBe(1);
    // the file now sends it to the other server: the next connection goes there, the record is as imported
    await writeFile(file, block(target.port));
    expect(await loginsOn(target, shell)).toBe(1);
    expect((await w.client.call('tree.get', {})).hosts.find((h) => h.id === host.id)!.port).toBe(bastion.port);
    await rm(file);
    const lost = openTerminal(w, { hostId: host.id });
    await expect(lost.opened).rejects.toMatchObject({
      code: 'CONFIG',
      message: expect.stringContaining(`${file} (Host linkbox), which is not there any more`),
    });
    // imported again without the link: a copy, which keeps connecting with its own values
    await writeFile(file, block(target.port));
    await w.client.call('sshconfig.import', { file });
    expect((await w.client.call('tree.get', {})).hosts.find((h) => h.id === host.id)!.linked).toBeUndefined();
    await w.close();
  });

  it('warren import --linked, then warren exec follows the file', async () => {
    const dir = await tempDir('warren-linked-cli-');
    const file = path.join(dir, 'config');
    await writeFile(
      file,
      `Host clilink\n  HostName 127.0.0.1\n  Port ${target.port}\n  User ${TEST_USER}\n  IdentityFile ${key.path}\n  StrictHostKeyChecking no\n  UserKnownHostsFile ${path.join(dir, 'kh')}\n`,
    );
    const data = await tempDir('warren-linked-data-');
    const warren = (args: string[]) => run(process.execPath, [path.resolve('bin/warren.js'), '--data-dir', data, ...args]);
    expect((await warren(['import', '-F', file, '--linked'])).stdout).toMatch(/1 new/);
    const before = await target.acceptedLogins();
    expect((await warren(['exec', 'clilink', '--', 'echo', 'linked-ok'])).stdout).toBe('linked-ok\n');
    expect(await target.acceptedLogins()).toBe(before + 1);
  });
});

describe('a shared inventory file', () => {
  it('leaves one Warren without a secret and arrives in another with its nesting, tags and tunnels; the host connects there', async () => {
    const a = await startWarren();
    a.answer = (p) => (p.kind === 'vault' ? { value: 'vault-pass' } : { cancel: true });
    const prod = await a.client.call('groups.create', { name: 'prod', parentId: null, defaults: { user: TEST_USER } });
    const db = await a.client.call('groups.create', { name: 'db', parentId: prod.id, defaults: {} });
    const host = await a.client.call('hosts.create', {
      name: 'pg',
      groupId: db.id,
      hostname: '127.0.0.1',
      port: target.port,
      auth: 'key',
      identityFile: key.path,
      tags: ['postgres'],
      notes: 'primary',
      password: 'never-in-the-file',
    });
    await a.client.call('tunnels.create', {
      name: 'pg-local',
      hostId: host.id,
      kind: 'local',
      bindPort: await freePort(),
      destHost: '127.0.0.1',
      destPort: webPort,
    });
    const { text } = await a.client.call('inventory.export', {});
    expect(text).not.toContain('never-in-the-file');
    expect(text).not.toMatch(/hasPassword|hasPassphrase|hasSocksPassword/);
    await a.close();

    const b = await startWarren();
    b.answer = (p) => (p.kind === 'hostkey' ? { accept: true } : { cancel: true });
    await expect(b.client.call('inventory.import', { text: '{"format":"warren-inventory","version":2}', name: 'x' })).rejects.toThrow(
      /not a Warren inventory file/,
    );
    await expect(b.client.call('inventory.import', { text: 'nope', name: 'x' })).rejects.toThrow(/not JSON/);
    expect((await b.client.call('tree.get', {})).groups).toEqual([]);
    const r = await b.client.call('inventory.import', { text, name: 'Shared: team' });
    expect(r).toMatchObject({ groups: 2, hosts: 1, tunnels: 1, proxyCommands: [] });
    const withCommand = JSON.parse(text) as { hosts: { proxyCommand?: string }[] };
    withCommand.hosts[0]!.proxyCommand = 'nc %h %p';
    expect((await b.client.call('inventory.import', { text: JSON.stringify(withCommand), name: 'Shared: other' })).proxyCommands).toEqual(['pg']);
    const tree = await b.client.call('tree.get', {});
    const path = (id: string | null): string[] => {
      const g = tree.groups.find((x) => x.id === id);
      return g ? [...path(g.parentId), g.name] : [];
    };
    const pg = tree.hosts.find((h) => h.name === 'pg' && !h.proxyCommand)!;
    expect(path(pg.groupId)).toEqual(['Shared: team', 'prod', 'db']);
    expect(pg).toMatchObject({ tags: ['postgres'], notes: 'primary', hasPassword: false });
    expect(pg.id).not.toBe(host.id);
    expect(tree.tunnels.filter((x) => x.hostId === pg.id)).toEqual([expect.objectContaining({ name: 'pg-local', autoStart: false })]);
    expect((await b.client.call('hosts.resolve', { id: pg.id })).user).toBe(TEST_USER);
    const t = openTerminal(b, { hostId: pg.id });
    await t.type('echo shared-$((3+4))\n');
    await t.waitFor(/shared-7/);
    t.close();
    await b.close();
  });
});

describe('warren resolve and export', () => {
  const warren = (dataDir: string, args: string[]) => run(process.execPath, [path.resolve('bin/warren.js'), '--data-dir', dataDir, ...args]);
  const sshG = async (file: string, host: string) =>
    Object.fromEntries(
      (await run('ssh', ['-G', '-F', file, host])).stdout
        .trim()
        .split('\n')
        .map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)]),
    );

  it('resolve -F prints what ssh -G prints, byte for byte; --json holds the same values', async () => {
    const dataDir = await tempDir('warren-resolve-');
    const theirs = (await run('ssh', ['-G', '-F', config, 'app-one'])).stdout;
    const ours = (await warren(dataDir, ['resolve', '-F', config, 'app-one'])).stdout;
    expect(ours).toBe(theirs);
    const json = JSON.parse((await warren(dataDir, ['resolve', '--json', '-F', config, 'app-one'])).stdout) as Record<string, string | string[]>;
    const lines = Object.entries(json).flatMap(([k, v]) =>
      [v].flat().map((x) => `${k === 'canonicalizepermittedcnames' ? 'canonicalizePermittedcnames' : k} ${x}`),
    );
    expect(lines.join('\n')).toBe(theirs.trimEnd());
  });

  it('a config ssh -G refuses: warren resolve exits 255 as ssh does, naming the same file and line', async () => {
    const dir = await tempDir('warren-resolve-bad-');
    const dataDir = await tempDir('warren-resolve-data-');
    const cases: [string, string][] = [
      ['unknown algorithm', 'Host x\n  KexAlgorithms mlkem768x25519-sha256\n'],
      ['jump loop', 'Host x\n  HostName x\n  ProxyJump x\n'],
      ['unset variable', 'Host x\n  IdentityAgent ${WARREN_TEST_UNSET_VARIABLE}\n'],
      ['bad flag value', 'Host x\n  BatchMode maybe\n'],
      ['bad escape character', 'Host x\n  EscapeChar ^?\n'],
    ];
    for (const [what, text] of cases) {
      const file = path.join(dir, what.replace(/ /g, '-'));
      await writeFile(file, text);
      const ssh = await run('ssh', ['-G', '-F', file, 'x']).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => e,
      );
      const ours = await warren(dataDir, ['resolve', '-F', file, 'x']).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => e,
      );
      expect([what, ssh.code, ours.code]).toEqual([what, 255, 255]);
      // ssh names the line where it has one ("jumphost loop via x" has none); Warren always does
      const line = /line (\d+)/.exec(ssh.stderr)?.[1];
      expect(ours.stderr, what).toContain(line ? `${file}:${line}:` : `${file}:`);
    }
  });

  it('import then export: OpenSSH resolves the export to the same values', async () => {
    const dataDir = await tempDir('warren-roundtrip-');
    await warren(dataDir, ['import', '-F', config]);
    const exported = path.join(await tempDir('warren-exported-'), 'config');
    await writeFile(exported, (await warren(dataDir, ['export'])).stdout);
    const theirs = await sshG(exported, 'app-one');
    const ours = JSON.parse((await warren(dataDir, ['resolve', '--json', 'app-one'])).stdout) as Record<string, string | string[]>;
    for (const k of ['hostname', 'user', 'port', 'serveraliveinterval', 'serveralivecountmax', 'identityfile', 'localforward']) {
      expect([k, [ours[k]].flat().join(' ')]).toEqual([k, theirs[k]]);
    }
    expect(theirs.proxyjump).toBe('bastion'); // the hop by its Host name, so its own block applies
    // and OpenSSH itself gets through the chain with the exported file (the hop's ssh reads the
    // file too, so the test's host-key leniency goes into it rather than on the command line)
    await appendFile(exported, 'Host *\n  BatchMode yes\n  StrictHostKeyChecking no\n  UserKnownHostsFile /dev/null\n');
    const ssh = spawn('ssh', ['-F', exported, 'app-one', 'echo exported-$((4+4))'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    ssh.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    expect(await new Promise((r) => ssh.on('close', r))).toBe(0);
    expect(out).toContain('exported-8');
  });
});

describe('import errors', () => {
  it('a file that is not there, or names no host, is an error rather than an empty group', async () => {
    const w = await startWarren();
    const missing = await w.client.call('sshconfig.import', { file: '/nonexistent/ssh_config' }).catch((e: unknown) => e);
    expect((missing as { code: string }).code).toBe('NOT_FOUND');
    const onlyWildcards = path.join(await tempDir('warren-import-empty-'), 'config');
    await writeFile(onlyWildcards, 'Host *\n  User nobody\n');
    const empty = await w.client.call('sshconfig.import', { file: onlyWildcards }).catch((e: unknown) => e);
    expect((empty as { message: string }).message).toMatch(/names no concrete host/);
    expect((await w.client.call('tree.get', {})).groups).toEqual([]);
    await w.close();
  });
});

describe('warren import', () => {
  const cli = (dataDir: string, args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [path.resolve('bin/warren.js'), '--data-dir', dataDir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
  const sshG = async (file: string, host: string) => {
    const lines = (await run('ssh', ['-G', '-F', file, host])).stdout.trim().split('\n');
    const all = (k: string) => lines.filter((l) => l.startsWith(`${k} `)).map((l) => l.slice(k.length + 1));
    return { user: all('user')[0], identityfile: all('identityfile') };
  };
  const listed = async (dataDir: string) =>
    JSON.parse((await cli(dataDir, ['ls', '--json'])).stdout) as {
      groups: { name: string }[];
      hosts: { name: string; user: string; identityFile: string | null }[];
    };
  const configFile = async (text: string) => {
    const file = path.join(await tempDir('warren-import-cli-'), 'config');
    await writeFile(file, text);
    return file;
  };

  it('user names with @ are valid, as for ssh (User dtownsend@mozilla.com, Host x with User a@b); the group is named in the report', async () => {
    const file = await configFile(['Host moz', '  HostName 127.0.0.1', '  User dtownsend@mozilla.com', 'Host x', '  User a@b', ''].join('\n'));
    const dataDir = await tempDir('warren-import-at-');
    const r = await cli(dataDir, ['import', '-F', file]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout.split('\n')[0]).toBe(`Imported into group "Imported from ${file}": 2 new, 0 updated, 0 tunnel(s) added.`);
    expect(r.stdout).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    const hosts = (await listed(dataDir)).hosts;
    for (const name of ['moz', 'x']) expect([name, hosts.find((h) => h.name === name)?.user]).toEqual([name, (await sshG(file, name)).user]);
    // and the command line Warren gives means the same user to ssh (it splits user@host at the last @)
    const command = (await cli(dataDir, ['command', 'moz'])).stdout.trim();
    expect(command).toMatch(/ dtownsend@mozilla\.com@127\.0\.0\.1$/);
    const g = await run('ssh', ['-G', ...command.split(' ').slice(1)]);
    expect(g.stdout).toMatch(/^user dtownsend@mozilla\.com$/m);
  });

  it('a config with no concrete host still reports its problems, with file:line, and leaves no group behind', async () => {
    const file = await configFile(['Host *', '  User nobody', '  Bogus yes', '  Match exec "true"', ''].join('\n'));
    const dataDir = await tempDir('warren-import-none-');
    const r = await cli(dataDir, ['import', '-F', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/names no concrete host/);
    expect(r.stderr.toLowerCase()).toContain(`  problem: ${file}:3: unknown keyword "bogus"`.toLowerCase());
    expect(r.stderr).toContain(`  problem: ${file}:4: Match exec is not supported`);
    expect((await listed(dataDir)).groups).toEqual([]);
  });

  it('when every host is skipped, no empty group is left behind and the exit status says so', async () => {
    const file = await configFile(['Host bad1', '  HostName a+b', 'Host bad2', '  HostName c+d', ''].join('\n'));
    const dataDir = await tempDir('warren-import-skipped-');
    const r = await cli(dataDir, ['import', '-F', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Nothing imported \(0 new, 0 updated, 0 tunnel\(s\) added\): every host was skipped/);
    expect(r.stdout).toMatch(/skipped bad1: hostname/);
    expect((await listed(dataDir)).groups).toEqual([]);
    // one good host: the group is made, and the skipped one still counts in the exit status
    await appendFile(file, 'Host good\n  HostName 127.0.0.1\n');
    const again = await cli(dataDir, ['import', '-F', file]);
    expect(again.code).toBe(1);
    expect((await listed(dataDir)).groups.map((g) => g.name)).toEqual([`Imported from ${file}`]);
  });

  it('IdentityFile from Host * blocks keeps the order ssh tries them in: the first is the host’s, the others are reported in order', async () => {
    const file = await configFile(
      [
        'Host *',
        '  IdentityFile ~/.ssh/star-first',
        'Host keyed',
        '  HostName 127.0.0.1',
        '  IdentityFile ~/.ssh/own',
        'Host *',
        '  IdentityFile ~/.ssh/star-last',
        '',
      ].join('\n'),
    );
    const dataDir = await tempDir('warren-import-ids-');
    const r = await cli(dataDir, ['import', '-F', file]);
    expect(r.code).toBe(0);
    const home = (await run('sh', ['-c', 'echo ~'])).stdout.trim();
    const order = (await sshG(file, 'keyed')).identityfile.map((f) => f.replace(/^~/, home));
    expect(order).toEqual([`${home}/.ssh/star-first`, `${home}/.ssh/own`, `${home}/.ssh/star-last`]);
    expect((await listed(dataDir)).hosts[0]!.identityFile).toBe(order[0]);
    const reported = [...r.stdout.matchAll(/not applied: keyed: identityfile (\S+)/g)].map((m) => m[1]);
    expect(reported).toEqual(order.slice(1));
  });

  it('a config ssh rejects (ssh -G fails) exits non-zero with file:line; one ssh accepts (a deprecated keyword) exits 0', async () => {
    const bad = await configFile(['Host h', '  HostName 127.0.0.1', '  Bogus yes', ''].join('\n'));
    const ssh = await run('ssh', ['-G', '-F', bad, 'h']).then(
      () => 0,
      (e: { code: number }) => e.code,
    );
    expect(ssh).not.toBe(0);
    const r = await cli(await tempDir('warren-import-bad-'), ['import', '-F', bad]);
    expect(r.code).toBe(1);
    expect(r.stdout.toLowerCase()).toContain(`problem: ${bad}:3: unknown keyword "bogus"`.toLowerCase());
    expect(r.stdout).toMatch(/\(ssh refuses this config\)/);

    const deprecated = await configFile(['Host h', '  HostName 127.0.0.1', '  Protocol 2', ''].join('\n'));
    await run('ssh', ['-G', '-F', deprecated, 'h']); // ssh accepts it
    const ok = await cli(await tempDir('warren-import-dep-'), ['import', '-F', deprecated]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(new RegExp(`problem: ${deprecated}:3: deprecated`));
    expect(ok.stdout).not.toMatch(/ssh refuses/);
  });

  it('the whole report reaches a pipe before the process exits (it stopped at 64 KiB)', async () => {
    const hosts = 1500;
    const lines: string[] = [];
    for (let i = 0; i < hosts; i++) lines.push(`Host host-${i}`, '  HostName 127.0.0.1', '  ForwardAgent yes', '  SendEnv LANG');
    const file = await configFile(`${lines.join('\n')}\n`);
    const dataDir = await tempDir('warren-import-pipe-');
    const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
    const { stdout } = await run(
      'bash',
      [
        '-c',
        `set -o pipefail; ${[process.execPath, path.resolve('bin/warren.js'), '--data-dir', dataDir, 'import', '-F', file].map(quote).join(' ')} | cat; echo "exit $?"`,
      ],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    expect(stdout.length).toBeGreaterThan(128 * 1024);
    const out = stdout.trimEnd().split('\n');
    expect(out.at(-1)).toBe('exit 0');
    expect(out[0]).toMatch(new RegExp(`: ${hosts} new,`));
    expect(out.filter((l) => /not applied: host-\d+: forwardagent/.test(l))).toHaveLength(hosts);
    expect(out.filter((l) => /not applied: host-\d+: sendenv/.test(l))).toHaveLength(hosts);
    expect(out.at(-2)).toMatch(new RegExp(`not applied: host-${hosts - 1}: `));
  });
});
