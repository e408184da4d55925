// `npm run build`: compile src/ and bench/ to dist/ only when something changed. tsc runs incrementally (its state in
// dist/.tsbuildinfo); when no source, tsconfig.json or package.json is newer than the last build, nothing runs at all.
// Outputs whose source was deleted are removed, so dist/ never serves code that no longer exists.
// `npm run build -- --clean` starts from an empty dist/.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const info = path.join(dist, '.tsbuildinfo');
const started = performance.now();

if (process.argv.includes('--clean')) rmSync(dist, { recursive: true, force: true });

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else yield full;
  }
}

const inputs = () => [...['src', 'bench'].flatMap((d) => [...files(path.join(root, d))].filter((f) => f.endsWith('.ts'))), path.join(root, 'tsconfig.json'), path.join(root, 'package.json')];

// Outputs of deleted sources (dist/src/x.js without src/x.ts), and their maps.
let pruned = 0;
for (const top of ['src', 'bench']) {
  const out = path.join(dist, top);
  if (!existsSync(out)) continue;
  for (const file of files(out)) {
    const source = path.join(root, path.relative(dist, file)).replace(/\.js(\.map)?$/, '.ts');
    if (/\.js(\.map)?$/.test(file) && !existsSync(source)) {
      rmSync(file);
      pruned++;
    }
  }
}

const builtAt = existsSync(info) ? statSync(info).mtimeMs : 0;
const changed = builtAt === 0 || inputs().some((f) => statSync(f).mtimeMs > builtAt);
if (!changed) {
  console.log(`build: dist/ is up to date${pruned ? ` (${pruned} stale outputs removed)` : ''}`);
  process.exit(0);
}
const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--incremental', '--tsBuildInfoFile', info], { cwd: root, stdio: 'inherit' });
if (tsc.status !== 0) {
  // tsc still wrote its state: forget it, so the next build compiles (and reports) again instead of "up to date".
  rmSync(info, { force: true });
  process.exit(tsc.status ?? 1);
}
// tsc leaves its state file alone when no output changed (a touched file): stamp it, so "up to date" means it.
const now = new Date();
utimesSync(info, now, now);
console.log(`build: compiled in ${((performance.now() - started) / 1000).toFixed(1)} s${pruned ? ` (${pruned} stale outputs removed)` : ''}`);
