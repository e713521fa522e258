// A scriptable hostile SSH/SFTP server for the hostile-peer tests: ssh2's own `Server` on 127.0.0.1,
// saying whatever a test tells it to (escape sequences in greetings, banners, prompts, shell output and
// disconnect reasons; traversal names in SFTP listings), and recording every byte the client typed.
// Plus two raw TCP servers that never finish a handshake: an endless pre-banner and a stalled key exchange.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import ssh2, { type Connection, type SFTPWrapper } from 'ssh2';
import { wellFormed } from '../../electron/keys/files.js';

const { Server, utils } = ssh2;
const require = createRequire(import.meta.url);
const { sendPacket } = require('ssh2/lib/protocol/utils.js') as { sendPacket(proto: unknown, packet: Buffer, bypass?: boolean): void };

/** A node of the virtual file tree the SFTP server serves. Names are used exactly as given: `../x`, `/etc/y` and `a\nb` included. */
export type VNode =
  | { kind: 'dir'; children: Record<string, VNode>; /** READDIR answers made-up names in batches of 1000, never EOF */ endless?: boolean }
  | { kind: 'file'; data: string | Buffer; mode?: number }
  | { kind: 'symlink'; target: string };

export interface HostileOptions {
  /** the software part of its identification line (`dropbear_2022.83` makes it `SSH-2.0-dropbear_2022.83`) */
  ident?: string;
  /** the algorithms it offers (ssh2's names), to be a server Warren shares none with */
  algorithms?: ssh2.Algorithms;
  /** text sent before the SSH identification line (RFC 4253 §4.2 allows other lines first) */
  greeting?: string;
  /** SSH_MSG_USERAUTH_BANNER text */
  banner?: string;
  /** if set, only keyboard-interactive logs in, with this name, instruction and prompts (any answers pass) */
  kbdInteractive?: { name: string; instructions: string; prompts: string[] };
  /** written to every shell as it opens, and to every exec channel before it exits 0 */
  output?: string | Buffer;
  /** right after a successful login: SSH_MSG_DISCONNECT with this reason text */
  disconnectAfterAuth?: string;
  /** once a shell has had its output: SSH_MSG_DISCONNECT (protocol error, which a client reports) with this reason text */
  disconnectInShell?: string;
  /** the SFTP root, served with `home` as the login directory */
  files?: VNode;
  home?: string;
}

export interface HostileServer {
  port: number;
  /** the host key's SHA256 fingerprint, as ssh-keygen -lf prints it */
  fingerprint: string;
  /** its known_hosts line (`[127.0.0.1]:PORT ssh-ed25519 AAAA…`), for a client that must already trust it */
  knownHostsLine: string;
  /** every set of keyboard-interactive answers received */
  answers: string[][];
  /** every byte typed into shells, in order, per shell opened */
  typed: string[];
  /** every exec command received */
  commands: string[];
  /** every path the SFTP client asked about */
  asked: string[];
  /** cut every open connection (as a network loss would); the listener stays */
  dropConnections(): void;
  /** the SSH_MSG_USERAUTH_BANNER text of the logins from now on */
  setBanner(text: string): void;
  close(): Promise<void>;
}

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const STATUS = { OK: 0, EOF: 1, NO_SUCH_FILE: 2, FAILURE: 4, OP_UNSUPPORTED: 8 } as const;

export async function startHostileServer(options: HostileOptions = {}): Promise<HostileServer> {
  // ssh2 sometimes makes a malformed Ed25519 pair (it drops a public key's leading zero byte): made again, as Warren's generator does
  let hostKey = utils.generateKeyPairSync('ed25519');
  while (!wellFormed(hostKey.public)) hostKey = utils.generateKeyPairSync('ed25519');
  const pub = utils.parseKey(hostKey.public);
  if (pub instanceof Error) throw pub;
  const fingerprint = `SHA256:${createHash('sha256').update(pub.getPublicSSH()).digest('base64').replace(/=+$/, '')}`;
  const typed: string[] = [];
  const answers: string[][] = [];
  const commands: string[] = [];
  const asked: string[] = [];
  const clients = new Set<Connection>();

  // ssh2 reads this object as each connection comes: setBanner changes what the next login sees
  const config: ssh2.ServerConfig = {
    hostKeys: [hostKey.private],
    ...(options.ident === undefined ? {} : { ident: options.ident }),
    ...(options.algorithms === undefined ? {} : { algorithms: options.algorithms }),
    ...(options.greeting === undefined ? {} : { greeting: options.greeting }),
    ...(options.banner === undefined ? {} : { banner: options.banner }),
  };
  const server = new Server(config, (client) => {
    clients.add(client);
    client.on('close', () => clients.delete(client));
    client.on('error', () => {});
    client.on('authentication', (ctx) => {
      const kbd = options.kbdInteractive;
      if (kbd) {
        if (ctx.method !== 'keyboard-interactive') return ctx.reject(['keyboard-interactive']);
        return ctx.prompt(
          kbd.prompts.map((prompt) => ({ prompt, echo: false })),
          kbd.name,
          kbd.instructions,
          (given) => {
            answers.push(given);
            ctx.accept();
          },
        );
      }
      if (ctx.method === 'password') return ctx.accept();
      ctx.reject(['password']);
    });
    client.on('ready', () => {
      if (options.disconnectAfterAuth !== undefined) return disconnect(client, options.disconnectAfterAuth);
      client.on('session', (accept) => {
        const session = accept();
        session.on('pty', (ok) => ok?.());
        session.on('window-change', (ok) => ok?.());
        session.on('env', (ok) => ok?.());
        session.on('auth-agent', (ok) => ok?.());
        session.on('shell', (ok) => {
          const channel = ok();
          const index = typed.push('') - 1;
          channel.on('data', (d: Buffer) => (typed[index] += d.toString('latin1')));
          if (options.output !== undefined) channel.write(options.output);
          const reason = options.disconnectInShell;
          if (reason !== undefined) setTimeout(() => disconnect(client, reason, PROTOCOL_ERROR), 500);
        });
        session.on('exec', (ok, _reject, info) => {
          commands.push(info.command);
          const channel = ok();
          if (options.output !== undefined) channel.write(options.output);
          channel.exit(0);
          channel.end();
        });
        session.on('sftp', (ok) => serveFiles(ok(), options.files ?? { kind: 'dir', children: {} }, options.home ?? '/home/hostile', asked));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    fingerprint,
    knownHostsLine: `[127.0.0.1]:${(server.address() as net.AddressInfo).port} ${pub.type} ${pub.getPublicSSH().toString('base64')}`,
    answers,
    typed,
    commands,
    asked,
    dropConnections: () => {
      for (const c of clients) (c as unknown as { _sock: net.Socket })._sock.destroy();
    },
    setBanner: (text) => {
      config.banner = text;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of clients) c.end();
        server.close(() => resolve());
      }),
  };
}

const BY_APPLICATION = 11;
const PROTOCOL_ERROR = 2;

/** SSH_MSG_DISCONNECT with a reason text of the server's choosing (ssh2's own disconnect() sends none). */
function disconnect(client: Connection, text: string, code = BY_APPLICATION): void {
  const proto = (
    client as unknown as {
      _protocol: { _packetRW: { write: { allocStartKEX: number; alloc(n: number, force?: boolean): Buffer; finalize(p: Buffer, force?: boolean): Buffer } } };
    }
  )._protocol;
  const reason = Buffer.from(text, 'utf8');
  const w = proto._packetRW.write;
  const start = w.allocStartKEX;
  const packet = w.alloc(1 + 4 + 4 + reason.length + 4, true);
  packet[start] = 1; // SSH_MSG_DISCONNECT
  packet.writeUInt32BE(code, start + 1);
  packet.writeUInt32BE(reason.length, start + 5);
  reason.copy(packet, start + 9);
  packet.writeUInt32BE(0, start + 9 + reason.length); // language tag
  sendPacket(proto, w.finalize(packet, true), true);
  setTimeout(() => (client as unknown as { _sock: net.Socket })._sock.destroy(), 200);
}

/** Every path the client might ask for a node: the raw `dir + '/' + name` and its normalised form. */
function index(root: VNode): Map<string, VNode> {
  const map = new Map<string, VNode>([['/', root]]);
  const walk = (dir: string, node: VNode) => {
    if (node.kind !== 'dir') return;
    for (const [name, child] of Object.entries(node.children)) {
      const raw = `${dir === '/' ? '' : dir}/${name}`;
      map.set(raw, child);
      if (!map.has(path.posix.normalize(raw))) map.set(path.posix.normalize(raw), child);
      walk(raw, child);
    }
  };
  walk('/', root);
  return map;
}

const attrsOf = (n: VNode) => {
  const now = Math.floor(Date.now() / 1000);
  const mode = n.kind === 'dir' ? S_IFDIR | 0o755 : n.kind === 'symlink' ? S_IFLNK | 0o777 : S_IFREG | (n.mode ?? 0o644);
  const size = n.kind === 'file' ? Buffer.byteLength(n.data) : n.kind === 'symlink' ? n.target.length : 4096;
  return { mode, uid: 1000, gid: 1000, size, atime: now, mtime: now };
};

function serveFiles(sftp: SFTPWrapper, root: VNode, home: string, asked: string[]): void {
  const nodes = index(root);
  const handles = new Map<number, { node: VNode; listed?: boolean; served?: number }>();
  let next = 0;
  const find = (p: string) => nodes.get(p) ?? nodes.get(path.posix.normalize(p));
  const handle = (reqid: number, node: VNode) => {
    handles.set(++next, { node });
    const h = Buffer.alloc(4);
    h.writeUInt32BE(next);
    sftp.handle(reqid, h);
  };
  const byHandle = (h: Buffer) => handles.get(h.length === 4 ? h.readUInt32BE(0) : -1);
  const lookup = (reqid: number, p: string, then: (n: VNode) => void) => {
    asked.push(p);
    const n = find(p);
    if (n) then(n);
    else sftp.status(reqid, STATUS.NO_SUCH_FILE, 'No such file');
  };
  sftp.on('REALPATH', (reqid, p) => {
    const abs = p === '.' || p === '' ? home : path.posix.resolve(home, p);
    sftp.name(reqid, [{ filename: abs, longname: abs, attrs: attrsOf(find(abs) ?? root) }]);
  });
  sftp.on('STAT', (reqid, p) => lookup(reqid, p, (n) => sftp.attrs(reqid, attrsOf(n))));
  sftp.on('LSTAT', (reqid, p) => lookup(reqid, p, (n) => sftp.attrs(reqid, attrsOf(n))));
  sftp.on('READLINK', (reqid, p) =>
    lookup(reqid, p, (n) =>
      n.kind === 'symlink'
        ? sftp.name(reqid, [{ filename: n.target, longname: n.target, attrs: {} as never }])
        : sftp.status(reqid, STATUS.FAILURE, 'not a link'),
    ),
  );
  sftp.on('OPENDIR', (reqid, p) => lookup(reqid, p, (n) => (n.kind === 'dir' ? handle(reqid, n) : sftp.status(reqid, STATUS.FAILURE, 'not a directory'))));
  sftp.on('READDIR', (reqid, h) => {
    const open = byHandle(h);
    if (!open || open.node.kind !== 'dir') return sftp.status(reqid, STATUS.FAILURE, 'bad handle');
    if (open.node.endless) {
      const from = (open.served = (open.served ?? 0) + 1000) - 1000;
      return sftp.name(
        reqid,
        Array.from({ length: 1000 }, (_, i) => ({ filename: `f${from + i}`, longname: `f${from + i}`, attrs: attrsOf({ kind: 'file', data: '' }) })),
      );
    }
    if (open.listed) return sftp.status(reqid, STATUS.EOF);
    open.listed = true;
    sftp.name(
      reqid,
      Object.entries(open.node.children).map(([filename, n]) => ({ filename, longname: filename, attrs: attrsOf(n) })),
    );
  });
  sftp.on('OPEN', (reqid, p) => lookup(reqid, p, (n) => (n.kind === 'file' ? handle(reqid, n) : sftp.status(reqid, STATUS.FAILURE, 'not a file'))));
  sftp.on('FSTAT', (reqid, h) => {
    const open = byHandle(h);
    if (open) sftp.attrs(reqid, attrsOf(open.node));
    else sftp.status(reqid, STATUS.FAILURE, 'bad handle');
  });
  sftp.on('READ', (reqid, h, offset, length) => {
    const open = byHandle(h);
    if (!open || open.node.kind !== 'file') return sftp.status(reqid, STATUS.FAILURE, 'bad handle');
    const data = Buffer.from(open.node.data);
    if (offset >= data.length) return sftp.status(reqid, STATUS.EOF);
    sftp.data(reqid, data.subarray(offset, offset + length));
  });
  sftp.on('CLOSE', (reqid, h) => {
    handles.delete(byHandle(h) ? h.readUInt32BE(0) : -1);
    sftp.status(reqid, STATUS.OK);
  });
  for (const op of ['WRITE', 'SETSTAT', 'FSETSTAT', 'REMOVE', 'MKDIR', 'RMDIR', 'RENAME', 'SYMLINK', 'EXTENDED'] as const) {
    sftp.on(op, (reqid: number) => sftp.status(reqid, STATUS.OP_UNSUPPORTED, 'this server is read-only'));
  }
}

/**
 * A TCP server that never completes an SSH handshake: `endless-banner` sends pre-identification lines
 * forever (a client must stop reading and give up), `stalled-kex` sends a valid identification line and
 * then nothing. `sent` counts the bytes it managed to send.
 */
export async function startStallingServer(kind: 'endless-banner' | 'stalled-kex'): Promise<{ port: number; sent(): number; close(): Promise<void> }> {
  let sent = 0;
  const sockets = new Set<net.Socket>();
  const line = Buffer.from(`${'x'.repeat(200)}\r\n`);
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
    if (kind === 'stalled-kex') {
      s.write('SSH-2.0-Stalled_1.0\r\n');
      return;
    }
    const pump = () => {
      while (!s.destroyed && s.write(line)) sent += line.length;
      if (!s.destroyed) s.once('drain', () => ((sent += line.length), pump()));
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    sent: () => sent,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
