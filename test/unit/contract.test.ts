// The contract server and the wire format: what an untrusted renderer can send, and what comes back.
import { describe, expect, it } from 'vitest';
import { createPeer, type Handlers } from '../../electron/rpc/peer.js';
import { WarrenError } from '../../shared/errors.js';
import { parseQuickTarget } from '../../shared/model.js';
import { DEFAULT_TERMINAL_SETTINGS } from '../../shared/settings.js';
import { decodeFrame, encodeFrame, type ServerMessage } from '../../shared/wire.js';

function peerWith(partial: { calls?: Partial<Handlers['calls']>; streams?: Partial<Handlers['streams']> }) {
  const sent: ServerMessage[] = [];
  const handlers = { calls: partial.calls ?? {}, streams: partial.streams ?? {} } as Handlers;
  const peer = createPeer(handlers, (m) => sent.push(m));
  const settle = () => new Promise((r) => setTimeout(r, 10));
  return { peer, sent, settle };
}

describe('wire frames', () => {
  it('round-trips messages with binary payloads outside the JSON', () => {
    const data = new Uint8Array([0, 1, 2, 255, 10, 13]);
    const frame = encodeFrame({ t: 'ev', id: 3, event: { type: 'data', data, also: [new Uint8Array([7])] } });
    expect(new TextDecoder().decode(frame)).not.toContain('255');
    const back = decodeFrame(frame) as { event: { data: Uint8Array; also: Uint8Array[] } };
    expect(Array.from(back.event.data)).toEqual(Array.from(data));
    expect(Array.from(back.event.also[0]!)).toEqual([7]);
  });

  it('rejects truncated and malformed frames with an error, never a crash', () => {
    const good = encodeFrame({ a: new Uint8Array(100) });
    expect(() => decodeFrame(good.subarray(0, 2))).toThrow(/too short/);
    expect(() => decodeFrame(good.subarray(0, good.byteLength - 50))).toThrow(/overruns/);
    const lying = new Uint8Array(8);
    new DataView(lying.buffer).setUint32(0, 1000);
    expect(() => decodeFrame(lying)).toThrow(/overruns/);
    const badRef = encodeFrame({ x: 1 });
    const text = new TextDecoder().decode(badRef.subarray(4)).replace('"x\\":1', '"x\\":{\\"$bin\\":9}');
    const forged = new Uint8Array(4 + new TextEncoder().encode(text).byteLength);
    new DataView(forged.buffer).setUint32(0, forged.byteLength - 4);
    forged.set(new TextEncoder().encode(text), 4);
    expect(() => decodeFrame(forged)).toThrow(/missing blob/);
  });

  it('refuses a header that lists more blobs than any message carries (each would be an allocation)', () => {
    const header = new TextEncoder().encode(JSON.stringify({ m: '{}', b: new Array(100_000).fill(0) }));
    const frame = new Uint8Array(4 + header.byteLength);
    new DataView(frame.buffer).setUint32(0, header.byteLength);
    frame.set(header, 4);
    expect(() => decodeFrame(frame)).toThrow(/100000 blobs \(at most 1024\)/);
    const ok = encodeFrame({ parts: Array.from({ length: 1024 }, () => new Uint8Array(1)) });
    expect((decodeFrame(ok) as { parts: Uint8Array[] }).parts).toHaveLength(1024);
  });
});

describe('contract server', () => {
  it('answers a valid call with the handler output, parsed by the output schema', async () => {
    const { peer, sent, settle } = peerWith({ calls: { 'hosts.delete': async () => ({ ok: true, extra: 'stripped' }) as never } });
    peer.receive({ t: 'call', id: 1, method: 'hosts.delete', input: { id: 'abc' } });
    await settle();
    expect(sent).toEqual([{ t: 'ok', id: 1, output: { ok: true } }]);
  });

  it('refuses garbage with BAD_REQUEST and never calls the handler', async () => {
    let called = 0;
    const { peer, sent, settle } = peerWith({ calls: { 'hosts.delete': async () => (called++, { ok: true }) } });
    peer.receive({ t: 'call', id: 1, method: 'hosts.delete', input: { id: '../../etc/passwd' } });
    peer.receive({ t: 'call', id: 2, method: 'hosts.delete', input: { id: 'a', extra: 1 } });
    peer.receive({ t: 'call', id: 3, method: 'no.such', input: {} });
    peer.receive({ t: 'call', id: 4, method: 'hosts.delete', input: 'x'.repeat(10) });
    peer.receive({ t: 'bogus', id: 5 });
    peer.receive('just a string');
    peer.receive(null);
    await settle();
    expect(called).toBe(0);
    expect(sent.map((m) => [m.id, m.t === 'err' && m.error.code])).toEqual([
      [1, 'BAD_REQUEST'],
      [2, 'BAD_REQUEST'],
      [3, 'BAD_REQUEST'],
      [4, 'BAD_REQUEST'],
      [5, 'BAD_REQUEST'],
    ]);
    const first = sent[0];
    expect(first?.t === 'err' && first.error.message).toMatch(/hosts\.delete was rejected: id: /);
  });

  it('answers an inherited property name as an unknown method or stream, never a crash', async () => {
    const { peer, sent, settle } = peerWith({});
    for (const [i, name] of ['constructor', '__proto__', 'hasOwnProperty', 'toString'].entries()) {
      peer.receive({ t: 'call', id: i, method: name, input: {} });
      peer.receive({ t: 'sub', id: 100 + i, stream: name, params: {} });
    }
    await settle();
    expect(sent).toHaveLength(8);
    for (const m of sent) expect(m).toMatchObject({ error: { code: 'BAD_REQUEST', message: expect.stringMatching(/^unknown (method|stream) "/) as unknown } });
  });

  it('hostkeys: a fingerprint is SHA256 as ssh-keygen prints it, and a key type the server named is shown only as printable ASCII', async () => {
    let called = 0;
    const fingerprint = `SHA256:${'A'.repeat(43)}`;
    const stale = [{ file: 'f', line: 1, fingerprint: `SHA256:${'B'.repeat(43)}`, hashed: false }];
    const change = { name: 'h', keyType: 'ssh-ed25519\x1b]0;pwned\x07', fingerprint, route: 'directly', stale };
    const { peer, sent, settle } = peerWith({
      calls: { 'hostkeys.replace': async () => (called++, { file: 'f', removed: [] }), 'hostkeys.inspect': async () => change },
    });
    peer.receive({ t: 'call', id: 1, method: 'hostkeys.replace', input: { target: { hostId: 'a' }, fingerprint: 'SHA256:short' } });
    peer.receive({ t: 'call', id: 2, method: 'hostkeys.replace', input: { target: { hostId: 'a' }, fingerprint, force: true } });
    peer.receive({ t: 'call', id: 3, method: 'hostkeys.inspect', input: { target: { hostId: 'a' } } });
    await settle();
    expect(called).toBe(0);
    expect([...sent].sort((a, b) => a.id - b.id).map((m) => [m.id, m.t === 'err' && m.error.code])).toEqual([
      [1, 'BAD_REQUEST'],
      [2, 'BAD_REQUEST'],
      [3, 'INTERNAL'],
    ]);
  });

  it('terminal.background takes a session id and a boolean, nothing else', async () => {
    const seen: unknown[] = [];
    const { peer, sent, settle } = peerWith({ calls: { 'terminal.background': (i) => (seen.push(i.background), { ok: true as const }) } });
    peer.receive({ t: 'call', id: 1, method: 'terminal.background', input: { sessionId: 's', background: 'yes' } });
    peer.receive({ t: 'call', id: 2, method: 'terminal.background', input: { sessionId: 's', background: true, pace: 0 } });
    peer.receive({ t: 'call', id: 3, method: 'terminal.background', input: { background: true } });
    peer.receive({ t: 'call', id: 4, method: 'terminal.background', input: { sessionId: 's', background: true } });
    await settle();
    expect(seen).toEqual([true]);
    expect([...sent].sort((a, b) => a.id - b.id).map((m) => [m.id, m.t === 'err' ? m.error.code : 'ok'])).toEqual([
      [1, 'BAD_REQUEST'],
      [2, 'BAD_REQUEST'],
      [3, 'BAD_REQUEST'],
      [4, 'ok'],
    ]);
  });

  it('settings.set takes known terminal settings in range, nothing else', async () => {
    const seen: unknown[] = [];
    const { peer, sent, settle } = peerWith({
      calls: { 'settings.set': (i) => (seen.push(i.terminal), { terminal: { ...DEFAULT_TERMINAL_SETTINGS, ...i.terminal }, snippets: [] }) },
    });
    const set = (id: number, input: unknown) => peer.receive({ t: 'call', id, method: 'settings.set', input });
    set(1, { terminal: { fontSize: 33 } });
    set(2, { terminal: { fontSize: 7 } });
    set(3, { terminal: { fontSize: 14.5 } });
    set(4, { terminal: { theme: 'solarized' } });
    set(5, { terminal: { fontSize: 16, password: 'x' } });
    set(6, { terminal: { fontSize: 16 }, extra: 1 });
    set(7, { terminal: { fontFamily: 'Mono; } body { display: none' } });
    set(8, { terminal: { scrollback: -1 } });
    set(9, { terminal: { fontSize: 32, theme: 'light', cursorStyle: 'bar', fontFamily: '"DejaVu Sans Mono", monospace' } });
    set(10, { terminal: { fontSize: 8 } });
    await settle();
    expect(seen).toEqual([{ fontSize: 32, theme: 'light', cursorStyle: 'bar', fontFamily: '"DejaVu Sans Mono", monospace' }, { fontSize: 8 }]);
    expect([...sent].sort((a, b) => a.id - b.id).map((m) => [m.id, m.t === 'err' ? m.error.code : 'ok'])).toEqual([
      [1, 'BAD_REQUEST'],
      [2, 'BAD_REQUEST'],
      [3, 'BAD_REQUEST'],
      [4, 'BAD_REQUEST'],
      [5, 'BAD_REQUEST'],
      [6, 'BAD_REQUEST'],
      [7, 'BAD_REQUEST'],
      [8, 'BAD_REQUEST'],
      [9, 'ok'],
      [10, 'ok'],
    ]);
  });

  it('reports a WarrenError as its code and any other error as INTERNAL without a stack', async () => {
    const { peer, sent, settle } = peerWith({
      calls: {
        'hosts.delete': async () => {
          throw new WarrenError('NOT_FOUND', 'gone');
        },
        'tree.get': () => {
          throw new TypeError('x is undefined');
        },
      },
    });
    peer.receive({ t: 'call', id: 1, method: 'hosts.delete', input: { id: 'a' } });
    peer.receive({ t: 'call', id: 2, method: 'tree.get', input: {} });
    await settle();
    expect([...sent].sort((a, b) => a.id - b.id)).toEqual([
      { t: 'err', id: 1, error: { code: 'NOT_FOUND', message: 'gone' } },
      { t: 'err', id: 2, error: { code: 'INTERNAL', message: 'Warren hit an unexpected error: x is undefined' } },
    ]);
  });

  it('streams events until unsubscribed, then aborts the handler', async () => {
    let aborted = false;
    const { peer, sent, settle } = peerWith({
      streams: {
        'connections.watch': async (_p, emit, { signal }) => {
          emit([]);
          await new Promise<void>((r) => signal.addEventListener('abort', () => r()));
          aborted = true;
        },
      },
    });
    peer.receive({ t: 'sub', id: 7, stream: 'connections.watch', params: {} });
    await settle();
    expect(sent).toEqual([{ t: 'ev', id: 7, event: [] }]);
    peer.receive({ t: 'unsub', id: 7 });
    await settle();
    expect(aborted).toBe(true);
    expect(sent).toHaveLength(1);
  });

  it('closing the peer stops every stream it holds', async () => {
    let stopped = 0;
    const { peer, settle } = peerWith({
      streams: {
        'tree.watch': async (_p, _e, { signal }) => {
          await new Promise<void>((r) => signal.addEventListener('abort', () => r()));
          stopped++;
        },
      },
    });
    peer.receive({ t: 'sub', id: 1, stream: 'tree.watch', params: {} });
    peer.receive({ t: 'sub', id: 2, stream: 'tree.watch', params: {} });
    await settle();
    peer.close();
    await settle();
    expect(stopped).toBe(2);
  });
});

describe('quick connect', () => {
  it.each([
    ['host', { hostname: 'host' }],
    ['alice@db.example.com', { hostname: 'db.example.com', user: 'alice' }],
    ['alice@10.0.0.5:2222', { hostname: '10.0.0.5', port: 2222, user: 'alice' }],
    ['ssh://bob@h:22/', { hostname: 'h', port: 22, user: 'bob' }],
    ['[::1]:2200', { hostname: '::1', port: 2200 }],
    ['root@fe80::1', { hostname: 'fe80::1', user: 'root' }],
  ])('%s', (text, expected) => {
    expect(parseQuickTarget(text)).toEqual(expected);
  });

  it.each(['', 'a b', 'host:99999', 'host:abc', '@host', 'us er@host', 'host;rm -rf'])('rejects %j', (text) => {
    expect(parseQuickTarget(text)).toBeNull();
  });
});
