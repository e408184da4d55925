// Children die with their parent: a process of the local stack notices that the process that started it is gone
// (even killed with SIGKILL, which no handler sees) by polling its parent id, and on Linux, where /proc tells, that
// of more ancestors (`npm start` runs node under `sh -c` under npm: npm dying leaves the shell, not node, orphaned).
import { readFileSync } from 'node:fs';

interface ProcStat {
  ppid: number;
  state: string;
  /** Start time in clock ticks since boot: with the pid, names one process even when pids are reused. */
  start: string;
}

/** A process's parent, state and start time from /proc (Linux); undefined when it is gone or /proc is not there. */
function procStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ..."; comm may hold spaces and parentheses: the fields start after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0]!, ppid: Number(fields[1]), start: fields[19]! };
  } catch {
    return undefined;
  }
}

export interface WatchOptions {
  /** How many ancestors above the parent to watch too (Linux only; default 0). */
  ancestors?: number;
  intervalMs?: number;
}

/** Calls `onGone` once when the parent (or a watched ancestor) has exited; returns a function that stops watching. */
export function watchParent(onGone: (why: string) => void, options: WatchOptions = {}): () => void {
  const parent = process.ppid;
  const watched: { pid: number; start: string }[] = [];
  let pid = parent;
  for (let i = 0; i < (options.ancestors ?? 0); i++) {
    const up = procStat(pid)?.ppid;
    const stat = up && up > 1 ? procStat(up) : undefined;
    if (!up || !stat) break;
    watched.push({ pid: up, start: stat.start });
    pid = up;
  }
  const timer = setInterval(() => {
    let why: string | undefined;
    if (process.ppid !== parent) why = `its parent (pid ${parent}) exited`;
    for (const ancestor of watched) {
      if (why) break;
      const stat = procStat(ancestor.pid);
      if (!stat || stat.state === 'Z' || stat.start !== ancestor.start) why = `its ancestor (pid ${ancestor.pid}) exited`;
    }
    if (!why) return;
    clearInterval(timer);
    onGone(why);
  }, options.intervalMs ?? 500);
  timer.unref();
  return () => clearInterval(timer);
}
