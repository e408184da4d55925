// What every scenario shares: the local stack (started once per run), the load generator, the run mode,
// and the management calls that set up products and subscriptions.
import { request } from 'undici';
import type { Stack } from '../../src/local/stack/start-stack.js';

export interface BenchContext {
  quick: boolean;
  stack: Stack;
  root: string;
  /** wrk's path, or undefined when the Node generator stands in. */
  wrk: string | undefined;
  /** cpu profiling run: the RRS scenario profiles one facade row and nothing else runs. */
  cpuProf: boolean;
}

export const RRS_BODY = JSON.stringify({ Inputs: { input1: { ColumnNames: ['Col2'], Values: [['This is a good day']] } }, GlobalParameters: {} });

export function pidOf(stack: Stack, name: 'azurite' | 'reference' | 'facade' | 'keyvault'): number {
  const pid = stack.children.find((c) => c.name === name)?.process.pid;
  if (pid === undefined) throw new Error(`no ${name} process in the stack`);
  return pid;
}

async function manage(stack: Stack, method: 'POST' | 'PUT', p: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await request(`${stack.facadeUrl}/manage/${p}`, {
    method,
    headers: { 'x-admin-key': stack.adminKey, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await res.body.json()) as Record<string, unknown>;
  if (res.statusCode >= 300) throw new Error(`manage ${method} ${p}: ${res.statusCode} ${JSON.stringify(answer)}`);
  return answer;
}

export async function putProduct(stack: Stack, id: string, rateLimit: { calls: number; renewalPeriod: number } | null, quota: { calls: number; renewalPeriod: number } | null = null): Promise<void> {
  await manage(stack, 'PUT', `products/${id}`, { name: id, rateLimit, quota });
}

/** A new subscription on a product: its id and primary key. */
export async function subscribe(stack: Stack, name: string, productId: string): Promise<{ id: string; key: string }> {
  const answer = await manage(stack, 'POST', 'subscriptions', { name, productId });
  return { id: String(answer.id), key: String(answer.primaryKey) };
}

export function facadeRrsUrl(base: string, stack: Stack, service = stack.demo.service): string {
  return `${base}/workspaces/${stack.demo.workspace}/services/${service}/execute?api-version=2.0`;
}

export function backendRrsUrl(base: string, stack: Stack): string {
  return `${base}/workspaces/${stack.backend.workspace}/services/${stack.backend.service}/execute?api-version=2.0`;
}
