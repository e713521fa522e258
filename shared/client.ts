import type { CallInput, CallName, CallOutput, StreamEvent, StreamName, StreamParams } from './contract.js';
import { WarrenError, type WireError } from './errors.js';
import type { ClientMessage, ServerMessage } from './wire.js';

/** What a transport gives the client: a way to send, and a way to be told of messages and of the end. */
export interface ClientTransport {
  send(message: ClientMessage): void;
  onMessage(handler: (message: ServerMessage) => void): void;
  onClose(handler: (reason: string) => void): void;
}

export interface StreamHandlers<E> {
  onEvent(event: E): void;
  /** the stream ended: normally (no error) or with the error that ended it */
  onEnd?(error: WarrenError | null): void;
}

/** The typed client of the contract; the same class serves the renderer, the tests and the benchmarks. */
export class RpcClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: WarrenError): void }>();
  private readonly streams = new Map<number, StreamHandlers<unknown>>();
  private closed: string | null = null;

  constructor(private readonly transport: ClientTransport) {
    transport.onMessage((m) => this.receive(m));
    transport.onClose((reason) => this.fail(reason));
  }

  call<N extends CallName>(method: N, input: CallInput<N>): Promise<CallOutput<N>> {
    if (this.closed !== null) return Promise.reject(new WarrenError('DISCONNECTED', this.closed));
    const id = this.nextId++;
    return new Promise<CallOutput<N>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.transport.send({ t: 'call', id, method, input });
    });
  }

  /** Starts a stream; returns the function that stops it. */
  subscribe<N extends StreamName>(stream: N, params: StreamParams<N>, handlers: StreamHandlers<StreamEvent<N>>): () => void {
    const id = this.nextId++;
    if (this.closed !== null) {
      const reason = this.closed;
      queueMicrotask(() => handlers.onEnd?.(new WarrenError('DISCONNECTED', reason)));
      return () => {};
    }
    this.streams.set(id, handlers as StreamHandlers<unknown>);
    this.transport.send({ t: 'sub', id, stream, params });
    return () => {
      if (this.streams.delete(id) && this.closed === null) this.transport.send({ t: 'unsub', id });
    };
  }

  private receive(m: ServerMessage): void {
    switch (m.t) {
      case 'ok':
      case 'err': {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.t === 'ok') p.resolve(m.output);
        else p.reject(WarrenError.fromWire(m.error));
        return;
      }
      case 'ev':
        this.streams.get(m.id)?.onEvent(m.event);
        return;
      case 'end': {
        const s = this.streams.get(m.id);
        if (!s) return;
        this.streams.delete(m.id);
        s.onEnd?.(m.error ? WarrenError.fromWire(m.error as WireError) : null);
        return;
      }
    }
  }

  private fail(reason: string): void {
    if (this.closed !== null) return;
    this.closed = reason;
    const error = new WarrenError('DISCONNECTED', reason);
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
    for (const s of this.streams.values()) s.onEnd?.(error);
    this.streams.clear();
  }
}
