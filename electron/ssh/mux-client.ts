// The `warren` command's side of connection reuse (mux.ts says how it works): Node's own modules only,
// as it runs before the CLI loads ssh2 or the store.
import net from 'node:net';
import { Frame, frame, frames, MAX_LINE, type MuxAnswer, type MuxExit, type MuxRequest } from './mux-wire.js';

export interface MuxIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** a line of Warren's own (stderr) */
  say(line: string): void;
}

/**
 * The CLI's side: runs the command on the connection a master process holds. Resolves with the exit
 * status as `warren exec` gives it (255 when killed by a signal or the status was lost), or with null
 * when there is no master or it holds no connection to the host: then the caller connects itself.
 */
export async function execThroughMux(socketPath: string, request: MuxRequest, io: MuxIo): Promise<number | null> {
  if (process.platform === 'win32') return null;
  const sock = await new Promise<net.Socket | null>((resolve) => {
    const s = net.connect(socketPath);
    s.once('connect', () => resolve(s));
    s.once('error', () => resolve(null));
  });
  if (!sock) return null;
  sock.write(`${JSON.stringify(request)}\n`);
  return new Promise((resolve) => {
    let answered = false;
    let head: Buffer = Buffer.alloc(0);
    let exit: MuxExit | null = null;
    const output = frames(
      (type, payload) => {
        if (type === Frame.Data) io.stdout.write(payload);
        else if (type === Frame.EofOrStderr) io.stderr.write(payload);
        else if (type === Frame.Exit) exit = JSON.parse(payload.toString('utf8')) as MuxExit;
      },
      () => sock.destroy(),
    );
    sock.on('data', (chunk: Buffer) => {
      if (answered) return output(chunk);
      head = Buffer.concat([head, chunk]);
      const nl = head.indexOf(0x0a);
      if (nl < 0) return head.length > MAX_LINE ? sock.destroy() : undefined;
      answered = true;
      let answer: MuxAnswer;
      try {
        answer = JSON.parse(head.subarray(0, nl).toString('utf8')) as MuxAnswer;
      } catch {
        answer = { ok: false, why: 'an answer this Warren does not understand' };
      }
      if (!answer.ok) {
        sock.destroy();
        return resolve(null);
      }
      if (!request.noStdin) {
        io.stdin.on('data', (d: Buffer) => sock.write(frame(Frame.Data, d)));
        io.stdin.once('end', () => sock.write(frame(Frame.EofOrStderr, Buffer.alloc(0))));
      }
      output(head.subarray(nl + 1));
    });
    sock.on('error', () => {});
    sock.once('close', () => {
      if (!answered) return resolve(null);
      io.stdin.pause();
      const e = exit as MuxExit | null;
      if (e?.code !== null && e?.code !== undefined) return resolve(e.code);
      if (e?.signal) io.say(`warren: remote command killed by signal ${e.signal.replace(/^SIG/, '')}`);
      else io.say(`warren: ${e?.lost ?? 'the server closed the channel without an exit status'} (the command's status is unknown)`);
      resolve(255);
    });
  });
}
