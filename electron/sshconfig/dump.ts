// `ssh -G` in full: every keyword OpenSSH 9.2p1 (as Debian 12 builds it) prints, in its order
// (readconf.c dump_client_config()), with the defaults fill_default_options() fills in and the values
// ssh.c derives before it prints (UpdateHostKeys, the algorithm lists assembled against ssh's own).
import { assembleAlgorithms } from './algorithms.js';
import { GSS_KEX, OPENSSH_ALGORITHMS, QUIET_LEVELS } from './openssh.js';

export type DumpValues = Record<string, string | string[]>;

/** [keyword, default]: null prints nothing when unset; a list keyword prints a line per value */
const ORDER: readonly (readonly [string, string | null])[] = [
  ['host', null],
  ['user', null],
  ['hostname', null],
  ['port', '22'],
  ['addressfamily', 'any'],
  ['batchmode', 'no'],
  ['canonicalizefallbacklocal', 'yes'],
  ['canonicalizehostname', 'false'],
  ['checkhostip', 'no'],
  ['compression', 'no'],
  ['controlmaster', 'false'],
  ['enablesshkeysign', 'no'],
  ['clearallforwardings', 'no'],
  ['exitonforwardfailure', 'no'],
  ['fingerprinthash', 'SHA256'],
  ['forwardx11', 'no'],
  ['forwardx11trusted', 'yes'], // Debian's default
  ['gatewayports', 'no'],
  ['gssapiauthentication', 'no'],
  ['gssapikeyexchange', 'no'],
  ['gssapidelegatecredentials', 'no'],
  ['gssapitrustdns', 'no'],
  ['gssapirenewalforcesrekey', 'no'],
  ['gssapiclientidentity', null],
  ['gssapiserveridentity', null],
  ['gssapikexalgorithms', GSS_KEX.defaults],
  ['hashknownhosts', 'no'],
  ['hostbasedauthentication', 'no'],
  ['identitiesonly', 'no'],
  ['kbdinteractiveauthentication', 'yes'],
  ['nohostauthenticationforlocalhost', 'no'],
  ['passwordauthentication', 'yes'],
  ['permitlocalcommand', 'no'],
  ['proxyusefdpass', 'no'],
  ['pubkeyauthentication', 'true'],
  ['requesttty', 'auto'],
  ['sessiontype', 'default'],
  ['stdinnull', 'no'],
  ['forkafterauthentication', 'no'],
  ['streamlocalbindunlink', 'no'],
  ['stricthostkeychecking', 'ask'],
  ['tcpkeepalive', 'yes'],
  ['tunnel', 'false'],
  ['verifyhostkeydns', 'false'],
  ['visualhostkey', 'no'],
  ['updatehostkeys', null],
  ['enableescapecommandline', 'no'],
  ['canonicalizemaxdots', '1'],
  ['connectionattempts', '1'],
  ['forwardx11timeout', '1200'],
  ['numberofpasswordprompts', '3'],
  ['serveralivecountmax', '3'],
  ['serveraliveinterval', '0'],
  ['requiredrsasize', '1024'],
  ['bindaddress', null],
  ['bindinterface', null],
  ['ciphers', null],
  ['controlpath', null],
  ['hostkeyalgorithms', null],
  ['hostkeyalias', null],
  ['hostbasedacceptedalgorithms', null],
  ['identityagent', null],
  ['ignoreunknown', null],
  ['kbdinteractivedevices', null],
  ['kexalgorithms', null],
  ['casignaturealgorithms', null],
  ['localcommand', null],
  ['remotecommand', null],
  ['loglevel', 'INFO'],
  ['macs', null],
  ['pkcs11provider', null],
  ['securitykeyprovider', null], // internal unless the config says none (completeDump)
  ['preferredauthentications', null],
  ['pubkeyacceptedalgorithms', null],
  ['revokedhostkeys', null],
  ['xauthlocation', '/usr/bin/xauth'],
  ['knownhostscommand', null],
  ['dynamicforward', null],
  ['localforward', null],
  ['remoteforward', null],
  ['identityfile', null],
  ['canonicaldomains', 'none'],
  ['certificatefile', null],
  ['globalknownhostsfile', '/etc/ssh/ssh_known_hosts /etc/ssh/ssh_known_hosts2'],
  ['userknownhostsfile', null],
  ['sendenv', null],
  ['setenv', null],
  ['logverbose', 'none'],
  ['permitremoteopen', 'any'],
  ['addkeystoagent', 'false'],
  ['forwardagent', 'no'],
  ['connecttimeout', 'none'],
  ['tunneldevice', 'any:any'],
  ['canonicalizepermittedcnames', 'none'],
  ['controlpersist', 'no'],
  ['escapechar', '~'],
  ['ipqos', 'lowdelay throughput'], // Debian's default
  ['rekeylimit', '0'],
  ['streamlocalbindmask', '0177'],
  ['syslogfacility', 'USER'],
  ['proxycommand', null],
  ['proxyjump', null],
];

/** the algorithm keywords and the lists they are assembled against (kex_assemble_names()) */
const ASSEMBLED: Readonly<Record<string, { all: readonly string[]; defaults: readonly string[] }>> = {
  ciphers: OPENSSH_ALGORITHMS.ciphers,
  macs: OPENSSH_ALGORITHMS.macs,
  kexalgorithms: OPENSSH_ALGORITHMS.kexalgorithms,
  hostkeyalgorithms: OPENSSH_ALGORITHMS.keys,
  hostbasedacceptedalgorithms: OPENSSH_ALGORITHMS.keys,
  pubkeyacceptedalgorithms: OPENSSH_ALGORITHMS.keys,
  casignaturealgorithms: OPENSSH_ALGORITHMS.signatures,
};

/** keywords that `none` clears (fill_default_options() CLEAR_ON_NONE) */
const CLEARED_BY_NONE = ['pkcs11provider', 'securitykeyprovider', 'revokedhostkeys'];

export interface DumpContext {
  /** UserKnownHostsFile as the config wrote it (before ~ and % expansion), or undefined when unset */
  userKnownHostsWritten: string[] | undefined;
  /** the rekey interval when a RekeyLimit line gave one */
  rekeyInterval: string | undefined;
  /** an algorithm keyword whose list leaves nothing, as ssh refuses it ("Bad SSH2 … spec") */
  emptyList: (keyword: string) => void;
}

/**
 * Every keyword `ssh -G` prints, in its order: what the config set (`values`, in ssh -G's forms) and
 * ssh's defaults and derived values for the rest. A list value prints one line per element.
 */
export function completeDump(values: DumpValues, ctx: DumpContext): DumpValues {
  const v: DumpValues = { ...values };
  const get = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
  v.securitykeyprovider ??= 'internal';
  for (const k of CLEARED_BY_NONE) if (get(k)?.toLowerCase() === 'none') delete v[k];
  for (const [k, lists] of Object.entries(ASSEMBLED)) {
    const r = assembleAlgorithms(get(k) ?? '', lists.defaults, lists.all);
    if (r.list.length === 0) ctx.emptyList(k);
    v[k] = r.list.join(',');
  }
  if (v.proxyjump !== undefined) v.proxyusefdpass = 'no'; // ssh never passes a descriptor through a ProxyJump
  v.rekeylimit = `${get('rekeylimit') ?? '0'} ${ctx.rekeyInterval ?? '0'}`;
  if (get('hostkeyalias')) v.hostkeyalias = get('hostkeyalias')!.toLowerCase();
  v.updatehostkeys ??= updateHostKeysDefault(get('verifyhostkeydns'), ctx.userKnownHostsWritten);
  if (v.updatehostkeys === 'ask') {
    // ssh.c turns "ask" off where it could not ask
    const persistent = (get('controlpersist') ?? 'no') !== 'no' && get('controlpath') !== undefined;
    if (persistent || get('remotecommand') !== undefined || get('requesttty') === 'false' || QUIET_LEVELS.has(get('loglevel') ?? 'INFO'))
      v.updatehostkeys = 'false';
  }
  const out: DumpValues = {};
  for (const [k, fallback] of ORDER) {
    const value = v[k] ?? fallback;
    if (value !== null && !(Array.isArray(value) && value.length === 0)) out[k] = value;
  }
  return out;
}

/** fill_default_options(): keys are learnt (UpdateHostKeys yes) only with no DNS check and ssh's own known_hosts file */
function updateHostKeysDefault(verifyHostKeyDns: string | undefined, written: string[] | undefined): string {
  const own = written === undefined || (written.length === 1 && written[0] === '~/.ssh/known_hosts');
  return (verifyHostKeyDns ?? 'false') === 'false' && own ? 'true' : 'false';
}

/** The text `ssh -G` prints for these values: `keyword value` lines, one per element of a list */
export function formatDump(values: DumpValues): string {
  const name = (k: string) => (k === 'canonicalizepermittedcnames' ? 'canonicalizePermittedcnames' : k); // ssh's own spelling
  return Object.entries(values)
    .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${name(k)} ${x}\n`))
    .join('');
}
