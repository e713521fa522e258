import type { ResolvedHost, Tunnel } from '../../shared/model.js';

/** One host as it goes into an ssh_config snippet. */
export interface ExportedHost {
  name: string;
  settings: Omit<ResolvedHost, 'sources' | 'jump'>;
  /** the jump chain spelled out as `user@host:port` hops (see commandFor) */
  jump: string | null;
  tunnels: Tunnel[];
}

/** A Host pattern is one word without pattern characters: anything else becomes a dash. */
export function configName(name: string): string {
  return name.trim().replace(/[^A-Za-z0-9._@-]+/g, '-') || 'host';
}

/** what each of Warren's auth settings tells OpenSSH to try */
const PREFERRED = { agent: 'publickey', key: 'publickey', password: 'password,keyboard-interactive', 'keyboard-interactive': 'keyboard-interactive' } as const;

const quote = (v: string) => (/[\s"#]/.test(v) ? `"${v.replace(/"/g, '\\"')}"` : v);
const addr = (a: string) => (a.includes(':') ? `[${a}]` : a);

function forwardLine(t: Tunnel): string {
  const bind = `${addr(t.bindAddress)}:${t.bindPort}`;
  if (t.kind === 'dynamic') return `DynamicForward ${bind}`;
  return `${t.kind === 'local' ? 'LocalForward' : 'RemoteForward'} ${bind} ${addr(t.destHost!)}:${t.destPort}`;
}

/**
 * Warren's hosts as OpenSSH reads them: each Host block carries everything Warren would use
 * (`ssh -G -F snippet NAME` resolves to the same values), with its jump chain and its tunnels.
 */
export function toSshConfig(hosts: ExportedHost[], header = `Written by Warren on ${new Date().toISOString()}`): string {
  const out = [`# ${header}`, ''];
  for (const h of hosts) {
    const s = h.settings;
    out.push(`Host ${configName(h.name)}`, `  HostName ${s.hostname}`, `  User ${s.user}`, `  Port ${s.port}`);
    if (s.identityFile) out.push(`  IdentityFile ${quote(s.identityFile)}`);
    if (h.jump) out.push(`  ProxyJump ${h.jump}`);
    else if (s.proxyCommand) out.push(`  ProxyCommand ${s.proxyCommand}`);
    out.push(`  ServerAliveInterval ${s.keepaliveInterval}`, `  ServerAliveCountMax ${s.keepaliveCountMax}`);
    if (s.auth !== 'auto') out.push(`  PreferredAuthentications ${PREFERRED[s.auth]}`);
    if (s.auth === 'key' && s.identityFile) out.push('  IdentitiesOnly yes');
    for (const t of h.tunnels) out.push(`  # tunnel "${t.name.replace(/\n/g, ' ')}"`, `  ${forwardLine(t)}`);
    out.push('');
  }
  return out.join('\n');
}
