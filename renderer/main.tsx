import '@xterm/xterm/css/xterm.css';
import './styles.css';
import { createRoot } from 'react-dom/client';
import { RpcClient } from '../shared/client.js';
import { App } from './App.js';
import { connectTransport } from './lib/transport.js';

function ServerUnreachable() {
  return (
    <main className="fatal">
      <h1>Warren could not reach its server</h1>
      <p>
        The connection to the server failed. Reload this page; if that does not help, restart <code>npm run serve</code> and open
        the URL it prints.
      </p>
    </main>
  );
}

const root = createRoot(document.getElementById('root')!);
connectTransport().then(
  (transport) => root.render(<App client={new RpcClient(transport)} />),
  () => root.render(<ServerUnreachable />),
);
