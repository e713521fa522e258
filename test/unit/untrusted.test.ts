import { describe, expect, it } from 'vitest';
import { hasHiddenCharacters, unsafeNameReason, visible } from '../../shared/untrusted.js';

describe('unsafeNameReason: a server-supplied name is one entry of the folder or nothing', () => {
  it.each([
    ['', /empty/],
    ['.', /names a folder/],
    ['..', /names a folder/],
    ['../../.bashrc', /"\/"/],
    ['/etc/passwd', /"\/"/],
    ['a/b', /"\/"/],
    ['a\u0000b', /NUL/],
    ['notes\u0015.txt', /control/],
    ['x\u009bm', /control/],
    ['line\nbreak', /control/],
    ['x'.repeat(1025), /longer/],
  ])('refuses %j', (name, why) => {
    expect(unsafeNameReason(name)).toMatch(why);
  });

  it.each(['notes.txt', '..hidden', '...', '.bashrc', 'a b', 'ünïcødé 文件', 'gnp\u202eexe.png', 'a\\b', 'x'.repeat(1024)])('accepts %j', (name) => {
    expect(unsafeNameReason(name)).toBeNull();
  });

  it.each([
    ['..\\..\\.bashrc', /Windows does not allow/],
    ['C:x', /Windows does not allow/],
    ['a?b', /Windows does not allow/],
    ['NUL', /device name/],
    ['com1.txt', /device name/],
    ['.. ', /trailing dot or space/],
    ['notes.', /trailing dot or space/],
  ])('refuses %j in a folder on Windows, and only there', (name, why) => {
    expect(unsafeNameReason(name, { windows: true })).toMatch(why);
    expect(unsafeNameReason(name)).toBeNull();
  });

  it.each(['notes.txt', '.bashrc', 'nullable.txt', 'console', 'ünïcødé 文件'])('accepts %j on Windows', (name) => {
    expect(unsafeNameReason(name, { windows: true })).toBeNull();
  });
});

describe('visible: server text shown with its controls made visible', () => {
  it('escapes terminal controls so none can set a title, write the clipboard or move the cursor', () => {
    const hostile = 'hi\u001b]0;owned\u0007\u001b]52;c;ZWNobyBwd24=\u0007\u001b[2J\r\u009b31m';
    const shown = visible(hostile);
    expect(shown).toBe('hi\\e]0;owned\\x07\\e]52;c;ZWNobyBwd24=\\x07\\e[2J\\r\\x9b31m');
    expect(hasHiddenCharacters(shown)).toBe(false);
  });

  it('makes bidi overrides visible, so gnp.exe cannot pose as exe.png', () => {
    expect(visible('photo\u202egnp.exe')).toBe('photo\\u202egnp.exe');
    expect(visible('a\u2066b\u2069\u200fc')).toBe('a\\u2066b\\u2069\\u200fc');
  });

  it('keeps newlines and tabs only when asked, and a carriage return only as part of CR LF', () => {
    expect(visible('one\n\ttwo\r')).toBe('one\\n\\ttwo\\r');
    expect(visible('one\n\ttwo\r', { lines: true })).toBe('one\n\ttwo\\r');
    expect(visible('legal\r\nnotice\r\n\rover', { lines: true })).toBe('legal\nnotice\n\\rover'); // CR LF is a line end, a lone CR is not
  });

  it('leaves ordinary text, including non-Latin scripts and emoji, untouched', () => {
    const plain = 'Welcome to db-1 — Grüße, 你好, 🙂 (user@host:22)';
    expect(visible(plain)).toBe(plain);
    expect(hasHiddenCharacters(plain)).toBe(false);
  });
});
