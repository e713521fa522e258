// `warren sftp HOST`: an interactive session as sftp(1) gives one (ls, cd, get, put, mkdir, rm…), on the
// app's own file operations and transfer queue (get and put are `warren cp`'s copies: pipelined, in parts
// on a long link, atomic, resumed after a lost connection). Commands come from the terminal with a
// prompt, or one a line from a pipe or a file (as `sftp -b`: the first command that fails ends the
// session with status 1). Every name the server sends is shown with its control characters made visible.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Entry } from '../../shared/sftp.js';
import { visible } from '../../shared/untrusted.js';
import type { Services } from '../services.js';
import { copy, type CopyIo } from './copy.js';

export interface SftpIo extends CopyIo {
  /** a line of output (stdout) */
  out(line: string): void;
}

const HELP = [
  'cd [PATH]                 change the remote directory (no PATH: the login directory)',
  'lcd PATH                  change the local directory',
  'ls [-l] [PATH]            list a remote directory',
  'lls [PATH]                list a local directory',
  'pwd, lpwd                 the remote / local directory',
  'get [-r] REMOTE [LOCAL]   download (a folder with -r)',
  'put [-r] LOCAL [REMOTE]   upload (a folder with -r)',
  'mkdir PATH, rmdir PATH    make / remove a remote directory',
  'rm PATH                   remove a remote file',
  'rename OLD NEW            rename or move a remote file',
  'chmod MODE PATH           change a remote file’s mode (octal)',
  'help, ?                   this list',
  'exit, quit, bye           end the session',
];

/** splits a command line into words: spaces separate, "double" and 'single' quotes and \ escape them */
export function words(line: string): string[] | null {
  const out: string[] = [];
  let word: string | null = null;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) word += line[++i]!;
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      word ??= '';
    } else if (c === '\\' && i + 1 < line.length) word = (word ?? '') + line[++i]!;
    else if (c === ' ' || c === '\t') {
      if (word !== null) out.push(word);
      word = null;
    } else word = (word ?? '') + c;
  }
  if (quote) return null;
  if (word !== null) out.push(word);
  return out;
}

const modeString = (e: Entry): string => {
  const kind = e.kind === 'dir' ? 'd' : e.kind === 'symlink' ? 'l' : '-';
  const bits = [...'rwxrwxrwx'].map((ch, i) => ((e.mode >> (8 - i)) & 1 ? ch : '-')).join('');
  return kind + bits;
};

/** Runs the session; the exit status: 0, or 1 when a command failed in batch mode (stdin not a terminal). */
export async function sftpSession(services: Services, hostName: string, io: SftpIo): Promise<number> {
  const target = await io.target(hostName);
  const remote = services.sftp.browse(target);
  const home = (await remote.home()).path;
  let cwd = home;
  let lcwd = process.cwd();
  const batch = !process.stdin.isTTY;
  const abs = (p: string | undefined, base: string, join: (a: string, b: string) => string, homeDir: string): string => {
    if (p === undefined || p === '') return base;
    if (p === '~') return homeDir;
    if (p.startsWith('~/')) return join(homeDir, p.slice(2));
    return p.startsWith('/') ? p : join(base, p);
  };
  const r = (p?: string) => abs(p, cwd, path.posix.join, home);
  const l = (p?: string) => abs(p, lcwd, path.join, process.env.HOME ?? lcwd);
  const show = (p: string) => visible(p);

  const transfer = async (direction: 'get' | 'put', args: string[]): Promise<void> => {
    const recursive = args[0] === '-r';
    const [from, to] = recursive ? args.slice(1) : args;
    if (from === undefined) throw new Error(`${direction} takes a ${direction === 'get' ? 'remote' : 'local'} path`);
    const operands =
      direction === 'get' ? [`${hostName}:${r(from)}`, to === undefined ? lcwd : l(to)] : [l(from), `${hostName}:${to === undefined ? cwd : r(to)}`];
    const status = await copy(services, operands, { recursive, preserve: false, port: undefined, conflict: 'overwrite', quiet: batch }, io);
    if (status !== 0) throw new Error(`${direction} ${from}: not every file was copied`);
  };

  const run = async (argv: string[]): Promise<'exit' | void> => {
    const [command, ...args] = argv;
    switch (command) {
      case undefined:
        return;
      case 'exit':
      case 'quit':
      case 'bye':
        return 'exit';
      case 'help':
      case '?':
        for (const line of HELP) io.out(line);
        return;
      case 'pwd':
        return io.out(`Remote working directory: ${show(cwd)}`);
      case 'lpwd':
        return io.out(`Local working directory: ${lcwd}`);
      case 'cd': {
        const to = r(args[0] ?? '~');
        const e = await remote.stat(to);
        if (e.kind !== 'dir' && !(e.kind === 'symlink' && e.linkKind === 'dir')) throw new Error(`${show(to)}: not a directory`);
        cwd = (await remote.list(to)).path;
        return;
      }
      case 'lcd': {
        const to = l(args[0]);
        if (!(await stat(to)).isDirectory()) throw new Error(`${to}: not a directory`);
        lcwd = to;
        return;
      }
      case 'ls': {
        const long = args[0] === '-l';
        const listing = await remote.list(r(long ? args[1] : args[0]));
        const entries = [...listing.entries].sort((a, b) => (a.name < b.name ? -1 : 1)).filter((e) => !e.name.startsWith('.'));
        for (const e of entries) {
          const name = show(e.name) + (e.kind === 'dir' ? '/' : '') + (e.refused ? '   (refused: not a name Warren writes here)' : '');
          io.out(long ? `${modeString(e)} ${String(e.size).padStart(12)} ${new Date(e.mtime).toISOString().slice(0, 16).replace('T', ' ')} ${name}` : name);
        }
        return;
      }
      case 'lls': {
        const dir = l(args[0]);
        for (const e of (await readdir(dir, { withFileTypes: true })).filter((d) => !d.name.startsWith('.')).sort((a, b) => (a.name < b.name ? -1 : 1)))
          io.out(visible(e.name) + (e.isDirectory() ? '/' : ''));
        return;
      }
      case 'get':
      case 'put':
        return transfer(command, args);
      case 'mkdir':
        if (!args[0]) throw new Error('mkdir takes a path');
        await remote.mkdir(r(args[0]));
        return;
      case 'rmdir':
      case 'rm': {
        if (!args[0]) throw new Error(`${command} takes a path`);
        const e = await remote.stat(r(args[0]));
        if ((command === 'rm') === (e.kind === 'dir'))
          throw new Error(`${show(args[0])}: ${e.kind === 'dir' ? 'is a directory (rmdir removes it)' : 'not a directory'}`);
        await remote.delete(r(args[0]), false);
        return;
      }
      case 'rename':
        if (args.length !== 2) throw new Error('rename takes OLD NEW');
        await remote.rename(r(args[0]), r(args[1]));
        return;
      case 'chmod': {
        if (args.length !== 2 || !/^[0-7]{1,4}$/.test(args[0]!)) throw new Error('chmod takes an octal MODE and a PATH');
        await remote.chmod(r(args[1]), parseInt(args[0]!, 8));
        return;
      }
      default:
        throw new Error(`unknown command "${visible(command)}" (help lists them)`);
    }
  };

  io.out(`Connected to ${visible(hostName)}.`);
  const lines = createInterface({ input: process.stdin, output: batch ? undefined : process.stdout, terminal: !batch, prompt: 'warren sftp> ' });
  if (!batch) lines.prompt();
  for await (const line of lines) {
    if (batch && line.trim() !== '') io.out(`warren sftp> ${line}`);
    const argv = words(line.trim());
    try {
      if (argv === null) throw new Error('a quote is not closed');
      if ((await run(argv)) === 'exit') break;
    } catch (e) {
      io.say(`warren: ${e instanceof Error ? e.message : String(e)}`);
      if (batch) {
        lines.close();
        return 1;
      }
    }
    if (!batch) lines.prompt();
  }
  lines.close();
  return 0;
}
