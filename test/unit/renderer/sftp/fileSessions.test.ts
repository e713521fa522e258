// The Files view's browsers: one per host, so opening a host again shows the browser already open.
import { describe, expect, it } from 'vitest';
import type { Target } from '../../../../shared/model.js';
import { fileSessionsReducer, noFileSessions, type FileSessionAction, type FileSessions } from '../../../../renderer/features/sftp/fileSessions.js';

const run = (...actions: FileSessionAction[]) => actions.reduce(fileSessionsReducer, noFileSessions);
const open = (target: Target, title: string): FileSessionAction => ({ type: 'open', target, title });
const titles = (s: FileSessions) => s.list.map((x) => x.title);
const activeTitle = (s: FileSessions) => s.list.find((x) => x.id === s.active)?.title ?? null;

describe('file sessions', () => {
  it('opening a host adds its browser and shows it', () => {
    const s = run(open({ hostId: 'db' }, 'db'), open({ hostId: 'web' }, 'web'));
    expect(titles(s)).toEqual(['db', 'web']);
    expect(activeTitle(s)).toBe('web');
  });

  it('opening a host again shows the browser already open, not a second one', () => {
    const s = run(open({ hostId: 'db' }, 'db'), open({ hostId: 'web' }, 'web'), open({ hostId: 'db' }, 'db (again)'));
    expect(titles(s)).toEqual(['db', 'web']);
    expect(activeTitle(s)).toBe('db');
  });

  it('"Open files here" sends the browser to a folder, the one already open too; opening from the tree leaves it where it is', () => {
    const first = run({ type: 'open', target: { hostId: 'db' }, title: 'db', path: '/srv' });
    expect(first.list[0]!.start).toEqual({ path: '/srv', seq: 0 });
    const again = fileSessionsReducer(first, { type: 'open', target: { hostId: 'db' }, title: 'db', path: '/tmp' });
    expect(titles(again)).toEqual(['db']);
    expect(again.list[0]!.start).toEqual({ path: '/tmp', seq: 1 });
    // a second ask for the same folder is still an ask (the user may have walked away from it)
    const same = fileSessionsReducer(again, { type: 'open', target: { hostId: 'db' }, title: 'db', path: '/tmp' });
    expect(same.list[0]!.start).toEqual({ path: '/tmp', seq: 2 });
    expect(fileSessionsReducer(same, open({ hostId: 'db' }, 'db')).list[0]!.start).toBe(same.list[0]!.start);
    expect(run(open({ hostId: 'web' }, 'web')).list[0]!.start).toEqual({ path: null, seq: 0 });
  });

  it('a quick target is the same host with or without the default port 22', () => {
    const s = run(
      open({ quick: { hostname: '10.0.0.5', user: 'root' } }, 'first'),
      open({ quick: { hostname: '10.0.0.5', user: 'root', port: 22 } }, 'second'),
    );
    expect(titles(s)).toEqual(['first']);
  });

  it('another user, port or host on a quick target is another browser', () => {
    const s = run(
      open({ quick: { hostname: '10.0.0.5', user: 'root' } }, 'root'),
      open({ quick: { hostname: '10.0.0.5', user: 'alice' } }, 'alice'),
      open({ quick: { hostname: '10.0.0.5', user: 'root', port: 2222 } }, 'root:2222'),
      open({ quick: { hostname: '10.0.0.5' } }, 'no user'),
      open({ quick: { hostname: '10.0.0.6', user: 'root' } }, 'other host'),
    );
    expect(titles(s)).toEqual(['root', 'alice', 'root:2222', 'no user', 'other host']);
  });

  it('a saved host and a quick target do not share a browser', () => {
    // a saved host with id "db" and a quick-connect to the name "db"
    const s = run(open({ hostId: 'db' }, 'saved'), open({ quick: { hostname: 'db' } }, 'quick'));
    expect(titles(s)).toEqual(['saved', 'quick']);
  });

  it('closing the shown browser shows its right neighbour, or its left one at the end', () => {
    const s = run(open({ hostId: 'a' }, 'a'), open({ hostId: 'b' }, 'b'), open({ hostId: 'c' }, 'c'));
    const middle = fileSessionsReducer(fileSessionsReducer(s, { type: 'activate', id: s.list[1]!.id }), { type: 'close', id: s.list[1]!.id });
    expect(titles(middle)).toEqual(['a', 'c']);
    expect(activeTitle(middle)).toBe('c');
    const last = fileSessionsReducer(s, { type: 'close', id: s.list[2]!.id });
    expect(activeTitle(last)).toBe('b');
  });

  it('closing a browser in the background keeps the shown one', () => {
    const s = run(open({ hostId: 'a' }, 'a'), open({ hostId: 'b' }, 'b'));
    const t = fileSessionsReducer(s, { type: 'close', id: s.list[0]!.id });
    expect(activeTitle(t)).toBe('b');
  });

  it('closing the last browser leaves nothing shown; it can be opened again', () => {
    const s = run(open({ hostId: 'db' }, 'db'));
    const closed = fileSessionsReducer(s, { type: 'close', id: s.list[0]!.id });
    expect(closed).toEqual(noFileSessions);
    expect(titles(fileSessionsReducer(closed, open({ hostId: 'db' }, 'db')))).toEqual(['db']);
  });

  it('closing a browser that is gone changes nothing', () => {
    const s = run(open({ hostId: 'db' }, 'db'));
    expect(fileSessionsReducer(s, { type: 'close', id: 'files-gone' })).toBe(s);
  });
});
