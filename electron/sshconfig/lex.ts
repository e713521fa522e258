// OpenSSH's string primitives (misc.c, match.c), reproduced so that a line means here what it
// means to ssh: how a line splits into words, how patterns match, how %tokens and ${ENV} expand.

/** A config line's keyword and the text after it, as readconf.c's strdelim() splits them (`Port 22`, `Port=22`, `Port = 22`); undefined for blank and comment lines */
export function splitKeyword(text: string): { keyword: string; rest: string } | undefined {
  const line = text.replace(/[ \t\r\n\f]+$/, '');
  const m = /^[ \t\r\n]*([^ \t\r\n=]*)[ \t\r\n]*(?:=[ \t\r\n]*)?(.*)$/s.exec(line);
  if (!m?.[1] || m[1].startsWith('#')) return undefined;
  return { keyword: m[1].toLowerCase(), rest: m[2] ?? '' };
}

/**
 * misc.c argv_split(): words split at blanks, "double" or 'single' quotes group, a backslash escapes
 * a quote, a backslash or (outside quotes) a space, and a word starting with # ends the line.
 * undefined when a quote is left open.
 */
export function argvSplit(s: string): string[] | undefined {
  const words: string[] = [];
  let i = 0;
  while (i < s.length) {
    if (s[i] === ' ' || s[i] === '\t') {
      i++;
      continue;
    }
    if (s[i] === '#') break;
    let word = '';
    let quote = '';
    for (; i < s.length; i++) {
      const c = s[i] as string;
      const next = s[i + 1];
      if (c === '\\' && (next === "'" || next === '"' || next === '\\' || (!quote && next === ' '))) word += s[++i];
      else if (!quote && (c === ' ' || c === '\t')) break;
      else if (!quote && (c === '"' || c === "'")) quote = c;
      else if (quote && c === quote) quote = '';
      else word += c;
    }
    if (quote) return undefined;
    words.push(word);
  }
  return words;
}

/** readconf.c strdelim() applied until the end: how `Match` criteria split (blanks or one `=`, "quotes" group); undefined on an open quote */
export function strdelimAll(s: string): string[] | undefined {
  const words: string[] = [];
  let rest = s.replace(/^[ \t\r\n]+/, '');
  const skip = (t: string): string => t.replace(/^[ \t\r\n]+/, '');
  while (rest !== '') {
    const m = /[ \t\r\n"=]/.exec(rest);
    if (!m) {
      words.push(rest);
      break;
    }
    if (m[0] === '"') {
      const inner = rest.slice(m.index + 1);
      const close = inner.indexOf('"');
      if (close < 0) return undefined;
      words.push(rest.slice(0, m.index) + inner.slice(0, close));
      rest = skip(inner.slice(close + 1));
      continue;
    }
    words.push(rest.slice(0, m.index));
    rest = skip(rest.slice(m.index + 1));
    if (m[0] !== '=' && rest.startsWith('=')) rest = skip(rest.slice(1));
  }
  return words;
}

const patternCache = new Map<string, RegExp>();
/** match.c match_pattern(): `*` any run, `?` exactly one character, everything else literal (case-sensitive) */
export function matchPattern(s: string, pattern: string): boolean {
  let re = patternCache.get(pattern);
  if (!re) {
    re = new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
      's',
    );
    patternCache.set(pattern, re);
  }
  return re.test(s);
}

/** match.c match_pattern_list(): a comma-separated list with `!` negations: 1 matched, 0 not, -1 a negation matched */
export function matchPatternList(s: string, list: string, lowerPattern: boolean): 1 | 0 | -1 {
  let positive: 1 | 0 = 0;
  for (const item of list.split(',')) {
    const negated = item.startsWith('!');
    const sub = negated ? item.slice(1) : item;
    if (matchPattern(s, lowerPattern ? sub.toLowerCase() : sub)) {
      if (negated) return -1;
      positive = 1;
    }
  }
  return positive;
}

/** match.c match_hostname(): case-insensitive */
export const matchHostname = (host: string, list: string): boolean => matchPatternList(host.toLowerCase(), list, true) === 1;

/** inet_aton(): `1` → 0.0.0.1, `127.1` → 127.0.0.1, `0x7f.1`, `017.1` (octal); undefined when not such an address */
function inetAton(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length > 4) return undefined;
  const nums = parts.map((p) => (/^0x[0-9a-f]+$/i.test(p) ? parseInt(p, 16) : /^0[0-7]*$/.test(p) ? parseInt(p, 8) : /^[1-9]\d*$/.test(p) ? Number(p) : NaN));
  if (nums.some((n) => !Number.isFinite(n))) return undefined;
  const last = nums.pop()!;
  if (nums.some((n) => n > 255) || last >= 2 ** (8 * (4 - nums.length))) return undefined;
  const bytes = [...nums];
  for (let i = 4 - nums.length - 1; i >= 0; i--) bytes.push(Math.floor(last / 256 ** i) % 256);
  return bytes;
}

/** inet_pton(AF_INET6): eight 16-bit words, the last two may be written as an IPv4 address */
function inet6(s: string): number[] | undefined {
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    const parts = h.split(':');
    for (const [i, p] of parts.entries()) {
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(p)?.slice(1).map(Number);
        if (!v4 || v4.some((n) => n > 255)) return undefined;
        out.push(v4[0]! * 256 + v4[1]!, v4[2]! * 256 + v4[3]!);
      } else if (/^[0-9a-f]{1,4}$/i.test(p)) out.push(parseInt(p, 16));
      else return undefined;
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

/** inet_ntop(AF_INET6) as glibc writes it: the longest run of zero words (two or more) as `::`, IPv4-mapped and -compatible forms dotted */
function ntop6(w: number[]): string {
  let best = { base: -1, len: 0 };
  for (let i = 0; i < 8;) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > best.len) best = { base: i, len: j - i };
    i = j;
  }
  if (best.len < 2) best = { base: -1, len: 0 };
  const v4 = best.base === 0 && (best.len === 6 || (best.len === 5 && w[5] === 0xffff));
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i >= best.base && i < best.base + best.len) {
      if (i === best.base) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    if (i === 6 && v4) return `${out}${w[6]! >> 8}.${w[6]! & 255}.${w[7]! >> 8}.${w[7]! & 255}`;
    out += w[i]!.toString(16);
  }
  return best.base + best.len === 8 ? `${out}:` : out;
}

/**
 * ssh.c: a host name is lowercased; an address (is_addr(): getaddrinfo AI_NUMERICHOST) is not, but is
 * written in its canonical numeric form when that differs from it other than in case (resolve_addr()):
 * `1` → 0.0.0.1, `FE80:0:0::1` → fe80::1.
 */
export function canonicalHost(host: string): string {
  const v4 = inetAton(host);
  if (v4) return v4.join('.');
  if (host.includes(':') && !host.includes('%')) {
    const v6 = inet6(host);
    if (v6) {
      const canonical = ntop6(v6);
      return canonical.toLowerCase() === host.toLowerCase() ? host : canonical;
    }
  }
  return /%/.test(host) ? host : host.toLowerCase();
}

/**
 * misc.c percent_expand() / dollar_expand(): `%x` from `tokens` (`%%` is a percent sign; no
 * tokens: % is left alone), and `${NAME}` from the environment when `dollar`. Returns the
 * expansion or an error message.
 */
export function expand(s: string, tokens: Record<string, string> | undefined, dollar: boolean): { value: string } | { error: string } {
  let value = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (dollar && c === '$' && s[i + 1] === '{') {
      const end = s.indexOf('}', i + 2);
      if (end < 0) return { error: `environment variable '${s.slice(i + 2)}' missing closing '}'` };
      const name = s.slice(i + 2, end);
      const env = name === '' ? undefined : process.env[name];
      if (env === undefined) return { error: name === '' ? 'zero-length environment variable' : `environment variable \${${name}} has no value` };
      value += env;
      i = end;
    } else if (c === '%' && tokens) {
      const key = s[++i];
      if (key === undefined) return { error: 'a lone % at the end (write %% for a percent sign)' };
      const token = key === '%' ? '%' : tokens[key];
      if (token === undefined)
        return {
          error: `unknown token %${key} (valid here: ${Object.keys(tokens)
            .map((k) => `%${k}`)
            .join(' ')} %%)`,
        };
      value += token;
    } else value += c;
  }
  return { value };
}

/** misc.c convtime(): `90`, `1m30s`, `2h`… in seconds; undefined when malformed */
export function convtime(s: string): number | undefined {
  const unit: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
  const part = /(\d+)([smhdw]?)/iy;
  let total = 0;
  for (part.lastIndex = 0; part.lastIndex < s.length || s === '';) {
    const m = part.exec(s);
    if (!m) return undefined;
    total += Number(m[1]) * (unit[(m[2] ?? '').toLowerCase()] ?? 1);
  }
  return total <= 0x7fffffff ? total : undefined;
}

/** misc.c a2port(): a decimal 0–65535 or a tcp service name from `services`; -1 when neither */
export function a2port(s: string, services: ReadonlyMap<string, number>): number {
  if (/^[+-]?\d+$/.test(s)) {
    const n = Number(s);
    if (n >= 0 && n <= 65535) return n;
  }
  return services.get(s) ?? -1;
}

/** misc.c hpdelim(): `host`, `host:port`, `[v6]:port` → the host part and what follows the colon */
export function hpdelim(s: string): { host: string; rest?: string } | undefined {
  const end = s.startsWith('[') ? s.indexOf(']') + 1 : s.includes(':') ? s.indexOf(':') : s.length;
  if (end === 0 || (end < s.length && s[end] !== ':')) return undefined;
  return end === s.length ? { host: s } : { host: s.slice(0, end), rest: s.slice(end + 1) };
}

/** misc.c cleanhostname(): `[v6]` → `v6` */
export const cleanHostname = (host: string): string => (host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host);
