// The transfer queue as the Files view holds it: built from `transfers.watch` events (a reset, then only
// what changed and what was cleared), and what the queue panel and the panes read from it.
// useTransfers is useState plus useStream: React's useState is replaced by test/unit/renderer/hooks.ts
// and useStream by a stub that hands the test the event handler, so no DOM, renderer or client is needed.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { TransfersEvent } from '../../../../shared/sftp.js';
import {
  countLanded,
  FINISHED,
  isBrowserJob,
  nameOf,
  queueRows,
  useTransfers,
  type QueueRow,
  type Transfers,
} from '../../../../renderer/features/sftp/transfersState.js';
import { file, job, totals } from '../fixtures.js';
import { mount } from '../hooks.js';

vi.mock('react', async () => (await import('../hooks.js')).fakeReact);
const streams = vi.hoisted(() => new Map<string, (event: unknown) => void>());
vi.mock('../../../../renderer/lib/useStream.js', () => ({
  useStream: (name: string, onEvent: (event: unknown) => void) => void streams.set(name, onEvent),
}));

let queue: { render(): Transfers };
const send = (e: Partial<TransfersEvent>) => streams.get('transfers.watch')!({ reset: false, jobs: [], files: [], removed: [], total: totals(), ...e });
const state = () => queue.render();
const describeRows = (rows: QueueRow[]) => rows.map((r) => (r.kind === 'job' ? `job ${r.job.id}` : `  file ${r.file.id}`));

beforeEach(() => {
  streams.clear();
  queue = mount(() => useTransfers());
});

describe('useTransfers', () => {
  it('watches transfers.watch and starts empty', () => {
    expect([...streams.keys()]).toEqual(['transfers.watch']);
    expect(state().jobs.size).toBe(0);
    expect(state().files.size).toBe(0);
    expect(state().total.total).toBe(0);
  });

  it('the first event (a reset) is the whole queue', () => {
    send({ reset: true, jobs: [job({ id: 'j1' })], files: [file({ id: 'f1', jobId: 'j1' })], total: totals({ total: 100, running: 1 }) });
    expect([...state().jobs.keys()]).toEqual(['j1']);
    expect([...state().files.keys()]).toEqual(['f1']);
    expect(state().total).toMatchObject({ total: 100, running: 1 });
  });

  it('a later event updates what it names and keeps the rest', () => {
    send({ reset: true, jobs: [job({ id: 'j1' }), job({ id: 'j2' })], files: [file({ id: 'f1', jobId: 'j1' }), file({ id: 'f2', jobId: 'j2' })] });
    send({ files: [file({ id: 'f1', jobId: 'j1', bytes: 60, state: 'running' })], total: totals({ bytes: 60 }) });
    expect(state().files.get('f1')?.bytes).toBe(60);
    expect(state().files.get('f2')?.bytes).toBe(0);
    expect(state().jobs.size).toBe(2);
    expect(state().total.bytes).toBe(60);
  });

  it('a cancelled file keeps the bytes it had and stops counting as unfinished', () => {
    send({
      reset: true,
      jobs: [job({ id: 'j1' })],
      files: [file({ id: 'f1', jobId: 'j1', bytes: 40, rate: 1000 })],
      total: totals({ total: 100, bytes: 40, rate: 1000, eta: 1, running: 1 }),
    });
    send({ jobs: [job({ id: 'j1', state: 'cancelled' })], files: [file({ id: 'f1', jobId: 'j1', bytes: 40, rate: 0, state: 'cancelled' })], total: totals() });
    const f = state().files.get('f1')!;
    expect(f).toMatchObject({ state: 'cancelled', bytes: 40, rate: 0 });
    // what the panel's "Cancel all" counts; and the total (what the bar shows) is the event's, not a sum kept here
    expect([...state().files.values()].filter((x) => !FINISHED.has(x.state))).toEqual([]);
    expect(state().total).toMatchObject({ total: 0, rate: 0, eta: null, running: 0 });
  });

  it('"Clear finished" removes the jobs and files it names', () => {
    send({
      reset: true,
      jobs: [job({ id: 'j1', state: 'done' }), job({ id: 'j2' })],
      files: [file({ id: 'f1', jobId: 'j1', state: 'done' }), file({ id: 'f2', jobId: 'j2' })],
    });
    send({ removed: ['j1', 'f1'] });
    expect([...state().jobs.keys()]).toEqual(['j2']);
    expect([...state().files.keys()]).toEqual(['f2']);
  });

  it('a reset (after the stream reconnects) forgets what it does not list', () => {
    send({ reset: true, jobs: [job({ id: 'old' })], files: [file({ id: 'f-old', jobId: 'old' })] });
    send({ reset: true, jobs: [job({ id: 'new' })], files: [] });
    expect([...state().jobs.keys()]).toEqual(['new']);
    expect(state().files.size).toBe(0);
  });

  it('each event is a new state object (the memoized rows recompute), the old one unchanged', () => {
    send({ reset: true, jobs: [job({ id: 'j1' })], files: [] });
    const before = state();
    send({ jobs: [job({ id: 'j2' })] });
    expect(state()).not.toBe(before);
    expect(state().jobs).not.toBe(before.jobs);
    expect(before.jobs.size).toBe(1);
  });
});

describe('queueRows', () => {
  const t = (jobs: ReturnType<typeof job>[], files: ReturnType<typeof file>[]): Transfers => ({
    jobs: new Map(jobs.map((j) => [j.id, j])),
    files: new Map(files.map((f) => [f.id, f])),
    total: totals(),
  });

  it('oldest job first; a one-file job is just its file, a folder gets a row above its files', () => {
    const rows = queueRows(
      t(
        [job({ id: 'dir', kind: 'dir', createdAt: 2 }), job({ id: 'single', createdAt: 1 })],
        [file({ id: 'd1', jobId: 'dir' }), file({ id: 's1', jobId: 'single' }), file({ id: 'd2', jobId: 'dir' })],
      ),
    );
    expect(describeRows(rows)).toEqual(['  file s1', 'job dir', '  file d1', '  file d2']);
    const d1 = rows[2];
    expect(d1?.kind === 'file' && d1.job?.id).toBe('dir');
  });

  it('a job with no files yet (a folder still being walked) shows as its own row', () => {
    expect(describeRows(queueRows(t([job({ id: 'scan', kind: 'file', scanning: true })], [])))).toEqual(['job scan']);
  });

  it('an empty queue has no rows', () => {
    expect(queueRows(t([], []))).toEqual([]);
  });
});

describe('countLanded', () => {
  const t: Transfers = {
    jobs: new Map([
      ['up', job({ id: 'up', direction: 'upload' })],
      ['down', job({ id: 'down', direction: 'download' })],
    ]),
    files: new Map(
      [
        file({ id: 'u1', jobId: 'up', to: '/srv/www/index.html', state: 'done' }),
        file({ id: 'u2', jobId: 'up', to: '/srv/www/css/site.css', state: 'done' }),
        file({ id: 'u3', jobId: 'up', to: '/srv/www/big.iso', state: 'running' }),
        file({ id: 'u4', jobId: 'up', to: '/srv/www/gone.txt', state: 'cancelled' }),
        file({ id: 'u5', jobId: 'up', to: '/srv/www2/other.html', state: 'done' }),
        file({ id: 'd1', jobId: 'down', to: 'C:\\Users\\me\\Downloads\\log.txt', state: 'done' }),
        file({ id: 'd2', jobId: 'down', to: '/srv/www/also-local.txt', state: 'done' }),
      ].map((f) => [f.id, f]),
    ),
    total: totals(),
  };

  it('counts the files done under the folder, in subfolders too, in that direction only', () => {
    expect(countLanded(t, 'upload', '/srv/www')).toBe(2);
    expect(countLanded(t, 'upload', '/srv/www/')).toBe(2);
    expect(countLanded(t, 'download', '/srv/www')).toBe(1);
  });

  it('a cancelled or running file has not landed', () => {
    expect(countLanded(t, 'upload', '/srv/www/css')).toBe(1);
    expect(countLanded(t, 'upload', '/nowhere')).toBe(0);
  });

  it('a sibling folder whose name starts the same is not the folder', () => {
    expect(countLanded(t, 'upload', '/srv/www2')).toBe(1);
  });

  it('the root holds everything; a Windows folder works with backslashes', () => {
    expect(countLanded(t, 'upload', '/')).toBe(3);
    expect(countLanded(t, 'download', 'C:\\Users\\me')).toBe(1);
    expect(countLanded(t, 'download', 'C:\\')).toBe(1);
  });
});

describe('row names', () => {
  it('a row is named by where the file lands, or for a download to the browser, by what it is', () => {
    expect(nameOf({ from: '/home/me/report.pdf', to: '/srv/up/report (1).pdf' })).toBe('report (1).pdf');
    expect(nameOf({ from: '/srv/logs/app.log', to: 'browser' })).toBe('app.log');
    expect(nameOf({ from: '/srv/a', to: 'C:\\Users\\me\\Téléchargements\\données.csv' })).toBe('données.csv');
  });

  it('only the page can restart a browser-mode job', () => {
    expect(isBrowserJob(job({ id: 'j', from: 'browser' }))).toBe(true);
    expect(isBrowserJob(job({ id: 'j', to: 'browser' }))).toBe(true);
    expect(isBrowserJob(job({ id: 'j' }))).toBe(false);
    expect(isBrowserJob(undefined)).toBe(false);
  });
});
