import { Cable, KeyRound } from 'lucide-react';
import type { AppInfo } from '../../../shared/contract.js';
import { useStreamValue } from '../../lib/useStream.js';

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** Open connections (the list on hover), the mode and where secrets live. */
export function StatusBar({ info }: { info: AppInfo | null }) {
  const connections = useStreamValue('connections.watch') ?? [];
  const sessions = connections.reduce((n, c) => n + c.sessions, 0);
  return (
    <footer className="statusbar">
      <div className="status-connections" data-testid="status-connections" data-connections={connections.length} data-sessions={sessions} tabIndex={0}>
        <Cable size={13} />
        {count(connections.length, 'connection')} · {count(sessions, 'session')}
        {connections.length > 0 && (
          <div className="status-popover" role="tooltip">
            {connections.map((c) => {
              const address = `${c.user}@${c.hostname}:${c.port}`;
              return (
                <div key={c.id} className="status-connection">
                  <strong>{c.label}</strong>
                  <span>{count(c.sessions, 'session')}</span>
                  {c.label !== address && <span className="status-wide">{address}</span>}
                  <code className="status-wide">
                    {c.hostKey.type} {c.hostKey.fingerprint}
                  </code>
                  <span className="status-wide" data-testid="status-kex" title={c.kex.name}>
                    {c.kex.postQuantum ? 'Post-quantum key exchange' : 'Key exchange (not post-quantum)'}: {c.kex.name}
                  </span>
                </div>
              );
            })}
          </div>
        )}
      </div>
      <span className="spacer" />
      {info && (
        <>
          <span className="status-secrets" title={info.secrets.detail}>
            <KeyRound size={13} />
            <span>Secrets: {info.secrets.detail}</span>
          </span>
          <span>{info.mode} mode</span>
          <span>Warren {info.version}</span>
        </>
      )}
    </footer>
  );
}
