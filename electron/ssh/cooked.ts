// A session without a PTY (RequestTTY no) has no line discipline on the server: nobody echoes what is typed,
// Enter arrives as \r (which a shell reading lines never ends one with) and a backspace is just a byte. In a
// local terminal `ssh -T` gets those from the local tty in cooked mode; in Warren's pane this does that part.

/** the longest line held (Linux's N_TTY keeps 4095 characters; more is ignored until Enter, as there) */
export const MAX_LINE = 4095;

/**
 * What is typed, as a tty in cooked mode takes it: echoed and edited here, and sent a whole line at a time,
 * Enter as a newline (ICRNL). Backspace erases a character, ^U the line, ^C drops it (there is no terminal to
 * send a signal through), ^D sends what is typed or, on an empty line, ends the input (EOF). Escape sequences
 * (arrows, function keys) are dropped: there is no editing beyond that.
 */
export class CookedInput {
  private line: string[] = [];
  /** inside an escape sequence: 'esc' after ESC, 'csi' after ESC [ or ESC O, until its final byte */
  private escape: 'esc' | 'csi' | null = null;

  constructor(
    private readonly send: (text: string) => void,
    private readonly echo: (text: string) => void,
    private readonly eof: () => void,
  ) {}

  input(data: string): void {
    for (const ch of data) {
      if (this.escape === 'esc') {
        this.escape = ch === '[' || ch === 'O' ? 'csi' : null;
        continue;
      }
      if (this.escape === 'csi') {
        if (ch >= '@' && ch <= '~') this.escape = null;
        continue;
      }
      if (ch === '\u001b') this.escape = 'esc';
      else if (ch === '\r' || ch === '\n') {
        this.echo('\r\n');
        this.send(`${this.line.join('')}\n`);
        this.line = [];
      } else if (ch === '\u007f' || ch === '\b') {
        if (this.line.pop() !== undefined) this.echo('\b \b');
      } else if (ch === '\u0015') {
        this.echo('\b \b'.repeat(this.line.length));
        this.line = [];
      } else if (ch === '\u0003') {
        this.echo('^C\r\n');
        this.line = [];
      } else if (ch === '\u0004') {
        if (this.line.length === 0) this.eof();
        else this.send(this.line.join(''));
        this.line = [];
      } else if ((ch === '\t' || (ch >= ' ' && !(ch >= '\u0080' && ch <= '\u009f'))) && this.line.length < MAX_LINE) {
        this.line.push(ch);
        this.echo(ch);
      }
    }
  }
}
