import { WarrenError } from '../../shared/errors.js';

/** Failures that trying again cannot fix: the user must act (a password, a host key, a setting). */
const FINAL: ReadonlySet<string> = new Set(['AUTH_FAILED', 'HOST_KEY_CHANGED', 'HOST_KEY_REJECTED', 'HOST_KEY_REVOKED', 'KEY_FILE', 'CANCELLED', 'PROMPT_TIMEOUT', 'NOT_SSH', 'HANDSHAKE', 'NOT_FOUND', 'BAD_REQUEST']);

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
