import { useTree } from '../hosts/TreeProvider.js';
import { Network, Play, Plus, Square } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import type { TunnelState } from '../../../shared/tunnels.js';
import type { HostRecord, Tree, Tunnel } from '../../../shared/model.js';
import { useClient } from '../../lib/client.js';
import { ConfirmDialog } from '../../lib/ConfirmDialog.js';
import { useFeedback } from '../../lib/feedback.js';
import { TunnelEditor } from './TunnelEditor.js';
import { newForm, toForm, type TunnelForm } from './tunnelForm.js';
import { TunnelRow } from './TunnelRow.js';
import { isOn, useTunnelStatuses } from './TunnelStatuses.js';
import { useTunnelActions } from './useTunnelActions.js';
import './tunnels.css';

/** The open editor: `tunnel` null creates a new one (from scratch or as a duplicate). */
interface Editing {
  tunnel: Tunnel | null;
  initial: TunnelForm;
  note?: string;
}

interface HostSection {
  hostId: string;
  host: HostRecord | undefined;
  tunnels: Tunnel[];
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base', numeric: true });

function sections(tree: Tree): HostSection[] {
  const hosts = new Map(tree.hosts.map((h) => [h.id, h]));
  const out = new Map<string, HostSection>();
  for (const t of tree.tunnels.toSorted(byName)) {
    const section = out.get(t.hostId) ?? { hostId: t.hostId, host: hosts.get(t.hostId), tunnels: [] };
    section.tunnels.push(t);
    out.set(t.hostId, section);
  }
  return [...out.values()].sort((a, b) => byName({ name: a.host?.name ?? '' }, { name: b.host?.name ?? '' }));
}

/** Every saved tunnel, by host, with its switch and live state: independent of the terminals. */
export function TunnelDashboard() {
  const client = useClient();
  const { reportError } = useFeedback();
  const tree = useTree();
  const statuses = useTunnelStatuses();
  const [editing, setEditing] = useState<Editing | null>(null);
  const [deleting, setDeleting] = useState<Tunnel | null>(null);
  const hosts = (tree?.hosts ?? []).toSorted(byName);

  /**
   * A copy opens in the editor (nothing is saved until Save). A local or dynamic copy gets a port
   * that is free now, so it can run beside the original and keeps a fixed port its clients can rely
   * on; a remote copy keeps its port, as only the server knows which of its ports are free. The
   * SOCKS password never reaches the renderer, so it is asked again.
   */
  const duplicate = async (t: Tunnel) => {
    const port =
      t.kind === 'remote'
        ? t.bindPort
        : await client.call('tunnels.freePort', { bindAddress: t.bindAddress }).then(
            (r) => r.port,
            () => t.bindPort,
          );
    const editing: Editing = { tunnel: null, initial: { ...toForm(t), name: `${t.name} (copy)`, bindPort: String(port) } };
    if (t.hasSocksPassword) editing.note = 'The SOCKS password is not copied: type it again.';
    setEditing(editing);
  };

  return (
    <section className="dashboard tunnel-dashboard" data-testid="tunnels">
      <div className="dashboard-toolbar">
        <h2>Tunnels</h2>
        <Summary tunnels={tree?.tunnels ?? []} />
        <span className="spacer" />
        <button
          type="button"
          className="primary"
          data-testid="new-tunnel"
          disabled={hosts.length === 0}
          title={hosts.length === 0 ? 'Add a host first: a tunnel runs through a host' : undefined}
          onClick={() => setEditing({ tunnel: null, initial: newForm(hosts[0]?.id ?? '') })}
        >
          <Plus size={14} /> New tunnel
        </button>
      </div>
      {tree && tree.tunnels.length === 0 && <EmptyState />}
      <div className="tunnel-grid">
        {tree &&
          sections(tree).map((s) => (
            <HostTunnels key={s.hostId} section={s}>
              {s.tunnels.map((t) => (
                <TunnelRow
                  key={t.id}
                  tunnel={t}
                  status={statuses.get(t.id)}
                  onEdit={() => setEditing({ tunnel: t, initial: toForm(t) })}
                  onDuplicate={() => void duplicate(t)}
                  onDelete={() => setDeleting(t)}
                />
              ))}
            </HostTunnels>
          ))}
      </div>
      {editing && <TunnelEditor {...editing} hosts={hosts} onClose={() => setEditing(null)} />}
      {deleting && (
        <ConfirmDialog
          message={`Delete tunnel ${deleting.name}? It stops first if it is running.`}
          okLabel="Delete tunnel"
          onCancel={() => setDeleting(null)}
          onConfirm={() => {
            setDeleting(null);
            client.call('tunnels.delete', { id: deleting.id }).catch(reportError);
          }}
        />
      )}
    </section>
  );
}

/** A host's heading with its Start all / Stop all, then its tunnels. */
function HostTunnels({ section, children }: { section: HostSection; children: ReactNode }) {
  const statuses = useTunnelStatuses();
  const actions = useTunnelActions();
  const { host, tunnels } = section;
  const on = tunnels.filter((t) => isOn(statuses.get(t.id)?.state)).length;
  const name = host?.name ?? '(deleted host)';
  const address = host && `${host.user ? `${host.user}@` : ''}${host.hostname}${host.port ? `:${host.port}` : ''}`;
  return (
    <>
      <div className="tunnel-host" data-testid="tunnel-host" data-name={host?.name ?? ''}>
        <h3 title={name}>{name}</h3>
        {address && (
          <span className="muted" title={address}>
            {address}
          </span>
        )}
        <span className="spacer" />
        <button type="button" data-testid="host-start-all" disabled={on === tunnels.length} onClick={() => void actions.startAll(tunnels)}>
          <Play size={13} /> Start all
        </button>
        <button type="button" data-testid="host-stop-all" disabled={on === 0} onClick={() => void actions.stopAll(tunnels)}>
          <Square size={13} /> Stop all
        </button>
      </div>
      {children}
    </>
  );
}

function Summary({ tunnels }: { tunnels: Tunnel[] }) {
  const statuses = useTunnelStatuses();
  const count = (state: TunnelState) => tunnels.filter((t) => (statuses.get(t.id)?.state ?? 'stopped') === state).length;
  const parts = [`${count('up')} up`, `${tunnels.length} saved`];
  const failed = count('failed');
  const reconnecting = count('reconnecting');
  if (reconnecting > 0) parts.splice(1, 0, `${reconnecting} reconnecting`);
  if (failed > 0) parts.splice(1, 0, `${failed} failed`);
  return <span className="muted">{parts.join(' · ')}</span>;
}

function EmptyState() {
  return (
    <div className="dashboard-empty" data-testid="tunnels-empty">
      <Network size={36} strokeWidth={1.2} />
      <p>
        <strong>No tunnels yet.</strong> A tunnel forwards a port through one of your hosts, like <code>ssh -L/-R/-D</code>, but it has its own switch and keeps
        running without a terminal: it reconnects when the link drops.
      </p>
      <dl>
        <dt>
          <code>-L 5432:db.internal:5432</code>
        </dt>
        <dd>Local: reach a database that only the server can see, at localhost:5432.</dd>
        <dt>
          <code>-R 8080:localhost:3000</code>
        </dt>
        <dd>Remote: show the dev server on your machine’s port 3000 to the server, at its port 8080.</dd>
        <dt>
          <code>-D 1080</code>
        </dt>
        <dd>Dynamic: a SOCKS5 proxy at localhost:1080; a browser set to use it browses from the server.</dd>
      </dl>
    </div>
  );
}
