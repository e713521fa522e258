import { WarrenError } from '../../shared/errors.js';

/** Failures that trying again cannot fix: the user must act (a password, a host key, a setting). */
const FINAL: ReadonlySet<string> = new Set([
  'AUTH_FAILED',
  'HOST_KEY_CHANGED',
  'HOST_KEY_REJECTED',
  'HOST_KEY_REVOKED',
  'KEY_FILE',
  'CANCELLED',
  'PROMPT_TIMEOUT',
  'NOT_SSH',
  'HANDSHAKE',
  'NOT_FOUND',
  'BAD_REQUEST',
  'CONFIG',
]);

export const isFinal = (e: WarrenError) => FINAL.has(e.code);

export const asWarrenError = (e: unknown) => (e instanceof WarrenError ? e : new WarrenError('INTERNAL', e instanceof Error ? e.message : String(e)));

export interface Backoff {
  /** the first retry's delay (ms); each next one doubles… */
  baseMs: number;
  /** …up to this */
  capMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 1000, capMs: 30_000 };

/** the wait before retry number `attempt` (1, 2, …) */
export const retryDelay = (attempt: number, b: Backoff) => Math.min(b.capMs, b.baseMs * 2 ** (attempt - 1));

/**
 * A wait that ends early when woken ("reconnect now", resume from sleep, network back) or aborted.
 * Resolves true when the wait is over, false when aborted.
 */
export class Waker {
  private wakers = new Set<() => void>();

  sleep(ms: number, signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        signal.removeEventListener('abort', abort);
        resolve(ok);
      };
      const wake = () => done(true);
      const abort = () => done(false);
      const timer = setTimeout(wake, ms);
      this.wakers.add(wake);
      signal.addEventListener('abort', abort, { once: true });
    });
  }

  wake(): void {
    for (const w of [...this.wakers]) w();
  }
}

/** How a supervised thing's one life ended: `null` when it is over for good, else the loss to recover from. */
export type Outcome = WarrenError | null;

export interface SuperviseOptions {
  /** aborting it ends the supervision (at once, also mid-wait) */
  signal: AbortSignal;
  backoff: Backoff;
  /** "reconnect now", resume from sleep, network back: ends the current wait early */
  waker: Waker;
  /**
   * One life: connect, hold, and resolve with how it ended. Call `up()` once connected, so the next
   * loss starts counting attempts from 1 again. A throw is a failure to connect.
   */
  life(ctx: { retrying: boolean; up(): void }): Promise<Outcome>;
  /** whether a failure ends the supervision (thrown to the caller); default: the final codes (isFinal) */
  final?(error: WarrenError, ctx: { retrying: boolean }): boolean;
  /** told before each wait: the attempt about to come (1, 2, …), when, and what was lost */
  waiting?(attempt: number, retryAt: number, error: WarrenError): void;
  /** 0 ≤ r < 1; tests pin it. Default Math.random. */
  random?(): number;
}

/** ±20 % around the backoff step, so clients that lost the same server do not all come back at once */
export const jittered = (ms: number, r: number) => Math.round(ms * (0.8 + 0.4 * r));

/**
 * The one reconnect loop of terminals, tunnels, file panes and the transfer queue: run a life; when it
 * is lost, wait (exponential backoff with jitter, cut short by the waker) and run the next one; stop
 * when a life ends for good (resolves null), when aborted (resolves null), or on a failure trying again
 * cannot fix (authentication, host key: thrown).
 */
export async function supervise(o: SuperviseOptions): Promise<void> {
  const final = o.final ?? ((e) => isFinal(e));
  const random = o.random ?? Math.random;
  let attempt = 0;
  while (!o.signal.aborted) {
    const retrying = attempt > 0;
    let lost: WarrenError;
    try {
      const outcome = await o.life({ retrying, up: () => (attempt = 0) });
      if (outcome === null) return;
      lost = outcome;
    } catch (e) {
      lost = asWarrenError(e);
      if (final(lost, { retrying })) throw lost;
    }
    if (o.signal.aborted) return;
    attempt++;
    const delay = jittered(retryDelay(attempt, o.backoff), random());
    o.waiting?.(attempt, Date.now() + delay, lost);
    if (!(await o.waker.sleep(delay, o.signal))) return;
  }
}

/** `promise`, or null as soon as `signal` aborts; the abort listener is removed either way. */
export function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | null> {
  if (signal.aborted) return Promise.resolve(null);
  return new Promise<T | null>((resolve, reject) => {
    const abort = () => resolve(null);
    signal.addEventListener('abort', abort, { once: true });
    promise.then(
      (v) => (signal.removeEventListener('abort', abort), resolve(v)),
      (e: unknown) => (signal.removeEventListener('abort', abort), reject(e)),
    );
  });
}
