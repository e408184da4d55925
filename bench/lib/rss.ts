// Resident memory of a process in MB, read from /proc (Linux): what the OS really holds for it.
import { readFileSync } from 'node:fs';

export function readRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return Math.round((kb / 1024) * 10) / 10;
}
