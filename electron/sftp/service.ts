import type { Prompt, PromptAnswer } from '../../shared/prompts.js';
import type { Target } from '../../shared/model.js';
import type { Entry, Listing, SessionEvent } from '../../shared/sftp.js';
import type { ConnectionManager, Endpoint } from '../ssh/connections.js';
import { asWarrenError, supervise, unlessAborted, Waker, type Backoff } from '../ssh/retry.js';
import { DragOut, type StartDrag } from './dragout.js';
import { list, mkdir, remove, rename, statEntry, type Files } from './files.js';
import { localFiles } from './local.js';
import { SftpSessions } from './session.js';
import { TransferService } from './queue.js';
import { ResumeRecords } from './resume.js';

export interface SftpDeps {
  connections: ConnectionManager;
  prompts: { ask(p: Prompt, timeoutMs?: number): Promise<PromptAnswer> };
  endpointOf(target: Target): Promise<Endpoint>;
  /** the host's sftpSudo setting (a user, `none`, or null) */
  sudoOf(endpoint: Endpoint): string | null;
  /** the desktop app's OS drag (webContents.startDrag); absent in browser mode and the CLI */
  startDrag?: StartDrag | undefined;
  /** how paused transfers wait to reconnect */
  backoff: Backoff;
  /** where partial copies are recorded so a later run continues them; null: nowhere */
  resumeDir: string | null;
}

const ok = { ok: true } as const;

/** The file browser's operations on one side, as the contract serves them. */
export interface Browse {
  home(): Promise<{ path: string }>;
  list(path: string): Promise<Listing>;
  stat(path: string): Promise<Entry>;
  mkdir(path: string): Promise<typeof ok>;
  rename(from: string, to: string): Promise<typeof ok>;
  delete(path: string, recursive: boolean): Promise<typeof ok>;
  chmod(path: string, mode: number): Promise<typeof ok>;
}

/** SFTP: the browser on a host or on this machine, and the transfer queue between them. */
export class SftpService {
  readonly transfers: TransferService;
  /** remote files dragged out to the OS file manager (desktop app) */
  readonly dragOut: DragOut;
  private readonly sessions: SftpSessions;
  private readonly waker = new Waker();

  constructor(private readonly deps: SftpDeps) {
    this.sessions = new SftpSessions({
      connections: deps.connections,
      sudoOf: (e) => {
        const user = deps.sudoOf(e);
        return user === 'none' ? null : user;
      },
    });
    this.dragOut = new DragOut({ sessions: this.sessions, endpointOf: deps.endpointOf, startDrag: deps.startDrag });
    this.transfers = new TransferService({
      sessions: this.sessions,
      local: localFiles,
      endpointOf: deps.endpointOf,
      prompts: deps.prompts,
      backoff: deps.backoff,
      records: new ResumeRecords(deps.resumeDir),
    });
  }

  /** a host's files (`target`), or this machine's (null) */
  browse(target: Target | null): Browse {
    const run = <T>(f: (files: Files) => Promise<T>): Promise<T> =>
      target === null ? f(localFiles) : this.deps.endpointOf(target).then((e) => this.sessions.use(e, (s) => f(s.files)));
    return {
      home: () => run(async (f) => ({ path: await f.home() })),
      list: (path) => run((f) => list(f, path)),
      stat: (path) => run((f) => statEntry(f, path)),
      mkdir: (path) => run((f) => mkdir(f, path)).then(() => ok),
      rename: (from, to) => run((f) => rename(f, from, to)).then(() => ok),
      delete: (path, recursive) => run((f) => remove(f, path, recursive)).then(() => ok),
      chmod: (path, mode) => run((f) => f.setattrs(path, { mode })).then(() => ok),
    };
  }

  /**
   * While a pane shows `target`: holds its SFTP session open and tells when it is open, lost (then
   * reconnects with backoff, on the one reconnect supervisor: `retryAt` is when it tries next) or
   * failed for good. Ends when the pane unsubscribes.
   */
  async watch(target: Target, emit: (e: SessionEvent) => void, signal: AbortSignal): Promise<void> {
    const endpoint = await this.deps.endpointOf(target);
    try {
      await supervise({
        signal,
        backoff: this.deps.backoff,
        waker: this.waker,
        waiting: (attempt, retryAt, error) => emit({ state: 'lost', error: error.toWire(), attempt, retryAt }),
        life: async ({ up }) => {
          const { session, release } = await this.sessions.acquire(endpoint);
          try {
            up();
            if (!signal.aborted) emit({ state: 'open' });
            return await unlessAborted(session.closed, signal);
          } finally {
            release();
          }
        },
      });
    } catch (e) {
      emit({ state: 'failed', error: asWarrenError(e).toWire() });
    }
  }

  /** resume from sleep, network back: lost sessions and paused transfers try now */
  wake(): void {
    this.waker.wake();
    this.transfers.wake();
  }

  /** Stops the transfers and drags under way, closes the sessions, removes the drags' temporary folders. */
  async close(): Promise<void> {
    const transfers = this.transfers.close();
    const drags = this.dragOut.close();
    await transfers;
    this.sessions.closeAll();
    await drags;
  }
}
