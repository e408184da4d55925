// Output of a bench run: markdown tables on stdout (one per scenario, then the targets) and one JSON file with
// every figure and the machine it ran on, so runs on different machines and commits can be compared.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Table {
  title: string;
  columns: string[];
  rows: (string | number)[][];
  notes?: string[];
}

export interface Target {
  name: string;
  /** The measured figure as shown, e.g. "0.83×". */
  measured: string;
  goal: string;
  /** undefined: not measured in this run (shown as n/a). */
  pass: boolean | undefined;
}

export interface ScenarioResult {
  name: string;
  tables: Table[];
  targets: Target[];
  /** Every figure, raw, for the JSON file. */
  data: unknown;
  seconds?: number;
  loadAverageAtStart?: number;
}

export const fmt = (n: number, digits = 2): string => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
export const MiB = 1024 * 1024;

export function printTable(table: Table): void {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  console.log(`\n### ${table.title}\n`);
  console.log(line(table.columns));
  console.log(line(table.columns.map(() => '---')));
  for (const row of table.rows) console.log(line(row));
  for (const note of table.notes ?? []) console.log(`\n- ${note}`);
}

export function targetsTable(targets: Target[]): Table {
  return {
    title: 'Targets',
    columns: ['target', 'goal', 'measured', 'verdict'],
    rows: targets.map((t) => [t.name, t.goal, t.measured, t.pass === undefined ? 'n/a' : t.pass ? 'PASS' : 'MISS']),
  };
}

export function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    model: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

export function writeResults(root: string, payload: unknown): string {
  const dir = path.join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(payload, null, 2));
  return file;
}
