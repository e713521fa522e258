// Local shell tabs: the user's login shell on the machine running the main process (in browser mode, the
// machine running its server), in a pty from node-pty, run as a session of the TerminalService so that
// typing, resizing, flow control, the background pace, `terminal.cwd` and logs work as for SSH shells.
import { constants as fsConstants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { IPty } from '@lydell/node-pty';
import { WarrenError } from '../../shared/errors.js';
import type { TerminalSettings } from '../../shared/settings.js';
import type { TerminalEvent } from '../../shared/terminal.js';
import type { LocalProcess, PaneCwd, TerminalService } from '../ssh/terminals.js';

/** after the SIGHUP of a closed tab, how long the shell's process group has before SIGKILL */
export const KILL_GRACE_MS = 3000;

/** LANG and LC_* */
const LOCALE_VARIABLE = /^(?:LANG|LC_[A-Z]+)$/;
/** never passed on: browser mode's token, and what `npm run` adds (nvm, for one, refuses to start beside npm_config_prefix) */
const NOT_PASSED = /^(?:WARREN_TOKEN|INIT_CWD|npm_.*)$/;

/**
 * The environment of a local shell: this process's, with TERM from the settings and the locale they ask
 * for (`local`: as it is here; `none`: no LANG or LC_*; a name: LANG=name and no LC_*). The browser-mode
 * token and npm's variables are never passed on.
 */
export function localEnv(settings: Pick<TerminalSettings, 'termType' | 'locale'>, env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || NOT_PASSED.test(name)) continue;
    if (settings.locale !== 'local' && LOCALE_VARIABLE.test(name)) continue;
    out[name] = value;
  }
  if (settings.locale !== 'local' && settings.locale !== 'none') out.LANG = settings.locale;
  out.TERM = settings.termType;
  out.COLORTERM = 'truecolor';
  return out;
}

/** The user's login shell: $SHELL, else the one in the passwd entry, else /bin/sh; the first that is an absolute path to an executable. */
export async function loginShell(env: NodeJS.ProcessEnv, passwdShell: string | null): Promise<string> {
  for (const candidate of [env.SHELL, passwdShell, '/bin/sh']) {
    if (!candidate || !path.isAbsolute(candidate)) continue;
    try {
      await access(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not there, or not executable: the next one
    }
  }
  throw new WarrenError('CHANNEL', 'No shell to run: neither $SHELL, the shell of your account nor /bin/sh is an executable file.');
}

/** The remembered directory (`~`, `~/x` or absolute) as a path of this machine, if it is still a directory. */
async function existingDir(p: string, home: string): Promise<string | null> {
  const full = p === '~' ? home : p.startsWith('~/') ? path.join(home, p.slice(2)) : p;
  try {
    return (await stat(full)).isDirectory() ? full : null;
  } catch {
    return null;
  }
}

/** the shell of this user's passwd entry; null where the account has none (a uid without an entry, in a container) */
function passwdShell(): string | null {
  try {
    return os.userInfo().shell;
  } catch {
    return null;
  }
}

/** node-pty's exit: the signal as a name without SIG (as SSH reports one), and no code when a signal ended it */
function exitOf(exitCode: number, signal: number | undefined): { code: number | null; signal: string | null } {
  if (!signal) return { code: exitCode, signal: null };
  const name = Object.entries(os.constants.signals).find(([, n]) => n === signal)?.[0];
  return { code: null, signal: name ? name.replace(/^SIG/, '') : String(signal) };
}

export interface LocalShellOptions {
  /** false: every local shell is refused (browser mode's --no-local-shell) */
  enabled: boolean;
  /** TERM and the locale, read as each shell starts */
  settings: () => Pick<TerminalSettings, 'termType' | 'locale'>;
  home?: string;
  env?: NodeJS.ProcessEnv;
}

export class LocalShellService {
  private readonly home: string;
  private readonly env: NodeJS.ProcessEnv;

  constructor(
    private readonly terminals: TerminalService,
    private readonly options: LocalShellOptions,
  ) {
    this.home = options.home ?? os.homedir();
    this.env = options.env ?? process.env;
  }

  /**
   * One local shell for the life of a `terminal.session` stream: started in the pane's remembered
   * directory when it is restored and that still exists, else in the home directory; killed (its process
   * group, SIGHUP then SIGKILL) when the stream ends first.
   */
  async run(size: { cols: number; rows: number }, emit: (e: TerminalEvent) => void, signal: AbortSignal, pane?: PaneCwd): Promise<void> {
    if (!this.options.enabled) {
      throw new WarrenError('BAD_REQUEST', "Local shells are turned off here: Warren's server was started with --no-local-shell.", {
        reason: 'local-shell-off',
      });
    }
    const windows = process.platform === 'win32';
    const shell = windows ? (this.env.COMSPEC ?? 'cmd.exe') : await loginShell(this.env, passwdShell());
    const remembered = pane?.cwd ? await existingDir(pane.cwd, this.home) : null;
    const cwd = remembered ?? this.home;
    emit({ type: 'status', message: `Starting ${shell} in ${cwd}` });
    const { spawn } = await import('@lydell/node-pty');
    let pty: IPty;
    try {
      pty = spawn(shell, windows ? [] : ['-l'], {
        name: this.options.settings().termType,
        cols: size.cols,
        rows: size.rows,
        cwd,
        env: localEnv(this.options.settings(), this.env),
        encoding: null,
      });
    } catch (e) {
      throw new WarrenError('CHANNEL', `The local shell ${shell} could not start: ${(e as Error).message}`);
    }
    const proc = localProcess(pty);
    if (signal.aborted) return proc.kill();
    await this.terminals.runLocal(proc, 'local', size, emit, signal, pane);
  }
}

/** The pty as a session's process; `kill` sends SIGHUP to the shell's process group, as when a terminal window closes (the shell passes it on to its jobs), then SIGKILL if it is still there after the grace. */
function localProcess(pty: IPty): LocalProcess {
  let alive = true;
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    pty.onExit(({ exitCode, signal }) => {
      alive = false;
      resolve(exitOf(exitCode, signal));
    }),
  );
  const signalGroup = (sig: NodeJS.Signals) => {
    if (!alive) return; // never a group whose number may be someone else's by now
    try {
      if (process.platform === 'win32') pty.kill();
      else process.kill(-pty.pid, sig);
    } catch {
      // gone meanwhile
    }
  };
  return {
    write: (data) => pty.write(data),
    // the pty's descriptor is gone once the shell has exited
    resize: (cols, rows) => {
      if (alive) pty.resize(cols, rows);
    },
    pause: () => pty.pause(),
    resume: () => pty.resume(),
    // with `encoding: null` node-pty hands over the bytes as read
    onData: (listener) => {
      const sub = pty.onData((chunk: string | Buffer) => listener(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
      return () => sub.dispose();
    },
    exited,
    kill: () => {
      // a paused pty would hold back the end of its output, and with it node-pty's exit
      pty.resume();
      signalGroup('SIGHUP');
      setTimeout(() => signalGroup('SIGKILL'), KILL_GRACE_MS).unref();
    },
  };
}
