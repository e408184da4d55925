// `npm run facade`: one more facade process joining a running local stack (no emulators, no seeding), from
// the settings in .local/stack.json, on PORT — as a scaled-out instance of the Function App would.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { startFacade } from './stack/start-stack.js';
import { findProjectRoot } from './stack/project.js';
import { portSetting } from './env.js';

const StackFile = z.object({ facadeSettings: z.record(z.string(), z.string()) });

const file = path.join(findProjectRoot(), '.local', 'stack.json');
let settings: Record<string, string>;
try {
  settings = StackFile.parse(JSON.parse(readFileSync(file, 'utf8'))).facadeSettings;
} catch {
  console.error(`No usable ${file}: start the stack first with "npm start".`);
  process.exit(1);
}
const port = portSetting(process.env, 'PORT', 7072);
const facade = await startFacade({ ...process.env, ...settings }, port, true);
console.log(`Another facade instance is serving ${facade.info.url} (Ctrl-C stops it).`);
const stop = () => void facade.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
facade.process.once('exit', (code) => process.exit(code ?? 1));
