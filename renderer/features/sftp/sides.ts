import type { RpcClient } from '../../../shared/client.js';
import type { Target } from '../../../shared/model.js';
import type { Listing } from '../../../shared/sftp.js';

/** One pane's file system: this machine (`local.*`) or a host over SFTP (`sftp.*`). */
export interface Side {
  kind: 'local' | 'remote';
  /** the host a remote side shows */
  target: Target | null;
  home(): Promise<string>;
  list(path: string): Promise<Listing>;
  mkdir(path: string): Promise<unknown>;
  rename(from: string, to: string): Promise<unknown>;
  remove(path: string, recursive: boolean): Promise<unknown>;
  chmod(path: string, mode: number): Promise<unknown>;
}

export function localSide(client: RpcClient): Side {
  return {
    kind: 'local',
    target: null,
    home: () => client.call('local.home', {}).then((r) => r.path),
    list: (path) => client.call('local.list', { path }),
    mkdir: (path) => client.call('local.mkdir', { path }),
    rename: (from, to) => client.call('local.rename', { from, to }),
    remove: (path, recursive) => client.call('local.delete', { path, recursive }),
    chmod: (path, mode) => client.call('local.chmod', { path, mode }),
  };
}

export function remoteSide(client: RpcClient, target: Target): Side {
  return {
    kind: 'remote',
    target,
    home: () => client.call('sftp.home', { target }).then((r) => r.path),
    list: (path) => client.call('sftp.list', { target, path }),
    mkdir: (path) => client.call('sftp.mkdir', { target, path }),
    rename: (from, to) => client.call('sftp.rename', { target, from, to }),
    remove: (path, recursive) => client.call('sftp.delete', { target, path, recursive }),
    chmod: (path, mode) => client.call('sftp.chmod', { target, path, mode }),
  };
}
