// The working directory a terminal returns to after a reconnect, and the one command Warren types into a
// shell on its own: a directory from OSC 7 or a typed `cd` is kept only when it is an absolute path without
// control characters, so nothing a server prints is ever replayed into the shell as keystrokes.
import { describe, expect, it } from 'vitest';
import { CwdTracker, unsafeCwdReason } from '../../electron/ssh/terminals.js';

const track = (lines: string[]) => {
  const c = new CwdTracker();
  for (const l of lines) c.input(`${l}\r`);
  return c;
};
const osc7 = (url: string, end = '\u0007') => Buffer.from(`\u001b]7;${url}${end}`, 'utf8');
const GOOD = 'file://box/srv/app';

describe('typed cd lines', () => {
  it.each([
    [['cd /var/log'], '/var/log'],
    [['cd /var', 'cd log'], '/var/log'],
    [['cd /var/log', 'cd ..'], '/var'],
    [['cd proj'], '~/proj'],
    [['cd /a', 'cd /b', 'cd -'], '/a'],
    [['cd /a', 'cd'], '~'],
    [["cd '/with space'"], '/with space'],
    [['cd /a', 'cd $(mktemp -d)'], '/a'],
    [['cd /a; ls'], '/a'],
    [['cd /tmp && mkdir -p x && cd x && touch marker.txt'], '/tmp/x'],
    [['cd /a', 'cd /b || cd /c'], '/a'],
    [['cd /a', 'ls | cd /b'], '/a'],
    [['cd /a', 'cd /b &'], '/a'],
    [['cd /a', '(cd /b)'], '/a'],
    [['cd /a', 'echo "x; cd /b"'], '/a'],
    [['cd /a', "echo 'x && cd /b'"], '/a'],
    [['cd /a', 'echo "unclosed; cd /b'], '/a'],
    [['cd /a # cd /b'], '/a'],
    [['ls /tmp'], null],
    [['cd /a', 'cd /tmp/x\u0085y'], '/a'],
    [['cd /a', 'cd /tmp/\u009bm'], '/a'],
    [['cd /a', `cd /${'x'.repeat(4096)}`], '/a'],
  ])('%j → %s', (lines, expected) => {
    expect(track(lines).path).toBe(expected);
  });

  it('backspace is followed; arrow keys make the line untrackable', () => {
    const c = new CwdTracker();
    c.input('cd /tmpx\u007f\r');
    expect(c.path).toBe('/tmp');
    c.input('cd /v\u001b[Dar\r');
    expect(c.path).toBe('/tmp');
  });

  it('restores with a quoted cd', () => {
    expect(track(['cd "/it\'s here"']).restoreCommand()).toBe(` cd -- "/it's here"\r`);
    expect(track(['cd proj']).restoreCommand()).toBe(" cd -- ~/'proj'\r");
  });
});

describe('OSC 7 from the shell', () => {
  it('a file URL is the directory the reconnect returns to, quoted', () => {
    const c = new CwdTracker();
    c.output(osc7(GOOD));
    expect(c.path).toBe('/srv/app');
    expect(c.restoreCommand()).toBe(" cd -- '/srv/app'\r");
    c.output(osc7("file://box/srv/it's%20here", '\u001b\\'));
    expect(c.restoreCommand()).toBe(` cd -- "/srv/it's here"\r`);
  });

  it.each([
    ['^U (kills the line, even inside quotes)', 'file://h/tmp%15touch%20pwned'],
    ['a newline', 'file://h/tmp%0atouch%20pwned'],
    ['ESC', 'file://h/tmp%1b[201~'],
    ['a C1 CSI', 'file://h/tmp%c2%9bm'],
    ['a raw C1 CSI', 'file://h/tmp\u009bm'],
    ['DEL', 'file://h/tmp%7f'],
    ['a direction override', 'file://h/tmp/gnp%e2%80%aeexe'],
    ['a path longer than 4096 characters', `file://h/${'x'.repeat(4096)}`],
    ['a relative path', 'file:tmp/x'],
    ['an http URL', 'http://h/tmp/x'],
    ['a custom scheme', 'x-warren://h/tmp/x'],
    ['no URL at all', '/tmp/x'],
    ['a broken %-escape', 'file://h/tmp/%e2%80'],
  ])('%s is ignored and the previous good directory kept', (_why, url) => {
    const c = new CwdTracker();
    c.output(osc7(GOOD));
    c.output(osc7(url));
    expect(c.path).toBe('/srv/app');
    expect(c.restoreCommand()).toBe(" cd -- '/srv/app'\r");
  });

  it('in one chunk, a hostile OSC 7 after a good one leaves the good one', () => {
    const c = new CwdTracker();
    c.output(Buffer.concat([osc7('file://h/srv/one'), Buffer.from('output'), osc7(GOOD), osc7('file://h/tmp%15touch%20pwned')]));
    expect(c.path).toBe('/srv/app');
  });

  it('an unterminated OSC 7, or one cut off by another escape, is ignored', () => {
    const c = new CwdTracker();
    c.output(Buffer.from('\u001b]7;file://h/tmp/unterminated'));
    c.output(Buffer.from('\u001b]7;file://h/tmp/cut\u001b[0m\u0007'));
    expect(c.path).toBeNull();
    expect(c.restoreCommand()).toBeNull();
  });

  it('a path of exactly 4096 characters is kept', () => {
    const c = new CwdTracker();
    const long = `/${'x'.repeat(4095)}`;
    c.output(osc7(`file://h${long}`));
    expect(c.path).toBe(long);
  });
});

describe('unsafeCwdReason', () => {
  it.each([
    ['tmp/x', /absolute/],
    ['/tmp\u0015x', /control/],
    ['/tmp\u0085x', /control/],
    [`/${'x'.repeat(4096)}`, /longer than 4096/],
    // fish reads \' inside single quotes as a quote: '/tmp/a\'' would end the quoting and run the rest
    ["/tmp/a\\';touch /tmp/pwned;#", /\\ or !/],
    ['/home/x/!!', /\\ or !/],
    ["/it's $(id)", /both '/],
  ])('%j: %s', (p, why) => {
    expect(unsafeCwdReason(p)).toMatch(why);
  });
  it.each(['/', '~', '~/proj', '/srv/ünïcødé 文件', "/it's"])('accepts %j', (p) => {
    expect(unsafeCwdReason(p)).toBeNull();
  });
});

describe('a restored pane', () => {
  it('starts from the directory remembered for it only when it is safe, goes back quoted, and reports each new one', () => {
    const t = new CwdTracker();
    const seen: string[] = [];
    t.onChange = (p) => seen.push(p);
    expect(t.seed('/tmp')).toBe(true);
    expect(t.restoreCommand()).toBe(" cd -- '/tmp'\r");
    t.input('cd logs\r');
    expect(seen).toEqual(['/tmp/logs']);
    for (const bad of ['/tmp\u0015touch pwned', 'relative', '/a\\b', "/it's $HOME"]) {
      const u = new CwdTracker();
      expect(u.seed(bad), bad).toBe(false);
      expect(u.restoreCommand()).toBeNull();
    }
  });
});
