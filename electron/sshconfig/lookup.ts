// A name that is not a saved host means what it means to ssh: it is looked up in ~/.ssh/config (or the
// file given with -F), so `warren exec myalias`, quick connect and a jump hop named `bastion` reach the
// host, user, port, key and route ssh would.
import { WarrenError } from '../../shared/errors.js';
import { tcpServices } from './files.js';
import { planHost, type PlannedHost } from './import.js';
import { resolveHost, type Problem, type SshConfigOptions } from './resolve.js';

export interface ConfiguredHost {
  /** the name looked up (a Host alias, or any name a wildcard block applies to) */
  alias: string;
  /** what the config sets for it; hostname is the name itself where it sets no HostName */
  settings: PlannedHost['settings'];
  /** keywords it sets that Warren does not apply, and why: said once per connection */
  notApplied: PlannedHost['notApplied'];
  /** lines ssh would accept but Warren treats differently (Match exec is never run), as file:line text */
  warnings: string[];
}

/**
 * Problems that do not stop ssh either: Warren only does less than ssh would there, and says so; and
 * deprecated or unsupported keywords, which ssh ignores (readconf.c oDeprecated, oUnsupported).
 */
const LENIENT = /^(Match exec|CanonicalizeHostname|deprecated: ssh ignores it|no longer supported: ssh ignores it)/;

/** Whether ssh refuses the whole config for this problem (`ssh -G` fails), as it refuses to connect. */
export const sshRefuses = (p: Problem): boolean => !LENIENT.test(p.message);

/**
 * Resolves `alias` through the config as `ssh -G alias` does. A line ssh would refuse (a bad keyword,
 * a ProxyJump loop, an unset variable) refuses the connection with its file:line, as ssh refuses to run.
 */
export async function lookupHost(alias: string, options: SshConfigOptions): Promise<ConfiguredHost> {
  const [services, { values, problems }, defaults] = await Promise.all([
    tcpServices(),
    resolveHost(alias, options),
    resolveHost('\u0000none', { ...options, file: '/dev/null' }).then((r) => r.values),
  ]);
  const fatal = problems.filter(sshRefuses);
  if (fatal.length > 0) {
    const lines = fatal.map((p) => `${p.file}:${p.line}: ${p.message}`);
    throw new WarrenError(
      'CONFIG',
      `${lines[0]}${lines.length > 1 ? ` (and ${lines.length - 1} more)` : ''}. ssh refuses to connect with this config too: fix the line, or connect to a saved host.`,
      { problems: lines },
    );
  }
  const planned = planHost(alias, values, defaults, options, services);
  return {
    alias,
    settings: planned.settings,
    notApplied: planned.notApplied,
    warnings: problems.filter((p) => !sshRefuses(p)).map((p) => `${p.file}:${p.line}: ${p.message}`),
  };
}
