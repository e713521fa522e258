// The transfer queue's host reconnect, on the one reconnect supervisor (ssh/retry.ts supervise): a
// host's files paused by a lost connection wait (backoff with jitter, cut short by wake or resume),
// Warren reconnects and resumes them; a failure trying again cannot fix stops it and shows on the
// paused files. The jobs' `retryAt` is when the next try happens, as the supervisor says.
import type { WarrenError } from '../../shared/errors.js';
import type { Endpoint } from '../ssh/connections.js';
import { asWarrenError, supervise, Waker, type Backoff } from '../ssh/retry.js';
import { failureOf } from './files.js';
import type { Job, Task } from './job.js';
import type { Board } from './progress.js';
import type { SftpSessions } from './session.js';

export interface ReconnectDeps {
  sessions: SftpSessions;
  board: Board;
  /** how long paused files wait before Warren reconnects and resumes them, attempt after attempt */
  backoff: Backoff;
  /** a paused file goes back in the queue… */
  requeue(t: Task): void;
  /** …which starts what it has room for */
  pump(): void;
}

export class HostReconnects {
  /** hosts whose paused files wait to be resumed, by endpoint key */
  private readonly running = new Map<string, AbortController>();
  private readonly waker = new Waker();

  constructor(private readonly d: ReconnectDeps) {}

  /**
   * A host's files were paused by a lost connection (`lost`): wait (backoff), reconnect, and resume
   * them, until that works, none is left paused, or the failure is one trying again cannot fix
   * (authentication, host key), which then shows on the paused files.
   */
  start(endpoint: Endpoint, lost: WarrenError): void {
    if (this.running.has(endpoint.key)) return;
    const controller = new AbortController();
    this.running.set(endpoint.key, controller);
    void this.supervise(endpoint, lost, controller);
  }

  /** resume from sleep, network back: paused files try now */
  wake(): void {
    this.waker.wake();
  }

  close(): void {
    for (const c of this.running.values()) c.abort();
  }

  private async supervise(endpoint: Endpoint, lost: WarrenError, controller: AbortController): Promise<void> {
    const paused = () => [...this.d.board.tasks.values()].filter((t) => t.row.state === 'paused' && !t.browser && t.job.endpoint.key === endpoint.key);
    const scheduled = new Set<Job>();
    const schedule = (at: number | null) => {
      for (const job of at === null ? scheduled : new Set(paused().map((t) => t.job))) {
        job.row.retryAt = at;
        scheduled.add(job);
        this.d.board.changedJob(job);
      }
    };
    // at once, not a few awaits later: a file paused again after the resume starts a reconnect of its own
    const over = () => {
      if (this.running.get(endpoint.key) !== controller) return;
      schedule(null);
      this.running.delete(endpoint.key);
    };
    try {
      await supervise({
        signal: controller.signal,
        backoff: this.d.backoff,
        waker: this.waker,
        waiting: (_attempt, retryAt) => schedule(retryAt),
        life: async ({ retrying }) => {
          // the first life is the connection that paused the files: it is already lost, so the
          // supervisor waits before the first reconnect
          if (!retrying) return lost;
          if (paused().length === 0) return null;
          try {
            await this.d.sessions.use(endpoint, async () => {});
          } catch (e) {
            if (paused().length === 0) return null; // nobody waits any more
            throw e;
          }
          over();
          for (const t of paused()) this.d.requeue(t);
          this.d.pump();
          return null;
        },
      });
    } catch (e) {
      const error = asWarrenError(e);
      const message = `${error.message} Warren stopped reconnecting by itself: resume once that is fixed.`;
      for (const t of paused()) this.d.board.setState(t, 'paused', { ...failureOf(error, { side: 'remote', path: t.row.to }), message });
    } finally {
      over();
    }
  }
}
