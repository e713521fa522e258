// What a new shell is told about the terminal: TERM, and the locale as environment variables, as OpenSSH's
// `SendEnv LANG LC_*` (Debian's and Ubuntu's ssh_config) sends them. Without them the server's shell runs in
// its own default, often the C locale, where readline shows typed UTF-8 as `\303\251` and tools print `?`.
import { LocaleName, type TerminalSettings } from '../../shared/settings.js';

export interface ShellRequest {
  term: string;
  /** sent as env requests before the shell starts; the server keeps those its AcceptEnv names */
  env: Record<string, string>;
}

/** LANG and LC_* (LC_ALL, LC_CTYPE, …): the names OpenSSH's usual `SendEnv LANG LC_*` sends */
const LOCALE_VARIABLE = /^(?:LANG|LC_[A-Z]+)$/;

export function shellRequest(settings: Pick<TerminalSettings, 'termType' | 'locale'>, env: NodeJS.ProcessEnv): ShellRequest {
  if (settings.locale === 'none') return { term: settings.termType, env: {} };
  if (settings.locale !== 'local') return { term: settings.termType, env: { LANG: settings.locale } };
  const sent: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    // only what looks like a locale: this machine's environment is ours, but a value with a space or a
    // control character is no locale and has no business in someone else's shell
    if (LOCALE_VARIABLE.test(name) && value !== undefined && LocaleName.safeParse(value).success) sent[name] = value;
  }
  return { term: settings.termType, env: sent };
}

/** For the session log: `xterm-256color, LANG=C.UTF-8 sent` */
export function describeShellRequest(r: ShellRequest): string {
  const env = Object.entries(r.env).map(([k, v]) => `${k}=${v}`);
  return env.length === 0 ? `${r.term}, no locale sent` : `${r.term}, ${env.join(' ')} sent`;
}
