// The two calls many tests make against a stack: the management API with the admin key, and one RRS Execute of
// the demo service with a subscription key (its status).
import { request } from 'undici';
import type { Stack } from '../../../src/local/stack/start-stack.js';

export const DEMO_BODY = JSON.stringify({ Inputs: { input1: { ColumnNames: ['Col2'], Values: [['good day']] } }, GlobalParameters: {} });

/** `manage(method, path, body?)`: the answer's status and parsed JSON (undefined when empty). */
export function manageApi(stack: () => Stack) {
  return async (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<{ status: number; json: any }> => {
    const res = await request(`${stack().facadeUrl}/manage/${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-admin-key': stack().adminKey },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    return { status: res.statusCode, json: text ? (JSON.parse(text) as any) : undefined };
  };
}

/** `score(key)`: one RRS Execute of the demo service with that subscription key; the status. */
export function demoScorer(stack: () => Stack, body = DEMO_BODY) {
  return async (key: string): Promise<number> => {
    const { workspace, service } = stack().demo;
    const res = await request(`${stack().facadeUrl}/workspaces/${workspace}/services/${service}/execute?api-version=2.0`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'ocp-apim-subscription-key': key },
      body,
    });
    await res.body.dump();
    return res.statusCode;
  };
}
