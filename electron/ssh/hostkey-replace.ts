// "Replace the host key…", the way out of a refused changed key that keeps it a decision: inspect
// fetches the key the server presents now (keyscan.ts, no login) and lists the known_hosts lines it
// contradicts; replace fetches it again, goes on only if it is still the key the user confirmed, and
// edits the files that hold those lines (knownhosts-edit.ts), recording the new key in the first one.
// For a name resolved through ssh_config, the files and the name are its own (trustOf: UserKnownHostsFile,
// HostKeyAlias); its GlobalKnownHostsFile is read, never rewritten.
import { WarrenError } from '../../shared/errors.js';
import type { HostKeyChange, StaleHostKey } from '../../shared/hostkeys.js';
import type { ConnectionManager, Endpoint } from './connections.js';
import { hostKeyRefusal, trustOf, type Trust } from './hostkey.js';
import { scanHostKey } from './keyscan.js';
import { addKnownHost, checkHostKey, editSerially, fingerprintSHA256, keyTypeOf, knownHostsName, type HostKeyVerdict } from './knownhosts.js';
import { editKnownHosts, readKnownHosts, writeKnownHosts } from './knownhosts-edit.js';

export interface HostKeyReplacerDeps {
  /** as ConnectDeps: the last one is Warren's own */
  knownHostsFiles: string[];
  /** the jump hosts' connections, to reach a host through its chain */
  connections: ConnectionManager;
  scanTimeoutMs?: number;
}

/** The endpoint whose key changed: the target, or the hop of its chain its error named. */
export function endpointWithKey(endpoint: Endpoint, hop: string | undefined): Endpoint {
  if (hop === undefined) return endpoint;
  for (let e = endpoint.via; e; e = e.via) if (e.label === hop) return e;
  throw new WarrenError('BAD_REQUEST', `${endpoint.label} is not reached through a jump host named ${hop}.`);
}

const patternError = (name: string, file: string, lines: number[]) =>
  new WarrenError(
    'CONFLICT',
    `${file}:${lines.join(', ')} gives ${name} its old key through a wildcard pattern, which Warren does not rewrite: edit that line by hand (ssh-keygen -F "${name}" -f "${file}" finds it), then connect again.`,
    { file, lines },
  );

const nothingToReplace = (name: string, type: string) =>
  new WarrenError(
    'CONFLICT',
    `No known_hosts file holds another ${type} key for ${name}: there is nothing to replace. Connect again to be asked about the key.`,
  );

/** the name the endpoint's key is known under: [host]:port, or its ssh_config's HostKeyAlias */
const nameFor = (endpoint: Endpoint, defaults: string[]) => {
  const { host, port } = trustOf(endpoint.spec, defaults);
  return knownHostsName(host, port);
};

export class HostKeyReplacer {
  constructor(private readonly deps: HostKeyReplacerDeps) {}

  async inspect(endpoint: Endpoint): Promise<HostKeyChange> {
    const { key, route } = await this.scan(endpoint);
    const { name, verdict, stale } = await this.plan(endpoint, key);
    const type = keyTypeOf(key);
    if (verdict.status === 'known')
      throw new WarrenError('CONFLICT', `${verdict.file}:${verdict.line} already holds the ${type} key ${name} presents now: connect again.`);
    if (stale.length === 0) throw nothingToReplace(name, type);
    return { name, keyType: type, fingerprint: fingerprintSHA256(key), route, stale };
  }

  /** `fingerprint`: the key the user confirmed; the server must present it still */
  async replace(endpoint: Endpoint, fingerprint: string): Promise<{ file: string; removed: StaleHostKey[] }> {
    const { key } = await this.scan(endpoint);
    const now = fingerprintSHA256(key);
    if (now !== fingerprint)
      throw new WarrenError(
        'CONFLICT',
        `${nameFor(endpoint, this.deps.knownHostsFiles)} now presents the ${keyTypeOf(key)} key ${now}, not ${fingerprint}, which you confirmed: its key changed again since you looked. Nothing was replaced. Check the new fingerprint before you go on.`,
        { fingerprint: now, confirmed: fingerprint },
      );
    const { name, verdict, stale, trust } = await this.plan(endpoint, key);
    if (verdict.status === 'known') return { file: verdict.file, removed: [] };
    // only a key the files contradict is replaced here: a host met for the first time is asked about when connecting
    if (verdict.status !== 'changed') throw nothingToReplace(name, keyTypeOf(key));
    let recordedIn: string | null = null;
    const removed: StaleHostKey[] = [];
    for (const file of new Set(stale.map((s) => s.file))) {
      await editSerially(file, async (path) => {
        const edit = editKnownHosts((await readKnownHosts(path)) ?? '', name, key, recordedIn === null);
        if (edit.patterns.length > 0) throw patternError(name, file, edit.patterns);
        if (edit.stale.length === 0) return;
        await writeKnownHosts(path, edit.text);
        recordedIn ??= file;
        removed.push(...edit.stale.map((s) => ({ file, ...s })));
      });
    }
    if (recordedIn === null) {
      // the old lines went away meanwhile: the user confirmed the key, so it goes where accepted keys go
      if (trust.addTo === null)
        throw new WarrenError('CONFLICT', `ssh_config sets UserKnownHostsFile none for ${name}: there is no file to record its new key in.`);
      recordedIn = trust.addTo;
      await addKnownHost(recordedIn, trust.host, trust.port, key, { hash: endpoint.spec.sshOptions?.hashKnownHosts === true, own: trust.own });
    }
    return { file: recordedIn, removed };
  }

  private scan(endpoint: Endpoint) {
    return scanHostKey(endpoint, this.deps.knownHostsFiles, this.deps.connections, this.deps.scanTimeoutMs);
  }

  /** what the files say of the key and, when it changed, the lines that hold the old one; a revoked key is refused, a pattern Warren cannot rewrite too */
  private async plan(endpoint: Endpoint, key: Buffer): Promise<{ name: string; verdict: HostKeyVerdict; stale: StaleHostKey[]; trust: Trust }> {
    // the files and the name a connection uses (an ssh_config's UserKnownHostsFile and HostKeyAlias too);
    // GlobalKnownHostsFile is read, never rewritten: the administrator's
    const trust = trustOf(endpoint.spec, this.deps.knownHostsFiles);
    const { host, port } = trust;
    const name = nameFor(endpoint, this.deps.knownHostsFiles);
    const verdict = await checkHostKey(trust.files, host, port, key);
    if (verdict.status === 'revoked') throw hostKeyRefusal(verdict, { hostname: host, port }, keyTypeOf(key), fingerprintSHA256(key));
    const stale: StaleHostKey[] = [];
    if (verdict.status !== 'changed') return { name, verdict, stale, trust };
    const global = new Set(endpoint.spec.sshOptions?.globalKnownHostsFiles ?? []);
    for (const file of trust.files.filter((f) => !global.has(f))) {
      const text = await readKnownHosts(file);
      if (text === null) continue;
      const edit = editKnownHosts(text, name, key, false);
      if (edit.patterns.length > 0) throw patternError(name, file, edit.patterns);
      stale.push(...edit.stale.map((s) => ({ file, ...s })));
    }
    return { name, verdict, stale, trust };
  }
}
