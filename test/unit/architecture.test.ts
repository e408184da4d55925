// The shape of the code, read from its imports: the composition root (src/lib/app) is imported by nothing below
// it, the folders of src/lib import each other without a loop (so every import runs down a layer), the triggers
// are thin, and the local host and the reference service are foreign to the app (they import nothing of src/lib).
// `npx vitest run test/unit/architecture.test.ts` prints the layers it derives.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LIB = path.join(ROOT, 'src/lib');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every relative import of a file (static, re-export or dynamic), resolved to the .ts file it names. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'|import\('([^']+)'\)|(?:^|\n)\s*import\s+'([^']+)'/g)]
    .map((m) => m[1] ?? m[2] ?? m[3]!)
    .filter((s) => s.startsWith('.'));
  return specifiers.map((s) => path.resolve(path.dirname(file), s).replace(/\.js$/, '.ts'));
}

/** A module's unit in the layering: its first folder under src/lib, or the file itself at the top. */
const unitOf = (file: string): string => {
  const [first, second] = path.relative(LIB, file).split(path.sep);
  return second === undefined ? first!.replace(/\.ts$/, '') : `${first}/`;
};
const inside = (file: string, dir: string) => !path.relative(dir, file).startsWith('..');

const libFiles = sourceFiles(LIB);
const edges = new Map<string, Map<string, string>>(); // unit → imported unit → an example "file → file"
for (const file of libFiles) {
  for (const target of importsOf(file).filter((t) => inside(t, LIB))) {
    const [from, to] = [unitOf(file), unitOf(target)];
    if (from === to) continue;
    const out = edges.get(from) ?? new Map<string, string>();
    if (!out.has(to)) out.set(to, `${path.relative(LIB, file)} → ${path.relative(LIB, target)}`);
    edges.set(from, out);
  }
}

/** A loop of units, if any (depth-first search). */
function findLoop(): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  function visit(unit: string): string[] | undefined {
    state.set(unit, 'open');
    stack.push(unit);
    for (const next of edges.get(unit)?.keys() ?? []) {
      if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const loop = visit(next);
        if (loop) return loop;
      }
    }
    stack.pop();
    state.set(unit, 'done');
    return undefined;
  }
  for (const unit of edges.keys()) {
    if (!state.has(unit)) {
      const loop = visit(unit);
      if (loop) return loop;
    }
  }
  return undefined;
}

/** Layer of a unit: 0 for one that imports no other unit, else one above the highest it imports. */
function layers(): Map<string, number> {
  const level = new Map<string, number>();
  const of = (unit: string): number => {
    if (!level.has(unit)) level.set(unit, Math.max(-1, ...[...(edges.get(unit)?.keys() ?? [])].map(of)) + 1);
    return level.get(unit)!;
  };
  for (const file of libFiles) of(unitOf(file));
  return level;
}

describe('the layout of src/lib', () => {
  it('has no loop between its folders: every import runs down a layer', () => {
    const loop = findLoop();
    const explained = loop?.slice(1).map((to, i) => edges.get(loop[i]!)!.get(to)).join('\n  ');
    expect(loop, `a loop: ${loop?.join(' → ')}\n  ${explained}`).toBeUndefined();
    const byLayer = new Map<number, string[]>();
    for (const [unit, n] of layers()) byLayer.set(n, [...(byLayer.get(n) ?? []), unit].sort());
    console.log([...byLayer.entries()].sort(([a], [b]) => b - a).map(([n, units]) => `layer ${n}: ${units.join(' ')}`).join('\n'));
  });

  it('keeps the composition root on top: nothing below src/lib/app imports it', () => {
    const upward = libFiles.filter((f) => unitOf(f) !== 'app/').flatMap((f) =>
      importsOf(f).filter((t) => inside(t, path.join(LIB, 'app'))).map((t) => `${path.relative(LIB, f)} → ${path.relative(LIB, t)}`));
    expect(upward).toEqual([]);
  });
});

/** The modules a file loads when it is imported (type-only imports are erased; dynamic ones load later). */
function runtimeImportsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(import|export)\s+(type\s+)?([^;'"]*?)\s*from\s+'([^']+)'|(?:^|\n)\s*import\s+'([^']+)'/g)) {
    if (m[5]) { found.push(m[5]); continue; }
    const names = m[3] ?? '';
    const onlyTypes = Boolean(m[2]) || (/^\{[^}]*\}$/.test(names.trim()) && names.replace(/[{}]/g, '').split(',').map((n) => n.trim()).filter(Boolean).every((n) => n.startsWith('type ')));
    if (!onlyTypes) found.push(m[4]!);
  }
  return found;
}

describe('cold start', () => {
  it('loading the app loads @azure/functions and small modules only: zod, undici, the SDKs and the app\'s parts load with the first call', () => {
    const packages = new Set<string>();
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const specifier of runtimeImportsOf(file)) {
        if (specifier.startsWith('.')) visit(path.resolve(path.dirname(file), specifier).replace(/\.js$/, '.ts'));
        else packages.add(specifier);
      }
    };
    visit(path.join(ROOT, 'src/functions/app.ts'));
    expect([...packages].filter((p) => !p.startsWith('node:'))).toEqual(['@azure/functions']);
    expect([...seen].map((f) => path.relative(ROOT, f)).filter((f) => /instance|app\/app\.ts|settings\.ts|handlers\//.test(f))).toEqual([]);
    console.log(`cold start loads ${seen.size} of the app's modules`);
  });
});

describe('around src/lib', () => {
  it('the triggers are thin: src/functions holds only the app\'s start', () => {
    const files = sourceFiles(path.join(ROOT, 'src/functions'));
    const imported = files.flatMap(importsOf).map((t) => path.relative(ROOT, t));
    expect(imported).toEqual(['src/lib/app/lifecycle.ts']);
  });

  it('the local Functions host and the reference service import nothing of the app (src/common, which imports nothing, they may)', () => {
    const shared = path.join(ROOT, 'src/common');
    for (const dir of ['src/local/host', 'src/reference', 'src/common']) {
      const reaching = sourceFiles(path.join(ROOT, dir)).flatMap((f) =>
        importsOf(f).filter((t) => !inside(t, path.join(ROOT, dir)) && !inside(t, shared)).map((t) => `${path.relative(ROOT, f)} → ${path.relative(ROOT, t)}`));
      expect(reaching, dir).toEqual([]);
    }
  });
});
