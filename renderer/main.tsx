import './lib/zodJitless.js';
import '@xterm/xterm/css/xterm.css';
import './theme.css';
import './base.css';
import { createRoot } from 'react-dom/client';
import { RpcClient } from '../shared/client.js';
import { App } from './App.js';
import { connectTransport } from './lib/transport.js';

function ServerUnreachable() {
  return (
    <main className="fatal">
      <h1>Warren could not reach its server</h1>
      <p>
        The connection to the server failed. Reload this page; if that does not help, restart <code>npm run serve</code> and open the URL it prints.
      </p>
    </main>
  );
}

const root = createRoot(document.getElementById('root')!);
connectTransport().then(
  (transport) => {
    const client = new RpcClient(transport);
    // the network is back: dropped terminals and tunnels retry now rather than at their next backoff step
    window.addEventListener('online', () => void client.call('app.wake', {}).catch(() => {}));
    root.render(<App client={client} />);
  },
  () => root.render(<ServerUnreachable />),
);
