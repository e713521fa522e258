// Scoped agent forwarding against real OpenSSH: the target sees only the host's chosen keys of a real
// ssh-agent (ssh-add -l), a denied confirmation makes a login from the target fail and an allowed one
// succeed, and without the setting the target has no agent at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Prompt } from '../../shared/prompts.js';
import { cleanupAll, ensureTestUser, makeKey, startAgent, startSshd, tempDir, TEST_USER, type Agent, type Sshd, type TestKey } from '../harness/ssh.js';
import { answerAsUser, openTerminal, startWarren, type TestTerminal, type TestWarren } from '../harness/warren.js';

let sshd: Sshd;
let agent: Agent;
let one: TestKey;
let two: TestKey;

beforeAll(async () => {
  await ensureTestUser();
  const dir = await tempDir('warren-fwd-keys-');
  [sshd, agent, one, two] = await Promise.all([startSshd(), startAgent(), makeKey(dir, { name: 'one' }), makeKey(dir, { name: 'two' })]);
  await agent.add(one);
  await agent.add(two);
  await sshd.authorize(one.pub); // the login from Warren and the hop from the target both use key one
});
afterAll(cleanupAll);

async function warren(): Promise<TestWarren> {
  const w = await startWarren({ home: await tempDir('warren-home-'), agentSocket: agent.sock });
  answerAsUser(w);
  return w;
}

async function shell(w: TestWarren, forwardAgent?: string): Promise<TestTerminal & { hostId: string }> {
  const h = await w.client.call('hosts.create', {
    name: 'fwd',
    groupId: null,
    hostname: '127.0.0.1',
    port: sshd.port,
    user: TEST_USER,
    auth: 'agent',
    ...(forwardAgent ? { forwardAgent } : {}),
  });
  const t = Object.assign(openTerminal(w, { hostId: h.id }), { hostId: h.id });
  await t.opened;
  return t;
}

let marks = 0;
/** runs a command in the terminal; its output and exit status */
async function run(t: TestTerminal, command: string): Promise<{ out: string; status: number }> {
  const mark = `M${++marks}`;
  const from = t.text().length;
  await t.type(`${command}; echo "${mark}""=$?"\n`);
  const m = await t.waitFor(new RegExp(`${mark}=(\\d+)`), 20_000);
  return { out: t.text().slice(from), status: Number(m[1]) };
}

const hop = () => `ssh -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -p ${sshd.port} ${TEST_USER}@127.0.0.1 true`;

describe('scoped agent forwarding', () => {
  it('the target lists only the chosen key', async () => {
    const w = await warren();
    const t = await shell(w, one.fingerprint);
    const listed = await run(t, 'ssh-add -l');
    expect(listed.status).toBe(0);
    expect(listed.out).toContain(one.fingerprint);
    expect(listed.out).not.toContain(two.fingerprint);
    // removing keys through the forwarded agent is refused
    expect((await run(t, 'ssh-add -D')).status).not.toBe(0);
    expect(await agent.list()).toContain(two.fingerprint);
    // without confirm, the hop logs in with the forwarded key
    expect((await run(t, hop())).status).toBe(0);
    // a second shell on the same (shared) connection gets the forwarded agent too
    const second = openTerminal(w, { hostId: t.hostId });
    expect((await second.opened).reused).toBe(true);
    expect((await run(second, 'ssh-add -l')).out).toContain(one.fingerprint);
    second.close();
    t.close();
    await w.close();
  });

  it('with confirm, a denied signature fails the hop and an allowed one logs in', async () => {
    const w = await warren();
    const asked: Prompt[] = [];
    let allow = false;
    w.answer = (p) => {
      if (p.kind === 'agent-sign') return (asked.push(p), { accept: allow });
      return p.kind === 'hostkey' ? { accept: true } : { cancel: true };
    };
    const t = await shell(w, `confirm:${one.fingerprint}`);
    expect((await run(t, hop())).status).not.toBe(0);
    expect(asked).toEqual([{ kind: 'agent-sign', host: '127.0.0.1', fingerprint: one.fingerprint, comment: 'warren-test-one', user: TEST_USER }]);
    allow = true;
    expect((await run(t, hop())).status).toBe(0);
    expect(asked).toHaveLength(2);
    t.close();
    await w.close();
  });

  it('is off by default: the target has no agent', async () => {
    const w = await warren();
    const t = await shell(w);
    const listed = await run(t, 'ssh-add -l');
    expect(listed.status).toBe(2);
    expect(listed.out).toMatch(/Could not open a connection to your authentication agent|Error connecting to agent/);
    expect(listed.out).not.toContain(one.fingerprint);
    t.close();
    await w.close();
  });
});
