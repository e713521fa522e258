// The yardsticks: OpenSSH's own client and bare ssh2, running the flood command against the same sshd with the same key.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import { Client, type ClientChannel } from 'ssh2';
import { TEST_USER, type Sshd } from '../harness/ssh.js';

export interface Run {
  /** bytes that reached us (0 for ssh, which writes to /dev/null) */
  bytes: number;
  seconds: number;
}

export interface Target {
  sshd: Sshd;
  key: string;
  knownHosts: string;
}

export function sshArgs(t: Target): string[] {
  return [
    '-i',
    t.key,
    '-o',
    `UserKnownHostsFile=${t.knownHosts}`,
    '-o',
    'StrictHostKeyChecking=accept-new',
    '-o',
    'BatchMode=yes',
    '-p',
    String(t.sshd.port),
    `${TEST_USER}@${t.sshd.host}`,
  ];
}

/** `ssh [-tt] … CMD > /dev/null`; stdin stays an open pipe so that -tt's remote PTY never sees an EOF. */
export function openssh(t: Target, cmd: string, pty: boolean): Promise<Run> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn('ssh', [...(pty ? ['-tt'] : []), ...sshArgs(t), cmd], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - start) / 1000;
      if (code === 0) resolve({ bytes: 0, seconds });
      else reject(new Error(`ssh exited with ${code}: ${stderr.trim()}`));
    });
  });
}

/** ssh2 directly (TCP_NODELAY, as Warren connects): one connection, then CMD on an exec channel, with or without a PTY, read to the end. */
async function connect(t: Target): Promise<Client> {
  const privateKey = await readFile(t.key);
  const client = new Client();
  await new Promise<void>((resolve, reject) => {
    client.once('ready', resolve).once('error', reject);
    client.connect({ sock: net.connect({ host: t.sshd.host, port: t.sshd.port, noDelay: true }), username: TEST_USER, privateKey });
  });
  return client;
}

export async function bareSsh2(t: Target, cmd: string, pty: boolean): Promise<Run> {
  const client = await connect(t);
  try {
    return await new Promise<Run>((resolve, reject) => {
      const start = performance.now();
      client.exec(cmd, pty ? { pty: { term: 'xterm-256color', cols: 80, rows: 24 } } : {}, (err, ch) => {
        if (err) return reject(err);
        let bytes = 0;
        ch.on('data', (d: Buffer) => (bytes += d.length));
        ch.stderr.on('data', (d: Buffer) => (bytes += d.length));
        ch.once('close', () => resolve({ bytes, seconds: (performance.now() - start) / 1000 }));
      });
    });
  } finally {
    client.end();
  }
}

/** Keystroke echo over a bare ssh2 PTY shell (no UI): ms from writing a letter at the prompt until its echo arrives. */
export async function ssh2Echo(t: Target, n: number): Promise<number[]> {
  const client = await connect(t);
  try {
    const ch = await new Promise<ClientChannel>((resolve, reject) =>
      client.shell({ term: 'xterm-256color', cols: 200, rows: 24 }, (err, c) => (err ? reject(err) : resolve(c))),
    );
    let out = '';
    let check = () => {};
    ch.on('data', (d: Buffer) => ((out += d.toString('latin1')), check()));
    const seen = (s: string) =>
      new Promise<void>((resolve) => {
        check = () => {
          if (out.includes(s)) resolve();
        };
        check();
      });
    await seen('$ ');
    const samples: number[] = [];
    for (let i = 0; i < n; i++) {
      const letter = String.fromCharCode(97 + (i % 26));
      out = '';
      const start = performance.now();
      ch.write(letter);
      await seen(letter);
      samples.push(performance.now() - start);
    }
    ch.close();
    return samples;
  } finally {
    client.end();
  }
}
