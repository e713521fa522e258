// The parent's side of the load process (./tunnels-load.ts): forks it and asks it over IPC. Used by the
// tunnel and WAN benchmarks, so that their servers, clients and delay proxies never share Warren's event loop.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BurstResult, LatencyResult, LoadMessage, LoadPorts, LoadRequest, StreamResult } from './tunnels-load.js';

const LOAD = fileURLToPath(new URL('./tunnels-load.ts', import.meta.url));

export interface Load {
  ports: LoadPorts;
  pid: number;
  stream(port: number, bytes: number): Promise<StreamResult>;
  latency(port: number, count: number, warmup: number): Promise<LatencyResult>;
  burst(port: number, count: number, size: number): Promise<BurstResult>;
  /** a delay proxy in front of 127.0.0.1:targetPort, adding rttMs of round trip; resolves with its port */
  proxy(targetPort: number, rttMs: number): Promise<number>;
  stop(): Promise<void>;
}

/** Forked with this process's execArgv (tsx's loader), so it runs the .ts helper as we do; `children` tracks it. */
export async function startLoad(children: Set<ChildProcess>): Promise<Load> {
  const child = fork(LOAD, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.add(child);
  const exited = new Promise<void>((r) => child.once('exit', () => (children.delete(child), r())));
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 1;
  let ready!: (ports: LoadPorts) => void;
  const portsP = new Promise<LoadPorts>((res, rej) => {
    ready = res;
    child.once('exit', (code) => {
      const e = new Error(`the load process exited (${code})`);
      rej(e);
      for (const p of pending.values()) p.reject(e);
    });
  });
  child.on('message', (m: LoadMessage) => {
    if ('type' in m) return ready(m.ports);
    const p = pending.get(m.id);
    pending.delete(m.id);
    if ('error' in m) p?.reject(new Error(m.error));
    else p?.resolve(m.result);
  });
  const call = <T>(req: LoadRequest) =>
    new Promise<T>((res, rej) => {
      const id = nextId++;
      pending.set(id, { resolve: (v) => res(v as T), reject: rej });
      child.send({ ...req, id });
    });
  const ports = await portsP;
  return {
    ports,
    pid: child.pid ?? 0,
    stream: (port, bytes) => call({ op: 'stream', port, bytes }),
    latency: (port, count, warmup) => call({ op: 'latency', port, count, warmup }),
    burst: (port, count, size) => call({ op: 'burst', port, count, size }),
    proxy: (targetPort, rttMs) => call({ op: 'proxy', targetPort, rttMs }),
    async stop() {
      if (child.connected) child.disconnect(); // it exits on disconnect
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
