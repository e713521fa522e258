// Reading config files as ssh does: lines split on \n, Include globs relative to ~/.ssh, the
// owner/permission check on included files, and the tcp service names a Port may use.
import { readdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { WarrenError } from '../../shared/errors.js';
import { CONFIG_FILE, readBounded } from '../files/read.js';
import { argvSplit, splitKeyword } from './lex.js';

/** One non-blank, non-comment line: `args` is undefined when its quotes do not close */
export interface ConfigLine {
  line: number;
  keyword: string;
  rest: string;
  args: string[] | undefined;
}

/** The lines of a config file, or why it cannot be read. `included` files get ssh's owner/permission check. */
export async function readConfig(file: string, included: boolean): Promise<ConfigLine[] | { error: string; missing: boolean }> {
  try {
    if (included && process.platform !== 'win32') {
      const st = await stat(file);
      if ((st.uid !== 0 && st.uid !== process.getuid?.()) || (st.mode & 0o022) !== 0) {
        return { error: `bad owner or permissions on ${file}: ssh refuses included files that others may write`, missing: false };
      }
    }
    const text = (await readBounded(file, CONFIG_FILE)).toString('utf8');
    return text.split('\n').flatMap((t, i) => {
      const kw = splitKeyword(t);
      return kw ? [{ line: i + 1, ...kw, args: argvSplit(kw.rest) }] : [];
    });
  } catch (e) {
    if (e instanceof WarrenError) return { error: e.message, missing: e.detail?.reason === 'missing' };
    const code = (e as NodeJS.ErrnoException).code;
    return { error: `cannot read ${file}: ${code ?? String(e)}`, missing: code === 'ENOENT' };
  }
}

/** One path segment as glob(3) matches it: `*`, `?`, `[a-z]`, `[!x]` */
function segmentRegExp(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] as string;
    const close = c === '[' ? segment.indexOf(']', i + 2) : -1;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (close > 0) {
      const body = segment.slice(i + 1, close);
      const negated = body.startsWith('!');
      re += `[${negated ? '^' : ''}${(negated ? body.slice(1) : body).replace(/[\\^]/g, '\\$&')}]`;
      i = close;
    } else re += c.replace(/[.+^${}()|[\]\\]/, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

/** The files an `Include` argument names: relative to ~/.ssh unless absolute or ~, globbed, sorted; directories left out */
export async function includeFiles(arg: string, home: string): Promise<string[]> {
  const path = arg.startsWith('~') || isAbsolute(arg) ? arg : `~/.ssh/${arg}`;
  const [first = '', ...segments] = (path === '~' || path.startsWith('~/') ? home + path.slice(1) : path).split('/');
  let found = [first];
  for (const segment of segments) {
    if (!/[*?[]/.test(segment)) {
      found = found.map((dir) => `${dir}/${segment}`);
      continue;
    }
    const re = segmentRegExp(segment);
    const next: string[] = [];
    for (const dir of found) {
      const names = await readdir(dir === '' ? '/' : dir).catch(() => []);
      next.push(...names.filter((n) => re.test(n) && (!n.startsWith('.') || segment.startsWith('.'))).map((n) => `${dir}/${n}`));
    }
    found = next;
  }
  const files = await Promise.all(
    found.map((f) =>
      stat(f).then(
        (st) => (st.isDirectory() ? [] : [f]),
        () => [],
      ),
    ),
  );
  return files.flat().sort();
}

let services: Promise<ReadonlyMap<string, number>> | undefined;
/** tcp service names from /etc/services (getservbyname), for `Port ssh` and forwards; empty where there is no such file */
export function tcpServices(): Promise<ReadonlyMap<string, number>> {
  services ??= readFile('/etc/services', 'utf8').then(
    (text) => {
      const map = new Map<string, number>();
      for (const line of text.split('\n')) {
        const [name, portProto, ...aliases] = line.replace(/#.*/, '').trim().split(/\s+/);
        const [port, proto] = (portProto ?? '').split('/');
        if (name && proto === 'tcp') for (const n of [name, ...aliases]) if (!map.has(n)) map.set(n, Number(port));
      }
      return map;
    },
    () => new Map(),
  );
  return services;
}
