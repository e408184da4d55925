// Shared helpers of the fault tests: timed calls to the facade, the classic error check, catalogue entries for
// test backends, writing a Key Vault secret, one more facade process that can be killed with SIGKILL, and
// printing figures. (Waiting for a condition: wait.ts.)
import { expectClassicBody } from './classic.js';
import { request, type Dispatcher } from 'undici';
import { expect } from 'vitest';
import { startFacade, type Stack } from '../../../src/local/stack/start-stack.js';
import type { RunningChild } from '../../../src/local/stack/child.js';
import { putSecrets } from '../../../src/local/stack/vault-secrets.js';
import { createStores } from '../../../src/lib/app/stores.js';
import { jsonOrUndefined } from './json.js';

export interface Timed {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
  ms: number;
}

export const RRS_BODY = { Inputs: { input1: { ColumnNames: ['Col2'], Values: [['This is a good day'], ['Another day, another 2 dollars']] } }, GlobalParameters: {} };

/** One HTTP call to the facade, timed; a transport failure is an exception (the facade must always answer). */
export async function call(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Timed> {
  const started = performance.now();
  const res = await request(url, { method: (init.method ?? 'GET') as Dispatcher.HttpMethod, headers: init.headers, body: init.body, headersTimeout: 60_000, bodyTimeout: 60_000 });
  const text = await res.body.text();
  const json = jsonOrUndefined(text);
  return { status: res.statusCode, headers: res.headers, text, json, ms: performance.now() - started };
}

export function rrs(stack: Stack, service = stack.demo.service, key = stack.demo.subscriptionKey, body: unknown = RRS_BODY): Promise<Timed> {
  return call(`${stack.facadeUrl}/workspaces/${stack.demo.workspace}/services/${service}/execute?api-version=2.0&details=true`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

export function manage(stack: Stack, method: string, path: string, body?: unknown): Promise<Timed> {
  return call(`${stack.facadeUrl}/manage/${path}`, {
    method,
    headers: { 'x-admin-key': stack.adminKey, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export function expectClassicError(answer: Timed, status: number, code?: string): void {
  expect({ status: answer.status, body: answer.text.slice(0, 300) }).toMatchObject({ status });
  expect(answer.headers['x-ms-request-id']).toBeTruthy();
  expectClassicBody(answer.json, code);
}

/** Puts {demo workspace}/{service} in the catalogue, pointing at a test backend. */
export async function registerService(stack: Stack, service: string, baseUrl: string, timeoutMs: number, secretName = stack.backend.secretName): Promise<void> {
  await createStores(stack.storageConnectionString).catalogue.put({
    workspace: stack.demo.workspace, service, products: [],
    backend: { kind: 'classic', baseUrl, workspace: stack.backend.workspace, service: stack.backend.service, apiKeySecretName: secretName, timeoutMs },
  });
}

/** Writes a secret into the Key Vault stand-in with a token from its managed-identity endpoint. */
export async function setVaultSecret(vault: Stack['keyVault'], name: string, value: string): Promise<void> {
  await putSecrets(vault, { [name]: value });
}

/** One line of figures for the docs to quote: `[faults:<area>] {...}`. */
export function printFigures(area: string, figures: Record<string, unknown>): void {
  console.log(`[faults:${area}] ${JSON.stringify(figures)}`);
}

/** One more facade process of the stack (its own poller as `env` sets it), to be killed; the stack stops it if not. */
export async function startExtraFacade(stack: Stack, env: NodeJS.ProcessEnv = {}): Promise<RunningChild<{ url: string }>> {
  const facade = await startFacade({ ...stack.facadeEnv, ...env }, 0, process.env.STACK_ECHO === '1');
  stack.children.push(facade);
  return facade;
}

/** kill -9, and wait until the process is gone. */
export async function sigkill(child: RunningChild<unknown>): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  const exited = new Promise((r) => child.process.once('exit', r));
  child.process.kill('SIGKILL');
  await exited;
}
