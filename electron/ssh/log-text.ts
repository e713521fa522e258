// What a terminal session showed, as plain text for a log file: the bytes a server sends, decoded as
// UTF-8, with every escape sequence (colours, cursor moves, titles, OSC 8 links, DCS) removed.

/** a line longer than this is written out in pieces (the pieces stay on one line of the file) */
const LINE_MAX = 64 * 1024;

type State = 'text' | 'esc' | 'escInter' | 'csi' | 'str' | 'strEsc';

/**
 * A streaming filter from a session's output bytes to log text. Sequences split across chunks are
 * followed. `\r\n` is a line end; a lone `\r` starts the line over (what is on screen is overwritten:
 * a progress bar logs its last state); a backspace takes back a character. Other control characters
 * (C0 but tab and newline, DEL, C1) are dropped, so the file shows nothing a viewer would act on.
 * With `timestamps`, each line starts with the time it began, `[2026-12-04T19:33:19.123Z] `.
 */
export class LogText {
  private readonly decoder = new TextDecoder('utf-8');
  private state: State = 'text';
  private line = '';
  /** part of the current line is already out (it was longer than LINE_MAX) */
  private midLine = false;
  private lineStarted: Date | null = null;
  private cr = false;

  constructor(
    private readonly timestamps: boolean,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** the text for `chunk`: whole lines (and pieces of an overlong one); the rest waits for more */
  push(chunk: Uint8Array): string {
    return this.feed(this.decoder.decode(chunk, { stream: true }));
  }

  /** what is left: the last line, unfinished (a prompt), with a newline */
  end(): string {
    let out = this.feed(this.decoder.decode());
    if (this.line !== '' || this.midLine) out += this.take('\n');
    return out;
  }

  private feed(text: string): string {
    let out = '';
    for (const ch of text) {
      const c = ch.codePointAt(0)!;
      if (this.state !== 'text') {
        this.escape(ch, c);
        continue;
      }
      if (this.cr && c !== 0x0a && c !== 0x0d) this.restartLine();
      this.cr = false;
      if (c === 0x1b) this.state = 'esc';
      else if (c === 0x0a) out += this.take('\n');
      else if (c === 0x0d) this.cr = true;
      else if (c === 0x08) this.line = this.line.slice(0, /[\udc00-\udfff]$/.test(this.line) ? -2 : -1);
      else if (c === 0x09 || (c >= 0x20 && c !== 0x7f && !(c >= 0x80 && c <= 0x9f))) {
        this.lineStarted ??= this.now();
        this.line += ch;
        if (this.line.length >= LINE_MAX) out += this.take('');
      }
    }
    return out;
  }

  /** inside an escape sequence: wait for its end (CAN and SUB cancel it, as in a terminal) */
  private escape(ch: string, c: number): void {
    if (c === 0x18 || c === 0x1a) {
      this.state = 'text';
      return;
    }
    switch (this.state) {
      case 'esc':
        if (ch === '[') this.state = 'csi';
        else if (ch === ']' || ch === 'P' || ch === 'X' || ch === '^' || ch === '_') this.state = 'str';
        else if (c >= 0x20 && c <= 0x2f) this.state = 'escInter';
        else this.state = 'text'; // ESC 7, ESC =, ESC M, …
        return;
      case 'escInter': // ESC ( B and its kin: intermediates, then a final byte
        if (c >= 0x30 && c <= 0x7e) this.state = 'text';
        return;
      case 'csi':
        if (c >= 0x40 && c <= 0x7e) this.state = 'text';
        return;
      case 'str': // OSC, DCS, SOS, PM, APC: up to BEL or ESC \
        if (c === 0x07) this.state = 'text';
        else if (c === 0x1b) this.state = 'strEsc';
        return;
      case 'strEsc':
        this.state = 'esc';
        if (ch !== '\\') this.escape(ch, c);
        else this.state = 'text';
        return;
    }
  }

  private restartLine(): void {
    this.line = '';
    if (!this.midLine) this.lineStarted = null;
  }

  /** the current line (or its piece) with `end` after it, stamped if it is the line's first piece */
  private take(end: string): string {
    const stamp = this.timestamps && !this.midLine ? `[${(this.lineStarted ?? this.now()).toISOString()}] ` : '';
    const out = stamp + this.line + end;
    this.line = '';
    this.midLine = end === '';
    if (end !== '') this.lineStarted = null;
    return out;
  }
}

/** A host's name as part of a file name: letters, digits, `.`, `_` and `-` only, never starting with a dot, at most 64. */
export function safeFileName(name: string): string {
  const safe = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '') // é → e, not e_
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(0, 64)
    .replace(/[._]+$/, '');
  return safe === '' ? 'session' : safe;
}
