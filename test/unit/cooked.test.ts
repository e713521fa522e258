// The line discipline of a session without a PTY: echo, erase, kill, Enter as a newline, ^D as EOF.
import { describe, expect, it } from 'vitest';
import { CookedInput, MAX_LINE } from '../../electron/ssh/cooked.js';

function cooked() {
  const out = { sent: [] as string[], echoed: '', eof: 0 };
  const c = new CookedInput(
    (t) => out.sent.push(t),
    (t) => (out.echoed += t),
    () => out.eof++,
  );
  return { c, out };
}

describe('CookedInput', () => {
  it('echoes what is typed and sends the line on Enter (\\r), as a newline', () => {
    const { c, out } = cooked();
    c.input('echo hi');
    expect(out.sent).toEqual([]);
    c.input('\r');
    expect(out.sent).toEqual(['echo hi\n']);
    expect(out.echoed).toBe('echo hi\r\n');
  });

  it('backspace erases a character, ^U the line, ^C drops it; an erase on an empty line does nothing', () => {
    const { c, out } = cooked();
    c.input('\u007fttx\u007fy\r');
    c.input('rm -rf x\u0015ls\r');
    c.input('oops\u0003pwd\r');
    expect(out.sent).toEqual(['tty\n', 'ls\n', 'pwd\n']);
    expect(out.echoed).toContain('ttx\b \by');
    expect(out.echoed).toContain('^C\r\n');
  });

  it('drops escape sequences (arrows) and C1 controls, and keeps a pasted block line by line', () => {
    const { c, out } = cooked();
    c.input('a\u001b[Ab\u001bOBc\u0085\r');
    c.input('one\ntwo\r');
    expect(out.sent).toEqual(['abc\n', 'one\n', 'two\n']);
  });

  it('^D sends what is typed, or on an empty line ends the input', () => {
    const { c, out } = cooked();
    c.input('part\u0004');
    expect(out.sent).toEqual(['part']);
    expect(out.eof).toBe(0);
    c.input('\u0004');
    expect(out.eof).toBe(1);
  });

  it('holds at most MAX_LINE characters: more is ignored until Enter', () => {
    const { c, out } = cooked();
    c.input('x'.repeat(MAX_LINE + 100));
    c.input('\r');
    expect(out.sent[0]).toHaveLength(MAX_LINE + 1);
  });
});
