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

/** ssh.c: host names are lowercased, addresses are not (is_addr_fast(): a `%` or `:`, or only digits and dots) */
export const lowerHost = (host: string): string => (/[%:]|^[\d.]*$/.test(host) ? host : host.toLowerCase());

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
