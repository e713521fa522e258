// The panes' paths: breadcrumbs, Up, joining a name, and the name checks of the New folder / Rename dialogs,
// for POSIX paths (hosts, Unix machines) and C:\ paths (Warren on Windows).
import { describe, expect, it } from 'vitest';
import { baseName, crumbsOf, joinPath, nameProblem, parentOf, separatorOf } from '../../../../renderer/features/sftp/paths.js';

const paths = (p: string) => crumbsOf(p).map((c) => c.path);

describe('paths: POSIX', () => {
  it('breadcrumbs lead from / to the folder, each naming its own path', () => {
    expect(crumbsOf('/srv/www')).toEqual([
      { name: '/', path: '/' },
      { name: 'srv', path: '/srv' },
      { name: 'www', path: '/srv/www' },
    ]);
  });

  it('the root is one crumb, and Up from it stays there (the button is disabled)', () => {
    expect(crumbsOf('/')).toEqual([{ name: '/', path: '/' }]);
    expect(parentOf('/')).toBe('/');
  });

  it('Up goes one folder up, also from a path with a trailing or doubled slash', () => {
    expect(parentOf('/srv/www')).toBe('/srv');
    expect(parentOf('/srv')).toBe('/');
    expect(parentOf('/srv/www/')).toBe('/srv');
    expect(paths('//srv//www')).toEqual(['/', '/srv', '/srv/www']);
  });

  it('joins a name onto a folder with one slash, also onto /', () => {
    expect(joinPath('/srv', 'a.txt')).toBe('/srv/a.txt');
    expect(joinPath('/', 'etc')).toBe('/etc');
    expect(joinPath('/srv/', 'a.txt')).toBe('/srv/a.txt');
  });

  it('keeps unicode and spaces in names as they are', () => {
    expect(crumbsOf('/home/zoë/Café Menu 🍰').map((c) => c.name)).toEqual(['/', 'home', 'zoë', 'Café Menu 🍰']);
    expect(baseName('/home/zoë/日本語.txt')).toBe('日本語.txt');
  });

  it('a backslash is part of a POSIX name, not a separator', () => {
    // `a\b` is a legal file name on a Linux host: Up from inside it is its folder, and its crumb is whole
    expect(parentOf('/srv/a\\b')).toBe('/srv');
    expect(crumbsOf('/srv/a\\b').at(-1)).toEqual({ name: 'a\\b', path: '/srv/a\\b' });
    expect(baseName('/srv/report\\2024.txt')).toBe('report\\2024.txt');
  });

  it('the last part of a path is its name; a root has none of its own', () => {
    expect(baseName('/srv/www/index.html')).toBe('index.html');
    expect(baseName('/srv/www/')).toBe('www');
    expect(baseName('a.txt')).toBe('a.txt');
    expect(baseName('/')).toBe('/');
  });
});

describe('paths: Windows', () => {
  it('tells a drive path by its form', () => {
    expect(separatorOf('C:\\Users')).toBe('\\');
    expect(separatorOf('d:/Data')).toBe('\\');
    expect(separatorOf('C:')).toBe('\\');
    expect(separatorOf('/C:/x')).toBe('/');
    expect(separatorOf('Cx:\\')).toBe('/');
  });

  it('breadcrumbs start at the drive', () => {
    expect(crumbsOf('C:\\Users\\me')).toEqual([
      { name: 'C:\\', path: 'C:\\' },
      { name: 'Users', path: 'C:\\Users' },
      { name: 'me', path: 'C:\\Users\\me' },
    ]);
    expect(paths('C:/Users/me')).toEqual(['C:\\', 'C:\\Users', 'C:\\Users\\me']);
  });

  it('Up stops at the drive root', () => {
    expect(parentOf('C:\\Users\\me')).toBe('C:\\Users');
    expect(parentOf('C:\\Users')).toBe('C:\\');
    expect(parentOf('C:\\')).toBe('C:\\');
    expect(parentOf('C:')).toBe('C:\\');
  });

  it('joins with a backslash, once', () => {
    expect(joinPath('C:\\Users', 'me')).toBe('C:\\Users\\me');
    expect(joinPath('C:\\', 'Users')).toBe('C:\\Users');
  });

  it('the name is the last part, after either slash', () => {
    expect(baseName('C:\\Users\\me\\Downloads\\report.pdf')).toBe('report.pdf');
    expect(baseName('C:/Users/me/notes.txt')).toBe('notes.txt');
  });
});

describe('nameProblem', () => {
  it('a new name is needed, and not only spaces', () => {
    expect(nameProblem('', '/srv')).toBe('a name is needed');
    expect(nameProblem('   ', '/srv')).toBe('a name is needed');
  });

  it('. and .. are not names', () => {
    expect(nameProblem('.', '/srv')).toBe('. is not a name');
    expect(nameProblem('..', '/srv')).toBe('.. is not a name');
    expect(nameProblem('...', '/srv')).toBeNull();
  });

  it('a slash would put it in another folder; a backslash only on Windows', () => {
    expect(nameProblem('a/b', '/srv')).toBe('a name has no slash');
    expect(nameProblem('a\\b', '/srv')).toBeNull();
    expect(nameProblem('a\\b', 'C:\\Users')).toBe('a name has no slash');
    expect(nameProblem('a/b', 'C:\\Users')).toBe('a name has no slash');
  });

  it('unicode names are fine', () => {
    expect(nameProblem('Überweisungen 2025 🧾', '/home/zoë')).toBeNull();
  });
});
