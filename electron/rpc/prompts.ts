import { randomUUID } from 'node:crypto';
import type { Prompt, PromptAnswer, PromptEvent } from '../../shared/prompts.js';
import { WarrenError } from '../../shared/errors.js';
import type { Prompter } from '../ssh/connect-spec.js';

const DEFAULT_TIMEOUT_MS = 120_000;

interface Pending {
  prompt: Prompt;
  timeoutMs: number;
  resolve(a: PromptAnswer): void;
  reject(e: WarrenError): void;
  timer: NodeJS.Timeout;
}

function describe(p: Prompt): string {
  switch (p.kind) {
    case 'hostkey':
      return `whether to trust the host key of ${p.host}`;
    case 'password':
      return `the password of ${p.user}@${p.host}`;
    case 'passphrase':
      return `the passphrase of ${p.keyFile}`;
    case 'keyboard-interactive':
      return `answers for ${p.user}@${p.host}`;
    case 'vault':
      return 'the vault passphrase';
    case 'conflict':
      return `what to do with ${p.path}, which exists`;
    case 'agent-sign':
      return `whether ${p.host} may use the key ${p.fingerprint}`;
    case 'banner':
      return `a look at ${p.host}'s login banner`;
  }
}

/**
 * The one prompt stream: the main process asks, whichever window watches answers, with a timeout.
 * With nobody watching, a question fails at once with NO_UI rather than hanging.
 */
export class PromptBroker implements Prompter {
  private readonly pending = new Map<string, Pending>();
  private readonly watchers = new Set<(e: PromptEvent) => void>();

  ask(prompt: Prompt, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<PromptAnswer> {
    if (this.watchers.size === 0) {
      return Promise.reject(
        new WarrenError(
          'NO_UI',
          `Warren needs ${describe(prompt)}, but nothing can ask you: no Warren window is open, or (on the command line) stdin is not a terminal. ${prompt.kind === 'hostkey' ? 'Connect once interactively to accept the host key, or add it to ~/.ssh/known_hosts.' : 'Save the secret in the host (keychain), use a key or the agent, or run interactively.'}`,
        ),
      );
    }
    const id = randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.finish(id);
        reject(new WarrenError('PROMPT_TIMEOUT', `Nobody answered the question about ${describe(prompt)} within ${Math.round(timeoutMs / 1000)} s.`));
      }, timeoutMs);
      this.pending.set(id, { prompt, timeoutMs, resolve, reject, timer });
      this.broadcast({ type: 'ask', id, prompt, timeoutMs });
    });
  }

  answer(id: string, answer: PromptAnswer): void {
    const p = this.pending.get(id);
    if (!p) throw new WarrenError('NOT_FOUND', 'That question is no longer open (it was answered elsewhere or timed out).');
    this.finish(id);
    if ('cancel' in answer) p.reject(new WarrenError('CANCELLED', `You cancelled the question about ${describe(p.prompt)}.`));
    else p.resolve(answer);
  }

  /** Serves one `prompts.watch` stream until it is aborted; open questions are replayed first. */
  async watch(emit: (e: PromptEvent) => void, signal: AbortSignal): Promise<void> {
    for (const [id, p] of this.pending) emit({ type: 'ask', id, prompt: p.prompt, timeoutMs: p.timeoutMs });
    this.watchers.add(emit);
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    this.watchers.delete(emit);
  }

  /** Fails every open question: the app is closing. */
  close(): void {
    for (const [id, p] of this.pending) {
      this.finish(id);
      p.reject(new WarrenError('CANCELLED', 'Warren is closing.'));
    }
  }

  private finish(id: string): void {
    const p = this.pending.get(id);
    if (!p) return;
    clearTimeout(p.timer);
    this.pending.delete(id);
    this.broadcast({ type: 'done', id });
  }

  private broadcast(e: PromptEvent): void {
    for (const w of this.watchers) w(e);
  }
}
