// What a new shell is told about the terminal: TERM, and the locale as environment variables, as OpenSSH's
// `SendEnv LANG LC_*` (Debian's and Ubuntu's ssh_config) sends them. Without them the server's shell runs in
// its own default, often the C locale, where readline shows typed UTF-8 as `\303\251` and tools print `?`.
import { LocaleName, type TerminalSettings } from '../../shared/settings.js';
import { matchPattern } from '../sshconfig/lex.js';
import type { SshOptions } from './connect-spec.js';

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
  // names only beyond the locale: a SetEnv value is the user's, but may be long or private
  const shown = Object.entries(r.env).map(([k, v]) => (LOCALE_VARIABLE.test(k) ? `${k}=${v}` : k));
  return env.length === 0 ? `${r.term}, no locale sent` : `${r.term}, ${shown.join(' ')} sent`;
}

/**
 * What ssh_config's SendEnv and SetEnv send for a name resolved through it: this machine's variables
 * whose names match a SendEnv pattern, then SetEnv's, which win (as ssh sends them after). Nothing for a
 * saved host. The server keeps what its AcceptEnv allows.
 */
export function configEnv(o: SshOptions | undefined, env: NodeJS.ProcessEnv): Record<string, string> {
  const sent: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && (o?.sendEnv ?? []).some((p) => matchPattern(name, p))) sent[name] = value;
  }
  return { ...sent, ...(o?.setEnv ?? {}) };
}

/** A shell's request with the config's SendEnv/SetEnv added to the locale of the settings (the config's win for a name both set) */
export function withConfigEnv(r: ShellRequest, o: SshOptions | undefined, env: NodeJS.ProcessEnv): ShellRequest {
  const extra = configEnv(o, env);
  return Object.keys(extra).length === 0 ? r : { ...r, env: { ...r.env, ...extra } };
}
