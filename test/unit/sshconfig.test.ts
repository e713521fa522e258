// What `ssh -G` cannot show: the problems Warren reports (ssh would just refuse the file), and
// concreteHosts. Parity of the values themselves is test/integration/sshconfig.test.ts.
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { argvSplit, convtime, expand, matchPattern, splitKeyword } from '../../electron/sshconfig/lex.js';
import { concreteHosts, expandPath, type Problem, resolveHost, type SshConfigOptions } from '../../electron/sshconfig/resolve.js';

let home: string;
let count = 0;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'warren-sshconfig-unit-'));
});
afterAll(() => rm(home, { recursive: true, force: true }));

/** Writes files under a fresh ~/.ssh (the first one is the config) and returns the options to read it */
async function config(files: Record<string, string>): Promise<SshConfigOptions> {
  const dir = join(home, `case${++count}`);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, '.ssh', name)), { recursive: true });
    await writeFile(join(dir, '.ssh', name), text, { mode: 0o644 });
  }
  return { file: join(dir, '.ssh', Object.keys(files)[0] ?? 'config'), home: dir, localUser: 'tester' };
}

const brief = (problems: Problem[]): string[] => problems.map((p) => `${p.file.split('/.ssh/')[1]}:${p.line} ${p.keyword}: ${p.message}`);

describe('problems', () => {
  it('reports malformed lines with file and line, and still resolves the rest of the file', async () => {
    const options = await config({
      config: [
        'Host web', //             1
        '  Port abc', //           2
        '  User "unterminated', // 3
        '  HostName web.example.com', // 4
        'Host', //                 5
        'Host web', //             6
        '  ServerAliveInterval soon', // 7
        '  LocalForward 8080', //  8
        '  LocalForward 8080 db:99999', // 9
        '  IdentityFile a b', //   10
        '  ProxyJump @gw', //      11
        '  Port 2222', //          12
        '  User deploy', //        13
        '  UseKeychain yes', //    14
      ].join('\n'),
    });
    const { values, problems } = await resolveHost('web', options);
    expect(values).toMatchObject({ hostname: 'web.example.com', port: '2222', user: 'deploy', identityfile: ['a'] });
    expect(values.proxyjump).toBeUndefined();
    expect(brief(problems)).toEqual([
      'config:2 port: bad port "abc": a number from 1 to 65535 or a service name',
      'config:3 user: invalid quotes: a quote is not closed',
      'config:5 host: no argument after keyword "host"',
      'config:7 serveraliveinterval: invalid time value "soon" (seconds, or e.g. 1m30s)',
      'config:8 localforward: missing target argument',
      'config:9 localforward: bad forwarding specification',
      'config:10 identityfile: extra arguments at end of line: b',
      'config:11 proxyjump: invalid ProxyJump "@gw"',
      'config:14 usekeychain: unknown keyword "usekeychain": OpenSSH 9.2 refuses the whole config ("IgnoreUnknown usekeychain" makes it skip this line)',
    ]);
  });

  it('reports Match exec as unsupported and treats its block as not matching', async () => {
    const options = await config({ config: 'Match exec "test -f /etc/hostname"\n  User from-exec\nMatch !exec "false" host db\n  Port 2200\n' });
    const { values, problems } = await resolveHost('db', options);
    expect(values).toMatchObject({ user: 'tester', port: '22' });
    expect(brief(problems)).toEqual([
      'config:1 match: Match exec is not supported (Warren does not run commands from ssh_config): this block is treated as not matching',
      'config:3 match: Match exec is not supported (Warren does not run commands from ssh_config): this block is treated as not matching',
    ]);
  });

  it('reports bad Match lines, and the block does not apply', async () => {
    const options = await config({ config: 'Match host\n  User a\nMatch tagged prod\n  User b\nMatch all host x\n  User c\nMatch\n' });
    const { values, problems } = await resolveHost('x', options);
    expect(values.user).toBe('tester');
    expect(brief(problems)).toEqual([
      'config:1 match: missing Match criteria for host',
      'config:3 match: unsupported Match attribute "tagged"',
      "config:5 match: 'all' cannot be combined with other Match attributes",
      'config:7 match: no argument after keyword "match"',
    ]);
  });

  it('skips what IgnoreUnknown names, reports ignored old keywords', async () => {
    const options = await config({ config: 'IgnoreUnknown UseKeychain,Foo*\nUseKeychain yes\nFooBar 1\nProtocol 2\nRSAAuthentication yes\n' });
    expect(brief((await resolveHost('x', options)).problems)).toEqual([
      'config:4 protocol: deprecated: ssh ignores it',
      'config:5 rsaauthentication: no longer supported: ssh ignores it',
    ]);
  });

  it('reports a HostName with tokens ssh does not expand there', async () => {
    const options = await config({ config: 'Host x\n  HostName %h-%p.example.com\n' });
    const { values, problems } = await resolveHost('x', options);
    expect(values.hostname).toBe('x');
    expect(brief(problems)).toEqual(['config:2 hostname: HostName: unknown token %p (valid here: %h %%)']);
  });

  it('reports an Include that includes itself once it nests too deep', async () => {
    const options = await config({ config: 'User loop\nInclude config\n' });
    const { values, problems } = await resolveHost('x', options);
    expect(values.user).toBe('loop');
    expect(brief(problems)).toEqual(['config:2 include: too many nested Includes (ssh stops at 16 levels and reads no further)']);
  });

  it('stops at once on a file that includes itself three times (3^16 reads otherwise), for resolve and the host list', async () => {
    const options = await config({ config: 'Include config\nInclude config\nInclude config\nHost h1\n  User one\n' });
    // before, this read the file 43 million times: the test's timeout was the only end
    const { problems } = await resolveHost('h1', options);
    expect(brief(problems)).toEqual(['config:1 include: too many nested Includes (ssh stops at 16 levels and reads no further)']);
    expect(await concreteHosts(options)).toEqual([]);
  });

  it('reports an included file that others may write, and skips it as ssh refuses it', async () => {
    const options = await config({ config: 'Include open.conf\n', 'open.conf': 'User nope\n' });
    await chmod(join(options.home, '.ssh', 'open.conf'), 0o666);
    const { values, problems } = await resolveHost('x', options);
    expect(values.user).toBe('tester');
    expect(brief(problems)).toEqual([
      `config:1 include: bad owner or permissions on ${join(options.home, '.ssh', 'open.conf')}: ssh refuses included files that others may write`,
    ]);
  });

  it('reads a missing config as an empty one: ssh defaults, no problems', async () => {
    const { values, problems } = await resolveHost('Some.Host', { file: join(home, 'nowhere', 'config'), home, localUser: 'tester' });
    expect(problems).toEqual([]);
    expect(values).toMatchObject({
      hostname: 'some.host',
      user: 'tester',
      port: '22',
      userknownhostsfile: `${home}/.ssh/known_hosts ${home}/.ssh/known_hosts2`,
    });
  });

  it('reports a ProxyJump through the host itself', async () => {
    const options = await config({ config: 'Host gw\n  ProxyJump gw:22\nHost other\n  ProxyJump other:2222\n' });
    expect(brief((await resolveHost('gw', options)).problems)).toEqual([
      'config:2 proxyjump: ProxyJump loops: gw would jump through itself (ssh refuses this)',
    ]);
    expect((await resolveHost('other', options)).problems).toEqual([]);
  });

  it('says that CanonicalizeHostname is not carried out', async () => {
    const options = await config({ config: 'CanonicalizeHostname yes\nCanonicalDomains example.com\n' });
    expect(brief((await resolveHost('x', options)).problems)).toEqual([
      'config:1 canonicalizehostname: CanonicalizeHostname: the DNS lookups are not performed here; the host name is used as written',
    ]);
  });
});

describe('concreteHosts', () => {
  it('lists Host names without wildcards or negations, in file order through Includes, once each', async () => {
    const options = await config({
      config: 'Host b a\nInclude conf.d/*\nHost *.example.com web? !c d\n  Include inner.conf\nMatch host e\nHost "f g" a\n',
      'conf.d/2': 'Host z\n',
      'conf.d/1': 'Host y x\n',
      'inner.conf': 'Host inner b\n',
    });
    expect(await concreteHosts(options)).toEqual(['b', 'a', 'y', 'x', 'z', 'd', 'inner', 'f g']);
  });

  it('is empty for a missing config', async () => {
    expect(await concreteHosts({ file: join(home, 'nowhere', 'config'), home, localUser: 'tester' })).toEqual([]);
  });
});

describe('expandPath', () => {
  it('expands an IdentityFile as ssh does when it loads it', async () => {
    const options = await config({ config: 'Host web\n  HostName Web.Example.com\n  User deploy\n  Port 2200\n  IdentityFile ~/.ssh/%r@%h-%p_%n_%u\n' });
    const { values } = await resolveHost('web', options);
    expect(values.identityfile).toEqual(['~/.ssh/%r@%h-%p_%n_%u']);
    expect(expandPath('~/.ssh/%r@%h-%p_%n_%u', 'web', values, options)).toEqual({ value: `${options.home}/.ssh/deploy@web.example.com-2200_web_tester` });
    expect(expandPath('%d/k-%x', 'web', values, options)).toEqual({ error: expect.stringContaining('unknown token %x') });
  });
});

describe('OpenSSH string rules', () => {
  it('splits keyword and value at blanks or one =', () => {
    expect(splitKeyword('  Port = 22 \r')).toEqual({ keyword: 'port', rest: '22' });
    expect(splitKeyword('HostName=x')).toEqual({ keyword: 'hostname', rest: 'x' });
    expect(splitKeyword('Port==22')).toEqual({ keyword: 'port', rest: '=22' });
    expect(splitKeyword('   # comment')).toBeUndefined();
    expect(splitKeyword(' \t ')).toBeUndefined();
  });

  it('splits values like argv_split: quotes, escapes, # only at the start of a word', () => {
    expect(argvSplit(`"a b" 'c d' e\\ f g\\"h i#j # k`)).toEqual(['a b', 'c d', 'e f', 'g"h', 'i#j']);
    expect(argvSplit('"open')).toBeUndefined();
  });

  it('matches ? as exactly one character, * as any run, case-sensitively', () => {
    expect([matchPattern('db-a1', 'db-?1'), matchPattern('db-1', 'db-?1'), matchPattern('Web', 'web'), matchPattern('a.b.c', '*.c')]).toEqual([
      true,
      false,
      false,
      true,
    ]);
  });

  it('reads times and expands tokens as ssh does', () => {
    expect([convtime('90'), convtime('1m30s'), convtime('1h'), convtime('1x'), convtime('')]).toEqual([90, 90, 3600, undefined, undefined]);
    expect(expand('%h:%%:%p', { h: 'host', p: '22' }, false)).toEqual({ value: 'host:%:22' });
    expect(expand('x%', { h: 'host' }, false)).toHaveProperty('error');
  });
});
