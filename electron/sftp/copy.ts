import { WarrenError } from '../../shared/errors.js';
import type { Files, Handle } from './files.js';

/**
 * A fixed number of request slots, each with its buffer, handed out first come first served: the
 * files sharing an SFTP session share its requests in flight fairly, and memory stays bounded.
 */
export class Slots {
  private readonly free: Buffer[] = [];
  private readonly waiting: ((b: Buffer) => void)[] = [];
  private made = 0;

  constructor(
    readonly count: number,
    readonly size: number,
  ) {}

  acquire(): Promise<Buffer> {
    const b = this.free.pop() ?? (this.made < this.count ? (this.made++, Buffer.allocUnsafe(this.size)) : null);
    return b ? Promise.resolve(b) : new Promise((resolve) => this.waiting.push(resolve));
  }

  release(b: Buffer): void {
    const next = this.waiting.shift();
    if (next) next(b);
    else this.free.push(b);
  }
}

export interface CopyOptions {
  /** where to start (a resumed copy), and where to stop */
  from: number;
  size: number;
  slots: Slots;
  signal: AbortSignal;
  /** told of every chunk written: its length, and how far the file is written without a gap */
  progress(bytes: number, committed: number): void;
  /** how a source that ends early is named in the error */
  changed(): Error;
}

/**
 * Copies bytes [from, size) between two open files with many chunks in flight: each worker takes the
 * next chunk, reads it, writes it at the same offset, and goes on, so reads and writes are pipelined
 * (as ssh2's fastGet/fastPut do) while `committed` tracks the gap-free prefix a resume can trust.
 * On an error or an abort it lets the chunks in flight land, then rejects.
 */
export async function copy(src: Handle, dst: Handle, o: CopyOptions): Promise<void> {
  let next = o.from;
  let committed = o.from;
  let failure: unknown = null;
  const inFlight: { end: number; done: boolean }[] = [];
  const worker = async () => {
    while (next < o.size && failure === null && !o.signal.aborted) {
      const start = next;
      const len = Math.min(o.slots.size, o.size - start);
      next += len;
      const chunk = { end: start + len, done: false };
      inFlight.push(chunk);
      const buf = await o.slots.acquire();
      try {
        if (failure !== null || o.signal.aborted) return;
        for (let got = 0; got < len;) {
          const n = await src.read(buf, got, len - got, start + got);
          if (n === 0) throw o.changed();
          got += n;
        }
        await dst.write(buf, 0, len, start);
        chunk.done = true;
        while (inFlight[0]?.done) committed = inFlight.shift()!.end;
        o.progress(len, committed);
      } catch (e) {
        failure ??= e;
      } finally {
        o.slots.release(buf);
      }
    }
  };
  const workers = Math.min(o.slots.count, Math.ceil((o.size - o.from) / o.slots.size));
  await Promise.all(Array.from({ length: workers }, worker));
  if (failure !== null) throw failure;
  if (o.signal.aborted) throw new WarrenError('CANCELLED', 'The transfer was cancelled.', { reason: 'cancelled' });
}

/**
 * Opens `from` on `src` and `to` on `dst` (`resume` keeps what `to` holds), copies as copy() does, and
 * closes both: the writer's close is part of success (it flushes), the reader's is not.
 */
export async function copyFile(src: Files, from: string, dst: Files, to: string, mode: 'write' | 'resume', o: CopyOptions): Promise<void> {
  const reader = await src.open(from, 'read');
  try {
    const writer = await dst.open(to, mode);
    try {
      await copy(reader, writer, o);
    } catch (e) {
      await writer.close().catch(() => {});
      throw e;
    }
    await writer.close();
  } finally {
    await reader.close().catch(() => {});
  }
}
