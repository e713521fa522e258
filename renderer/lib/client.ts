import { createContext, useContext } from 'react';
import type { RpcClient } from '../../shared/client.js';

/** The one typed client of the contract, provided once by App. */
export const ClientContext = createContext<RpcClient | null>(null);

export function useClient(): RpcClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient() needs a <ClientContext> above it');
  return client;
}
