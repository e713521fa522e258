// Which `warren tunnel up` process runs a tunnel. Each writes `run/tunnel-<id>.pid` for its tunnels, naming
// itself and a socket it listens on while it lives. A pid alone proves nothing (the process may be gone and
// its number reused by another), so `status` and `down` believe a pid file only when its socket answers:
// `down` never signals a process that is not Warren's, and a stale file is removed where it is found.
import { rmSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

interface RunFile {
  pid: number;
  socket: string;
}
/** what a pid file holds, when it is one this Warren wrote (read without the schema library: `tunnel status` stays light) */
function runFileOf(text: string): RunFile | null {
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v !== 'object' || v === null) return null;
    const { pid, socket } = v as Record<string, unknown>;
    return typeof pid === 'number' && Number.isInteger(pid) && pid > 0 && typeof socket === 'string' && socket !== '' ? { pid, socket } : null;
  } catch {
    return null;
  }
}
const ANSWER_MS = 1000;

const pidFile = (dataDir: string, id: string) => path.join(dataDir, 'run', `tunnel-${id}.pid`);
const socketOf = (dataDir: string, pid: number) =>
  process.platform === 'win32'
    ? `\\\\.\\pipe\\warren-tunnel-up-${Buffer.from(dataDir).toString('hex').slice(-40)}-${pid}`
    : path.join(dataDir, 'run', `tunnel-up-${pid}.sock`);

/**
 * Marks this process as the one running `ids` until the returned function is called or the process
 * exits, however it exits (the files go in an 'exit' handler too).
 */
export async function holdRunFiles(dataDir: string, ids: readonly string[]): Promise<() => void> {
  await mkdir(path.join(dataDir, 'run'), { recursive: true, mode: 0o700 });
  const socket = socketOf(dataDir, process.pid);
  await rm(socket, { force: true });
  const server = net.createServer((c) => c.end());
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(socket, resolve));
  if (process.platform !== 'win32') await chmod(socket, 0o600);
  server.unref();
  for (const id of ids) await writeFile(pidFile(dataDir, id), JSON.stringify({ pid: process.pid, socket }), { mode: 0o600 });
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    server.close();
    for (const id of ids) rmSync(pidFile(dataDir, id), { force: true });
    if (process.platform !== 'win32') rmSync(socket, { force: true });
  };
  process.once('exit', release);
  return release;
}

/** The process running tunnel `id`, if one is alive; a pid file nobody answers for is removed. */
export async function runningPid(dataDir: string, id: string): Promise<number | null> {
  const file = pidFile(dataDir, id);
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) return null;
  // not ours, or an older Warren's bare pid: it cannot be checked, so it is not believed
  const run = runFileOf(text);
  if (run && run.socket === socketOf(dataDir, run.pid) && (await answers(run.socket))) return run.pid;
  await rm(file, { force: true });
  return null;
}

function answers(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.connect(socket);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      c.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), ANSWER_MS);
    c.once('connect', () => done(true));
    c.once('error', () => done(false));
  });
}
