import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addKnownHost, checkHostKey, fingerprintSHA256, keyTypeOf, knownHostsName, knownKeyTypes } from '../../electron/ssh/knownhosts.js';

const exec = promisify(execFile);

interface Key {
  type: string;
  base64: string;
  blob: Buffer;
  pub: string;
}

let dir: string;
let ed: Key, ed2: Key, ec: Key, ec384: Key, rsa: Key;

async function generate(name: string, ...args: string[]): Promise<Key> {
  const path = join(dir, name);
  await exec('ssh-keygen', ['-q', ...args, '-N', '', '-C', name, '-f', path]);
  const [type = '', base64 = ''] = (await readFile(`${path}.pub`, 'utf8')).trim().split(/\s+/);
  return { type, base64, blob: Buffer.from(base64, 'base64'), pub: `${path}.pub` };
}

/** `hosts TYPE BASE64`, optionally behind a marker */
const entry = (hosts: string, key: Key, marker = ''): string => `${marker} ${hosts} ${key.type} ${key.base64}`.trim();

let fileCount = 0;
async function knownHosts(...lines: string[]): Promise<string> {
  const file = join(dir, `known_hosts_${++fileCount}`);
  await writeFile(file, lines.map((l) => `${l}\n`).join(''));
  return file;
}

/** ssh-keygen -F: the lines OpenSSH itself finds for that name */
async function opensshFinds(file: string, name: string): Promise<string[]> {
  const { stdout } = await exec('ssh-keygen', ['-F', name, '-f', file]).catch(() => ({ stdout: '' }));
  return stdout.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warren-knownhosts-'));
  [ed, ed2, ec, ec384, rsa] = await Promise.all([
    generate('ed', '-t', 'ed25519'),
    generate('ed2', '-t', 'ed25519'),
    generate('ec', '-t', 'ecdsa', '-b', '256'),
    generate('ec384', '-t', 'ecdsa', '-b', '384'),
    generate('rsa', '-t', 'rsa', '-b', '3072'),
  ]);
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('fingerprintSHA256 and keyTypeOf', () => {
  it.each([
    ['ed25519', () => ed, 'ssh-ed25519', 'ED25519'],
    ['ecdsa-256', () => ec, 'ecdsa-sha2-nistp256', 'ECDSA'],
    ['rsa-3072', () => rsa, 'ssh-rsa', 'RSA'],
  ])('match ssh-keygen -lf for %s', async (_name, key, type, label) => {
    const { stdout } = await exec('ssh-keygen', ['-lf', key().pub]);
    const [, fingerprint, , shown] = stdout.trim().split(' ');
    expect(fingerprintSHA256(key().blob)).toBe(fingerprint);
    expect(fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(keyTypeOf(key().blob)).toBe(type);
    expect(key().type).toBe(type);
    expect(shown).toBe(`(${label})`);
  });

  it('keyTypeOf rejects blobs that are not SSH keys', () => {
    expect(() => keyTypeOf(Buffer.alloc(0))).toThrow();
    expect(() => keyTypeOf(Buffer.from([0, 0, 0, 40, 0x73, 0x73, 0x68]))).toThrow();
    expect(keyTypeOf(ec384.blob)).toBe('ecdsa-sha2-nistp384');
  });
});

describe('knownHostsName', () => {
  it('is the bare lowercased host on port 22 and [host]:port otherwise', () => {
    expect(knownHostsName('Example.COM', 22)).toBe('example.com');
    expect(knownHostsName('127.0.0.1', 2222)).toBe('[127.0.0.1]:2222');
  });
});

describe('checkHostKey', () => {
  it('says known, changed or unknown', async () => {
    const file = await knownHosts('# my hosts', entry('other.org', ed2), entry('example.com', ed));
    expect(await checkHostKey([file], 'example.com', 22, ed.blob)).toEqual({ status: 'known', file, line: 3 });
    expect(await checkHostKey([file], 'example.com', 22, ed2.blob)).toEqual({
      status: 'changed',
      file,
      line: 3,
      knownFingerprint: fingerprintSHA256(ed.blob),
    });
    expect(await checkHostKey([file], 'new.example.com', 22, ed.blob)).toEqual({ status: 'unknown', otherKnownTypes: [], unsupportedKnownTypes: [] });
  });

  it('accepts a key when any matching line holds it, even next to a different key of that type', async () => {
    const file = await knownHosts(entry('example.com', ed2), entry('example.com', ed));
    expect(await checkHostKey([file], 'example.com', 22, ed.blob)).toEqual({ status: 'known', file, line: 2 });
  });

  it('lists the other known types when only another algorithm is known; ecdsa curves are distinct types', async () => {
    const file = await knownHosts(entry('example.com', ed), entry('example.com', ec), entry('example.com', ed2));
    const otherKnownTypes = ['ssh-ed25519', 'ecdsa-sha2-nistp256'];
    expect(await checkHostKey([file], 'example.com', 22, rsa.blob)).toEqual({ status: 'unknown', otherKnownTypes, unsupportedKnownTypes: [] });
    expect(await checkHostKey([file], 'example.com', 22, ec384.blob)).toEqual({ status: 'unknown', otherKnownTypes, unsupportedKnownTypes: [] });
  });

  it('names a known type Warren cannot verify (ssh-ed448) apart: the key is unknown, not changed', async () => {
    const ed448 = Buffer.concat([Buffer.from([0, 0, 0, 9]), Buffer.from('ssh-ed448'), Buffer.from([0, 0, 0, 57]), Buffer.alloc(57, 7)]);
    const only = await knownHosts(`example.com ssh-ed448 ${ed448.toString('base64')}`);
    expect(await checkHostKey([only], 'example.com', 22, ed.blob)).toEqual({ status: 'unknown', otherKnownTypes: [], unsupportedKnownTypes: ['ssh-ed448'] });
    const both = await knownHosts(`example.com ssh-ed448 ${ed448.toString('base64')}`, entry('example.com', ec));
    expect(await checkHostKey([both], 'example.com', 22, ed.blob)).toEqual({
      status: 'unknown',
      otherKnownTypes: ['ecdsa-sha2-nistp256'],
      unsupportedKnownTypes: ['ssh-ed448'],
    });
    expect(await checkHostKey([both], 'example.com', 22, ec.blob)).toEqual({ status: 'known', file: both, line: 2 });
  });

  it('says revoked for a key under @revoked, whatever else is known and whichever host the line names', async () => {
    const plain = await knownHosts(entry('example.com', ed), entry('example.com', rsa));
    const revocations = await knownHosts(entry('elsewhere.net', ec), entry('*', ed, '@revoked'), entry('elsewhere.net', rsa, '@revoked'));
    expect(await checkHostKey([plain, revocations], 'example.com', 22, ed.blob)).toEqual({ status: 'revoked', file: revocations, line: 2 });
    expect(await checkHostKey([plain, revocations], 'example.com', 22, rsa.blob)).toEqual({ status: 'revoked', file: revocations, line: 3 });
    expect(await checkHostKey([plain, revocations], 'elsewhere.net', 22, ec.blob)).toEqual({ status: 'known', file: revocations, line: 1 });
  });

  it('reads several files, skipping missing and unreadable ones', async () => {
    const first = await knownHosts(entry('a.example', ed));
    const second = await knownHosts('', entry('b.example', ec));
    const files = [join(dir, 'missing'), dir, first, second];
    expect(await checkHostKey(files, 'b.example', 22, ec.blob)).toEqual({ status: 'known', file: second, line: 2 });
    expect(await checkHostKey(files, 'a.example', 22, ed2.blob)).toMatchObject({ status: 'changed', file: first, line: 1 });
    expect(await checkHostKey([join(dir, 'missing')], 'a.example', 22, ed.blob)).toEqual({ status: 'unknown', otherKnownTypes: [], unsupportedKnownTypes: [] });
  });

  it('keeps port-22 entries and [host]:port entries apart', async () => {
    const both = await knownHosts(entry('example.com', ed), entry('[example.com]:2222', ed2));
    expect(await checkHostKey([both], 'example.com', 22, ed.blob)).toEqual({ status: 'known', file: both, line: 1 });
    expect(await checkHostKey([both], 'example.com', 2222, ed2.blob)).toEqual({ status: 'known', file: both, line: 2 });
    expect(await checkHostKey([both], 'example.com', 2222, ed.blob)).toMatchObject({ status: 'changed', line: 2 });
    expect(await checkHostKey([both], 'example.com', 22, ed2.blob)).toMatchObject({ status: 'changed', line: 1 });

    const port22 = await knownHosts(entry('example.com', ed));
    const port2222 = await knownHosts(entry('[example.com]:2222', ed));
    expect(await checkHostKey([port22], 'example.com', 2222, ed.blob)).toEqual({ status: 'unknown', otherKnownTypes: [], unsupportedKnownTypes: [] });
    expect(await checkHostKey([port2222], 'example.com', 22, ed.blob)).toEqual({ status: 'unknown', otherKnownTypes: [], unsupportedKnownTypes: [] });
  });

  it('matches entries hashed by ssh-keygen -H', async () => {
    const file = await knownHosts(entry('example.com,alias.example.com', ed), entry('[10.0.0.5]:2222', ec), entry('mixed.case.org', rsa));
    await exec('ssh-keygen', ['-H', '-f', file]);
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(4); // the two-name line became two hashed lines
    for (const line of lines) expect(line).toMatch(/^\|1\|[A-Za-z0-9+/=]+\|[A-Za-z0-9+/=]+ /);

    expect(await checkHostKey([file], 'example.com', 22, ed.blob)).toEqual({ status: 'known', file, line: 1 });
    expect(await checkHostKey([file], 'alias.example.com', 22, ed.blob)).toEqual({ status: 'known', file, line: 2 });
    expect(await checkHostKey([file], '10.0.0.5', 2222, ec.blob)).toEqual({ status: 'known', file, line: 3 });
    expect(await checkHostKey([file], 'Mixed.CASE.org', 22, rsa.blob)).toEqual({ status: 'known', file, line: 4 });
    expect(await checkHostKey([file], 'example.com', 22, ed2.blob)).toMatchObject({ status: 'changed', line: 1 });
    expect(await checkHostKey([file], '10.0.0.5', 22, ec.blob)).toEqual({ status: 'unknown', otherKnownTypes: [], unsupportedKnownTypes: [] });
    expect(await checkHostKey([file], 'other.example.com', 22, ed.blob)).toEqual({ status: 'unknown', otherKnownTypes: [], unsupportedKnownTypes: [] });
    expect(await knownKeyTypes([file], '10.0.0.5', 2222)).toEqual(['ecdsa-sha2-nistp256']);
  });

  it('honours * and ? wildcards and ! negation', async () => {
    const file = await knownHosts(entry('*.example.com,!bad.example.com', ed), entry('10.0.0.?', ec), entry('[*.lab]:2222', rsa));
    expect(await checkHostKey([file], 'www.example.com', 22, ed.blob)).toEqual({ status: 'known', file, line: 1 });
    expect(await checkHostKey([file], 'a.b.example.com', 22, ed.blob)).toEqual({ status: 'known', file, line: 1 });
    expect(await checkHostKey([file], 'bad.example.com', 22, ed.blob)).toEqual({ status: 'unknown', otherKnownTypes: [], unsupportedKnownTypes: [] });
    expect(await checkHostKey([file], 'example.com', 22, ed.blob)).toEqual({ status: 'unknown', otherKnownTypes: [], unsupportedKnownTypes: [] });
    expect(await checkHostKey([file], 'wwwXexample.com', 22, ed.blob)).toEqual({ status: 'unknown', otherKnownTypes: [], unsupportedKnownTypes: [] });
    expect(await checkHostKey([file], '10.0.0.7', 22, ec.blob)).toEqual({ status: 'known', file, line: 2 });
    expect(await checkHostKey([file], '10.0.0.17', 22, ec.blob)).toEqual({ status: 'unknown', otherKnownTypes: [], unsupportedKnownTypes: [] });
    expect(await checkHostKey([file], 'box.lab', 2222, rsa.blob)).toEqual({ status: 'known', file, line: 3 });
    expect(await checkHostKey([file], 'box.lab', 22, rsa.blob)).toEqual({ status: 'unknown', otherKnownTypes: [], unsupportedKnownTypes: [] });
  });

  it('ignores @cert-authority lines', async () => {
    const file = await knownHosts(entry('*.example.com', ed, '@cert-authority'));
    expect(await checkHostKey([file], 'www.example.com', 22, ed.blob)).toEqual({ status: 'unknown', otherKnownTypes: [], unsupportedKnownTypes: [] });
    expect(await checkHostKey([file], 'www.example.com', 22, ed2.blob)).toEqual({ status: 'unknown', otherKnownTypes: [], unsupportedKnownTypes: [] });
    expect(await knownKeyTypes([file], 'www.example.com', 22)).toEqual([]);
  });

  it('skips malformed lines', async () => {
    const file = await knownHosts(
      'example.com',
      'example.com ssh-ed25519',
      'example.com ssh-ed25519 not*base64!',
      'example.com ssh-ed25519 AAAA',
      `example.com ssh-rsa ${ed2.base64}`,
      entry('example.com', ed2, '@bogus'),
      `# ${entry('example.com', ed2)}`,
      '   ',
      `  ${entry('example.com', ed)}  trailing comment`,
    );
    expect(await checkHostKey([file], 'example.com', 22, ed.blob)).toEqual({ status: 'known', file, line: 9 });
    expect(await checkHostKey([file], 'example.com', 22, ed2.blob)).toMatchObject({ status: 'changed', line: 9 });
    expect(await checkHostKey([file], 'example.com', 22, rsa.blob)).toEqual({ status: 'unknown', otherKnownTypes: ['ssh-ed25519'], unsupportedKnownTypes: [] });
  });

  it('matches host names case-insensitively', async () => {
    const file = await knownHosts(entry('WWW.Example.COM', ed), entry('[Host.LAN]:2200', ec), entry('*.Upper.NET', rsa));
    expect(await checkHostKey([file], 'www.example.com', 22, ed.blob)).toEqual({ status: 'known', file, line: 1 });
    expect(await checkHostKey([file], 'www.EXAMPLE.com', 22, ed.blob)).toEqual({ status: 'known', file, line: 1 });
    expect(await checkHostKey([file], 'host.lan', 2200, ec.blob)).toEqual({ status: 'known', file, line: 2 });
    expect(await checkHostKey([file], 'a.UPPER.net', 22, rsa.blob)).toEqual({ status: 'known', file, line: 3 });
  });
});

describe('knownKeyTypes', () => {
  it('lists the types of plain entries for the host, in file order without duplicates', async () => {
    const first = await knownHosts(entry('example.com', ec), entry('example.com', ed), entry('other.org', rsa));
    const second = await knownHosts(
      entry('example.com', ec),
      entry('[example.com]:2222', ec384),
      entry('*.com', rsa),
      entry('example.com', ec384, '@revoked'),
      entry('example.com', ec384, '@cert-authority'),
    );
    expect(await knownKeyTypes([first, second], 'example.com', 22)).toEqual(['ecdsa-sha2-nistp256', 'ssh-ed25519', 'ssh-rsa']);
    expect(await knownKeyTypes([first, second], 'EXAMPLE.com', 2222)).toEqual(['ecdsa-sha2-nistp384']);
    expect(await knownKeyTypes([join(dir, 'missing')], 'example.com', 22)).toEqual([]);
  });
});

describe('addKnownHost', () => {
  it('writes a plain line that OpenSSH finds, creating a 0600 file in a 0700 directory', async () => {
    const sub = join(dir, 'fresh', 'ssh');
    const file = join(sub, 'known_hosts');
    await addKnownHost(file, '127.0.0.1', 2222, ed.blob);
    await addKnownHost(file, 'Example.COM', 22, rsa.blob);

    expect(await readFile(file, 'utf8')).toBe(`[127.0.0.1]:2222 ssh-ed25519 ${ed.base64}\nexample.com ssh-rsa ${rsa.base64}\n`);
    expect(await opensshFinds(file, '[127.0.0.1]:2222')).toEqual([`[127.0.0.1]:2222 ssh-ed25519 ${ed.base64}`]);
    expect(await opensshFinds(file, 'example.com')).toEqual([`example.com ssh-rsa ${rsa.base64}`]);
    expect(await opensshFinds(file, '127.0.0.1')).toEqual([]);
    expect(await checkHostKey([file], '127.0.0.1', 2222, ed.blob)).toEqual({ status: 'known', file, line: 1 });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(sub)).mode & 0o777).toBe(0o700);
  });

  it('adds the missing newline before appending', async () => {
    const file = join(dir, 'unterminated');
    await writeFile(file, entry('example.com', ed));
    await addKnownHost(file, 'example.org', 22, ec.blob);
    expect(await readFile(file, 'utf8')).toBe(`${entry('example.com', ed)}\n${entry('example.org', ec)}\n`);
    expect(await checkHostKey([file], 'example.org', 22, ec.blob)).toEqual({ status: 'known', file, line: 2 });
  });

  it('refuses host names that would write other patterns', async () => {
    const file = join(dir, 'refused');
    await expect(addKnownHost(file, 'a.com,*', 22, ed.blob)).rejects.toThrow();
    await expect(addKnownHost(file, 'a.com b.com', 22, ed.blob)).rejects.toThrow();
    await expect(addKnownHost(file, '', 22, ed.blob)).rejects.toThrow();
    await expect(stat(file)).rejects.toThrow();
  });

  it('serialises concurrent appends to one file', async () => {
    const n = 30;
    const hosts = Array.from({ length: n }, (_, i) => `host-${i}.example`);
    const fresh = join(dir, 'concurrent', 'known_hosts');
    const unterminated = join(dir, 'concurrent-unterminated');
    await writeFile(unterminated, entry('first.example', ed2));

    await Promise.all(hosts.flatMap((host, i) => [addKnownHost(fresh, host, 22, i % 2 ? ed.blob : rsa.blob), addKnownHost(unterminated, host, 2222, ec.blob)]));

    const freshLines = (await readFile(fresh, 'utf8')).split('\n');
    expect(freshLines.pop()).toBe('');
    expect(freshLines).toHaveLength(n);
    for (const line of freshLines) expect(line).toMatch(/^host-\d+\.example (ssh-ed25519|ssh-rsa) [A-Za-z0-9+/]+={0,2}$/);
    expect(freshLines.map((l) => l.split(' ')[0]).sort()).toEqual([...hosts].sort());

    const lines = (await readFile(unterminated, 'utf8')).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(n + 1);
    expect(lines[0]).toBe(entry('first.example', ed2));
    expect(lines.slice(1).sort()).toEqual(hosts.map((host) => `[${host}]:2222 ${ec.type} ${ec.base64}`).sort());
    expect(await opensshFinds(unterminated, '[host-7.example]:2222')).toEqual([`[host-7.example]:2222 ${ec.type} ${ec.base64}`]);
    expect(await checkHostKey([fresh], 'host-7.example', 22, ed.blob)).toMatchObject({ status: 'known' });
  });
});

describe('addKnownHost, for a UserKnownHostsFile of ssh_config', () => {
  it('hash: writes a |1| entry that ssh-keygen -F and checkHostKey find, and no plain name', async () => {
    const file = join(dir, 'hashed');
    await addKnownHost(file, '127.0.0.1', 2222, ed.blob, { hash: true, own: false });
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(/^\|1\|[A-Za-z0-9+/]+=*\|[A-Za-z0-9+/]+=* ssh-ed25519 \S+\n$/);
    expect(text).not.toContain('127.0.0.1');
    expect(await opensshFinds(file, '[127.0.0.1]:2222')).toHaveLength(1);
    expect(await opensshFinds(file, '127.0.0.1')).toEqual([]);
    expect(await checkHostKey([file], '127.0.0.1', 2222, ed.blob)).toEqual({ status: 'known', file, line: 1 });
  });

  it('not its own: an existing file keeps its mode, and a missing folder is an error (nothing is created)', async () => {
    const file = join(dir, 'theirs');
    await writeFile(file, '# theirs\n', { mode: 0o644 });
    await addKnownHost(file, 'example.net', 22, ed.blob, { own: false });
    expect((await stat(file)).mode & 0o777).toBe(0o644);
    expect(await readFile(file, 'utf8')).toBe(`# theirs\n${entry('example.net', ed)}\n`);
    await expect(addKnownHost(join(dir, 'no-such-folder', 'kh'), 'example.net', 22, ed.blob, { own: false })).rejects.toThrow(/ENOENT/);
    await expect(stat(join(dir, 'no-such-folder'))).rejects.toThrow();
  });

  it('refuses what is not a regular file (a FIFO) without opening it for writing, and leaves no temporary file', async () => {
    const fifo = join(dir, 'fifo');
    await exec('mkfifo', [fifo]);
    await expect(addKnownHost(fifo, 'example.net', 22, ed.blob, { own: false })).rejects.toThrow(/not a regular file \(a FIFO\)/);
    expect((await stat(fifo)).isFIFO()).toBe(true);
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(dir)).filter((f) => f.includes('.warren-'))).toEqual([]);
  });
});
