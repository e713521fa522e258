#!/usr/bin/env node
// The `warren` command: the same services as the app, from a terminal (electron/cli.ts).
import { register } from 'tsx/esm/api';

register();
await import('../electron/cli.ts');
