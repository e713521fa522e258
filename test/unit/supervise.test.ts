import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WarrenError } from '../../shared/errors.js';
import { jittered, supervise, unlessAborted, Waker, type Outcome } from '../../electron/ssh/retry.js';

const backoff = { baseMs: 1000, capMs: 8000 };
const lost = () => new WarrenError('DISCONNECTED', 'the connection was lost');

/** a life per call, scripted: each entry is what that life does */
function script(lives: (() => Promise<Outcome>)[]) {
  const calls: { retrying: boolean }[] = [];
  const life = (ctx: { retrying: boolean; up(): void }) => {
    calls.push({ retrying: ctx.retrying });
    const next = lives.shift();
    if (!next) return Promise.resolve(null);
    return next.call(ctx);
  };
  return { calls, life };
}

beforeEach(() => vi.useFakeTimers({ now: 0 }));
afterEach(() => vi.useRealTimers());

describe('supervise: the one reconnect loop', () => {
  it('waits 1 s, 2 s, 4 s, 8 s, 8 s between failed connects (backoff capped), then runs the next life', async () => {
    const waits: { attempt: number; retryAt: number }[] = [];
    const fail = () => Promise.reject(lost());
    const { calls, life } = script([fail, fail, fail, fail, fail, fail]);
    const done = supervise({
      signal: new AbortController().signal,
      backoff,
      waker: new Waker(),
      life,
      random: () => 0.5,
      waiting: (attempt, retryAt) => waits.push({ attempt, retryAt: retryAt - Date.now() }),
    });
    for (const ms of [1000, 2000, 4000, 8000, 8000, 8000]) {
      await vi.advanceTimersByTimeAsync(ms - 1);
      const before = calls.length;
      await vi.advanceTimersByTimeAsync(1);
      expect(calls.length).toBe(before + 1);
    }
    await done;
    expect(waits.map((w) => w.attempt)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(waits.map((w) => w.retryAt)).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    expect(calls.map((c) => c.retrying)).toEqual([false, true, true, true, true, true, true]);
  });

  it('spreads retries ±20 % (jitter), never below 80 % or above 120 % of the step', () => {
    expect(jittered(1000, 0)).toBe(800);
    expect(jittered(1000, 0.5)).toBe(1000);
    expect(jittered(1000, 0.999999)).toBe(1200);
  });

  it('starts counting from attempt 1 again after a life that got up', async () => {
    const waits: number[] = [];
    const upThenLose = function (this: { up(): void }) {
      this.up();
      return Promise.resolve(lost());
    };
    const { life } = script([() => Promise.reject(lost()), () => Promise.reject(lost()), upThenLose, () => Promise.reject(lost())]);
    const done = supervise({ signal: new AbortController().signal, backoff, waker: new Waker(), life, random: () => 0.5, waiting: (a) => waits.push(a) });
    await vi.advanceTimersByTimeAsync(60_000);
    await done;
    expect(waits).toEqual([1, 2, 1, 2]);
  });

  it('stops on a final failure (authentication, host key) and throws it, without waiting', async () => {
    const waits: number[] = [];
    const { calls, life } = script([() => Promise.reject(lost()), () => Promise.reject(new WarrenError('AUTH_FAILED', 'wrong password'))]);
    const done = supervise({ signal: new AbortController().signal, backoff, waker: new Waker(), life, waiting: (a) => waits.push(a) });
    const settled = expect(done).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    await vi.advanceTimersByTimeAsync(2000);
    await settled;
    expect(calls).toHaveLength(2);
    expect(waits).toEqual([1]);
  });

  it('lets the caller decide what is final (a terminal fails its first connect to the user)', async () => {
    const { calls, life } = script([() => Promise.reject(lost())]);
    const done = supervise({ signal: new AbortController().signal, backoff, waker: new Waker(), life, final: (_e, { retrying }) => !retrying });
    await expect(done).rejects.toMatchObject({ code: 'DISCONNECTED' });
    expect(calls).toHaveLength(1);
  });

  it('wakes at once on "reconnect now" / resume / network back', async () => {
    const waker = new Waker();
    const { calls, life } = script([() => Promise.reject(lost()), () => Promise.reject(lost()), () => Promise.reject(lost())]);
    const done = supervise({ signal: new AbortController().signal, backoff: { baseMs: 60_000, capMs: 60_000 }, waker, life });
    await vi.advanceTimersByTimeAsync(10);
    expect(calls).toHaveLength(1);
    waker.wake();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(2);
    waker.wake();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(3);
    waker.wake();
    await done;
  });

  it('ends at once when aborted mid-wait, and leaves no timer or abort listener behind', async () => {
    const controller = new AbortController();
    const { calls, life } = script([() => Promise.reject(lost()), () => Promise.reject(lost())]);
    let listeners = 0;
    const add = controller.signal.addEventListener.bind(controller.signal);
    const remove = controller.signal.removeEventListener.bind(controller.signal);
    controller.signal.addEventListener = ((...a: Parameters<typeof add>) => (listeners++, add(...a))) as typeof add;
    controller.signal.removeEventListener = ((...a: Parameters<typeof remove>) => (listeners--, remove(...a))) as typeof remove;
    const done = supervise({ signal: controller.signal, backoff, waker: new Waker(), life, random: () => 0.5 });
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(2);
    controller.abort();
    await done;
    expect(vi.getTimerCount()).toBe(0);
    expect(listeners).toBe(0);
  });

  it('ends when a life is over for good', async () => {
    const { calls, life } = script([() => Promise.resolve(lost()), () => Promise.resolve(null), () => Promise.reject(lost())]);
    const done = supervise({ signal: new AbortController().signal, backoff, waker: new Waker(), life, random: () => 0.5 });
    await vi.advanceTimersByTimeAsync(5000);
    await done;
    expect(calls).toHaveLength(2);
  });
});

describe('unlessAborted', () => {
  it('resolves with the value, or null on abort, and removes its listener every time', async () => {
    const c = new AbortController();
    const seen: string[] = [];
    const spy = vi.spyOn(c.signal, 'removeEventListener');
    expect(await unlessAborted(Promise.resolve('v'), c.signal)).toBe('v');
    await expect(unlessAborted(Promise.reject(new Error('x')), c.signal)).rejects.toThrow('x');
    expect(spy).toHaveBeenCalledTimes(2);
    const pending = unlessAborted(new Promise<string>(() => {}), c.signal).then((v) => seen.push(String(v)));
    c.abort();
    await pending;
    expect(seen).toEqual(['null']);
    expect(await unlessAborted(Promise.resolve('late'), c.signal)).toBeNull();
  });
});
