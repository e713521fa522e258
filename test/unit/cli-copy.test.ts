import { describe, expect, it } from 'vitest';
import { operand } from '../../electron/cli/copy.js';

describe("warren cp's operands, as scp reads them", () => {
  it('a colon before any slash makes host:path', () => {
    expect(operand('box:notes.txt')).toEqual({ host: 'box', path: 'notes.txt' });
    expect(operand('alice@box:/etc/hosts')).toEqual({ host: 'alice@box', path: '/etc/hosts' });
    expect(operand('box:')).toEqual({ host: 'box', path: '' });
    expect(operand('[::1]:/tmp/x')).toEqual({ host: '[::1]', path: '/tmp/x' });
    expect(operand('bob@[fe80::1]:a:b')).toEqual({ host: 'bob@[fe80::1]', path: 'a:b' });
  });

  it('a slash first, a leading colon, or no colon is a local path', () => {
    expect(operand('./a:b')).toEqual({ host: null, path: './a:b' });
    expect(operand('/tmp/a:b')).toEqual({ host: null, path: '/tmp/a:b' });
    expect(operand(':odd')).toEqual({ host: null, path: ':odd' });
    expect(operand('plain.txt')).toEqual({ host: null, path: 'plain.txt' });
    expect(operand('dir/sub:x')).toEqual({ host: null, path: 'dir/sub:x' });
  });
});
