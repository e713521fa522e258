import { contract, type CallArgs, type CallName, type CallOutput, type StreamArgs, type StreamEvent, type StreamName } from '../../shared/contract.js';
import { WarrenError, type WireError } from '../../shared/errors.js';
import { ClientMessage, type ServerMessage } from '../../shared/wire.js';

export interface StreamContext {
  /** aborted when the client unsubscribes or goes away */
  signal: AbortSignal;
}

/**
 * The handlers of the contract. A missing handler, a wrong input type or a wrong output type is a
 * compile error. A stream handler emits events and returns when the stream is over; it must end
 * soon after `signal` aborts.
 */
export interface Handlers {
  calls: { [N in CallName]: (input: CallArgs<N>) => Promise<CallOutput<N>> | CallOutput<N> };
  streams: {
    [N in StreamName]: (params: StreamArgs<N>, emit: (event: StreamEvent<N>) => void, ctx: StreamContext) => Promise<void>;
  };
}

export interface Peer {
  /** one message from the client, exactly as the transport received it (untrusted) */
  receive(raw: unknown): void;
  /** the client went away: every stream it holds is stopped */
  close(): void;
}

export interface PeerOptions {
  /** told of requests that could not even be answered (no id); the transport may log or drop the client */
  onProtocolError?(message: string): void;
}

/**
 * What one client may hold open at once. The app needs a few dozen (a terminal or a file pane is one
 * stream, uploads keep 4 chunks in flight); the caps stop one client from making the server hold
 * unbounded state for it. The excess is refused with BAD_REQUEST, reason `limit`.
 */
export const MAX_CALLS_IN_FLIGHT = 1000;
export const MAX_STREAMS = 1000;

const calls: Record<string, { input: { safeParse(v: unknown): SafeResult }; output: { parse(v: unknown): unknown } }> = contract.calls;
const streams: Record<string, { params: { safeParse(v: unknown): SafeResult }; event: { parse(v: unknown): unknown } }> = contract.streams;
type SafeResult = { success: true; data: unknown } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };

function badRequest(what: string, issues: { path: PropertyKey[]; message: string }[]): WireError {
  const list = issues.slice(0, 5).map((i) => `${i.path.map(String).join('.') || '(input)'}: ${i.message}`);
  return { code: 'BAD_REQUEST', message: `${what} was rejected: ${list.join('; ')}`, detail: { issues: list } };
}

function overLimit(what: string, limit: number): WireError {
  return { code: 'BAD_REQUEST', message: `too many ${what} on this connection (at most ${limit}); wait for some to end`, detail: { reason: 'limit', limit } };
}

export function toWireError(e: unknown): WireError {
  if (e instanceof WarrenError) return e.toWire();
  // Never a stack, never the raw error object: only its message, so nothing internal leaks.
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'INTERNAL', message: `Warren hit an unexpected error: ${message}` };
}

/** Serves the contract to one client over any transport. */
export function createPeer(handlers: Handlers, send: (m: ServerMessage) => void, options: PeerOptions = {}): Peer {
  const running = new Map<number, AbortController>();
  let callsInFlight = 0;
  let closed = false;
  const reply = (m: ServerMessage) => {
    if (!closed) send(m);
  };

  async function runCall(id: number, method: string, input: unknown): Promise<void> {
    // own keys only: `constructor` or `__proto__` as a method name is simply unknown
    const spec = Object.hasOwn(calls, method) ? calls[method] : undefined;
    if (!spec) return reply({ t: 'err', id, error: { code: 'BAD_REQUEST', message: `unknown method "${method.slice(0, 100)}"` } });
    const parsed = spec.input.safeParse(input);
    if (!parsed.success) return reply({ t: 'err', id, error: badRequest(method, parsed.error.issues) });
    if (callsInFlight >= MAX_CALLS_IN_FLIGHT) return reply({ t: 'err', id, error: overLimit('calls in flight', MAX_CALLS_IN_FLIGHT) });
    callsInFlight++;
    try {
      const handler = handlers.calls[method as CallName] as (i: unknown) => unknown;
      const output = spec.output.parse(await handler(parsed.data));
      reply({ t: 'ok', id, output });
    } catch (e) {
      reply({ t: 'err', id, error: toWireError(e) });
    } finally {
      callsInFlight--;
    }
  }

  async function runStream(id: number, name: string, params: unknown): Promise<void> {
    const spec = Object.hasOwn(streams, name) ? streams[name] : undefined;
    if (!spec) return reply({ t: 'end', id, error: { code: 'BAD_REQUEST', message: `unknown stream "${name.slice(0, 100)}"` } });
    const parsed = spec.params.safeParse(params);
    if (!parsed.success) return reply({ t: 'end', id, error: badRequest(name, parsed.error.issues) });
    if (running.has(id)) return reply({ t: 'end', id, error: { code: 'BAD_REQUEST', message: `stream id ${id} is already in use` } });
    if (running.size >= MAX_STREAMS) return reply({ t: 'end', id, error: overLimit('open streams', MAX_STREAMS) });
    const controller = new AbortController();
    running.set(id, controller);
    const emit = (event: unknown) => {
      if (!controller.signal.aborted) reply({ t: 'ev', id, event: spec.event.parse(event) });
    };
    try {
      const handler = handlers.streams[name as StreamName] as (p: unknown, e: typeof emit, c: StreamContext) => Promise<void>;
      await handler(parsed.data, emit, { signal: controller.signal });
      if (!controller.signal.aborted) reply({ t: 'end', id });
    } catch (e) {
      if (!controller.signal.aborted) reply({ t: 'end', id, error: toWireError(e) });
    } finally {
      running.delete(id);
    }
  }

  return {
    receive(raw) {
      if (closed) return;
      const parsed = ClientMessage.safeParse(raw);
      if (!parsed.success) {
        const id = (raw as { id?: unknown } | null)?.id;
        if (typeof id === 'number' && Number.isInteger(id) && id >= 0) {
          reply({ t: 'err', id, error: badRequest('message', parsed.error.issues) });
        } else {
          options.onProtocolError?.('a message without a valid id was dropped');
        }
        return;
      }
      const m = parsed.data;
      if (m.t === 'call') void runCall(m.id, m.method, m.input);
      else if (m.t === 'sub') void runStream(m.id, m.stream, m.params);
      else running.get(m.id)?.abort();
    },
    close() {
      closed = true;
      for (const c of running.values()) c.abort();
      running.clear();
    },
  };
}
