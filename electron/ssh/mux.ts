// Connection reuse for the `warren` command, as OpenSSH's ControlMaster: a process that holds SSH
// connections for a long time (the desktop app, browser mode, `warren tunnel up`) listens on a private
// socket in the data dir, `mux.sock`; `warren exec HOST -- CMD` asks there first, and when that process
// already holds a connection to HOST, the command runs on it: no TCP handshake, key exchange or login,
// one channel open. When nothing listens, or nothing is connected to HOST, the command connects itself.
//
// The socket is the user's alone, as ssh's control socket is: the data dir is 0700 and the socket 0600.
// Whatever arrives on it is still checked: one bounded request line, parsed by a schema, and frames
// whose sizes are bounded; anything else closes that client.
import { chmod, rm } from 'node:fs/promises';
import net from 'node:net';
import type { ClientChannel } from 'ssh2';
import { z } from 'zod';
import { layerOf } from '../../shared/errors.js';
import type { ConnectionManager, Endpoint } from './connections.js';
import { Frame, frame, frames, MAX_LINE, type MuxAnswer, type MuxExit, type MuxRequest } from './mux-wire.js';

const Request = z.strictObject({
  v: z.literal(1),
  op: z.literal('exec'),
  name: z.string().min(1).max(1024),
  command: z
    .string()
    .min(1)
    .max(256 * 1024),
  noStdin: z.boolean(),
}) satisfies z.ZodType<MuxRequest>;

export interface MuxDeps {
  connections: ConnectionManager;
  /** where a name leads, as `warren exec NAME` resolves it; rejects when it leads nowhere */
  endpointNamed(name: string): Promise<Endpoint>;
  log(line: string): void;
}

export interface MuxServer {
  close(): Promise<void>;
}

/**
 * Listens on `socketPath` unless another live process already does (then null: that one serves). A
 * socket file left by a process that died is replaced. Not on Windows (no such sockets in its data dir).
 */
export async function serveMux(socketPath: string, deps: MuxDeps): Promise<MuxServer | null> {
  if (process.platform === 'win32') return null;
  if (await answers(socketPath)) return null;
  await rm(socketPath, { force: true });
  const clients = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    clients.add(sock);
    sock.once('close', () => clients.delete(sock));
    sock.on('error', () => sock.destroy());
    serveOne(sock, deps);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  server.on('error', (e) => deps.log(`the reuse socket ${socketPath} failed: ${e.message}`));
  await chmod(socketPath, 0o600);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of clients) c.destroy();
        server.close(() => resolve());
      }),
  };
}

function answers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.connect(socketPath);
    probe.once('connect', () => (probe.destroy(), resolve(true)));
    probe.once('error', () => resolve(false));
  });
}

function serveOne(sock: net.Socket, deps: MuxDeps): void {
  let line: Buffer = Buffer.alloc(0);
  const onLine = (chunk: Buffer) => {
    line = Buffer.concat([line, chunk]);
    const nl = line.indexOf(0x0a);
    if (nl < 0) {
      if (line.length > MAX_LINE) sock.destroy();
      return;
    }
    sock.off('data', onLine);
    sock.pause();
    const rest = line.subarray(nl + 1);
    let request: MuxRequest;
    try {
      request = Request.parse(JSON.parse(line.subarray(0, nl).toString('utf8')));
    } catch {
      return void sock.end(`${JSON.stringify({ ok: false, why: 'not a request this Warren understands' } satisfies MuxAnswer)}\n`);
    }
    void run(sock, request, rest, deps);
  };
  sock.on('data', onLine);
}

async function run(sock: net.Socket, request: MuxRequest, early: Buffer, deps: MuxDeps): Promise<void> {
  const refuse = (why: string) => void sock.end(`${JSON.stringify({ ok: false, why } satisfies MuxAnswer)}\n`);
  let endpoint: Endpoint;
  try {
    endpoint = await deps.endpointNamed(request.name);
  } catch (e) {
    return refuse(e instanceof Error ? e.message : String(e));
  }
  // what ssh_config asks of the session that only the command's own process can do (its terminal, its
  // environment's SendEnv) or must refuse (RemoteCommand): that process connects itself
  const o = endpoint.spec.sshOptions;
  if (o?.remoteCommand !== undefined || o?.requestTty === 'yes' || o?.requestTty === 'force' || (o?.sendEnv?.length ?? 0) > 0)
    return refuse(`ssh_config sets RemoteCommand, RequestTTY or SendEnv for ${endpoint.label}: the command connects itself`);
  // only a connection that is up: a login belongs to the command's own terminal, where it can be answered
  const lease = deps.connections.connected(endpoint) ? await deps.connections.acquire(endpoint).catch(() => null) : null;
  if (!lease) return refuse(`no connection to ${endpoint.label} is open here`);
  const exit: MuxExit = { code: null, signal: null, lost: null };
  let channel: ClientChannel;
  try {
    channel = await new Promise<ClientChannel>((resolve, reject) =>
      lease.client.exec(request.command, { env: o?.setEnv ?? {} }, (err, ch) => {
        if (err) return reject(err);
        // watched at once: the exit status can arrive in the same read as the channel's confirmation
        ch.on('exit', (code: number | null, signal?: string) => {
          exit.code = code ?? null;
          exit.signal = signal ?? null;
        });
        resolve(ch);
      }),
    );
  } catch (e) {
    lease.release();
    return refuse(`the server refused to run the command on the open connection: ${(e as Error).message}`);
  }
  lease.log('A `warren exec` reuses this connection (exec channel)');
  sock.write(`${JSON.stringify({ ok: true, label: endpoint.label } satisfies MuxAnswer)}\n`);
  void lease.closed.then((e) => (exit.lost = `${layerOf[e.code]}: ${e.message}`));
  // output: the channel's two streams as frames, paused while the client reads slower than they come
  const forward = (type: Frame) => (d: Buffer) => {
    if (!sock.write(frame(type, d))) {
      channel.pause();
      sock.once('drain', () => channel.resume());
    }
  };
  channel.on('data', forward(Frame.Data));
  channel.stderr.on('data', forward(Frame.EofOrStderr));
  channel.once('close', () => {
    // the connection's end is known a moment after the channel's
    setTimeout(() => {
      sock.end(frame(Frame.Exit, Buffer.from(JSON.stringify(exit))));
      lease.release();
    }, 0);
  });
  // input: stdin frames into the channel
  const input = frames(
    (type, payload) => {
      if (type === Frame.Data) {
        if (!channel.write(payload)) {
          sock.pause();
          channel.once('drain', () => sock.resume());
        }
      } else if (type === Frame.EofOrStderr) channel.end();
    },
    (why) => {
      deps.log(`dropped a reuse-socket client that sent ${why}`);
      sock.destroy();
    },
  );
  if (request.noStdin) channel.end();
  sock.on('data', input);
  if (early.length) input(early);
  sock.resume();
  sock.once('close', () => channel.close());
}
