// The Azure deployment (infra/main.bicep) passes checkov with no failed check (each suppression is an inline
// `// checkov:skip=CKV_…:<reason>` in the resource it concerns), and the role assignments it makes are exactly the
// ones the README's "Deploy to Azure" section lists: same built-in role GUIDs, same names, same scopes.
// checkov: $CHECKOV, else .venv-checkov/bin/checkov (python3 -m venv .venv-checkov && .venv-checkov/bin/pip install
// -r infra/requirements.txt, which .ci/run does); without it this test fails under CI and is skipped, loudly, elsewhere.
// Needs no stack and no build: it reads files and runs one process.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findProjectRoot } from '../../src/local/stack/project.js';

const root = findProjectRoot();
const infraDir = path.join(root, 'infra');
const docFile = path.join(root, 'README.md');
const checkov = process.env.CHECKOV || path.join(root, '.venv-checkov', 'bin', 'checkov');
const haveCheckov = existsSync(checkov);

if (!haveCheckov) {
  const line = `[infra-checkov] SKIPPED: no checkov at ${checkov}. Run: python3 -m venv .venv-checkov && .venv-checkov/bin/pip install -r infra/requirements.txt`;
  if (process.env.CI === 'true') throw new Error(line);
  console.warn(line);
}

// Azure built-in role definitions (GUIDs are the same in every tenant) the deployment may use, by name.
const BUILT_IN_ROLES: Record<string, string> = {
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b': 'Storage Blob Data Owner',
  'ba92f5b4-2d11-453d-a403-e96b0029c9fe': 'Storage Blob Data Contributor',
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88': 'Storage Queue Data Contributor',
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3': 'Storage Table Data Contributor',
  'db58b8e5-c6ad-4a2a-8342-4190687cbf4a': 'Storage Blob Delegator',
  '4633458b-17de-408a-b874-0445c86b69e6': 'Key Vault Secrets User',
  'b86a8fe4-44ce-4948-aee5-eccb2c155cd7': 'Key Vault Secrets Officer',
  '3913510d-42f4-4e42-8a64-420c390055eb': 'Monitoring Metrics Publisher',
};
// How the doc names each Bicep resource type a role assignment is scoped to.
const SCOPE_NAMES: Record<string, string> = {
  'Microsoft.Storage/storageAccounts': 'storage account',
  'Microsoft.KeyVault/vaults': 'Key Vault',
  'Microsoft.Insights/components': 'Application Insights',
};
const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

function bicepFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? bicepFiles(path.join(dir, e.name)) : e.name.endsWith('.bicep') ? [path.join(dir, e.name)] : [],
  );
}

interface Assignment { role: string; guid: string; scope: string }

/** Every roleAssignments resource in infra/*.bicep: its role GUID (literal or through a `var`) and its scope's type. */
function bicepAssignments(): Assignment[] {
  const out: Assignment[] = [];
  for (const file of bicepFiles(infraDir)) {
    const text = readFileSync(file, 'utf8');
    const vars = new Map<string, string>();
    for (const m of text.matchAll(/^var\s+(\w+)\s*=\s*'([^']*)'/gm)) vars.set(m[1]!, m[2]!);
    const types = new Map<string, string>(); // symbolic name -> resource type
    for (const m of text.matchAll(/^resource\s+(\w+)\s+'([^'@]+)@/gm)) types.set(m[1]!, m[2]!);
    // Each resource block runs from its `resource` line to the next one (or the end of the file).
    const starts = [...text.matchAll(/^resource\s+\w+\s+'Microsoft\.Authorization\/roleAssignments@/gm)].map((m) => m.index!);
    for (const start of starts) {
      const next = text.slice(start + 1).search(/^(resource|output|module)\s/m);
      const block = text.slice(start, next < 0 ? undefined : start + 1 + next);
      const ref = /roleDefinitions'\s*,\s*('([^']+)'|(\w+))\s*\)/.exec(block);
      expect(ref, `a roleDefinitionId in ${block.slice(0, 80)}`).not.toBeNull();
      const guid = (ref![2] ?? vars.get(ref![3]!) ?? '').toLowerCase();
      expect(guid, `role GUID of ${block.slice(0, 80)}`).toMatch(GUID);
      const scopeRef = /^\s*scope:\s*(\w+)\s*$/m.exec(block)?.[1];
      expect(scopeRef, `scope of ${block.slice(0, 80)}`).toBeDefined();
      const scope = SCOPE_NAMES[types.get(scopeRef!) ?? ''] ?? `unknown (${scopeRef})`;
      out.push({ role: BUILT_IN_ROLES[guid] ?? `unknown role ${guid}`, guid, scope });
    }
  }
  return out;
}

/** The rows of the doc's role table: | role | role definition id | scope | assigned to | why |. */
function documentedAssignments(): Assignment[] {
  const text = readFileSync(docFile, 'utf8');
  const rows: Assignment[] = [];
  for (const line of text.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 6) continue;
    const guid = GUID.exec(cells[2] ?? '')?.[0];
    if (!guid || !/^`?[0-9a-f-]{36}`?$/.test(cells[2]!)) continue;
    rows.push({ role: cells[1]!, guid, scope: cells[3]! });
  }
  return rows;
}

const byKey = (a: Assignment[]) => a.map((x) => `${x.role} | ${x.guid} | ${x.scope}`).sort();

describe('infra/: the Azure deployment', () => {
  it.skipIf(!haveCheckov)('passes checkov with no failed check (Bicep, offline)', () => {
    const run = spawnSync(checkov, ['--config-file', path.join(infraDir, '.checkov.yaml'), '-d', infraDir, '--output', 'json'], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, BC_SKIP_MAPPING: 'TRUE', CHECKOV_RUN_SCA_PACKAGE_SCAN_V2: 'false' },
    });
    expect(run.error).toBeUndefined();
    const start = run.stdout.indexOf('{');
    expect(start, `checkov printed no JSON: ${run.stderr.slice(-2000)}`).toBeGreaterThanOrEqual(0);
    const report = JSON.parse(run.stdout.slice(start)) as {
      summary: { passed: number; failed: number; skipped: number; parsing_errors: number; resource_count: number };
      results: { failed_checks?: Array<{ check_id: string; resource: string; file_path: string }>; skipped_checks?: Array<{ check_id: string; check_result?: { suppress_comment?: string } }> };
    };
    const failed = (report.results.failed_checks ?? []).map((c) => `${c.check_id} ${c.resource} (${c.file_path})`);
    expect(failed).toEqual([]);
    expect(report.summary.failed).toBe(0);
    expect(report.summary.parsing_errors, 'a Bicep file checkov could not parse is a file it did not check').toBe(0);
    expect(report.summary.passed).toBeGreaterThan(0);
    expect(report.summary.resource_count).toBeGreaterThan(0);
    // Every suppression gives its reason.
    for (const s of report.results.skipped_checks ?? []) {
      expect((s.check_result?.suppress_comment ?? '').length, `${s.check_id} suppressed without a reason`).toBeGreaterThan(20);
    }
    expect(run.status).toBe(0);
  });

  it('makes exactly the role assignments the README lists (role, GUID, scope)', () => {
    const inBicep = bicepAssignments();
    const inDoc = documentedAssignments();
    expect(inBicep.length).toBeGreaterThan(0);
    expect(byKey(inDoc)).toEqual(byKey(inBicep));
    for (const a of inDoc) expect(BUILT_IN_ROLES[a.guid], `${a.guid} is not the built-in role ${a.role}`).toBe(a.role);
  });
});
