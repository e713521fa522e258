import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { CallArgs, StreamArgs } from '../../shared/contract.js';
import { WarrenError, type WireError } from '../../shared/errors.js';
import { authorizedKeysOptions, FileName, type DeployResult, type KeyInfo, type RotateEvent, type RotateStepId } from '../../shared/keys.js';
import type { Target } from '../../shared/model.js';
import { parsePublicLine, publicLine } from '../agent/keyinfo.js';
import { KEY_FILE, readBounded, readIfExists } from '../files/read.js';
import { identityFiles } from '../ssh/auth-plan.js';
import type { Endpoint, Lease } from '../ssh/connections.js';
import type { HostStore } from '../store/hosts.js';
import { addLine, findKey, removeKey } from './authorized.js';
import { editAuthorizedKeys, proveLogin, type LoginDeps } from './deploy.js';
import { changePassphrase, generateKey, importKey, listKeys, readKeyInfo, sniffPrivateKey } from './files.js';

export interface KeyServiceDeps extends LoginDeps {
  home: string;
  /** Warren's data dir: its own keys live in <dataDir>/keys */
  dataDir: string;
  hosts: HostStore;
  endpointOf(target: Target): Promise<Endpoint>;
}

const toWire = (e: unknown): WireError => (e instanceof WarrenError ? e.toWire() : { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) });

/** a failed rotation step, already reported */
class Stopped extends Error {}

/** The key manager: key files, deploying a key to a host, and rotating a host's key. */
export class KeyService {
  readonly folders: Record<KeyInfo['folder'], string>;

  constructor(private readonly deps: KeyServiceDeps) {
    this.folders = { warren: path.join(deps.dataDir, 'keys'), ssh: path.join(deps.home, '.ssh') };
  }

  /** a key path from the renderer (`~` expanded), which must name a file in ~/.ssh or Warren's key folder */
  pathOf(p: string): string {
    const resolved = path.resolve(identityFiles({ identityFile: p }, this.deps.home)[0]!);
    if (!Object.values(this.folders).includes(path.dirname(resolved))) {
      throw new WarrenError(
        'BAD_REQUEST',
        `Warren works with key files in ${this.folders.ssh} and its own key folder ${this.folders.warren}; import ${p} first.`,
        { path: p },
      );
    }
    return resolved;
  }

  async info(p: string): Promise<KeyInfo> {
    const file = this.pathOf(p);
    const info = await readKeyInfo(file, path.dirname(file) === this.folders.warren ? 'warren' : 'ssh');
    if (!info) throw new WarrenError('NOT_FOUND', `${file} is not a private key file (or does not exist).`, { path: file });
    return info;
  }

  async list(): Promise<KeyInfo[]> {
    return [...(await listKeys(this.folders.warren, 'warren')), ...(await listKeys(this.folders.ssh, 'ssh'))];
  }

  async generate(i: CallArgs<'keys.generate'>): Promise<KeyInfo> {
    const file = path.join(this.folders[i.folder], i.name);
    await generateKey(file, i);
    return this.info(file);
  }

  async import(i: CallArgs<'keys.import'>): Promise<KeyInfo> {
    const source = path.resolve(identityFiles({ identityFile: i.path }, this.deps.home)[0]!);
    const name = i.name ?? path.basename(source);
    if (!FileName.safeParse(name).success)
      throw new WarrenError('BAD_REQUEST', `"${name}" is not a key file name Warren accepts (letters, digits, . _ @ + -): give the key a name.`);
    const file = path.join(this.folders.warren, name);
    await importKey(source, file, i.passphrase);
    return this.info(file);
  }

  /** also updates the passphrase saved for every host that uses this key */
  async changePassphrase(i: CallArgs<'keys.changePassphrase'>): Promise<KeyInfo> {
    const file = this.pathOf(i.path);
    await changePassphrase(file, i.oldPassphrase, i.newPassphrase);
    const { hosts, home } = this.deps;
    for (const h of hosts.tree().hosts) {
      const keyFile = hosts.resolve(h.id).identityFile;
      if (!h.hasPassphrase || keyFile === null || path.resolve(identityFiles({ identityFile: keyFile }, home)[0]!) !== file) continue;
      hosts.markSecret(h.id, 'passphrase', await hosts.saveSecret(h.id, 'passphrase', i.newPassphrase || null));
    }
    return this.info(file);
  }

  /** the `.pub` line: the .pub file's, else derived from the private key */
  async publicKey(p: string): Promise<string> {
    const file = this.pathOf(p);
    const pub = parsePublicLine((await readIfExists(`${file}.pub`, KEY_FILE))?.toString('utf8') ?? '');
    if (pub) return publicLine(pub.blob, pub.comment);
    const sniffed = sniffPrivateKey((await readBounded(file, KEY_FILE)).toString('utf8'));
    if (!sniffed?.publicBlob)
      throw new WarrenError('KEY_FILE', `The public key of ${file} cannot be read: it is encrypted and has no .pub beside it.`, { path: file });
    return publicLine(sniffed.publicBlob, sniffed.comment);
  }

  async deploy(i: CallArgs<'keys.deploy'>): Promise<DeployResult> {
    const file = this.pathOf(i.path);
    const options = i.options ? authorizedKeysOptions(i.options) : '';
    const line = `${options ? `${options} ` : ''}${await this.publicKey(file)}`;
    const endpoint = await this.deps.endpointOf(i.target);
    const lease = await this.deps.connections.acquire(endpoint);
    let edit;
    try {
      edit = await editAuthorizedKeys(lease.client, (text) => addLine(text, line));
      lease.log(edit.changed ? `Warren added ${path.basename(file)} to ${edit.file}` : `${path.basename(file)} is already in ${edit.file}`);
    } finally {
      lease.release();
    }
    const login = await proveLogin(endpoint, file, i.passphrase, this.deps).then(
      () => ({ ok: true as const }),
      (e: unknown) => ({ ok: false as const, error: toWire(e) }),
    );
    return { line, file: edit.file, added: edit.changed, warnings: edit.warnings, login };
  }

  /** see `keys.rotate` in shared/keys.ts */
  async rotate(p: StreamArgs<'keys.rotate'>, emit: (e: RotateEvent) => void, signal: AbortSignal): Promise<void> {
    const { hosts } = this.deps;
    const host = hosts.host(p.hostId);
    const endpoint = await this.deps.endpointOf({ hostId: host.id });
    const current = hosts.resolve(host.id);
    const oldFile = current.identityFile === null ? null : path.resolve(identityFiles(current, this.deps.home)[0]!);
    let key: KeyInfo | null = null;

    const step = async <T>(id: RotateStepId, running: string, run: () => Promise<T>, done: (v: T) => string): Promise<T> => {
      emit({ type: 'step', step: { id, status: 'running', detail: running } });
      try {
        if (signal.aborted) throw new WarrenError('CANCELLED', 'The rotation was cancelled.');
        const v = await run();
        emit({ type: 'step', step: { id, status: 'done', detail: done(v) } });
        return v;
      } catch (e) {
        const error = toWire(e);
        emit({ type: 'step', step: { id, status: 'failed', detail: error.message, error } });
        throw new Stopped(error.message);
      }
    };
    const skip = (id: RotateStepId, detail: string) => emit({ type: 'step', step: { id, status: 'skipped', detail } });
    const finish = (ok: boolean, message: string) => emit({ type: 'done', ok, message, key });

    try {
      const name = p.name ?? (await this.freeName(host.name, p.type));
      key = await step(
        'generate',
        `Generating a new ${p.type} key…`,
        () => this.generate({ ...p, name, folder: 'warren' }),
        (k) => `${k.type} ${k.fingerprint} in ${k.path}`,
      );
    } catch (e) {
      if (e instanceof Stopped) return finish(false, `Nothing changed: ${e.message}`);
      throw e;
    }
    const newKey = key;
    const newBlob = parsePublicLine(await this.publicKey(newKey.path))!.blob;
    const oldBlob = oldFile
      ? await this.publicKey(oldFile).then(
          (l) => parsePublicLine(l)?.blob ?? null,
          () => null,
        )
      : null;
    const held: { lease?: Lease; deployed?: boolean; switched?: boolean } = {};
    const edit = (f: (text: string) => string | null) => editAuthorizedKeys(held.lease!.client, f);
    try {
      await step(
        'deploy',
        `Adding the new key to ~/.ssh/authorized_keys on ${host.name}…`,
        async () => {
          held.lease = await this.deps.connections.acquire(endpoint);
          const line = await this.publicKey(newKey.path);
          let options = '';
          const result = await edit((text) => {
            options = (oldBlob && findKey(text, oldBlob)?.options) || '';
            return addLine(text, options ? `${options} ${line}` : line);
          });
          held.deployed = result.changed;
          held.lease.log(`Key rotation: added ${newKey.name} to ${result.file}`);
          return { ...result, options };
        },
        (r) =>
          `${r.changed ? 'Added to' : 'Already in'} ${r.file}${r.options ? `, with the old key's options (${r.options})` : ''}.${r.warnings.length > 0 ? ` Warning: ${r.warnings.join('; ')}` : ''}`,
      );
      await step(
        'test',
        `Logging in to ${host.name} with the new key alone…`,
        () => proveLogin(endpoint, newKey.path, p.passphrase, this.deps),
        () => 'A fresh login with the new key alone succeeded.',
      );
      await step(
        'switch',
        `Switching ${host.name} to the new key…`,
        () =>
          hosts.updateHost(host.id, {
            identityFile: newKey.path,
            passphrase: p.passphrase ?? null,
            ...(current.auth === 'auto' || current.auth === 'key' ? {} : { auth: 'key' as const }),
          }),
        () => `${host.name} now logs in with ${newKey.path}.`,
      );
      held.switched = true;
      if (!oldFile || !oldBlob) {
        skip(
          'remove-old',
          oldFile
            ? `The old key ${oldFile} cannot be read, so its line was not removed; remove it by hand.`
            : `${host.name} had no key file of its own (it used ${current.auth === 'auto' ? 'the agent, a default key or a password' : current.auth}), so there is no old line to remove.`,
        );
      } else if (oldBlob.equals(newBlob)) {
        skip('remove-old', 'The old and the new key are the same.');
      } else {
        await step(
          'remove-old',
          `Removing the old key ${path.basename(oldFile)} from authorized_keys…`,
          () => edit((t) => removeKey(t, oldBlob)),
          (r) => (r.changed ? `Removed the old key's line from ${r.file}.` : `The old key was not in ${r.file}.`),
        );
      }
      finish(true, `${host.name} now uses ${newKey.path}.`);
    } catch (e) {
      if (!(e instanceof Stopped)) throw e;
      if (held.switched)
        return finish(
          false,
          `${host.name} now uses the new key, but the old key's line could not be removed (${e.message}); remove it from ~/.ssh/authorized_keys by hand.`,
        );
      const rollback = !held.deployed
        ? ''
        : await edit((t) => removeKey(t, newBlob)).then(
            () => " The new key's line was taken out of authorized_keys again.",
            (r: unknown) => ` The new key's line could not be taken out of authorized_keys again (${toWire(r).message}); remove it by hand.`,
          );
      finish(false, `Stopped: ${e.message} ${host.name} still uses its old key, which keeps working.${rollback}`);
    } finally {
      held.lease?.release();
    }
  }

  /** `<host>_<type>_<date>`, with a counter when that name is taken */
  private async freeName(hostName: string, type: string): Promise<string> {
    const base = `${
      hostName
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '') || 'host'
    }_${type}_${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`;
    const taken = (name: string) =>
      Promise.all(
        [name, `${name}.pub`].map((f) =>
          stat(path.join(this.folders.warren, f)).then(
            () => true,
            () => false,
          ),
        ),
      ).then((t) => t.includes(true));
    let name = base;
    for (let n = 2; await taken(name); n++) name = `${base}_${n}`;
    return name;
  }
}
