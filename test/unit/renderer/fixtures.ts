// Small builders for the records the renderer's pure modules take: each test names only what matters to it.
import type { Group, HostRecord, Tunnel } from '../../../shared/model.js';
import type { Entry, TransferFile, TransferJob, TransfersEvent } from '../../../shared/sftp.js';

export const host = (over: Partial<HostRecord> & Pick<HostRecord, 'id'>): HostRecord => ({
  name: over.id,
  hostname: `${over.id}.example.net`,
  groupId: null,
  hasPassword: false,
  hasPassphrase: false,
  ...over,
});

export const group = (over: Partial<Group> & Pick<Group, 'id'>): Group => ({ name: over.id, parentId: null, defaults: {}, ...over });

export const tunnel = (over: Partial<Tunnel> = {}): Tunnel => ({
  id: 't1',
  name: 'postgres',
  hostId: 'db',
  kind: 'local',
  bindAddress: '127.0.0.1',
  bindPort: 5432,
  destHost: 'localhost',
  destPort: 5432,
  autoStart: false,
  exposed: false,
  hasSocksPassword: false,
  ...over,
});

export const entry = (name: string, over: Partial<Entry> = {}): Entry => ({ name, kind: 'file', size: 0, mtime: 0, mode: 0o644, ...over });

export const job = (over: Partial<TransferJob> & Pick<TransferJob, 'id'>): TransferJob => ({
  direction: 'upload',
  host: 'db',
  from: '/home/me/a.txt',
  to: '/srv/a.txt',
  kind: 'file',
  state: 'running',
  scanning: false,
  files: 1,
  filesDone: 0,
  total: 100,
  bytes: 0,
  rate: 0,
  eta: null,
  error: null,
  retryAt: null,
  createdAt: 1,
  ...over,
});

export const file = (over: Partial<TransferFile> & Pick<TransferFile, 'id' | 'jobId'>): TransferFile => ({
  from: '/home/me/a.txt',
  to: '/srv/a.txt',
  size: 100,
  bytes: 0,
  rate: 0,
  eta: null,
  state: 'running',
  error: null,
  resumable: false,
  parts: 1,
  ...over,
});

export const totals = (over: Partial<TransfersEvent['total']> = {}): TransfersEvent['total'] => ({
  total: 0,
  bytes: 0,
  rate: 0,
  eta: null,
  running: 0,
  queued: 0,
  ...over,
});
