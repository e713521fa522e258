// The pipelined copy (out-of-order completion, short reads, the gap-free prefix a resume trusts), error mapping, schemas.
import { describe, expect, it } from 'vitest';
import { copy, Slots } from '../../electron/sftp/copy.js';
import { failureOf, fileError, type Handle } from '../../electron/sftp/files.js';
import { contract } from '../../shared/contract.js';
import { WarrenError } from '../../shared/errors.js';

const tick = () => new Promise((r) => setTimeout(r, Math.random() * 3));

/** a file in memory whose reads return at most `maxRead` bytes and complete in random order */
function memFile(data: Buffer, opts: { maxRead?: number; failWriteAt?: number } = {}): Handle & { data: Buffer } {
  return {
    data,
    read: async (buf, off, len, pos) => {
      await tick();
      const n = Math.max(0, Math.min(len, opts.maxRead ?? len, data.length - pos));
      if (n > 0) data.copy(buf, off, pos, pos + n);
      return n;
    },
    write: async (buf, off, len, pos) => {
      await tick();
      if (opts.failWriteAt !== undefined && pos >= opts.failWriteAt) throw new Error('No response from server');
      buf.copy(data, pos, off, off + len);
    },
    close: async () => {},
  };
}

describe('copy', () => {
  it('copies with many chunks in flight, short reads included, and reports a gap-free prefix', async () => {
    const src = memFile(Buffer.from(Array.from({ length: 100_003 }, (_, i) => i % 251)), { maxRead: 700 });
    const dst = memFile(Buffer.alloc(100_003));
    const committed: number[] = [];
    let bytes = 0;
    await copy(src, dst, {
      from: 0,
      size: 100_003,
      slots: new Slots(8, 4096),
      signal: new AbortController().signal,
      progress: (n, c) => ((bytes += n), committed.push(c)),
      changed: () => new Error('changed'),
    });
    expect(Buffer.compare(dst.data, src.data)).toBe(0);
    expect(bytes).toBe(100_003);
    expect(committed.at(-1)).toBe(100_003);
    expect(committed).toEqual([...committed].sort((a, b) => a - b));
  });

  it('stops at the first failure, never claims bytes past a gap, and a resume from there completes the file', async () => {
    const src = memFile(Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7) % 256)));
    const dst = memFile(Buffer.alloc(50_000), { failWriteAt: 30_000 });
    let committed = 0;
    const opts = { size: 50_000, slots: new Slots(4, 1000), signal: new AbortController().signal, changed: () => new Error('changed') };
    await expect(copy(src, dst, { ...opts, from: 0, progress: (_n, c) => (committed = c) })).rejects.toThrow(/No response/);
    expect(committed).toBeLessThanOrEqual(30_000);
    expect(Buffer.compare(dst.data.subarray(0, committed), src.data.subarray(0, committed))).toBe(0);
    const again = memFile(dst.data);
    await copy(src, again, { ...opts, from: committed, progress: () => {} });
    expect(Buffer.compare(again.data, src.data)).toBe(0);
  });

  it('a source that ends early fails, and an abort ends it as cancelled', async () => {
    const opts = { from: 0, slots: new Slots(2, 100), progress: () => {}, changed: () => new Error('it got shorter') };
    await expect(copy(memFile(Buffer.alloc(150)), memFile(Buffer.alloc(300)), { ...opts, size: 300, signal: new AbortController().signal })).rejects.toThrow(
      /shorter/,
    );
    const controller = new AbortController();
    controller.abort();
    await expect(copy(memFile(Buffer.alloc(300)), memFile(Buffer.alloc(300)), { ...opts, size: 300, signal: controller.signal })).rejects.toMatchObject({
      code: 'CANCELLED',
    });
  });

  it('slots are handed out first come, first served', async () => {
    const slots = new Slots(1, 10);
    const first = await slots.acquire();
    const order: number[] = [];
    const waiting = [1, 2, 3].map((n) => slots.acquire().then((b) => (order.push(n), slots.release(b))));
    slots.release(first);
    await Promise.all(waiting);
    expect(order).toEqual([1, 2, 3]);
  });
});

describe('errors and schemas', () => {
  it('a file error carries its reason and path; connection errors are resumable', () => {
    const e = fileError('permission-denied', 'remote', '/srv/x', 'Permission denied on h: /srv/x.');
    expect(e).toMatchObject({ code: 'CONFLICT', detail: { reason: 'permission-denied', side: 'remote', path: '/srv/x' } });
    expect(failureOf(e, { side: 'local', path: '/other' })).toEqual({
      reason: 'permission-denied',
      side: 'remote',
      path: '/srv/x',
      message: 'Permission denied on h: /srv/x.',
    });
    expect(failureOf(new WarrenError('TCP_REFUSED', 'refused'), { side: 'remote', path: '/a' }).reason).toBe('connection-lost');
    expect(failureOf(new Error('boom'), { side: 'local', path: '/b' })).toMatchObject({ reason: 'other', path: '/b' });
  });

  it('the contract refuses NUL in paths, oversized chunks, and applies transfer defaults', () => {
    const target = { hostId: 'h1' };
    expect(contract.calls['sftp.list'].input.safeParse({ target, path: 'a\0b' }).success).toBe(false);
    expect(contract.calls['upload.chunk'].input.safeParse({ id: 'x', offset: 0, data: new Uint8Array((1 << 20) + 1) }).success).toBe(false);
    const parsed = contract.calls['transfers.enqueue'].input.parse({ direction: 'upload', target, items: [{ from: '/a', to: '/b' }] });
    expect(parsed).toMatchObject({ conflict: 'ask', preserve: { mtime: true, mode: false } });
    expect(contract.calls['prompts.answer'].input.safeParse({ id: 'p', answer: { conflict: 'rename', applyToAll: true } }).success).toBe(true);
  });
});
