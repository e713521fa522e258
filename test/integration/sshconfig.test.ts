// resolveHost against the real `ssh -G`: every config of test/fixtures/sshconfig, every host it
// names, every keyword Warren uses, compared value by value.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { concreteHosts, resolveHost, type ResolveCache, type SshConfigOptions } from '../../electron/sshconfig/resolve.js';

const exec = promisify(execFile);
const FIXTURES = fileURLToPath(new URL('../fixtures/sshconfig/', import.meta.url));

const KEYWORDS = [
  'hostname',
  'user',
  'port',
  'identityfile',
  'identitiesonly',
  'identityagent',
  'proxyjump',
  'proxycommand',
  'localforward',
  'remoteforward',
  'dynamicforward',
  'serveraliveinterval',
  'serveralivecountmax',
  'forwardagent',
  'stricthostkeychecking',
  'userknownhostsfile',
  'connecttimeout',
  'certificatefile',
  'sendenv',
  'controlpath',
];
/** keywords ssh -G prints once per value */
const LISTS = new Set(['identityfile', 'localforward', 'remoteforward', 'dynamicforward', 'certificatefile', 'sendenv']);
/**
 * ssh expands `~` and %d in these from the passwd entry (getpwuid), not from $HOME, while Include
 * follows $HOME: no single home can satisfy both when the test runs, so ssh's passwd home is read
 * back as the temporary home here. In real use the two are the same directory.
 */
const PASSWD_HOME_EXPANDED = new Set(['userknownhostsfile', 'identityagent', 'forwardagent', 'controlpath']);
const passwdHome = userInfo().homedir;

/** `ssh -G` output → keyword → values, in order */
function parseDump(stdout: string): Map<string, string[]> {
  const dump = new Map<string, string[]>();
  for (const line of stdout.split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0) dump.set(line.slice(0, space), [...(dump.get(line.slice(0, space)) ?? []), line.slice(space + 1)]);
  }
  return dump;
}

const show = (v: string[] | string | undefined): string => (v === undefined ? '(absent)' : JSON.stringify(v));

const cases = (await readdir(FIXTURES, { withFileTypes: true }))
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
let comparisons = 0;
let mismatchCount = 0;

afterAll(() => {
  console.log(`sshconfig parity: ${cases.length} configs, ${comparisons} host×keyword comparisons with ssh -G, ${mismatchCount} mismatches`);
});

describe.each(cases)('%s/config against ssh -G', async (name) => {
  const home = await mkdtemp(join(tmpdir(), `warren-sshconfig-${name}-`));
  await cp(join(FIXTURES, name), join(home, '.ssh'), { recursive: true });
  await exec('chmod', ['-R', 'go-w', join(home, '.ssh')]); // ssh refuses included files others may write, whatever the checkout's umask
  const options: SshConfigOptions = { file: join(home, '.ssh', 'config'), home, localUser: userInfo().username };
  const text = await readFile(options.file, 'utf8');
  const extra = /^# also resolve: (.*)$/m.exec(text)?.[1]?.trim().split(/\s+/) ?? [];
  const hosts = [...new Set([...(await concreteHosts(options)), ...extra])];

  afterAll(() => rm(home, { recursive: true, force: true }));

  it.each(hosts)('%s', async (host) => {
    const { stdout } = await exec('ssh', ['-G', '-F', options.file, host], { env: { ...process.env, HOME: home } });
    const dump = parseDump(stdout);
    const { values, problems } = await resolveHost(host, options);
    const mismatches: string[] = [];
    for (const keyword of KEYWORDS) {
      let theirs: string[] | string | undefined = dump.get(keyword);
      if (theirs && !LISTS.has(keyword)) theirs = theirs.join('\n');
      if (typeof theirs === 'string' && PASSWD_HOME_EXPANDED.has(keyword) && passwdHome !== home) theirs = theirs.split(`${passwdHome}/`).join(`${home}/`);
      const ours = values[keyword];
      comparisons++;
      if (JSON.stringify(ours) !== JSON.stringify(theirs)) mismatches.push(`${name}/config ${host}: ${keyword}: ours ${show(ours)} vs ssh ${show(theirs)}`);
    }
    mismatchCount += mismatches.length;
    expect(mismatches).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("an import's resolution (files read once, blocks that do not apply skipped after the first host) gives every host the same values", async () => {
    const cache: ResolveCache = { files: new Map(), fast: false };
    for (const host of [...hosts, ...hosts]) {
      const shared = await resolveHost(host, options, cache);
      cache.fast = true;
      expect(shared.values, host).toEqual((await resolveHost(host, options)).values);
    }
  });
});
