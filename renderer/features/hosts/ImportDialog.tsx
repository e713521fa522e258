import { useState } from 'react';
import type { ImportReport } from '../../../shared/contract.js';
import type { Group } from '../../../shared/model.js';
import type { WarrenError } from '../../../shared/errors.js';
import { useClient } from '../../lib/client.js';
import { asWarrenError } from '../../lib/errors.js';
import { useFeedback } from '../../lib/feedback.js';
import { Modal } from '../../lib/Modal.js';
import { Field, FormError } from './fields.js';
import { ImportReportView } from './ImportReportView.js';
import { useSubmit } from './useSubmit.js';

interface ImportDialogProps {
  /** to name the group the hosts went into */
  groups: Group[];
  onClose(): void;
}

const stay = () => {};

/** Asks for an ssh_config path, imports it, then shows what the import did in the same dialog. */
export function ImportDialog({ groups, onClose }: ImportDialogProps) {
  const client = useClient();
  const [file, setFile] = useState('');
  const [linked, setLinked] = useState(false);
  const [report, setReport] = useState<ImportReport | null>(null);
  const { submit, busy, error } = useSubmit(async () => {
    setReport(await client.call('sshconfig.import', { ...(file.trim() && { file: file.trim() }), linked }));
  }, stay);

  if (report) {
    return (
      <Modal
        testId="import-dialog"
        title="ssh_config imported"
        onSubmit={onClose}
        onCancel={onClose}
        actions={
          <button type="submit" className="primary" data-testid="cancel" autoFocus>
            Close
          </button>
        }
        wide
      >
        <ImportReportView
          report={report}
          groupName={report.groupId === null ? undefined : (groups.find((g) => g.id === report.groupId)?.name ?? report.groupName)}
        />
      </Modal>
    );
  }
  return (
    <Modal
      testId="import-dialog"
      title="Import ssh_config"
      onSubmit={submit}
      onCancel={onClose}
      actions={
        <>
          <button type="button" data-testid="cancel" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" data-testid="save" disabled={busy}>
            {busy ? 'Importing…' : 'Import'}
          </button>
        </>
      }
      wide
    >
      <Field label="Config file">
        <input name="file" value={file} placeholder="~/.ssh/config" autoFocus autoComplete="off" spellCheck={false} onChange={(e) => setFile(e.target.value)} />
      </Field>
      <label className="checkbox">
        <input type="checkbox" name="linked" checked={linked} onChange={(e) => setLinked(e.target.checked)} /> Keep the hosts linked to the file: each
        connection reads their address, user, port, key, route and keepalive from it again, as <code>ssh</code> does (else they are copies you edit in Warren)
      </label>
      <p className="form-note">
        Warren reads the file on the machine it runs on (in browser mode, the machine running its server), with its Include files, as <code>ssh</code> would.
        Every concrete Host becomes a saved host in a group of its own; importing the same file again updates those hosts instead of adding copies. What Warren
        cannot apply is listed afterwards.
      </p>
      <InventoryFilePicker onImported={onClose} />
      <FormError error={error} />
    </Modal>
  );
}

/** "Or a Warren inventory file": a file a teammate exported, added under a group of its own. */
function InventoryFilePicker({ onImported }: { onImported(): void }) {
  const client = useClient();
  const { notify } = useFeedback();
  const [error, setError] = useState<WarrenError | null>(null);
  const pick = async (file: File) => {
    setError(null);
    try {
      const name = `Shared: ${file.name.replace(/\.json$/i, '')}`.slice(0, 120);
      const r = await client.call('inventory.import', { text: await file.text(), name });
      const some = (names: string[]) => `${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}`;
      const commands =
        r.proxyCommands.length > 0
          ? ` ${r.proxyCommands.length} of them run a ProxyCommand from the file when you connect (${some(r.proxyCommands)}): read it in the editor first.`
          : '';
      const remote =
        r.remoteCommands.length > 0
          ? ` Terminals of ${some(r.remoteCommands)} run a Remote command from the file on the server, as you: read it in the editor before connecting.`
          : '';
      const forwarding =
        r.agentForwarding.length > 0
          ? ` Agent forwarding the file set was left off (${some(r.agentForwarding)}): turn it on in the editor if you want it.`
          : '';
      notify(`Imported ${r.hosts} host(s), ${r.groups} group(s) and ${r.tunnels} tunnel(s) into ${name}.${commands}${remote}${forwarding}`);
      onImported();
    } catch (e) {
      setError(asWarrenError(e));
    }
  };
  return (
    <div className="inventory-file">
      <Field label="Or a Warren inventory file (.json, from Export)">
        <input
          type="file"
          name="inventory"
          data-testid="inventory-file"
          accept=".json,application/json"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void pick(f);
          }}
        />
      </Field>
      <FormError error={error} />
    </div>
  );
}
