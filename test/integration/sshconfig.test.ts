// resolveHost against the real `ssh -G`: every config of test/fixtures/sshconfig, every host it
// names, everything ssh -G prints (every keyword, defaults included), compared line by line in order.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { formatDump } from '../../electron/sshconfig/dump.js';
import { concreteHosts, resolveHost, type ResolveCache, type SshConfigOptions } from '../../electron/sshconfig/resolve.js';

const exec = promisify(execFile);
const FIXTURES = fileURLToPath(new URL('../fixtures/sshconfig/', import.meta.url));

/**
 * ssh expands `~` and %d in these from the passwd entry (getpwuid), not from $HOME, while Include
 * follows $HOME: no single home can satisfy both when the test runs, so ssh's passwd home is read
 * back as the temporary home here. In real use the two are the same directory.
 */
const PASSWD_HOME_EXPANDED = new Set(['userknownhostsfile', 'identityagent', 'forwardagent', 'controlpath']);
const passwdHome = userInfo().homedir;

const cases = (await readdir(FIXTURES, { withFileTypes: true }))
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
let comparisons = 0;
let mismatchCount = 0;

afterAll(() => {
  console.log(`sshconfig parity: ${cases.length} configs, ${comparisons} lines compared with ssh -G's, ${mismatchCount} mismatches`);
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
    const theirs = stdout
      .split('\n')
      .filter(Boolean)
      .map((line) =>
        PASSWD_HOME_EXPANDED.has(line.slice(0, line.indexOf(' '))) && passwdHome !== home ? line.split(`${passwdHome}/`).join(`${home}/`) : line,
      );
    const { values, problems } = (await resolveHost(host, options)).dump();
    const ours = formatDump(values).split('\n').filter(Boolean);
    comparisons += theirs.length;
    // every line ssh -G prints, in its order: the lines that differ, each side's, so a failure names them
    const mismatches = [...ours.filter((l, i) => theirs[i] !== l).map((l) => `ours: ${l}`), ...theirs.filter((l, i) => ours[i] !== l).map((l) => `ssh:  ${l}`)];
    mismatchCount += mismatches.length;
    expect(mismatches, `${name}/config ${host}`).toEqual([]);
    expect(ours).toEqual(theirs);
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
