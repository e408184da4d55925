// Global setup of the integration and browser projects: the processes every test file may share are started once
// per run — Azurite (in memory, with a pool of storage accounts: one per test file), the Key Vault stand-in (a
// file's secrets have names of its own), the reference ML service and, where Python has them, the real model
// servers (the Azure ML inference server, MLServer) — and handed to the files with
// provide/inject. Each file's useStack() then starts only its facade process(es) and seeds its own account.
// Builds nothing: the processes run from dist/ (npm test builds first), and a dist/ older than src/ is an error.
// Their output goes to one log file each, which a file's stack shows as those children's `logs`.
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startAzurite, type AzuriteInfo, type StorageAccount } from '../../../src/local/stack/azurite.js';
import { listeningLine, startChild, type RunningChild } from '../../../src/local/stack/child.js';
import { compiledEntry, findProjectRoot } from '../../../src/local/stack/project.js';
import { findModelPython, startModelServers } from '../../../src/local/stack/model-servers.js';
import { ensureLoopbackCert } from '../../../src/local/stack/loopback-cert.js';
import type { SharedStackInfo } from './stack.js';

/** Storage accounts in the pool: one per test file that shares Azurite, never reused within a run (watch mode too). */
const ACCOUNTS = 200;
/** The reference service's BES slots: files running jobs at once do not queue behind each other's. */
const REFERENCE_BES_CONCURRENCY = '16';

interface Running {
  info: SharedStackInfo;
  users: number;
  stop(): Promise<void>;
}
// One set of processes however many projects (integration, browser) ask: each project runs this setup.
const state = globalThis as typeof globalThis & { __mlFacadeSharedStack?: Promise<Running> };

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  state.__mlFacadeSharedStack ??= start();
  const running = await state.__mlFacadeSharedStack;
  running.users++;
  project.provide('sharedStack', running.info);
  return async () => {
    if (--running.users > 0) return;
    state.__mlFacadeSharedStack = undefined;
    await running.stop();
  };
}

async function start(): Promise<Running> {
  const root = findProjectRoot();
  assertBuilt(root);
  const echo = process.env.STACK_ECHO === '1';
  const dir = mkdtempSync(path.join(tmpdir(), 'ml-facade-tests-'));
  const logFile = (name: string) => path.join(dir, `${name}.log`);
  const sink = (name: string) => (line: string) => appendFileSync(logFile(name), `${line}\n`);
  const locks = path.join(dir, 'accounts');
  mkdirSync(locks);
  const accounts: StorageAccount[] = Array.from({ length: ACCOUNTS }, (_, i) => ({ name: `facadetest${i}`, key: randomBytes(32).toString('base64') }));
  const apiKey = randomBytes(32).toString('base64url');
  // Known to the run so that a file's Azure ML endpoint stand-in can check the identity endpoint's tokens.
  const signingKey = randomBytes(32).toString('base64url');
  const modelPython = findModelPython(root);
  // STACK_STORAGE_AUTH=identity runs the suite against an emulator on HTTPS with OAuth, every facade keyless; this
  // process and its workers trust the emulator's certificate through NODE_EXTRA_CA_CERTS, set before they start.
  const cert = process.env.STACK_STORAGE_AUTH === 'identity' ? identityCert(root) : undefined;

  const started = await Promise.allSettled([
    startAzurite({ echo, location: dir, accounts, onLine: sink('azurite'), ...(cert ? { https: cert } : {}) }),
    startChild<{ url: string; identityEndpoint: string; identityHeader: string }>({
      name: 'keyvault',
      script: compiledEntry(root, 'local/keyvault-main'),
      env: { ...process.env, KEYVAULT_PORT: '0', KEYVAULT_SIGNING_KEY: signingKey },
      ready: listeningLine,
      echo,
      onLine: sink('keyvault'),
    }),
    startChild<{ url: string }>({
      name: 'reference',
      script: compiledEntry(root, 'reference/main'),
      env: { ...process.env, REFERENCE_API_KEY: apiKey, REFERENCE_PORT: '0', REFERENCE_WORKSPACE: 'ref-workspace', REFERENCE_SERVICE: 'feature-hashing', REFERENCE_BES_CONCURRENCY, ...(cert ? { NODE_EXTRA_CA_CERTS: cert.cert } : {}) },
      ready: listeningLine,
      echo,
      onLine: sink('reference'),
    }),
    modelPython.python ? startModelServers(root, modelPython.python, { echo, onLine: () => sink('models') }) : undefined,
  ]);
  const children = started.slice(0, 3).flatMap((r) => (r.status === 'fulfilled' ? [r.value as RunningChild<unknown>] : []));
  const models = started[3].status === 'fulfilled' ? started[3].value : undefined;
  children.push(...(models?.children ?? []));
  const stop = async () => {
    await Promise.all(children.map((c) => c.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  const [azurite, vault, reference] = children as [RunningChild<AzuriteInfo>, RunningChild<Omit<SharedStackInfo['keyVault'], 'signingKey'>>, RunningChild<{ url: string }>];
  const info: SharedStackInfo = {
    azurite: { blob: azurite.info.blob, queue: azurite.info.queue, table: azurite.info.table, clientConnectionString: azurite.info.clientConnectionString, ...(cert ? { cert: cert.cert } : {}) },
    accounts,
    accountLocks: locks,
    keyVault: { ...vault.info, signingKey },
    reference: { url: reference.info.url, apiKey },
    logFiles: { azurite: logFile('azurite'), keyvault: logFile('keyvault'), reference: logFile('reference'), models: logFile('models') },
    ...(models ? { models: { azureml: models.azureml, oip: models.oip, python: models.python } } : { modelsMissing: modelPython.missing! }),
  };
  return { info, users: 0, stop };
}

/** The loopback certificate of an identity-mode run: the one NODE_EXTRA_CA_CERTS names (made by .ci/run or here). */
function identityCert(root: string): { cert: string; key: string } {
  const made = ensureLoopbackCert(path.join(root, '.local', 'certs'));
  if (process.env.NODE_EXTRA_CA_CERTS !== made.cert) {
    throw new Error(`STACK_STORAGE_AUTH=identity: start vitest with NODE_EXTRA_CA_CERTS=${made.cert} (Node reads it at start)`);
  }
  return made;
}

/** The shared processes and every facade run from dist/: refuse to test code older than the sources. */
function assertBuilt(root: string): void {
  // The incremental build's state file is written by every build that compiled anything (scripts/build.mjs).
  const built = path.join(root, 'dist', '.tsbuildinfo');
  let builtAt: number;
  try {
    statSync(path.join(root, 'dist', 'src', 'local', 'functions-host-main.js'));
    builtAt = statSync(built).mtimeMs;
  } catch {
    throw new Error(`${built} is missing: run "npm run build" first (npm test does)`);
  }
  const newest = newestSource(path.join(root, 'src'));
  if (newest.mtimeMs > builtAt) {
    throw new Error(`dist/ is older than ${path.relative(root, newest.file)}: run "npm run build" first (npm test does)`);
  }
}

function newestSource(dir: string): { file: string; mtimeMs: number } {
  let newest = { file: dir, mtimeMs: 0 };
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const candidate = entry.isDirectory() ? newestSource(full) : entry.name.endsWith('.ts') ? { file: full, mtimeMs: statSync(full).mtimeMs } : undefined;
    if (candidate && candidate.mtimeMs > newest.mtimeMs) newest = candidate;
  }
  return newest;
}
