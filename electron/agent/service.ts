import ssh2, { type ParsedKey } from 'ssh2';
import { WarrenError } from '../../shared/errors.js';
import type { AgentIdentity } from '../../shared/keys.js';
import { KEY_FILE, readBounded, readIfExists } from '../files/read.js';
import { agentKey, AgentClient, noAgent, type Constraints } from './client.js';
import { describeKey, parseCertificateLine } from './keyinfo.js';
import { algorithmOf, fingerprint } from './wire.js';

/** What the agent holds, for the UI: type, size, fingerprint and comment, and a certificate's principals and validity. */
export function identityOf(blob: Buffer, comment: string): AgentIdentity {
  try {
    const k = describeKey(blob);
    return {
      algorithm: k.algorithm,
      type: k.type,
      bits: k.bits,
      fingerprint: k.fingerprint,
      comment,
      certificate: k.certificate ? { ...k.certificate.info, file: null } : null,
    };
  } catch {
    return { algorithm: algorithmOf(blob), type: 'UNKNOWN', bits: null, fingerprint: fingerprint(blob), comment, certificate: null };
  }
}

/** Parses a private key file, asking for nothing: a missing or wrong passphrase is a KEY_FILE error that says so. */
export async function loadPrivateKey(path: string, passphrase?: string): Promise<ParsedKey> {
  const data = await readBounded(path, KEY_FILE);
  const key = ssh2.utils.parseKey(data, passphrase);
  if (!(key instanceof Error)) return (Array.isArray(key) ? key[0] : key) as ParsedKey;
  if (/passphrase/i.test(key.message)) {
    throw new WarrenError(
      'KEY_FILE',
      passphrase === undefined ? `${path} is protected by a passphrase: enter it to unlock the key.` : `The passphrase for ${path} is wrong.`,
      { path, needsPassphrase: true },
    );
  }
  throw new WarrenError('KEY_FILE', `${path} is not a private key Warren can read (${key.message}).`, { path });
}

/** The contract's agent calls: the identities, add (with ssh-add's -t and -c constraints), remove, remove all. */
export class AgentService {
  constructor(
    private readonly socket: string | undefined,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  private client(): AgentClient {
    if (!this.socket) throw noAgent(this.platform);
    return new AgentClient(this.socket);
  }

  async list(): Promise<{ socket: string; identities: AgentIdentity[] }> {
    const client = this.client();
    return { socket: client.socket, identities: (await client.identities()).map((i) => identityOf(i.blob, i.comment)) };
  }

  /** adds the key, and its `-cert.pub` when one certifies it, as `ssh-add` does */
  async add(input: { path: string; passphrase?: string | undefined } & Constraints): Promise<{ added: AgentIdentity[] }> {
    const client = this.client();
    const key = await loadPrivateKey(input.path, input.passphrase);
    const cert = parseCertificateLine((await readIfExists(`${input.path}-cert.pub`, KEY_FILE))?.toString('utf8') ?? '');
    const comment = key.comment || input.path;
    await client.add(agentKey(key), comment, input);
    const added = [identityOf(key.getPublicSSH(), comment)];
    if (cert?.cert.publicBlob.equals(key.getPublicSSH())) {
      await client.add(agentKey(key, cert.blob), comment, input);
      added.push(identityOf(cert.blob, comment));
    }
    return { added };
  }

  /** removes every identity with this fingerprint: the key and its certificates, as `ssh-add -d` */
  async remove(fp: string): Promise<void> {
    const client = this.client();
    const matching = (await client.identities()).filter((i) => identityOf(i.blob, '').fingerprint === fp);
    if (matching.length === 0) throw new WarrenError('NOT_FOUND', `The agent holds no key with the fingerprint ${fp}.`);
    for (const i of matching) await client.remove(i.blob);
  }

  async removeAll(): Promise<void> {
    await this.client().removeAll();
  }
}
