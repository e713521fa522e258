// Replacing a host's key in known_hosts (knownhosts-edit.ts): only that name leaves only the lines that
// give it another key of the same type; everything else stays byte for byte; OpenSSH's own ssh-keygen -F
// then finds the new key for the name and no other.
import { execFile } from 'node:child_process';
import { lstat, mkdtemp, readFile, readdir, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { editKnownHosts, readKnownHosts, writeKnownHosts } from '../../electron/ssh/knownhosts-edit.js';
import { checkHostKey, fingerprintSHA256 } from '../../electron/ssh/knownhosts.js';

const exec = promisify(execFile);

interface Key {
  type: string;
  base64: string;
  blob: Buffer;
}

let dir: string;
let oldKey: Key, newKey: Key, other: Key, ec: Key;

async function generate(name: string, ...args: string[]): Promise<Key> {
  const path = join(dir, name);
  await exec('ssh-keygen', ['-q', ...args, '-N', '', '-C', name, '-f', path]);
  const [type = '', base64 = ''] = (await readFile(`${path}.pub`, 'utf8')).trim().split(/\s+/);
  return { type, base64, blob: Buffer.from(base64, 'base64') };
}

const line = (hosts: string, key: Key, marker = ''): string => `${marker} ${hosts} ${key.type} ${key.base64}`.trim();
const NAME = '[127.0.0.1]:2222';

let files = 0;
async function fileWith(text: string): Promise<string> {
  const file = join(dir, `known_hosts_${++files}`);
  await writeFile(file, text);
  return file;
}

/** ssh-keygen -F: the key lines OpenSSH finds for the name */
async function opensshFinds(file: string, name: string): Promise<string[]> {
  const { stdout } = await exec('ssh-keygen', ['-F', name, '-f', file]).catch(() => ({ stdout: '' }));
  return stdout.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
}

/** edits the text for NAME with newKey, writes it, and says what OpenSSH and Warren now find */
async function replaced(text: string) {
  const edit = editKnownHosts(text, NAME, newKey.blob, true);
  const file = await fileWith(edit.text);
  return { ...edit, file, openssh: await opensshFinds(file, NAME), warren: await checkHostKey([file], '127.0.0.1', 2222, newKey.blob) };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warren-knownhosts-edit-'));
  [oldKey, newKey, other, ec] = await Promise.all([
    generate('old', '-t', 'ed25519'),
    generate('new', '-t', 'ed25519'),
    generate('other', '-t', 'ed25519'),
    generate('ec', '-t', 'ecdsa', '-b', '256'),
  ]);
});

describe('editKnownHosts', () => {
  it('replaces a plain line in place and leaves comments, other hosts, other key types and markers byte for byte', async () => {
    const before = [
      '# my hosts',
      line('alpha.example', other),
      line(NAME, oldKey),
      line(NAME, ec),
      line(NAME, oldKey, '@revoked'),
      line(NAME, oldKey, '@cert-authority'),
      line('127.0.0.1', oldKey),
      '',
      '  # indented comment',
      '',
    ];
    const r = await replaced(before.join('\n'));
    expect(r.stale).toEqual([{ line: 3, fingerprint: fingerprintSHA256(oldKey.blob), hashed: false }]);
    expect(r.patterns).toEqual([]);
    expect(r.text.split('\n')).toEqual([...before.slice(0, 2), line(NAME, newKey), ...before.slice(3)]);
    // OpenSSH finds the new key and the other type, Warren knows the new key
    expect(r.openssh).toEqual(expect.arrayContaining([line(NAME, newKey), line(NAME, ec)]));
    expect(r.openssh.some((l) => l.includes(oldKey.base64) && !l.startsWith('@'))).toBe(false);
    expect(r.warren.status).toBe('known');
  });

  it('takes only that name out of a comma-separated list: the line keeps the other names and their key', async () => {
    const r = await replaced(`${line(`alpha,${NAME},beta`, oldKey)}\n${line('gamma', other)}\n`);
    expect(r.stale).toHaveLength(1);
    expect(r.text).toBe(`${line('alpha,beta', oldKey)}\n${line(NAME, newKey)}\n${line('gamma', other)}\n`);
    expect(await opensshFinds(r.file, 'alpha')).toEqual([line('alpha,beta', oldKey)]);
    expect(r.warren.status).toBe('known');
  });

  it('removes every stale line, and matches the name case-insensitively, as ssh does', async () => {
    const r = await replaced(`${line(NAME, oldKey)}\n${line(`${NAME},x`, other)}\n`);
    expect(r.stale.map((s) => s.line)).toEqual([1, 2]);
    expect(r.text).toBe(`${line(NAME, newKey)}\n${line('x', other)}\n`);
    const upper = editKnownHosts(`${line('[BOX.example]:2222', oldKey)}\n`, '[box.example]:2222', newKey.blob, false);
    expect(upper.stale).toHaveLength(1);
  });

  it('replaces a hashed entry by a hashed entry (a new salt) that OpenSSH finds, and leaves other hashed entries alone', async () => {
    const plain = await fileWith(`${line(NAME, oldKey)}\n${line('[127.0.0.1]:2223', other)}\n`);
    await exec('ssh-keygen', ['-H', '-f', plain]);
    const hashed = await readFile(plain, 'utf8');
    const [first = '', second = ''] = hashed.split('\n');
    expect(first.startsWith('|1|')).toBe(true);
    const r = await replaced(hashed);
    expect(r.stale).toEqual([{ line: 1, fingerprint: fingerprintSHA256(oldKey.blob), hashed: true }]);
    const [newLine = '', kept = ''] = r.text.split('\n');
    expect(newLine).toMatch(/^\|1\|[A-Za-z0-9+/=]+\|[A-Za-z0-9+/=]+ ssh-ed25519 /);
    expect(newLine.split(' ')[0]).not.toBe(first.split(' ')[0]);
    expect(kept).toBe(second);
    expect(r.openssh).toEqual([newLine]);
    expect(await opensshFinds(r.file, '[127.0.0.1]:2223')).toEqual([second]);
  });

  it('tells [host]:port from host (port 22) and other ports', async () => {
    const before = `${line('127.0.0.1', oldKey)}\n${line('[127.0.0.1]:2223', oldKey)}\n${line(NAME, oldKey)}\n`;
    const r = await replaced(before);
    expect(r.stale.map((s) => s.line)).toEqual([3]);
    expect(r.text).toBe(`${line('127.0.0.1', oldKey)}\n${line('[127.0.0.1]:2223', oldKey)}\n${line(NAME, newKey)}\n`);
  });

  it('keeps CRLF line endings, and a file without a final newline gets a whole line', async () => {
    const crlf = await replaced(`# c\r\n${line(NAME, oldKey)}\r\n${line('x', other)}`);
    expect(crlf.text).toBe(`# c\r\n${line(NAME, newKey)}\r\n${line('x', other)}`);
    expect(crlf.warren.status).toBe('known');
    const lastLine = await replaced(`# c\n${line(NAME, oldKey)}`);
    expect(lastLine.text).toBe(`# c\n${line(NAME, newKey)}`);
    expect(lastLine.openssh).toEqual([line(NAME, newKey)]);
    // nothing stale: the key is appended, after a newline the old last line lacked
    expect(editKnownHosts('# c', NAME, newKey.blob, true).text).toBe(`# c\n${line(NAME, newKey)}\n`);
    expect(editKnownHosts('# c\r\nx y z\r\n# d', NAME, newKey.blob, true).text).toBe(`# c\r\nx y z\r\n# d\r\n${line(NAME, newKey)}\r\n`);
    expect(editKnownHosts('', NAME, newKey.blob, true).text).toBe(`${line(NAME, newKey)}\n`);
  });

  it('reports a wildcard pattern that would still give the name the old key, and ignores negations', () => {
    const wildcard = editKnownHosts(`${line('[127.0.0.*]:2222', oldKey)}\n`, NAME, newKey.blob, false);
    expect(wildcard).toMatchObject({ stale: [], patterns: [1] });
    const both = editKnownHosts(`${line(`${NAME},[127.0.0.*]:2222`, oldKey)}\n`, NAME, newKey.blob, false);
    expect(both.patterns).toEqual([1]);
    const negated = editKnownHosts(`${line(`[127.0.0.*]:2222,!${NAME}`, oldKey)}\n`, NAME, newKey.blob, false);
    expect(negated).toMatchObject({ stale: [], patterns: [] });
  });

  it('leaves a line that already holds the new key, and bytes that are not UTF-8', async () => {
    const latin1 = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9, 0xff]), Buffer.from(`\n${line(NAME, oldKey)}\n`)]);
    const file = await fileWith('');
    await writeFile(file, latin1);
    const text = (await readKnownHosts(file))!;
    const edit = editKnownHosts(text, NAME, newKey.blob, true);
    await writeKnownHosts(file, edit.text);
    const bytes = await readFile(file);
    expect(bytes.subarray(0, 6)).toEqual(latin1.subarray(0, 6));
    expect(bytes.toString('latin1')).toBe(`${text.split('\n')[0]}\n${line(NAME, newKey)}\n`);
    expect(editKnownHosts(`${line(NAME, newKey)}\n`, NAME, newKey.blob, false).stale).toEqual([]);
  });
});

describe('writeKnownHosts', () => {
  it('renames a temporary file over the real one (through a symlink), keeping its mode and leaving no temporary file', async () => {
    const real = await fileWith(`${line(NAME, oldKey)}\n`);
    await exec('chmod', ['0644', real]);
    const link = join(dir, 'linked_known_hosts');
    await symlink(real, link);
    await writeKnownHosts(link, `${line(NAME, newKey)}\n`);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readFile(real, 'utf8')).toBe(`${line(NAME, newKey)}\n`);
    expect((await stat(real)).mode & 0o777).toBe(0o644);
    expect((await readdir(dir)).filter((f) => f.includes('.warren-'))).toEqual([]);
    expect(await readKnownHosts(join(dir, 'missing'))).toBeNull();
  });
});
