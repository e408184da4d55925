// A facade process for measuring: like startFacade, but its stdout/stderr go to a file, not to a pipe this
// bench must drain. With ~350 bytes of log per call, a pipe read by a busy parent on a small machine fills
// and blocks the facade's synchronous writes, which measured the harness instead of the facade.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { listeningLine, stopChild } from '../../src/local/stack/child.js';
import { compiledEntry } from '../../src/local/stack/project.js';

export interface MeasuredFacade {
  url: string;
  pid: number;
  process: ChildProcess;
  /** Bytes the facade has logged so far. */
  logBytes(): number;
  stop(): Promise<void>;
}

export async function startMeasuredFacade(root: string, env: NodeJS.ProcessEnv, nodeArgs: string[] = []): Promise<MeasuredFacade> {
  const logFile = path.join(tmpdir(), `bench-facade-${process.pid}-${Date.now()}.log`);
  const fd = openSync(logFile, 'w');
  const child = spawn(process.execPath, [...nodeArgs, compiledEntry(root, 'local/functions-host-main')], {
    cwd: root,
    env: { ...env, PORT: '0' },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const logBytes = () => statSync(logFile, { throwIfNoEntry: false })?.size ?? 0;
  const stop = async () => {
    await stopChild(child);
    rmSync(logFile, { force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    const text = readFileSync(logFile, 'utf8');
    const info = text.split('\n').map((line) => listeningLine<{ url: string }>(line)).find(Boolean);
    if (info) return { url: info.url, pid: child.pid!, process: child, logBytes, stop };
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`measured facade did not start: ${text.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}
