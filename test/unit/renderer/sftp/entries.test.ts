// A pane's listing as it shows: folders first, the chosen column, hidden files on request; ls-style modes; dates.
import { describe, expect, it } from 'vitest';
import { arrange, formatDate, formatShortDate, isDirLike, isHidden, modeString, type Sort } from '../../../../renderer/features/sftp/entries.js';
import { entry } from '../fixtures.js';

const byName: Sort = { key: 'name', desc: false };
const names = (list: { name: string }[]) => list.map((e) => e.name);

const listing = [
  entry('zeta.txt', { size: 10, mtime: 300 }),
  entry('Alpha.txt', { size: 300, mtime: 100 }),
  entry('src', { kind: 'dir', size: 4096, mtime: 200 }),
  entry('.env', { size: 50, mtime: 400 }),
  entry('bin', { kind: 'symlink', linkKind: 'dir', size: 7, mtime: 50 }),
  entry('latest.log', { kind: 'symlink', linkKind: 'file', size: 9, mtime: 500 }),
  entry('.git', { kind: 'dir', mtime: 10 }),
];

describe('arrange', () => {
  it('folders (and links to folders) first, then files, each by name', () => {
    expect(names(arrange(listing, byName, false))).toEqual(['bin', 'src', 'Alpha.txt', 'latest.log', 'zeta.txt']);
  });

  it('hidden entries only when asked, sorted in with the rest', () => {
    expect(names(arrange(listing, byName, true))).toEqual(['.git', 'bin', 'src', '.env', 'Alpha.txt', 'latest.log', 'zeta.txt']);
  });

  it('descending reverses within folders and within files; folders stay first', () => {
    expect(names(arrange(listing, { key: 'name', desc: true }, false))).toEqual(['src', 'bin', 'zeta.txt', 'latest.log', 'Alpha.txt']);
  });

  it('by size or date, smallest or oldest first', () => {
    expect(names(arrange(listing, { key: 'size', desc: false }, false))).toEqual(['bin', 'src', 'latest.log', 'zeta.txt', 'Alpha.txt']);
    expect(names(arrange(listing, { key: 'mtime', desc: true }, false))).toEqual(['src', 'bin', 'latest.log', 'zeta.txt', 'Alpha.txt']);
  });

  it('ties in size go by name', () => {
    const same = [entry('b', { size: 1 }), entry('c', { size: 1 }), entry('a', { size: 1 })];
    expect(names(arrange(same, { key: 'size', desc: false }, true))).toEqual(['a', 'b', 'c']);
  });

  it('names sort as people read them: numbers by value, case and accents aside', () => {
    const files = ['file10.txt', 'File2.txt', 'file1.txt', 'éclair', 'eclair2', 'Zebra'].map((n) => entry(n));
    expect(names(arrange(files, byName, true))).toEqual(['éclair', 'eclair2', 'file1.txt', 'File2.txt', 'file10.txt', 'Zebra']);
  });

  it('does not reorder the listing it was given', () => {
    const given = [entry('b'), entry('a')];
    arrange(given, byName, true);
    expect(names(given)).toEqual(['b', 'a']);
  });

  it('an empty folder, or one of only hidden files, shows nothing', () => {
    expect(arrange([], byName, false)).toEqual([]);
    expect(arrange([entry('.bashrc'), entry('.ssh', { kind: 'dir' })], byName, false)).toEqual([]);
  });
});

describe('isDirLike / isHidden', () => {
  it('a folder or a link to one is entered on double-click; a link to a file, a dangling link or a file is not', () => {
    expect(isDirLike(entry('d', { kind: 'dir' }))).toBe(true);
    expect(isDirLike(entry('l', { kind: 'symlink', linkKind: 'dir' }))).toBe(true);
    expect(isDirLike(entry('l', { kind: 'symlink', linkKind: 'file' }))).toBe(false);
    expect(isDirLike(entry('l', { kind: 'symlink', linkKind: 'missing' }))).toBe(false);
    expect(isDirLike(entry('l', { kind: 'symlink' }))).toBe(false);
    expect(isDirLike(entry('f'))).toBe(false);
  });

  it('hidden means a leading dot', () => {
    expect(isHidden(entry('.profile'))).toBe(true);
    expect(isHidden(entry('profile.'))).toBe(false);
  });
});

describe('modeString', () => {
  it('reads as ls -l prints it', () => {
    expect(modeString('dir', 0o755)).toBe('drwxr-xr-x');
    expect(modeString('file', 0o644)).toBe('-rw-r--r--');
    expect(modeString('file', 0o600)).toBe('-rw-------');
    expect(modeString('symlink', 0o777)).toBe('lrwxrwxrwx');
    expect(modeString('other', 0)).toBe('?---------');
  });

  it('setuid, setgid and sticky: lower case over x, upper case without it', () => {
    expect(modeString('file', 0o4755)).toBe('-rwsr-xr-x');
    expect(modeString('file', 0o4644)).toBe('-rwSr--r--');
    expect(modeString('dir', 0o2775)).toBe('drwxrwsr-x');
    expect(modeString('dir', 0o2765)).toBe('drwxrwSr-x');
    expect(modeString('dir', 0o1777)).toBe('drwxrwxrwt');
    expect(modeString('dir', 0o1776)).toBe('drwxrwxrwT');
  });
});

describe('formatDate', () => {
  it('year-month-day hours:minutes in local time, zero-padded', () => {
    expect(formatDate(new Date(2025, 2, 14, 9, 26, 53).getTime())).toBe('2025-03-14 09:26');
    expect(formatDate(new Date(1999, 11, 31, 23, 59).getTime())).toBe('1999-12-31 23:59');
  });
});

describe('formatShortDate', () => {
  const now = new Date(2026, 11, 3, 14, 16).getTime();
  it('the time today, the month and day this year, the date before', () => {
    expect(formatShortDate(new Date(2026, 11, 3, 9, 5).getTime(), now)).toBe('09:05');
    expect(formatShortDate(new Date(2026, 2, 14, 9, 26).getTime(), now)).toBe('Mar 14');
    expect(formatShortDate(new Date(2026, 11, 2, 23, 59).getTime(), now)).toBe('Dec 2');
    expect(formatShortDate(new Date(2025, 11, 3, 14, 16).getTime(), now)).toBe('2025-12-03');
  });
});
