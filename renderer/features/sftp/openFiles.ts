import { createContext, useContext } from 'react';
import type { Target } from '../../../shared/model.js';

/** Shows a host's file browser in the Files view; with `path`, its remote pane goes to that folder (null: the home folder). */
export type OpenFiles = (target: Target, title: string, path?: string | null) => void;

export const OpenFilesContext = createContext<OpenFiles>(() => {});

/** how a feature outside the Files view (a terminal's "Open files here") opens it */
export const useOpenFiles = (): OpenFiles => useContext(OpenFilesContext);
