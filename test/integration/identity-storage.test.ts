// Identity-only storage, as security baselines want it deployed (shared keys disabled): the stack's identity mode —
// Azurite on HTTPS with OAuth (a loopback certificate the stack makes), the identity stand-in issuing tokens for
// https://storage.azure.com, the facade given service URIs and its managed identity and no key. Its tables and blobs
// work by token; every SAS it hands out (input upload, result link, a backend's input and output) is a
// user-delegation SAS; no process of the facade holds an account key.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { useStack } from './helpers/stack.js';
import { csvOf, expectedRows, jobsApi, parseCsv, sampleTexts } from './helpers/bes.js';
import { DEV_KEY } from '../../src/local/stack/azurite.js';

const USER_DELEGATION_FIELDS = ['skoid', 'sktid', 'skt', 'ske', 'sks', 'skv'];

describe('identity-only storage (STACK_STORAGE_AUTH=identity)', () => {
  const stack = useStack({ storageAuth: 'identity', facadeEnv: { BES_POLL_SCHEDULE: '*/1 * * * * *', BES_POLL_INTERVAL_SECONDS: '1' } });
  const api = jobsApi(stack, () => stack().demo.subscriptionKey);
  let tls: Agent | undefined;
  /** Trusts the stack's loopback certificate, as the facade's process does. */
  const trusting = () => (tls ??= new Agent({ connect: { ca: readFileSync(stack().facadeEnv.NODE_EXTRA_CA_CERTS!) } }));
  afterAll(async () => tls?.close());

  function sasFields(token: string): string[] {
    return [...new URLSearchParams(token.replace(/^\?/, '')).keys()];
  }

  it('no process of the facade has an account key: its settings name service URIs and an identity', () => {
    const env = stack().facadeEnv;
    expect(env.AzureWebJobsStorage).toBeUndefined();
    expect(env.AzureWebJobsStorage__blobServiceUri).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/[a-z0-9]{3,24}$/);
    expect(env.AzureWebJobsStorage__credential).toBe('managedidentity');
    const facade = stack().children.find((c) => c.name === 'facade')!;
    const environ = readFileSync(`/proc/${facade.process.pid}/environ`, 'utf8');
    expect(environ).not.toMatch(/AccountKey=/i);
    expect(environ).not.toContain(DEV_KEY);
  });

  it('scores through tables read by token (keys, products, catalogue, counters)', async () => {
    const { facadeUrl, demo } = stack();
    const res = await request(`${facadeUrl}/workspaces/${demo.workspace}/services/${demo.service}/execute?api-version=2.0`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${demo.subscriptionKey}` },
      body: JSON.stringify({ Inputs: { input1: { ColumnNames: ['Col2'], Values: [['This is a good day']] } }, GlobalParameters: {} }),
    });
    expect(res.statusCode).toBe(200);
    expect(((await res.body.json()) as any).Results.output1.value.Values).toEqual([['This is a good day', '1', '1', '2', '2', '0', '2', '0', '1']]);
  });

  it('a BES job end to end: the upload SAS and the result link are user-delegation SAS, and they work', async () => {
    const texts = sampleTexts(300);
    const sas = await api.call('POST', '/inputs/sas?name=input.csv');
    expect(sas.status, sas.text).toBe(200);
    const uploadUrl = new URL(sas.json.SasUrl ?? sas.json.sasUrl ?? sas.json.Url);
    for (const field of USER_DELEGATION_FIELDS) expect(sasFields(uploadUrl.search), field).toContain(field);
    const body = csvOf(texts);
    const put = await request(uploadUrl, { method: 'PUT', dispatcher: trusting(), headers: { 'x-ms-blob-type': 'BlockBlob', 'content-type': 'text/csv' }, body });
    await put.body.dump();
    expect(put.statusCode).toBe(201);

    const submitted = await api.submit({ Inputs: { input1: { RelativeLocation: sas.json.RelativeLocation } }, GlobalParameters: {} });
    expect(submitted.status, submitted.text).toBe(200);
    const id = submitted.json as string;
    expect((await api.start(id)).status).toBe(200);
    const done = await api.waitFor(id, (code) => ['Finished', 'Failed', 'Cancelled'].includes(code), 60_000);
    expect(done.json.StatusCode, done.text).toBe('Finished');
    const result = done.json.Results.output1;
    for (const field of USER_DELEGATION_FIELDS) expect(sasFields(result.SasBlobToken), field).toContain(field);
    const download = await request(`${result.BaseLocation}${result.RelativeLocation}${result.SasBlobToken}`, { dispatcher: trusting() });
    expect(download.statusCode).toBe(200);
    expect(parseCsv(await download.body.text()).slice(1)).toEqual(expectedRows(texts));
  });
});
