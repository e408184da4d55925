// Preloaded (node --import) into every Node.js child of the local stack by startChild: when the stack process is
// gone, however it ended, the child stops as on SIGTERM (its own graceful close, its output dropped), and exits within
// 5 s regardless.
// SIGHUP (a closed terminal reaches the whole process group) is left to the stack, which stops its children in
// order with SIGTERM: Azurite then saves its data, which it would not on SIGHUP's default of exiting at once.
import { isMainThread } from 'node:worker_threads';
import { watchParent } from './parent-watch.js';

if (isMainThread) {
  process.on('SIGHUP', () => undefined);
  watchParent(() => {
    // Nobody reads the output any more: a write to the broken pipe must not end the process before its close is done
    // (Azurite logs as it closes, and would otherwise die of EPIPE before saving its data).
    for (const stream of [process.stdout, process.stderr]) {
      stream.on('error', () => undefined);
      stream.write = (() => true) as typeof stream.write;
    }
    setTimeout(() => process.exit(1), 5_000).unref();
    process.kill(process.pid, 'SIGTERM');
  });
}
