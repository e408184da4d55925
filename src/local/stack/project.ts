// Where the project is on disk, found from a compiled file's location (dist/src/...) by walking up to package.json.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function findProjectRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = path.dirname(from);
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'host.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no project root above ${from}`);
    dir = parent;
  }
}

/** A compiled entry point of the project, e.g. compiledEntry(root, 'reference/main'). */
export function compiledEntry(root: string, name: string): string {
  const file = path.join(root, 'dist', 'src', `${name}.js`);
  if (!existsSync(file)) throw new Error(`${file} is missing: run "npm run build" first`);
  return file;
}
