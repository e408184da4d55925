// Running the service pages' code samples as a user would after pasting each into its file: bash + curl, the repo's
// .venv Python (requests), node, Rscript (httr, jsonlite), mono's mcs + mono. A tool missing fails under CI=true;
// elsewhere that language is skipped with one "[file] SKIPPED" line (as chromiumMissing and modelServersMissing do).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { CodeSample, SampleLanguage } from '../../../src/lib/pages/code-samples.js';

const run = promisify(execFile);
const PYTHON = path.resolve('.venv/bin/python');
const MONO_HTTP = '/usr/lib/mono/4.5/System.Net.Http.dll';

/** Whether a command runs here (exit 0). */
async function works(file: string, args: string[]): Promise<boolean> {
  try {
    await run(file, args, { timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

/** Why a language's sample cannot run here, or undefined. */
const PREREQUISITES: Record<SampleLanguage, () => Promise<string | undefined>> = {
  curl: async () => ((await works('bash', ['-c', 'command -v curl'])) ? undefined : 'no bash with curl'),
  python: async () => (existsSync(PYTHON) && (await works(PYTHON, ['-c', 'import requests'])) ? undefined
    : 'no .venv/bin/python with requests (python3 -m venv .venv && .venv/bin/pip install -r test/clients/python/requirements.txt)'),
  javascript: async () => undefined, // node runs the tests
  r: async () => ((await works('Rscript', ['-e', 'library(httr); library(jsonlite)'])) ? undefined : 'no Rscript with httr and jsonlite (apt-get install r-cran-httr r-cran-jsonlite)'),
  csharp: async () => ((await works('bash', ['-c', 'command -v mcs && command -v mono'])) && existsSync(MONO_HTTP) ? undefined
    : 'no mcs and mono with System.Net.Http (apt-get install mono-mcs libmono-system-net-http4.0-cil)'),
};

/** The languages whose tools are missing here, each with why; throws under CI=true (a prerequisite CI must have). */
export async function sampleToolsMissing(file: string): Promise<Map<SampleLanguage, string>> {
  const missing = new Map<SampleLanguage, string>();
  for (const [language, check] of Object.entries(PREREQUISITES) as [SampleLanguage, () => Promise<string | undefined>][]) {
    const why = await check();
    if (!why) continue;
    const line = `[${file}] SKIPPED: ${language}: ${why}`;
    if (process.env.CI === 'true') throw new Error(line);
    console.warn(line);
    missing.set(language, why);
  }
  return missing;
}

/** Runs one sample from its own file in a fresh folder under `work`; its standard output. */
export async function runSample(sample: CodeSample, work: string, timeoutMs = 60_000): Promise<string> {
  const dir = mkdtempSync(path.join(work, `${sample.language}-`));
  const file = path.join(dir, sample.fileName);
  writeFileSync(file, sample.text);
  const options = { cwd: dir, timeout: timeoutMs, env: { ...process.env, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost' } };
  switch (sample.language) {
    case 'curl': return (await run('bash', [file], options)).stdout;
    case 'python': return (await run(PYTHON, [file], options)).stdout;
    case 'javascript': return (await run(process.execPath, [file], options)).stdout;
    case 'r': return (await run('Rscript', [file], options)).stdout;
    case 'csharp': {
      await run('mcs', ['-r:System.Net.Http.dll', `-out:${path.join(dir, 'Score.exe')}`, file], options);
      return (await run('mono', [path.join(dir, 'Score.exe')], options)).stdout;
    }
  }
}
