// A session's output as log text (escape sequences gone, even split across chunks; \r\n → \n; a lone \r
// starts the line over), file names from a host's name, and the log's bounded write queue.
import { describe, expect, it } from 'vitest';
import { LogText, safeFileName } from '../../electron/ssh/log-text.js';
import { LOG_HIGH_WATER, LOG_LOW_WATER, SessionLog, type LogSink } from '../../electron/ssh/session-log.js';
import { WarrenError } from '../../shared/errors.js';

const bytes = (s: string) => Buffer.from(s, 'utf8');
const logOf = (chunks: string[], timestamps = false) => {
  const t = new LogText(timestamps, () => new Date('2026-12-04T19:33:19.123Z'));
  return chunks.map((c) => t.push(bytes(c))).join('') + t.end();
};

describe('log text', () => {
  it.each([
    ['colours', ['\u001b[1;31mred\u001b[0m\r\n'], 'red\n'],
    ['a title (OSC, BEL)', ['\u001b]0;user@box: ~\u0007$ ls\r\n'], '$ ls\n'],
    ['an OSC 8 link (ST)', ['\u001b]8;;https://x\u001b\\link\u001b]8;;\u001b\\\r\n'], 'link\n'],
    ['a DCS', ['\u001bPq#0;2;0;0;0\u001b\\after\n'], 'after\n'],
    ['charset and keypad modes', ['\u001b(B\u001b=\u001b>x\n'], 'x\n'],
    ['a sequence split across chunks', ['a\u001b', '[3', '1mb\u001b]0;t', 'itle\u001b', '\\c\r', '\n'], 'abc\n'],
    ['a lone CR overwrites (progress)', ['10%\r20%\r30%\r\n'], '30%\n'],
    ['backspace', ['ab\bc\n'], 'ac\n'],
    ['other controls and C1', ['a\u0000b\u0085c\u009bd\u007fe\tf\n'], 'abcde\tf\n'],
    ['CAN ends a sequence', ['\u001b[12\u0018ok\n'], 'ok\n'],
    ['an unfinished last line (a prompt) ends the file', ['$ '], '$ \n'],
    ['nothing', [], ''],
  ])('%s', (_what, chunks, expected) => {
    expect(logOf(chunks)).toBe(expected);
  });

  it('a UTF-8 character split across chunks is whole', () => {
    const t = new LogText(false);
    const e = bytes('é\n');
    expect(t.push(e.subarray(0, 1)) + t.push(e.subarray(1))).toBe('é\n');
  });

  it('stamps each line with when it began', () => {
    expect(logOf(['one\r\ntwo\r\n\r\n'], true)).toBe('[2026-12-04T19:33:19.123Z] one\n[2026-12-04T19:33:19.123Z] two\n[2026-12-04T19:33:19.123Z] \n');
  });

  it('an endless line is written in pieces, stamped once', () => {
    const t = new LogText(true, () => new Date(0));
    const out = t.push(bytes('x'.repeat(200_000))) + t.push(bytes('\n'));
    expect(out.match(/\[1970/g)).toHaveLength(1);
    expect(out.endsWith(`${'x'.repeat(1000)}\n`)).toBe(true);
    expect(out.length).toBe('[1970-01-01T00:00:00.000Z] '.length + 200_001);
  });
});

describe('safeFileName', () => {
  it.each([
    ['web-01.prod', 'web-01.prod'],
    ['../../etc/passwd', 'etc_passwd'],
    ['root@10.0.0.5:2222', 'root_10.0.0.5_2222'],
    ['.hidden', 'hidden'],
    ['a\u202enodnol', 'a_nodnol'],
    ['Müller', 'Muller'],
    ['???', 'session'],
    ['', 'session'],
    ['x'.repeat(100), 'x'.repeat(64)],
  ])('%j → %j', (name, expected) => {
    expect(safeFileName(name)).toBe(expected);
  });
});

/** a disk whose writes finish when the test says so, or fail */
function slowSink() {
  const pending: { data: Buffer; done(e?: Error): void }[] = [];
  const written: Buffer[] = [];
  const sink: LogSink = {
    write: (data) =>
      new Promise<void>((resolve, reject) =>
        pending.push({
          data,
          done: (e) => {
            if (e) return reject(e);
            written.push(data);
            resolve();
          },
        }),
      ),
    close: async () => {},
  };
  const settle = async (e?: Error) => {
    pending.shift()?.done(e);
    await new Promise((r) => setTimeout(r, 0));
  };
  return { sink, pending, written, settle };
}

describe('the write queue', () => {
  it('holds one write at a time, says when it is behind and when it has caught up', async () => {
    const disk = slowSink();
    const log = new SessionLog('/x.log', disk.sink, false);
    let drained = 0;
    log.onDrain = () => drained++;
    const line = bytes(`${'y'.repeat(1023)}\n`);
    for (let i = 0; i < 1200; i++) log.write(line);
    expect(disk.pending).toHaveLength(1);
    expect(log.backlog).toBeGreaterThanOrEqual(LOG_HIGH_WATER);
    await disk.settle(); // the first line
    await disk.settle(); // everything queued behind it, in one write
    expect(log.backlog).toBeLessThanOrEqual(LOG_LOW_WATER);
    expect(drained).toBeGreaterThan(0);
    expect(Buffer.concat(disk.written).length).toBe(1200 * 1024);
  });

  it('a failed write (a full disk) stops the log and says why; later output is dropped', async () => {
    const disk = slowSink();
    const log = new SessionLog('/x.log', disk.sink, false);
    const failures: WarrenError[] = [];
    log.onFail = (e) => failures.push(e);
    log.write(bytes('one\n'));
    await disk.settle(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }));
    expect(failures.map((e) => e.message)).toEqual(['The session log /x.log could not be written: the disk is full. Logging stopped; the session goes on.']);
    log.write(bytes('two\n'));
    expect(disk.pending).toHaveLength(0);
    expect(log.backlog).toBe(0);
    await log.close();
  });
});
