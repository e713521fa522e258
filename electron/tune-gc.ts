import { setFlagsFromString } from 'node:v8';

/**
 * Imported first by every entry point that moves bulk data (the desktop main process, browser mode, the
 * `warren` command, the benchmarks): process-wide, so never from a library module or a test.
 *
 * Every byte Warren forwards or transfers arrives in a fresh ArrayBuffer (a socket read; ssh2 decrypts in
 * place and hands out views of it), so a busy tunnel or transfer allocates its own throughput in backing
 * stores. V8 frees them, and marks the heap, on background threads; when the CPU is busy (sshd,
 * sftp-server and both ends of a tunnel on a 2-core machine) those threads fall behind, the unreleased
 * bytes count as external memory pressure, and V8 finishes a full mark-compact every ~20 MB: measured,
 * twice the CPU per GiB and a third less throughput, in about half of the benchmark's process runs. Done
 * on the main thread instead, in small steps, they keep up: the main process's heap is small (~20 MB).
 *
 * Set here, before any service exists, rather than as launch flags: a packaged Electron app's main
 * process takes no V8 flags but those of its command line (`app.commandLine` reaches only renderers),
 * and a `#!/usr/bin/env node` script cannot portably pass any.
 */
setFlagsFromString('--no-concurrent-array-buffer-sweeping');
setFlagsFromString('--no-concurrent-marking');
