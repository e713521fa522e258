// Servers that never stop talking: an SFTP folder that lists without end, an authorized_keys that is far
// larger than any real one. Warren stops at its limit with a message that says so, its memory stays
// bounded, and the same operation on an ordinary folder or file next to it still works.
import { afterAll, describe, expect, it } from 'vitest';
import ssh2 from 'ssh2';
import { editAuthorizedKeys } from '../../electron/keys/deploy.js';
import { startHostileServer, type HostileServer, type VNode } from '../harness/hostile.js';
import { warrenWithHost, type TestWarren } from '../harness/warren.js';

const HOME = '/home/hostile';
const servers: HostileServer[] = [];
const warrens: TestWarren[] = [];

async function serve(home: Record<string, VNode>): Promise<HostileServer> {
  const server = await startHostileServer({
    home: HOME,
    files: { kind: 'dir', children: { home: { kind: 'dir', children: { hostile: { kind: 'dir', children: home } } } } },
  });
  servers.push(server);
  return server;
}

afterAll(async () => {
  await Promise.all(warrens.map((w) => w.close()));
  await Promise.all(servers.map((s) => s.close()));
});

describe('an SFTP listing that never ends', () => {
  it('is refused past 250,000 entries with the reason, memory bounded; an ordinary folder beside it lists', async () => {
    const server = await serve({
      endless: { kind: 'dir', children: {}, endless: true },
      plain: { kind: 'dir', children: { 'a.txt': { kind: 'file', data: 'a' } } },
    });
    const { w, target } = await warrenWithHost({ port: server.port, user: 'alice', password: 'anything' });
    warrens.push(w);
    const rssBefore = process.memoryUsage().rss;
    await expect(w.client.call('sftp.list', { target, path: `${HOME}/endless` })).rejects.toThrow(
      /lists more than 250,000 entries .* Warren stops reading there/,
    );
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(400 * 2 ** 20);
    const plain = await w.client.call('sftp.list', { target, path: `${HOME}/plain` });
    expect(plain.entries.map((e) => e.name)).toEqual(['a.txt']);
  }, 60_000);
});

describe('an authorized_keys larger than any real one', () => {
  const connect = (port: number) =>
    new Promise<ssh2.Client>((resolve, reject) => {
      const c = new ssh2.Client();
      c.once('ready', () => resolve(c)).once('error', reject);
      c.connect({ host: '127.0.0.1', port, username: 'alice', password: 'x' });
    });

  it('is not read past 1 MiB (the server says how big it is, and ssh2 believed it); a normal one is read', async () => {
    const huge = 'ssh-ed25519 AAAA filler\n'.repeat(200_000); // 4.8 MB
    const server = await serve({ '.ssh': { kind: 'dir', children: { authorized_keys: { kind: 'file', data: huge } } } });
    const client = await connect(server.port);
    const seen: string[] = [];
    await expect(editAuthorizedKeys(client, (text) => (seen.push(text), null))).rejects.toThrow(/larger than 1 MiB: Warren does not rewrite a file that large/);
    expect(seen).toEqual([]);
    client.end();

    const normal = await serve({ '.ssh': { kind: 'dir', children: { authorized_keys: { kind: 'file', data: 'ssh-ed25519 AAAAC3Nza one@host\n' } } } });
    const c2 = await connect(normal.port);
    const edit = await editAuthorizedKeys(c2, (text) => (seen.push(text), null));
    expect(seen).toEqual(['ssh-ed25519 AAAAC3Nza one@host\n']);
    expect(edit.changed).toBe(false);
    c2.end();
  });
});
