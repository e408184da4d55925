// Docs as tests: every runnable command block of README.md runs, as written, against a stack of its own.
//
// The convention (also stated in the README's "A tour" and "Tests"):
//   ```bash  runs. It is meant to be pasted into a shell in the project directory while `npm start` runs.
//   ```sh    never runs here: it installs or starts things (npm install, npm start, func start) or needs Azure
//            or tools this machine lacks (az, azd, func). Every other fence (json, kusto, …) is not a command.
// The ```bash blocks of one `##`/`###` section (a `####` heading stays in its section) run in order in one
// `bash -euo pipefail` session, as a reader pastes them into one shell; each block has 60 s. They run from a
// temporary directory holding this stack's `.local/stack.json` (so `require('./.local/stack.json')` resolves), with
// FACADE set to this stack's URL. A block must exit 0; a few outputs are checked below. Blocks that use the model
// servers' services (feature-hashing-aml, -oip, -batch) run when this machine has them (under CI they must).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { readmeBlocks, runnableSections, runSection, type BlockRun } from './helpers/readme-blocks.js';
import { useStack } from './helpers/stack.js';

const README = path.resolve(import.meta.dirname, '../../README.md');
const BLOCK_TIMEOUT_MS = 60_000;
const HASHED = 'This is a good day,1,1,2,2,0,2,0,1';
const usesModels = (text: string) => /feature-hashing-(aml|oip|batch)/.test(text);

const blocks = readmeBlocks(readFileSync(README, 'utf8'));
const sections = runnableSections(blocks);
const modelsMissing = inject('sharedStack')?.modelsMissing;
if (modelsMissing && process.env.CI === 'true' && blocks.some((b) => b.lang === 'bash' && usesModels(b.text))) {
  throw new Error(`[readme-blocks] the README runs the model servers' services, and this CI run has none: ${modelsMissing}`);
}

describe('README.md command blocks', () => {
  const stack = useStack({ models: !modelsMissing });
  let dir: string | undefined;
  const cwd = (): string => {
    if (dir) return dir;
    dir = mkdtempSync(path.join(os.tmpdir(), 'readme-blocks-'));
    const s = stack();
    mkdirSync(path.join(dir, '.local'));
    const file = { facadeUrl: s.facadeUrl, adminKey: s.adminKey, demo: s.demo, storageConnectionString: s.storageConnectionString, facadeSettings: s.facadeSettings };
    writeFileSync(path.join(dir, '.local', 'stack.json'), JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
    return dir;
  };
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const run = async (section: (typeof sections)[number]): Promise<BlockRun[]> => {
    const cert = inject('sharedStack')?.azurite.cert; // identity mode: the emulator's loopback HTTPS certificate
    const env = { ...process.env, FACADE: stack().facadeUrl, ...(cert ? { CURL_CA_BUNDLE: cert } : {}) };
    return runSection(section.blocks, { cwd: cwd(), env, timeoutMs: BLOCK_TIMEOUT_MS });
  };
  const output = (runs: BlockRun[]) => runs.map((r) => r.output).join('\n');

  it('has runnable blocks in every part of the user path, and no placeholders in them', () => {
    const names = sections.map((s) => s.section);
    for (const part of ['Quick start', 'Score something', 'Run a batch job', 'The developer portal', 'The dashboard', 'Admin']) {
      expect(names.some((n) => n.startsWith(part)), `a runnable block under "${part}"`).toBe(true);
    }
    for (const block of blocks.filter((b) => b.lang === 'bash')) {
      const code = block.text.split('\n').filter((l) => !/^\s*#/.test(l)).join('\n'); // comments may show answers
      expect(code, `README.md:${block.line}`).not.toMatch(/<[a-z][^<>]*>|…/);
      expect(code, `README.md:${block.line}: curl without -sS --fail-with-body hides failures`).not.toMatch(/curl -s (?!S)/);
    }
  });

  for (const section of sections) {
    const needsModels = section.blocks.some((b) => usesModels(b.text));
    it.skipIf(needsModels && modelsMissing)(`runs "${section.section}" (${section.blocks.length} block(s), README.md:${section.blocks[0]!.line})`, async () => {
      const runs = await run(section);
      expect(runs).toHaveLength(section.blocks.length);
      const text = output(runs);
      if (section.section === 'Quick start') expect(text).toContain('"status":"healthy"');
      if (section.section.startsWith('Score something')) {
        expect(text).toContain('["This is a good day","1","1","2","2","0","2","0","1"]');
        expect(text).toContain('"ScoreRequestUnauthorized"');
      }
      if (section.section.startsWith('Run a batch job')) {
        expect(text).toMatch(/^Finished$/m);
        expect(text.split(HASHED).length - 1, 'the result, through the facade and from storage').toBe(2);
        expect(text).toContain('"Another day, another 2 dollars",2,0,3,1,1,1,0,1');
      }
      if (section.section.startsWith('The developer portal')) expect(text).toMatch(/OpenAPI 3\.1\.\d+: \d+ paths/);
      if (section.section.startsWith('Admin')) {
        expect(text).toMatch(/^200 remaining=1$/m);
        expect(text).toMatch(/^HTTP 403$/m);
        expect(text).toContain('"status":"healthy"');
      }
      if (section.section.startsWith('Backends')) {
        expect(text.split('[["This is a good day","1","1","2","2","0","2","0","1"]]').length - 1, 'the same answer from every kind').toBe(4);
      }
    }, BLOCK_TIMEOUT_MS * section.blocks.length + 10_000);
  }
});
