// The `warren` command. This module loads only what every command needs (the command table and the
// output helpers) and `exec`'s connection reuse; each command imports the rest when it runs (build/cli.mjs
// bundles with code splitting, one chunk per lazy import), so `warren ls`, `help` and `completion` never
// load ssh2, the keychain or the store's schema library, and `exec` asks a master before anything else.
import './tune-gc.js';
import { homedir } from 'node:os';
import path from 'node:path';
import { commandHelp, commandNamed, parseCommandLine, usage, UsageError, type CommandLine } from './cli/commands.js';
import { exit, out, say } from './cli/output.js';
import { execThroughMux } from './ssh/mux-client.js';
import { MUX_SOCKET } from './ssh/mux-wire.js';

/** exit statuses: as ssh, 255 means Warren could not connect or run the command; 2 a usage error */
const EXIT = { usage: 2, failed: 1, connect: 255 } as const;

async function fail(e: unknown): Promise<never> {
  if (e instanceof UsageError) {
    const c = e.command ? commandNamed(e.command) : undefined;
    say(`warren: ${e.message}`);
    say(c ? `${commandHelp(c).split('\n')[0]}\n(warren help ${c.name} says more)` : usage());
    return exit(EXIT.usage);
  }
  // only now, on the way out with an error: the error codes and their layers (the schema library)
  const { WarrenError, layerOf } = await import('../shared/errors.js');
  if (e instanceof WarrenError) {
    say(`warren: ${layerOf[e.code]}: ${e.message}`);
    const problems = (e.detail as { problems?: unknown } | undefined)?.problems;
    if (Array.isArray(problems)) for (const p of problems) say(`  problem: ${String(p)}`);
    return exit(['NOT_FOUND', 'BAD_REQUEST', 'CONFLICT'].includes(e.code) ? EXIT.failed : EXIT.connect);
  }
  say(`warren: ${e instanceof Error ? e.message : String(e)}`);
  return exit(EXIT.failed);
}

async function main(): Promise<number> {
  const line: CommandLine = parseCommandLine(process.argv.slice(2));
  const { command, flags, positionals } = line;
  if (flags.help === true) {
    out(command ? commandHelp(command) : usage());
    return 0;
  }
  if (!command) {
    say(usage());
    return EXIT.usage;
  }
  const dataDir = path.resolve(
    typeof flags['data-dir'] === 'string' ? flags['data-dir'] : path.join(process.env.XDG_CONFIG_HOME ?? path.join(homedir(), '.config'), 'warren'),
  );
  const sshConfig = typeof flags.F === 'string' ? flags.F : undefined;
  switch (command.name) {
    case 'help': {
      if (positionals.length > 1) throw new UsageError('help takes at most one COMMAND', 'help');
      const about = positionals[0];
      const c = about === undefined ? undefined : commandNamed(about);
      if (about !== undefined && !c) throw new UsageError(`unknown command "${about}" (warren help lists them)`);
      out(c ? commandHelp(c) : usage());
      return 0;
    }
    case 'completion': {
      const shell = positionals[0];
      if (positionals.length !== 1 || (shell !== 'bash' && shell !== 'zsh')) throw new UsageError('completion takes bash or zsh', 'completion');
      const { bashScript, zshScript } = await import('./cli/completion.js');
      process.stdout.write(shell === 'bash' ? bashScript() : zshScript());
      return 0;
    }
    case '__complete': {
      const { completeNames } = await import('./cli/quick.js');
      return completeNames(dataDir, positionals, sshConfig);
    }
    case 'ls': {
      if (positionals.length > 0) throw new UsageError('ls takes no arguments', 'ls');
      const { quickList } = await import('./cli/quick.js');
      const done = await quickList(dataDir, flags.json === true);
      if (done !== null) return done;
      break;
    }
    case 'tunnel': {
      if (flags.json === true && positionals[0] !== 'status') throw new UsageError('--json goes with tunnel status', 'tunnel');
      if (positionals[0] === 'status') {
        const { quickTunnelStatus } = await import('./cli/quick.js');
        const done = await quickTunnelStatus(dataDir, positionals.slice(1), flags.json === true);
        if (done !== null) return done;
      }
      break;
    }
    case 'exec': {
      // exec first asks a process that may hold a connection to the host (ssh's ControlMaster), before
      // anything else is loaded; with -F it connects itself, as names may then mean something else
      if (positionals.length >= 2 && !sshConfig) {
        const reused = await execThroughMux(
          path.join(dataDir, MUX_SOCKET),
          { v: 1, op: 'exec', name: positionals[0]!, command: positionals.slice(1).join(' '), noStdin: process.stdin.isTTY === true },
          { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, say },
        );
        if (reused !== null) return reused;
      }
      break;
    }
  }
  const { runWithServices } = await import('./cli/full.js');
  return runWithServices(line, dataDir);
}

main().then(
  (code) => exit(code),
  (e: unknown) => fail(e),
);
