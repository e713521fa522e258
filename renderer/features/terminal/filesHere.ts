import { useCallback } from 'react';
import type { Target } from '../../../shared/model.js';
import { useClient } from '../../lib/client.js';
import { useFeedback } from '../../lib/feedback.js';
import { useOpenFiles } from '../sftp/openFiles.js';
import { joinPath } from '../sftp/paths.js';

/**
 * "Open files here": the host's file browser at the shell's working directory, which the main process
 * tracks (OSC 7, or the `cd`s typed). A `~`-relative one is taken from the SFTP home folder; an unknown
 * one opens the home folder, and a toast says so. Nothing for a local shell (`target` null).
 */
export function useFilesHere(target: Target | null, title: string, sessionId: string | null): () => void {
  const client = useClient();
  const openFiles = useOpenFiles();
  const { reportError, notify } = useFeedback();
  return useCallback(() => {
    if (sessionId === null || target === null) return;
    const run = async () => {
      const { path } = await client.call('terminal.cwd', { sessionId });
      if (path === null) {
        notify("This terminal's working directory is not known (its shell does not report it, and no cd was followed): showing the home folder.");
        return openFiles(target, title, null);
      }
      if (path === '~') return openFiles(target, title, null);
      if (!path.startsWith('~/')) return openFiles(target, title, path);
      const home = await client.call('sftp.home', { target });
      openFiles(target, title, joinPath(home.path, path.slice(2)));
    };
    run().catch(reportError);
  }, [client, openFiles, notify, reportError, target, title, sessionId]);
}
