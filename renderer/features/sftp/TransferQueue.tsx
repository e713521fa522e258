import { ChevronDown, ChevronUp } from 'lucide-react';
import { useMemo, useState } from 'react';
import type { ConflictPolicy, TransferState } from '../../../shared/sftp.js';
import { useClient } from '../../lib/client.js';
import { useFeedback } from '../../lib/feedback.js';
import { formatBytes, formatSeconds } from '../tunnels/format.js';
import { FileRow, JobRow, type QueueAction } from './TransferRow.js';
import { FINISHED, queueRows, type QueueRow, type Transfers } from './transfersState.js';
import { VirtualList } from './VirtualList.js';

/** How the panes' transfers treat an existing destination, and whether files keep their dates. */
export interface TransferOptions {
  conflict: ConflictPolicy;
  preserve: boolean;
}

/** what a transfer does when the destination exists */
const POLICIES: { value: ConflictPolicy; label: string }[] = [
  { value: 'ask', label: 'Ask if it exists' },
  { value: 'overwrite', label: 'Overwrite existing' },
  { value: 'newer', label: 'Overwrite if newer' },
  { value: 'rename', label: 'Keep both' },
  { value: 'skip', label: 'Skip existing' },
];

const ROW_HEIGHT = 40;

interface TransferQueueProps {
  transfers: Transfers;
  options: TransferOptions;
  onOptions(options: TransferOptions): void;
}

/** The bottom panel: total progress, the options for new transfers, and one row per file (folders above theirs). */
export function TransferQueue({ transfers, options, onOptions }: TransferQueueProps) {
  const client = useClient();
  const { reportError } = useFeedback();
  const [open, setOpen] = useState(true);
  const rows = useMemo(() => queueRows(transfers), [transfers]);
  const files = [...transfers.files.values()];
  const count = (test: (state: TransferState) => boolean) => files.filter((f) => test(f.state)).length;
  const unfinished = count((s) => !FINISHED.has(s));
  const paused = count((s) => s === 'paused');
  const failed = count((s) => s === 'failed');
  const clearable = [...transfers.jobs.values()].some((j) => !j.scanning && FINISHED.has(j.state));
  const act = (action: QueueAction, id?: string) => void client.call(action, id === undefined ? {} : { id }).catch(reportError);
  const Chevron = open ? ChevronDown : ChevronUp;

  return (
    <section className={open ? 'transfers' : 'transfers transfers-closed'} data-testid="transfers">
      <div className="transfers-bar">
        <button
          type="button"
          className="icon-button"
          data-testid="transfers-toggle"
          aria-expanded={open}
          aria-label={open ? 'Hide transfers' : 'Show transfers'}
          onClick={() => setOpen((o) => !o)}
        >
          <Chevron size={14} />
        </button>
        <h3>Transfers</h3>
        <Totals transfers={transfers} failed={failed} paused={paused} />
        <span className="spacer" />
        <label className="transfers-option" title="What a new transfer does when the file is already there">
          <select
            data-testid="conflict-policy"
            aria-label="When the file exists"
            value={options.conflict}
            onChange={(e) => onOptions({ ...options, conflict: e.target.value as ConflictPolicy })}
          >
            {POLICIES.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        <label className="checkbox transfers-option" title="Give copies the modification time of their source">
          <input
            type="checkbox"
            data-testid="preserve-mtime"
            checked={options.preserve}
            onChange={(e) => onOptions({ ...options, preserve: e.target.checked })}
          />
          Keep dates
        </label>
        {paused > 0 && (
          <button type="button" data-testid="transfers-resume-all" onClick={() => act('transfers.resume')}>
            Resume all
          </button>
        )}
        <button type="button" data-testid="transfers-cancel-all" disabled={unfinished === 0} onClick={() => act('transfers.cancel')}>
          Cancel all
        </button>
        <button type="button" data-testid="transfers-clear" disabled={!clearable} onClick={() => void client.call('transfers.clear', {}).catch(reportError)}>
          Clear finished
        </button>
      </div>
      {open && (
        <VirtualList
          className="transfers-list"
          items={rows}
          rowHeight={ROW_HEIGHT}
          renderRow={(row: QueueRow) =>
            row.kind === 'job' ? <JobRow key={row.job.id} job={row.job} act={act} /> : <FileRow key={row.file.id} file={row.file} job={row.job} act={act} />
          }
          footer={rows.length === 0 && <p className="transfers-empty">Drag files between the panes, or from your desktop onto the host’s pane.</p>}
        />
      )}
    </section>
  );
}

/** "7 files to go · 1.2 GiB of 3 GiB · 40.1 MiB/s · 12 s left" with a thin bar of the bytes still moving; or what is left over. */
function Totals({ transfers, failed, paused }: { transfers: Transfers; failed: number; paused: number }) {
  const { total } = transfers;
  const active = total.running + total.queued > 0;
  const fraction = total.total > 0 ? total.bytes / total.total : 0;
  const parts = active
    ? [
        `${total.running + total.queued} ${total.running + total.queued === 1 ? 'file' : 'files'} to go`,
        `${formatBytes(total.bytes)} of ${formatBytes(total.total)}`,
        total.rate > 0 && `${formatBytes(total.rate)}/s`,
        total.eta !== null && `${formatSeconds(Math.ceil(total.eta))} left`,
      ]
    : [transfers.files.size === 0 ? 'Nothing queued' : paused > 0 ? `${paused} paused` : 'Finished', failed > 0 && `${failed} failed`];
  return (
    <span className="transfers-total" data-testid="transfers-total" data-active={active}>
      {active && (
        <span
          className="progress"
          role="progressbar"
          aria-label="All transfers"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(fraction * 100)}
        >
          <span className="progress-fill progress-running" style={{ width: `${fraction * 100}%` }} />
        </span>
      )}
      <span>{parts.filter(Boolean).join(' · ')}</span>
    </span>
  );
}
