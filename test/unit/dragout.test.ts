// Drag-out's guard on names from the server: a real sshd never lists `..` or a name with a slash, so a
// hostile server is played here by an in-memory file tree (the real download is test/integration/dragout.test.ts).
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Slots } from '../../electron/sftp/copy.js';
import { DragOut } from '../../electron/sftp/dragout.js';
import type { Files, Stat } from '../../electron/sftp/files.js';
import type { SftpSession, SftpSessions } from '../../electron/sftp/session.js';
import type { Endpoint } from '../../electron/ssh/connections.js';
import { contract } from '../../shared/contract.js';

describe('sftp.dragOut input', () => {
  const input = contract.calls['sftp.dragOut'].input;
  it('takes absolute remote paths only', () => {
    expect(input.safeParse({ target: { hostId: 'h' }, paths: ['/home/u/a.txt'] }).success).toBe(true);
    expect(input.safeParse({ target: { hostId: 'h' }, paths: ['a.txt'] }).success).toBe(false);
    expect(input.safeParse({ target: { hostId: 'h' }, paths: [] }).success).toBe(false);
    expect(input.safeParse({ target: { hostId: 'h' }, paths: ['/a\0b'] }).success).toBe(false);
  });
});

/** a server whose folder /d lists `names` (each a small file) */
function hostile(names: string[]): SftpSessions {
  const file: Stat = { kind: 'file', size: 1, mtime: 0, mode: 0o644 };
  const files = {
    side: 'remote',
    join: path.posix.join,
    dirname: path.posix.dirname,
    basename: path.posix.basename,
    stat: async (p: string) => (p === '/d' ? { ...file, kind: 'dir' } : file),
    readdir: async () => names.map((name) => ({ name, ...file })),
    open: async () => {
      throw new Error('nothing is downloaded when a name is refused');
    },
  } as unknown as Files;
  const session = { label: 'evil', files, slots: new Slots(1, 16) } as unknown as SftpSession;
  return { use: (_e: Endpoint, f: (s: SftpSession) => Promise<unknown>) => f(session) } as unknown as SftpSessions;
}

describe('DragOut with names from a hostile server', () => {
  let tmp = '';
  afterEach(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  // the names are judged by shared/untrusted.ts's one rule (test/unit/untrusted.test.ts)
  it.each([['../escape'], ['a/b'], ['..'], ['bell\u0007.txt']])('refuses a folder that lists %j, before writing anything', async (bad) => {
    tmp = await mkdtemp(path.join(tmpdir(), 'warren-unit-'));
    const drags: string[][] = [];
    const out = new DragOut({
      sessions: hostile(['fine.txt', bad]),
      endpointOf: () => Promise.resolve({} as Endpoint),
      startDrag: (f) => void drags.push(f),
      tmp,
    });
    await expect(out.start({ hostId: 'h' }, ['/d'])).rejects.toMatchObject({
      detail: { side: 'remote', path: `/d/${bad}`, reason: 'refused' },
      message: expect.stringMatching(/^Refused: evil listed a name that cannot be written as one file .*Nothing was downloaded: \/d cannot be dragged out\.$/),
    });
    expect(drags).toEqual([]);
    expect(await readdir(tmp)).toEqual([]);
    await out.close();
  });
});
