import { randomUUID } from 'node:crypto';
import type { ClientChannel } from 'ssh2';
import type { TerminalEvent } from '../../shared/contract.js';
import { WarrenError } from '../../shared/errors.js';
import type { ConnectionManager, Endpoint } from './connections.js';

/** Output in a stream is sent in batches: at most this often… */
const FLUSH_MS = 4;
/** …or as soon as this much is waiting. */
const BATCH_BYTES = 64 * 1024;
/** Above this many bytes sent but not yet drawn by the renderer, the channel is paused… */
export const HIGH_WATER = 1024 * 1024;
/** …and it resumes once the renderer has caught up to this. */
export const LOW_WATER = 256 * 1024;

interface Session {
  channel: ClientChannel;
  unacked: number;
  paused: boolean;
}

/**
 * Terminal sessions: a PTY shell channel on the endpoint's shared connection, output batched every
 * few milliseconds and paused while the renderer is behind (it acknowledges what it has drawn), so
 * a flood never freezes the window or grows memory without bound.
 */
export class TerminalService {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly connections: ConnectionManager) {}

  /** Runs one session for the life of a `terminal.session` stream. */
  async run(endpoint: Endpoint, size: { cols: number; rows: number }, emit: (e: TerminalEvent) => void, signal: AbortSignal): Promise<void> {
    const lease = await this.connections.acquire(endpoint, (message) => emit({ type: 'status', message }));
    if (signal.aborted) return lease.release();
    const sessionId = randomUUID();
    try {
      const channel = await new Promise<ClientChannel>((resolve, reject) => {
        lease.client.shell({ term: 'xterm-256color', cols: size.cols, rows: size.rows }, (err, ch) => {
          if (err) reject(new WarrenError('CHANNEL', `${endpoint.label} refused to open a shell: ${err.message}. The account may have no login shell, or the server limits sessions (MaxSessions).`));
          else resolve(ch);
        });
      });
      lease.log(`Shell channel opened (${size.cols}×${size.rows}, xterm-256color)`);
      const session: Session = { channel, unacked: 0, paused: false };
      this.sessions.set(sessionId, session);
      emit({ type: 'opened', sessionId, connectionId: lease.connectionId, reused: lease.reused });

      let batch: Buffer[] = [];
      let batchBytes = 0;
      let timer: NodeJS.Timeout | null = null;
      const flush = () => {
        if (timer) clearTimeout(timer);
        timer = null;
        if (batchBytes === 0) return;
        // a standalone copy: a view into ssh2's pooled buffers would drag the whole pool along
        const data = new Uint8Array(batchBytes);
        let at = 0;
        for (const chunk of batch) {
          data.set(chunk, at);
          at += chunk.length;
        }
        session.unacked += batchBytes;
        batch = [];
        batchBytes = 0;
        emit({ type: 'data', data });
        if (session.unacked >= HIGH_WATER && !session.paused) {
          session.paused = true;
          channel.pause();
        }
      };
      let lastData = 0;
      const onData = (chunk: Buffer) => {
        batch.push(chunk);
        batchBytes += chunk.length;
        // after a quiet spell (an echoed keystroke) send at once; in a stream, gather for a few ms
        const quiet = timer === null && performance.now() - lastData >= FLUSH_MS;
        if (batchBytes >= BATCH_BYTES || quiet) flush();
        else timer ??= setTimeout(flush, FLUSH_MS);
        lastData = performance.now();
      };
      channel.on('data', onData);
      channel.stderr.on('data', onData);

      let exit: { code: number | null; signal: string | null } = { code: null, signal: null };
      channel.on('exit', (code: number | null, sig?: string) => {
        exit = { code: code ?? null, signal: sig ?? null };
      });
      const ended = new Promise<'ended'>((resolve) => channel.once('close', () => resolve('ended')));
      const aborted = new Promise<'aborted'>((resolve) => signal.addEventListener('abort', () => resolve('aborted'), { once: true }));
      let outcome: 'ended' | 'aborted' | WarrenError;
      try {
        outcome = await Promise.race([ended, aborted, lease.closed]);
      } finally {
        flush();
        this.sessions.delete(sessionId);
      }
      if (outcome instanceof WarrenError) throw outcome;
      if (outcome === 'aborted') {
        lease.log('Shell channel closed by the user');
        channel.close();
      } else {
        lease.log(`Shell exited${exit.code !== null ? ` with status ${exit.code}` : exit.signal ? ` on ${exit.signal}` : ''}`);
        emit({ type: 'exit', ...exit });
      }
    } finally {
      lease.release();
    }
  }

  input(sessionId: string, data: string): void {
    this.session(sessionId).channel.write(data);
  }

  resize(sessionId: string, cols: number, rows: number): void {
    this.session(sessionId).channel.setWindow(rows, cols, 0, 0);
  }

  ack(sessionId: string, bytes: number): void {
    const s = this.sessions.get(sessionId);
    if (!s) return; // the session ended while the acknowledgement was on its way
    s.unacked = Math.max(0, s.unacked - bytes);
    if (s.paused && s.unacked <= LOW_WATER) {
      s.paused = false;
      s.channel.resume();
    }
  }

  private session(id: string): Session {
    const s = this.sessions.get(id);
    if (!s) throw new WarrenError('NOT_FOUND', 'That terminal session has ended.');
    return s;
  }
}
