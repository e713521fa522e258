// One SSH login, from the transport to 'ready': it opens the transport (transport.ts, or the jump
// host's channel it is given), hands ssh2 the host-key check (hostkey.ts) and the auth plan
// (auth-plan.ts), times the login without counting the time a question waits for the user, logs every
// phase to the session log, and turns whatever ends it early into one WarrenError (errors.ts): the
// first failure decides.
import ssh2, { type AuthenticationType, type ConnectConfig, type NegotiatedAlgorithms } from 'ssh2';
import { WarrenError } from '../../shared/errors.js';
import { parseForwardAgent } from '../../shared/model.js';
import { visible } from '../../shared/untrusted.js';
import { ForwardingAgent } from '../agent/forwarding.js';
import { beforeDisconnect, sendKeepalive } from '../agent/ssh2-internals.js';
import { withConfiguredAlgorithms } from './algorithms.js';
import { agentSocketOf, AuthPlan } from './auth-plan.js';
import type { ConnectDeps, ConnectSpec, Connected } from './connect-spec.js';
import { closedDuringLogin, floodedError, loginError, loginTimeoutError, notSshError } from './errors.js';
import { algorithmOffer, hostVerifier, trustOf } from './hostkey.js';
import { firstWords, serverSoftware, textOf, watchIdentification } from './ident.js';
import { keepAlive } from './keepalive.js';
import { isPostQuantum, prepareKeyExchange } from './pq/kex.js';
import { expandProxyCommand, nameError, openSocket, runProxyCommand } from './transport.js';

// ssh2 is CommonJS: Node's ESM loader sees only its default export
const { Client: SshClient } = ssh2;

/** SSH_MSG_DISCONNECT's reason code 11: "by application" */
const BY_APPLICATION = 11;

/**
 * The TCP socket, as ssh_config's ConnectTimeout (else deps.connectTimeoutMs, else 15 s) and
 * ConnectionAttempts (one second apart, as ssh) say; a DNS failure is not tried again.
 */
async function tcpConnect(spec: ConnectSpec, deps: ConnectDeps, log: (line: string) => void) {
  const o = spec.sshOptions;
  const timeoutMs = o?.connectTimeout !== undefined ? o.connectTimeout * 1000 : (deps.connectTimeoutMs ?? 15_000);
  const attempts = Math.max(1, o?.connectionAttempts ?? 1);
  for (let attempt = 1; ; attempt++) {
    try {
      return await openSocket(spec.hostname, spec.port, timeoutMs, log, o?.connectTimeout !== undefined ? 'ConnectTimeout' : undefined);
    } catch (e) {
      if (!(e instanceof WarrenError) || !e.code.startsWith('TCP_') || attempt >= attempts) {
        if (attempts > 1 && e instanceof WarrenError && e.code.startsWith('TCP_'))
          throw new WarrenError(e.code, `${e.message} (${attempts} attempts: ssh_config sets ConnectionAttempts ${attempts})`, { ...e.detail, attempts });
        throw e;
      }
      log(`Attempt ${attempt} of ${attempts} (ConnectionAttempts): ${e.message}`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

/**
 * Connects and authenticates one SSH session. The host key is verified before any credential is
 * sent; every failure is a WarrenError naming its layer.
 */
export async function connect(spec: ConnectSpec, given: ConnectDeps): Promise<Connected> {
  const refused = nameError(spec);
  if (refused) throw refused;
  // ssh_config's IdentityAgent for a name resolved through it: that agent (none: no agent), for the login and for forwarding
  const deps: ConnectDeps = { ...given, agentSocket: agentSocketOf(spec, given.agentSocket) };
  if (spec.sshOptions?.identityAgent !== undefined) (deps.log ?? (() => {}))(`IdentityAgent (ssh_config): ${deps.agentSocket ?? 'none'}`);
  const status = deps.onStatus ?? (() => {});
  const log = deps.log ?? (() => {});
  status(`Connecting to ${spec.hostname}:${spec.port}…`);
  log(`Warren connects to ${spec.user}@${spec.hostname}:${spec.port} (auth: ${spec.auth})`);
  // everything asynchronous happens before the transport opens: ssh2 must see all of its events
  const trust = trustOf(spec, deps.knownHostsFiles);
  const algorithms = withConfiguredAlgorithms(await algorithmOffer(trust.files, trust.host, trust.port, log), spec.sshOptions, log);
  const proxy = deps.sock || spec.proxyCommand === null ? null : runProxyCommand(spec.proxyCommand, spec);
  if (deps.sock) log('Transport: a channel through the previous jump host');
  if (proxy) log(`Transport: ProxyCommand ${expandProxyCommand(spec.proxyCommand!, spec)}`);
  const connecting = Date.now();
  const sock = deps.sock ?? proxy?.stream ?? (await tcpConnect(spec, deps, log));
  // as ssh, ConnectTimeout also bounds the wait for the server's identification: what is left of it
  const identBudgetMs = spec.sshOptions?.connectTimeout === undefined ? null : Math.max(0, spec.sshOptions.connectTimeout * 1000 - (Date.now() - connecting));
  // the post-quantum key pairs are made while the server's greeting and KEXINIT travel
  prepareKeyExchange();
  const client = new SshClient();
  // the login must finish within loginMs, not counting the time a question waits for the user
  const loginMs = deps.readyTimeoutMs ?? 20_000;
  let settled = false;
  let timer: NodeJS.Timeout | null = null;
  let onTimeout = () => {};
  const arm = () => {
    if (timer) clearTimeout(timer);
    timer = settled ? null : setTimeout(() => onTimeout(), loginMs);
  };
  const disarm = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  const patient: ConnectDeps = {
    ...deps,
    prompter: {
      ask: (p) => {
        disarm();
        return deps.prompter.ask(p).finally(arm);
      },
    },
  };
  const auth = new AuthPlan(spec, patient, log);
  let hostKey: Connected['hostKey'] | null = null;
  let hostKeyError: WarrenError | null = null;
  /** the key exchange agreed on, once it finished (ssh2's 'handshake') */
  let kex: Connected['kex'] | null = null;
  let rtt: number | null = null;

  const config: ConnectConfig = {
    sock,
    algorithms,
    username: spec.user,
    readyTimeout: 2 ** 31 - 1, // timed here instead (arm/disarm), so prompts do not count
    keepaliveInterval: 0, // keepalive.ts instead, which takes any answer
    hostVerifier: hostVerifier(spec, patient, log, {
      verified: (k) => {
        hostKey = k;
        status(`Host key ${k.type} ${k.fingerprint} verified; authenticating as ${spec.user}…`);
      },
      refused: (e) => (hostKeyError = e),
      settled: () => settled,
    }),
    authHandler: ((methodsLeft: AuthenticationType[] | null, _partial: boolean | null, next: (a: unknown) => void) => {
      auth.next(methodsLeft).then(
        (a) => {
          if (!settled) next(a);
        },
        (e: unknown) => {
          auth.fatal = e instanceof WarrenError ? e : new WarrenError('AUTH_FAILED', String(e));
          if (!settled) next(false);
        },
      );
    }) as unknown as ConnectConfig['authHandler'],
  };
  const forward = parseForwardAgent(spec.forwardAgent);
  if (forward && !deps.agentSocket) log('Agent forwarding is on for this host, but no ssh-agent runs here: nothing is forwarded');
  if (forward && deps.agentSocket) {
    // not `agentForward: true` (that would forward to every channel): shells ask for it (terminals.ts)
    config.agent = new ForwardingAgent({ socket: deps.agentSocket, host: spec.hostname, policy: forward, ask: (p) => deps.prompter.ask(p), log });
    log(
      `Agent forwarding: ${forward.keys === 'all' ? 'every key of the agent' : forward.keys.join(', ')}${forward.confirm ? ', asking before each signature' : ''}`,
    );
  }

  return new Promise<Connected>((resolve, reject) => {
    let identTimer: NodeJS.Timeout | null = null;
    const fail = (e: WarrenError) => {
      if (settled) return;
      settled = true;
      disarm();
      if (identTimer) clearTimeout(identTimer);
      client.end();
      sock.destroy();
      reject(e);
    };
    // a question the login needs went unanswered: end it with that reason rather than answer it empty
    auth.abort = () => fail(auth.fatal ?? auth.failure());
    const seen = watchIdentification(sock, (s) => {
      if (s.ident !== null && identTimer) clearTimeout(identTimer);
      if (s.ident !== null)
        log(`Server banner: ${s.ident}${s.lines.length > 0 ? ` (after ${s.lines.length} other line(s), the first: ${textOf(s.lines[0]!)})` : ''}`);
      else if (s.flooded) fail(floodedError(spec, said()));
    });
    /** what the server said first, when it was not an SSH identification: quoted, its controls visible */
    const said = () => visible(textOf(firstWords(seen) ?? '').slice(0, 120));
    /** what the server said instead of an identification, if it said anything */
    const saidInstead = () => (firstWords(seen) !== null ? said() : null);
    client.on('handshake', (n: NegotiatedAlgorithms) => {
      kex = { name: n.kex, postQuantum: isPostQuantum(n.kex) };
      log(
        `Key exchange: ${n.kex}${kex.postQuantum ? ' (post-quantum)' : ''}; host key algorithm ${n.serverHostKey}; cipher ${n.cs.cipher}${n.cs.mac ? `, MAC ${n.cs.mac}` : ''}; compression ${n.cs.compress}`,
      );
    });
    client.on('banner', (message: string) => {
      log(`The server says: ${message.trim().slice(0, 500)}`);
      deps.onBanner?.(message);
    });
    client.once('ready', () => {
      if (settled) return;
      log(`Authenticated as ${spec.user}${auth.lastAttempt ? ` with ${auth.lastAttempt}` : ''}`);
      log(
        spec.keepaliveInterval > 0
          ? `Keepalive: after ${spec.keepaliveInterval} s of silence, given up after ${spec.keepaliveCountMax} unanswered`
          : 'Keepalive: off (ServerAliveInterval 0)',
      );
      keepAlive(client, sock, spec.keepaliveInterval * 1000, spec.keepaliveCountMax, log);
      // keepalives time the round trip, which sizes the receive windows (window.ts): three in a row, the
      // shortest kept (the first one's answer waits while the server sets the session up)
      const probe = (left: number) => {
        const pinged = performance.now();
        const sent = sendKeepalive(client, () => {
          rtt = Math.min(rtt ?? Infinity, performance.now() - pinged);
          if (left > 1) probe(left - 1);
          else log(`Round trip to the server: ${rtt.toFixed(1)} ms`);
        });
        if (!sent && rtt !== null) log(`Round trip to the server: ${rtt.toFixed(1)} ms`);
      };
      probe(3);
      auth
        .commitSaves()
        .catch((e: unknown) => {
          // the login stands: the secret is asked for again next time
          const why = `Logged in, but the secret could not be saved: ${e instanceof Error ? e.message : String(e)}`;
          log(why);
          status(why);
        })
        .finally(() => {
          if (settled) return;
          settled = true;
          disarm();
          resolve({ client, hostKey: hostKey!, kex: kex!, software: serverSoftware(seen.ident), rttMs: () => rtt });
        });
    });
    // ssh2 may emit several errors for one failure: keep listening, the first one decides
    client.on('error', (err: Error & { level?: string }) => {
      if (settled) return;
      log(`Error: ${err.message}`);
      if (hostKeyError) return fail(hostKeyError);
      if (auth.fatal) return fail(auth.fatal);
      // the agent failed one key (e.g. a denied confirmation): ssh2 goes on with the next one
      if (err.level === 'agent') return void auth.keyProblems.push(`ssh-agent: ${err.message}`);
      if (err.level === 'client-authentication') return fail(auth.failure());
      const why = loginError(err, spec, saidInstead());
      if (!proxy || why.code !== 'DISCONNECTED') return fail(why);
      // a ProxyCommand that died explains the lost connection better than ssh2 can
      const late = new Promise<null>((resolve) => setTimeout(() => resolve(null), 1000).unref());
      void Promise.race([proxy.exited, late]).then((e) => fail(e ?? why));
    });
    client.once('close', () => {
      const instead = saidInstead();
      const reason = auth.fatal ?? hostKeyError ?? (instead !== null ? notSshError(spec, instead) : null);
      if (reason || !proxy) return fail(reason ?? closedDuringLogin(spec));
      void proxy.exited.then((why) => fail(why));
    });
    if (identBudgetMs !== null) {
      identTimer = setTimeout(() => {
        const setting = spec.sshOptions!.connectTimeout!;
        log(`No SSH identification within ConnectTimeout (${setting} s)`);
        const e = loginTimeoutError(spec, identBudgetMs, false, seen, said());
        fail(
          new WarrenError(
            e.code,
            `${e.message.replace(/\.$/, '')}: ssh_config sets ConnectTimeout ${setting}, which bounds the banner exchange too, as in ssh.`,
            e.detail,
          ),
        );
      }, identBudgetMs);
    }
    onTimeout = () => {
      log(`No login within ${Math.round(loginMs / 1000)} s`);
      fail(loginTimeoutError(spec, loginMs, kex !== null, seen, said()));
    };
    arm();
    client.connect(config);
    // ssh2 reports each SSH_MSG_DISCONNECT as an error but one "by application" (11), whose text it drops: that one too, so the server's reason is told
    beforeDisconnect(client, (reason, text) => {
      if (reason === BY_APPLICATION && text) client.emit('error', Object.assign(new Error(text), { code: reason }));
    });
  });
}
