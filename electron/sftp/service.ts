import type { Prompt, PromptAnswer } from '../../shared/contract.js';
import type { Target } from '../../shared/model.js';
import type { Entry, Listing } from '../../shared/sftp.js';
import type { ConnectionManager, Endpoint } from '../ssh/connections.js';
import { list, mkdir, remove, rename, statEntry, type Files } from './files.js';
import { localFiles } from './local.js';
import { SftpSessions } from './session.js';
import { TransferService } from './transfers.js';

export interface SftpDeps {
  connections: ConnectionManager;
  prompts: { ask(p: Prompt, timeoutMs?: number): Promise<PromptAnswer> };
  endpointOf(target: Target): Endpoint;
  /** the host's sftpSudo setting (a user, `none`, or null) */
  sudoOf(endpoint: Endpoint): string | null;
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
  private readonly sessions: SftpSessions;

  constructor(private readonly deps: SftpDeps) {
    this.sessions = new SftpSessions({
      connections: deps.connections,
      sudoOf: (e) => {
        const user = deps.sudoOf(e);
        return user === 'none' ? null : user;
      },
    });
    this.transfers = new TransferService({ sessions: this.sessions, local: localFiles, endpointOf: deps.endpointOf, prompts: deps.prompts });
  }

  /** a host's files (`target`), or this machine's (null) */
  browse(target: Target | null): Browse {
    const run = <T>(f: (files: Files) => Promise<T>): Promise<T> => (target === null ? f(localFiles) : this.sessions.use(this.deps.endpointOf(target), (s) => f(s.files)));
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

  close(): void {
    this.transfers.close();
    this.sessions.closeAll();
  }
}
