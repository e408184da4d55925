// The local stack (Azurite, Key Vault stand-in, reference service, facade) for one test file, exactly as `npm start`
// runs it, stopped afterwards. Azurite, the stand-in and the reference service are the run's shared ones (see
// global-setup.ts): the file gets a storage account of its own and secret names of its own, and starts only its
// facade. A file that stops, freezes, proxies or configures one of those processes asks for its own with `own`
// (giving `azurite`, `keyVaultEnv` or `referenceEnv` implies it). The returned Stack has the same shape either way;
// the shared processes appear in `children` for their logs only.
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import type { StorageAccount } from '../../../src/local/stack/azurite.js';
import type { RunningChild } from '../../../src/local/stack/child.js';
import { startStack, type SharedServices, type Stack, type StackOptions } from '../../../src/local/stack/start-stack.js';
import { findModelPython } from '../../../src/local/stack/model-servers.js';
import { findProjectRoot } from '../../../src/local/stack/project.js';

export type SharedProcess = 'azurite' | 'keyvault' | 'reference';

/** What the global setup hands to every file of the run. */
export interface SharedStackInfo {
  /** `cert`: the emulator is on HTTPS with OAuth (an identity-mode run), trusting this certificate. */
  azurite: { blob: string; queue: string; table: string; clientConnectionString: string; cert?: string };
  /** The pool of storage accounts; a file claims one by creating its lock file in `accountLocks`. */
  accounts: StorageAccount[];
  accountLocks: string;
  keyVault: { url: string; identityEndpoint: string; identityHeader: string; signingKey: string };
  reference: { url: string; apiKey: string };
  /** The real model servers, when this machine's Python has them; else why not. */
  models?: NonNullable<SharedServices['models']>;
  modelsMissing?: string;
  logFiles: Record<SharedProcess | 'models', string>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    sharedStack: SharedStackInfo | undefined;
  }
}

export interface UseStackOptions extends Omit<StackOptions, 'models'> {
  /** Processes this file starts for itself rather than share (`true`: all of them, the stack of before). */
  own?: readonly SharedProcess[] | true;
  /** The demo service on the real model servers too (see modelServersMissing). */
  models?: boolean;
}

/**
 * Why this run has no model servers (no Python with them), or undefined when it has. A file that needs them calls
 * this at its top: under CI it fails, elsewhere it says SKIPPED loudly and the file skips its tests.
 */
export function modelServersMissing(file: string): string | undefined {
  const provided = inject('sharedStack');
  const missing = provided ? provided.modelsMissing : findModelPython(findProjectRoot()).missing;
  if (missing) skipLoudly(file, missing);
  return missing;
}

/** The model servers' Python for a file that runs it itself, or undefined (failing under CI, loudly skipped elsewhere). */
export function modelPython(file: string): string | undefined {
  const { python, missing } = findModelPython(findProjectRoot());
  if (!python) skipLoudly(file, missing ?? 'no Python');
  return python;
}

function skipLoudly(file: string, missing: string): void {
  const line = `[${file}] SKIPPED: ${missing}. Run: python3 -m venv .venv && .venv/bin/pip install -r models/requirements.txt`;
  if (process.env.CI === 'true') throw new Error(line);
  console.warn(line);
}

export function useStack(options: UseStackOptions = {}): () => Stack {
  let stack: Stack | undefined;
  let ownChildrenFrom = 0;
  beforeAll(async () => {
    const { own, models, ...rest } = options;
    const shared = sharedParts(own, rest);
    const services = models && shared.services ? { ...shared.services, models: inject('sharedStack')?.models } : shared.services;
    // STACK_ECHO=1 shows every child's output while debugging a test (the shared ones' too, from the global setup).
    // A run with STACK_STORAGE_AUTH=identity makes every file's facade keyless.
    const storageAuth = rest.storageAuth ?? (process.env.STACK_STORAGE_AUTH === 'identity' ? 'identity' : 'key');
    stack = await startStack({ port: 0, echo: process.env.STACK_ECHO === '1', ...rest, storageAuth, models: models ? 'required' : 'off', shared: services });
    stack.children.unshift(...shared.children);
    ownChildrenFrom = shared.children.length;
  }, 90_000);
  afterAll(async () => {
    // A child that died on its own (not stopped by a test) says why: its last lines, for whoever reads the run.
    for (const child of stack?.children.slice(ownChildrenFrom) ?? []) {
      let process: { exitCode: number | null; signalCode: string | null };
      try {
        process = child.process;
      } catch {
        continue; // a shared process: the global setup's
      }
      const { exitCode, signalCode } = process;
      if (exitCode !== null && exitCode !== 0 && signalCode === null) {
        console.error(`[stack] ${child.name} exited with code ${exitCode}; its last lines:\n${child.logs.slice(-40).join('\n')}`);
      }
    }
    await stack?.stop();
  }, 30_000);
  return () => {
    if (!stack) throw new Error('the stack is not started');
    return stack;
  };
}

/** Every line any process of the stack wrote so far. */
export function allLogs(stack: Stack): string {
  return stack.children.flatMap((c) => c.logs).join('\n');
}

function sharedParts(own: UseStackOptions['own'], options: StackOptions): { services?: SharedServices; children: RunningChild<unknown>[] } {
  // A project without the global setup (or vitest run on a single file of one) gets a whole stack of its own.
  const provided = inject('sharedStack');
  if (!provided || own === true) return { children: [] };
  const owned = new Set<SharedProcess>(own ?? []);
  // Identity mode needs an emulator on HTTPS with OAuth, and a backend that trusts its certificate: this file's own,
  // unless the whole run is an identity-mode one.
  const identityFile = options.storageAuth === 'identity' && !provided.azurite.cert;
  if (options.azurite || identityFile) owned.add('azurite');
  if (identityFile) owned.add('reference');
  if (options.keyVaultEnv) owned.add('keyvault');
  if (options.referenceEnv) owned.add('reference');
  const sharing = (['azurite', 'keyvault', 'reference'] as const).filter((p) => !owned.has(p));
  if (sharing.length === 0) return { children: [] };
  const account = claimAccount(provided);
  return {
    services: {
      azurite: owned.has('azurite') ? undefined : { ...provided.azurite, account },
      keyVault: owned.has('keyvault') ? undefined : { ...provided.keyVault, secretPrefix: `${account.name}-` },
      reference: owned.has('reference') ? undefined : provided.reference,
    },
    children: sharing.map((name) => sharedChild(name, provided.logFiles[name])),
  };
}

/** The first account of the pool no other file took (its lock file is created exclusively). */
function claimAccount(provided: SharedStackInfo): StorageAccount {
  for (const account of provided.accounts) {
    try {
      closeSync(openSync(path.join(provided.accountLocks, account.name), 'wx'));
      return account;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new Error(`all ${provided.accounts.length} storage accounts of this run are taken: restart vitest`);
}

/** A shared process as a child of this stack: its logs (all files'), never its process, and stop() leaves it running. */
function sharedChild(name: SharedProcess, logFile: string): RunningChild<unknown> {
  return {
    name,
    info: undefined,
    get logs() {
      return existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').filter((line) => line !== '') : [];
    },
    get process(): never {
      throw new Error(`the ${name} process is shared by the whole run: use useStack({ own: ['${name}'] }) for one of this file's own`);
    },
    stop: async () => undefined,
  };
}
