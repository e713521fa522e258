// `node --import ./test/harness/trace-imports.mjs …` appends every module URL the process resolves (its ES
// imports, static and dynamic) to the file named by WARREN_TRACE_IMPORTS, one a line: how the CLI tests
// see which modules a command loads (`warren ls` must not load ssh2 or the keychain).
import { register } from 'node:module';

const hooks = `
import { appendFileSync } from 'node:fs';
const file = process.env.WARREN_TRACE_IMPORTS;
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (file) appendFileSync(file, r.url + '\\n');
  return r;
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
