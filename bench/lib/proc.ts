// What a process costs, read from /proc (Linux only): CPU time (utime+stime, all threads) and resident memory.
// VmHWM cannot be reset, so a peak over one phase is taken by sampling VmRSS every 50 ms.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let clkTck: number | undefined;
/** Clock ticks per second of /proc/<pid>/stat's times (getconf CLK_TCK, nearly always 100). */
export function ticksPerSecond(): number {
  if (clkTck !== undefined) return clkTck;
  try {
    clkTck = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    clkTck = 100;
  }
  return clkTck;
}

/** CPU time the process used so far, in µs (tick resolution: 10 ms at 100 Hz). */
export function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces and parentheses: fields are counted after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
  return (ticks * 1e6) / ticksPerSecond();
}

/** A kB line of /proc/<pid>/status (VmRSS, VmHWM), in bytes; NaN when the process is gone. */
export function statusBytes(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** CPU µs of several processes at once, so a phase's cost per process is `after - before`. */
export function cpuSnapshot(pids: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMicros(pid)]));
}

export function cpuDelta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.keys(before).map((name) => [name, (after[name] ?? 0) - (before[name] ?? 0)]));
}

/** Samples VmRSS every `everyMs` until stopped; returns the largest sample (bytes). */
export function sampleRss(pid: number, everyMs = 50): { stop(): number } {
  let peak = statusBytes(pid, 'VmRSS');
  const timer = setInterval(() => {
    const rss = statusBytes(pid, 'VmRSS');
    if (rss > peak) peak = rss;
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, statusBytes(pid, 'VmRSS') || 0);
    },
  };
}

/** Machine-wide busy CPU so far (all cores, µs), from the first line of /proc/stat. */
export function hostBusyMicros(): number {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = ticks;
  return ((user + nice + system + irq + softirq + steal) * 1e6) / ticksPerSecond();
}

/**
 * CPU of this process and all its descendants so far (µs): children that already exited and were reaped (wrk
 * after a row) are in this process's cutime/cstime; live ones are read from /proc. Against hostBusyMicros this
 * tells how much of the machine other people's processes took during a measurement.
 */
export function treeCpuMicros(): number {
  const parentOf = new Map<number, number>();
  const own = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parentOf.set(Number(entry), Number(f[1]));
      const withChildren = Number(entry) === process.pid ? Number(f[13]) + Number(f[14]) : 0;
      own.set(Number(entry), Number(f[11]) + Number(f[12]) + withChildren);
    } catch {
      // the process ended while we looked
    }
  }
  let ticks = 0;
  for (const [pid, t] of own) {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parentOf.get(p)) {
      if (p === process.pid) {
        ticks += t;
        break;
      }
    }
  }
  return (ticks * 1e6) / ticksPerSecond();
}

/** Starts watching how many cores other people's processes keep busy; stop() gives the average since. */
export function foreignLoad(): { stop(): number } {
  const host0 = hostBusyMicros(), tree0 = treeCpuMicros(), t0 = performance.now();
  return {
    stop() {
      const seconds = (performance.now() - t0) / 1000;
      return Math.max(0, (hostBusyMicros() - host0 - (treeCpuMicros() - tree0)) / 1e6 / seconds);
    },
  };
}
