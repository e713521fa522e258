import { ArrowDown, ArrowUp, Folder, Play, RotateCw, X } from 'lucide-react';
import type { ReactNode } from 'react';
import type { TransferFile, TransferJob, TransferState } from '../../../shared/sftp.js';
import { visible } from '../../../shared/untrusted.js';
import { useCountdown } from '../../lib/useCountdown.js';
import { formatBytes, formatSeconds } from '../tunnels/format.js';
import { parentOf } from './paths.js';
import { FINISHED, isBrowserJob, nameOf } from './transfersState.js';

export type QueueAction = 'transfers.cancel' | 'transfers.retry' | 'transfers.resume';

interface Progress {
  state: TransferState;
  bytes: number;
  size: number;
  rate: number;
  eta: number | null;
  /** paused by a lost connection: when Warren reconnects and resumes by itself */
  retryAt: number | null;
}

/** A bar, bytes done of total and the percentage; then rate and time left while it runs, or when a paused one resumes. */
function ProgressCells({ state, bytes, size, rate, eta, retryAt }: Progress) {
  const retryIn = useCountdown(state === 'paused' ? retryAt : null);
  const fraction = size > 0 ? Math.min(1, bytes / size) : state === 'done' ? 1 : 0;
  const done = `${formatBytes(bytes)} / ${formatBytes(size)} · ${Math.floor(fraction * 100)}%`;
  return (
    <>
      <span className="transfer-progress">
        <span className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(fraction * 100)}>
          <span className={`progress-fill progress-${state}`} style={{ width: `${fraction * 100}%` }} />
        </span>
        <span className="transfer-bytes" data-testid="transfer-bytes" data-bytes={bytes} title={done}>
          {done}
        </span>
      </span>
      <span className="transfer-rate">{state === 'running' && rate > 0 ? `${formatBytes(rate)}/s` : ''}</span>
      <span className="transfer-eta" title="Time left">
        {state === 'running' && eta !== null ? formatSeconds(Math.ceil(eta)) : ''}
      </span>
      <span
        className={`transfer-state tstate-${state}`}
        data-testid="transfer-state"
        title={retryIn !== null ? 'The connection was lost: Warren reconnects and resumes by itself' : undefined}
      >
        {retryIn === null ? state : retryIn > 0 ? `retry in ${formatSeconds(retryIn)}` : 'reconnecting…'}
      </span>
    </>
  );
}

/** cancel while unfinished; resume when paused; retry when failed or cancelled (not for the page's own uploads and downloads, nor a refused name) */
function Actions({
  id,
  state,
  browser,
  waiting,
  final = false,
  act,
}: {
  id: string;
  state: TransferState;
  browser: boolean;
  waiting: boolean;
  final?: boolean;
  act(action: QueueAction, id: string): void;
}) {
  return (
    <span className="transfer-actions">
      {state === 'paused' && !browser && (
        <ActionButton
          testId="transfer-resume"
          title={waiting ? 'Resume now, where it stopped' : 'Resume where it stopped'}
          onClick={() => act('transfers.resume', id)}
        >
          <Play size={13} />
        </ActionButton>
      )}
      {(state === 'failed' || state === 'cancelled') && !browser && !final && (
        <ActionButton testId="transfer-retry" title="Retry from the start" onClick={() => act('transfers.retry', id)}>
          <RotateCw size={13} />
        </ActionButton>
      )}
      {!FINISHED.has(state) && (
        <ActionButton testId="transfer-cancel" title="Cancel" onClick={() => act('transfers.cancel', id)}>
          <X size={13} />
        </ActionButton>
      )}
    </span>
  );
}

/** Where it goes (or, when it failed, which file and why); names and errors with their control characters made visible. */
function What({ name, title, line, error, icon }: { name: string; title: string; line: string; error: string | null; icon: ReactNode }) {
  return (
    <span className="transfer-what" title={visible(error ?? title)}>
      {icon}
      <span className="transfer-name">{visible(name)}</span>
      {error ? (
        <span className="transfer-error" data-testid="transfer-error">
          {visible(error)}
        </span>
      ) : (
        <span className="transfer-line">{visible(line)}</span>
      )}
    </span>
  );
}

const arrow = (job: TransferJob | undefined) =>
  job?.direction === 'download' ? <ArrowDown size={13} className="transfer-dir" /> : <ArrowUp size={13} className="transfer-dir" />;
/** the folder it lands in, and on which side */
function where(job: TransferJob | undefined, to: string): string {
  if (to === 'browser') return 'to this browser';
  return job?.direction === 'download' ? `to ${parentOf(to)}` : `to ${job?.host ?? 'the host'}:${parentOf(to)}`;
}

export function FileRow({ file, job, act }: { file: TransferFile; job: TransferJob | undefined; act(action: QueueAction, id: string): void }) {
  const name = nameOf(file);
  return (
    <div className="transfer-row" data-testid="transfer" data-state={file.state} data-name={name} data-resumable={file.resumable} data-parts={file.parts}>
      <What
        name={name}
        title={`${file.from} → ${file.to}`}
        line={`${where(job, file.to)}${file.parts > 1 ? ` · in ${file.parts} parts at once` : ''}`}
        error={file.error?.message ?? null}
        icon={arrow(job)}
      />
      <ProgressCells state={file.state} bytes={file.bytes} size={file.size} rate={file.rate} eta={file.eta} retryAt={job?.retryAt ?? null} />
      <Actions id={file.id} state={file.state} browser={isBrowserJob(job)} waiting={!!job?.retryAt} final={file.error?.reason === 'refused'} act={act} />
    </div>
  );
}

/** A folder (or a drop of several files): its totals, and actions for all its files at once. */
export function JobRow({ job, act }: { job: TransferJob; act(action: QueueAction, id: string): void }) {
  const files = job.scanning ? `${job.filesDone} of ${job.files}+ files, finding more…` : `${job.filesDone} of ${job.files} files`;
  // the page's drop of several files is one job named after its first file: say what it is instead
  const name = job.from === 'browser' ? 'Dropped files' : nameOf(job);
  return (
    <div className="transfer-row transfer-job" data-testid="transfer-job" data-state={job.state} data-name={name}>
      <What
        name={name}
        title={`${job.from} → ${job.to}`}
        line={files}
        error={job.error?.message ?? null}
        icon={<Folder size={13} className="transfer-dir" />}
      />
      <ProgressCells state={job.state} bytes={job.bytes} size={job.total} rate={job.rate} eta={job.eta} retryAt={job.retryAt} />
      <Actions id={job.id} state={job.state} browser={isBrowserJob(job)} waiting={job.retryAt !== null} act={act} />
    </div>
  );
}

function ActionButton({ testId, title, onClick, children }: { testId: string; title: string; onClick(): void; children: ReactNode }) {
  return (
    <button type="button" className="icon-button" data-testid={testId} title={title} aria-label={title} onClick={onClick}>
      {children}
    </button>
  );
}
