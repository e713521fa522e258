// What the `warren` command prints, and how it ends.
import { visible } from '../../shared/untrusted.js';

/**
 * Everything Warren prints goes through here, so the server text inside it (banners, keyboard-interactive
 * questions, host keys, disconnect reasons, error messages) reaches the terminal with its controls made
 * visible, as OpenSSH passes it through strnvis: no server's escape sequence sets the window title, writes
 * the clipboard or draws a fake prompt. Newlines and tabs stay. Only a remote command's own output (exec,
 * connect) and the echo of what the user types go to the terminal as they are.
 */
export function print(stream: NodeJS.WriteStream, text: string): void {
  stream.write(visible(text, { lines: true }));
}
/** a line of Warren's results, on stdout */
export const out = (line: string) => print(process.stdout, `${line}\n`);
/** a line of Warren's messages, on stderr */
export const say = (line: string) => print(process.stderr, `${line}\n`);

// a reader that goes away (`warren ls | head -1`) ends the command quietly, as SIGPIPE ends ssh (status 141)
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(141);
    throw e;
  });

/** Resolves once everything written to the stream so far has been handed to the OS. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.destroyed || !stream.writable) return Promise.resolve();
  return new Promise((resolve) => {
    // a reader that went away (EPIPE) ends the wait too
    stream.once('error', () => resolve());
    stream.write('', () => resolve());
  });
}

/**
 * Exits with `code` once stdout and stderr are written out. A pipe's writes are asynchronous: exiting at
 * once loses what the pipe has not taken yet (a report piped through `cat` stopped at 64 KiB, exit 0).
 */
export async function exit(code: number): Promise<never> {
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}
