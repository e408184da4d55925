// Self time per function from a V8 .cpuprofile (node --cpu-prof): each sample's time delta is charged to the
// node it landed in, then nodes are merged by function and source position. Also `node dist/bench/lib/cpuprofile.js <file>`.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const shortUrl = (url: string) => {
  const file = url.replace(/^file:\/\//, '');
  if (file.includes('/node_modules/')) return file.replace(/^.*\/node_modules\//, 'npm:');
  return file.replace(/^.*?\/dist\//, 'dist/') || '(native)';
};

/** Rows of [self ms, self %, function, where], largest self time first. */
export function summarizeProfile(file: string, top = 25): string[][] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const frame = byId.get(id)?.callFrame;
    const key = frame ? `${frame.functionName || '(anonymous)'}\t${shortUrl(frame.url)}${frame.url ? `:${frame.lineNumber + 1}` : ''}` : '?\t?';
    self.set(key, (self.get(key) ?? 0) + us);
    total += us;
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, us]) => {
      const [fn, where] = key.split('\t') as [string, string];
      return [(us / 1000).toFixed(1), ((100 * us) / total).toFixed(1), fn, where];
    });
}

/** Self time grouped by package (npm:<name>), app code folder (dist/src/lib/<dir>), node internals folder, natives. */
export function summarizeByArea(file: string): string[][] {
  const rows = summarizeProfile(file, Infinity);
  const areas = new Map<string, number>();
  for (const [ms, , fn, where] of rows as [string, string, string, string][]) {
    const area = where.startsWith('npm:') ? where.split('/').slice(0, where.startsWith('npm:@') ? 2 : 1).join('/')
      : where.startsWith('dist/src/') ? where.split('/').slice(0, 4).join('/').replace(/\.js:\d+$/, '')
      : where.startsWith('dist/') ? where.replace(/:\d+$/, '')
      : where.startsWith('node:internal/') ? where.split('/').slice(0, 2).join('/').replace(/:\d+$/, '')
      : where.startsWith('node:') ? where.replace(/:\d+$/, '') : `(${fn})`;
    areas.set(area, (areas.get(area) ?? 0) + Number(ms));
  }
  const total = [...areas.values()].reduce((a, b) => a + b, 0);
  return [...areas.entries()].sort((a, b) => b[1] - a[1]).map(([area, ms]) => [ms.toFixed(1), ((100 * ms) / total).toFixed(1), area]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: node dist/bench/lib/cpuprofile.js <file.cpuprofile>');
  for (const row of summarizeProfile(file, 40)) console.log(row.join('\t'));
  console.log('');
  for (const row of summarizeByArea(file)) console.log(row.join('\t'));
}
