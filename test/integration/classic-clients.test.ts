// Classic clients, unchanged but for host and key, over real HTTP against the real stack: the service documents
// they fetch (swagger.json as Swagger 2.0, the API help document, discovery as the classic helpers do it), the
// classic error shape at both levels for every gateway status, the small wire differences real tools produce,
// and BES with the client's own storage in every connection-string form, outputs landing where the client asked.
import { gzipSync, deflateSync } from 'node:zlib';
import { BlobServiceClient, ContainerSASPermissions } from '@azure/storage-blob';
import { Validator } from '@seriousme/openapi-schema-validator';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { useStack } from './helpers/stack.js';
import { expectClassicBody } from './helpers/classic.js';
import { csvOf, expectedRows, jobsApi, parseCsv, sampleTexts } from './helpers/bes.js';
import { jsonOrUndefined } from './helpers/json.js';
import { createStores } from '../../src/lib/app/stores.js';
import { featureHash } from '../../src/reference/feature-hashing.js';

const MAX_BODY = 64 * 1024;
const stack = useStack({
  facadeEnv: { MAX_REQUEST_BYTES: String(MAX_BODY), BES_POLL_SCHEDULE: '*/1 * * * * *', BES_POLL_INTERVAL_SECONDS: '1', BES_STATUS_REFRESH_SECONDS: '1' },
});
const api = jobsApi(stack, () => stack().demo.subscriptionKey);
const finished = (code: string) => code !== 'NotStarted' && code !== 'Running';
const service = () => `${stack().facadeUrl}/workspaces/${stack().demo.workspace}/services/${stack().demo.service}`;
const bearer = (key = stack().demo.subscriptionKey) => ({ authorization: `Bearer ${key}` });
const TABLE = { Inputs: { input1: { ColumnNames: ['Col2'], Values: [['This is a good day']] } }, GlobalParameters: {} };
const scored = (text: string) => [text, ...featureHash(text).map(String)];

async function send(url: string, init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}) {
  const res = await request(url, { method: init.method ?? 'POST', headers: { 'content-type': 'application/json', ...init.headers }, body: init.body });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, text, json: jsonOrUndefined(text) as any };
}

async function manage(method: 'POST' | 'PUT', path: string, body: unknown) {
  return send(`${stack().facadeUrl}/manage/${path}`, { method, headers: { 'x-admin-key': stack().adminKey }, body: JSON.stringify(body) });
}

describe('the service documents classic clients fetch', () => {
  it('swagger.json is a valid Swagger 2.0 document with the service\'s own input, output and parameter schemas', async () => {
    const res = await request(`${service()}/swagger.json`); // anonymous, as classic
    expect(res.statusCode).toBe(200);
    const doc = (await res.body.json()) as any;
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
    expect(validator.version).toBe('2.0');
    expect(doc.definitions.input1Item.properties).toEqual({ Col2: { type: 'string', format: 'string' } });
    const outputColumns = Object.entries(doc.definitions.output1Item.properties);
    expect(outputColumns.map(([name]) => name)).toEqual(['Col2', ...Array.from({ length: 8 }, (_, i) => `Col2_HashingFeature.${i}`)]);
    expect(outputColumns.slice(1).every(([, c]) => (c as { type: string }).type === 'integer')).toBe(true);
    expect(doc.definitions.GlobalParameters.properties['Hashing bitsize']).toMatchObject({ type: 'integer', default: 3 });
    expect(doc.basePath).toBe(`/workspaces/${stack().demo.workspace}/services/${stack().demo.service}`);
    const operations = Object.values(doc.paths).flatMap((item: any) => Object.values(item).map((op: any) => op.operationId));
    expect(operations).toEqual(expect.arrayContaining(['execute', 'submitBatchJob', 'startBatchJob', 'getBatchJobStatus', 'cancelBatchJob']));
  });

  it('discovery as the classic helpers do it: the execute path and the example from the document make a working call', async () => {
    const doc = (await (await request(`${service()}/swagger.json`)).body.json()) as any;
    const executePath = Object.keys(doc.paths).find((p) => doc.paths[p].post?.operationId === 'execute')!;
    const url = `${doc.schemes[0]}://${doc.host}${doc.basePath}${executePath}`;
    const example = doc.definitions.ExecutionRequest.example;
    const answer = await send(url, { headers: bearer(), body: JSON.stringify(example) });
    expect(answer.status).toBe(200);
    expect(answer.json.Results.output1[0]).toMatchObject({ Col2: example.Inputs.input1[0].Col2 });
  });

  it('the API help document client libraries read for output names and types is the same document', async () => {
    const help = (await (await request(`${service()}/apidocument`)).body.json()) as any;
    const swagger = (await (await request(`${service()}/swagger.json`)).body.json()) as any;
    expect(help).toEqual(swagger);
    // What the R client's consume() does with it: the types of output1's columns, in column order.
    const types = Object.values(help.definitions.output1Item.properties).map((c: any) => c.type);
    expect(types).toEqual(['string', ...Array(8).fill('integer')]);
  });

  it('without a published document, the catalogue entry\'s declared schema describes the service; an unknown service is a classic 404', async () => {
    const stores = createStores(stack().storageConnectionString);
    // A backend that publishes nothing (nothing listens there; the document is not needed to describe it).
    await stores.catalogue.put({
      workspace: stack().demo.workspace, service: 'declared', products: [],
      backend: { kind: 'classic', baseUrl: 'http://127.0.0.1:9', workspace: 'w', service: 's', apiKeySecretName: stack().backend.secretName },
      schema: {
        title: 'Churn model',
        inputs: { customers: { columns: { tenure: { type: 'integer', format: 'int32' }, plan: { type: 'string', enum: ['basic', 'pro'] } } } },
        outputs: { scores: { columns: { churn: { type: 'number', format: 'double' } } } },
        globalParameters: { threshold: { type: 'number', default: 0.5 } },
      },
    });
    const doc = (await (await request(`${stack().facadeUrl}/workspaces/${stack().demo.workspace}/services/declared/swagger.json`)).body.json()) as any;
    expect((await new Validator().validate(structuredClone(doc))).valid).toBe(true);
    expect(doc.info.title).toBe('Churn model');
    expect(doc.definitions.customersItem.properties.plan).toEqual({ type: 'string', enum: ['basic', 'pro'] });
    expect(doc.definitions.scoresItem.properties.churn).toEqual({ type: 'number', format: 'double' });
    expect(doc.definitions.ExecutionRequest.example.Inputs.customers).toEqual([{ tenure: 0, plan: 'basic' }]);
    const unknown = await send(`${stack().facadeUrl}/workspaces/${stack().demo.workspace}/services/nope/swagger.json`, { method: 'GET' });
    expect(unknown.status).toBe(404);
    expectClassicBody(unknown.json, 'WebServiceNotFound');
  });
});

describe('classic errors, at both levels, for every gateway decision', () => {
  it('400 BadArgument, 401 Unauthorized, 403 Forbidden, 404 NotFound, 413 RequestEntityTooLarge, 429 TooManyRequests', async () => {
    await manage('PUT', 'products/classic-bes-only', { name: 'BES only', operations: ['bes'] });
    await manage('PUT', 'products/classic-one-call', { name: 'One call a day', rateLimit: { calls: 1, renewalPeriod: 86_400 } });
    const besOnly = (await manage('POST', 'subscriptions', { name: 'classic-bes-only', productId: 'classic-bes-only' })).json.primaryKey as string;
    const oneCall = (await manage('POST', 'subscriptions', { name: 'classic-one-call', productId: 'classic-one-call' })).json.primaryKey as string;
    const execute = `${service()}/execute?api-version=2.0`;
    expect((await send(execute, { headers: bearer(oneCall), body: JSON.stringify(TABLE) })).status).toBe(200);
    const cases: [string, Awaited<ReturnType<typeof send>>, number, string][] = [
      ['bad body', await send(execute, { headers: bearer(), body: '{"Inputs":' }), 400, 'RequestBodyInvalid'],
      ['no api-version', await send(`${service()}/execute`, { headers: bearer(), body: JSON.stringify(TABLE) }), 400, 'InvalidQueryParameter'],
      ['wrong key', await send(execute, { headers: bearer('not-a-key'), body: JSON.stringify(TABLE) }), 401, 'ScoreRequestUnauthorized'],
      ['operation outside the product', await send(execute, { headers: bearer(besOnly), body: JSON.stringify(TABLE) }), 403, 'OperationNotAllowed'],
      ['unknown service', await send(`${stack().facadeUrl}/workspaces/${stack().demo.workspace}/services/nope/execute?api-version=2.0`, { headers: bearer(), body: JSON.stringify(TABLE) }), 404, 'WebServiceNotFound'],
      ['unknown job', await api.status('0'.repeat(32)), 404, 'JobNotFound'],
      ['body too large', await send(execute, { headers: bearer(), body: JSON.stringify({ ...TABLE, pad: 'x'.repeat(MAX_BODY) }) }), 413, 'RequestBodyTooLarge'],
      ['rate limit', await send(execute, { headers: bearer(oneCall), body: JSON.stringify(TABLE) }), 429, 'RateLimitExceeded'],
    ];
    for (const [name, answer, status, code] of cases) {
      expect({ name, status: answer.status }).toEqual({ name, status });
      expectClassicBody(answer.json, code);
      expect(answer.headers['x-ms-request-id']).toBeTruthy();
    }
    expect(cases.find(([n]) => n === 'rate limit')![1].headers['retry-after']).toMatch(/^\d+$/);
  });
});

describe('lenient where classic was', () => {
  const execute = () => `${service()}/execute?api-version=2.0`;

  it('a UTF-8 byte-order mark before the JSON, in RRS and in a BES submit', async () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(TABLE))]);
    const answer = await send(execute(), { headers: bearer(), body: bom });
    expect(answer.status).toBe(200);
    expect(answer.json.Results.output1.value.Values[0]).toEqual(scored('This is a good day'));
    const input = (await api.upload(csvOf(['a b']))).json.RelativeLocation;
    const submit = await send(`${service()}/jobs?api-version=2.0`, { headers: bearer(), body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ Inputs: { input1: { RelativeLocation: input } } }))]) });
    expect(submit.status).toBe(200);
  });

  it('gzip and deflate request bodies; 415 for another encoding; 413 for one that inflates past the limit', async () => {
    const body = Buffer.from(JSON.stringify(TABLE));
    for (const [encoding, bytes] of [['gzip', gzipSync(body)], ['deflate', deflateSync(body)]] as const) {
      const answer = await send(execute(), { headers: { ...bearer(), 'content-encoding': encoding }, body: bytes });
      expect({ encoding, status: answer.status }).toEqual({ encoding, status: 200 });
      expect(answer.json.Results.output1.value.Values[0]).toEqual(scored('This is a good day'));
    }
    const brotli = await send(execute(), { headers: { ...bearer(), 'content-encoding': 'br' }, body });
    expect(brotli.status).toBe(415);
    expectClassicBody(brotli.json, 'UnsupportedContentEncoding');
    const bomb = gzipSync(Buffer.from(JSON.stringify({ ...TABLE, pad: ' '.repeat(20 * MAX_BODY) })));
    expect(bomb.length).toBeLessThan(MAX_BODY);
    const refused = await send(execute(), { headers: { ...bearer(), 'content-encoding': 'gzip' }, body: bomb });
    expect(refused.status).toBe(413);
    expectClassicBody(refused.json, 'RequestBodyTooLarge');
    const broken = await send(execute(), { headers: { ...bearer(), 'content-encoding': 'gzip' }, body: Buffer.from('not gzip at all') });
    expect(broken.status).toBe(400);
  });

  it('format=Swagger and details=TRUE in any letter case, and "GlobalParameters": null', async () => {
    const swagger = await send(`${service()}/execute?api-version=2.0&format=Swagger&details=TRUE`, {
      headers: bearer(), body: JSON.stringify({ Inputs: { input1: [{ Col2: 'x y' }] }, GlobalParameters: null }),
    });
    expect(swagger.status).toBe(200);
    expect(swagger.json.Results.output1[0]).toMatchObject({ Col2: 'x y', 'Col2_HashingFeature.0': scored('x y')[1] });
    const table = await send(execute(), { headers: bearer(), body: JSON.stringify({ ...TABLE, GlobalParameters: null }) });
    expect(table.status).toBe(200);
  });

  it('a doubled slash where a client joined a base URL ending in / with /execute or /jobs', async () => {
    const rrs = await send(`${service()}//execute?api-version=2.0`, { headers: bearer(), body: JSON.stringify(TABLE) });
    expect(rrs.status).toBe(200);
    expect(rrs.json.Results.output1.value.Values[0]).toEqual(scored('This is a good day'));
    const input = (await api.upload(csvOf(['a b']))).json.RelativeLocation;
    const submitted = await send(`${service()}//jobs?api-version=2.0`, { headers: bearer(), body: JSON.stringify({ Inputs: { input1: { RelativeLocation: input } }, GlobalParameters: null }) });
    expect(submitted.status).toBe(200);
    const id = submitted.json as string;
    expect((await send(`${service()}/jobs//${id}/start?api-version=2.0`, { headers: bearer() })).status).toBe(200);
    const status = await send(`${service()}//jobs/${id}?api-version=2.0`, { method: 'GET', headers: bearer() });
    expect(status.status).toBe(200);
    expect(status.json.StatusCode).toMatch(/Running|Finished/);
    const nowhere = await send(`${stack().facadeUrl}/no/such/operation`, { method: 'GET' });
    expect(nowhere.status).toBe(404);
    expectClassicBody(nowhere.json, 'ResourceNotFound');
  });
});

describe('BES with the client\'s own storage, every connection-string form', () => {
  const client = () => BlobServiceClient.fromConnectionString(stack().demo.clientStorageConnectionString);

  it('accepts the classic suffix-less form at submit; refuses a malformed one with a 400 naming the field', async () => {
    const key = Buffer.alloc(32, 3).toString('base64');
    const suffixless = `DefaultEndpointsProtocol=https;AccountName=clientacct;AccountKey=${key}`;
    const accepted = await api.submit({ Inputs: { input1: { ConnectionString: suffixless, RelativeLocation: 'data/input.csv' } }, Outputs: { output1: { ConnectionString: suffixless, RelativeLocation: '/data/output.csv' } }, GlobalParameters: {} });
    expect(accepted.status).toBe(200);
    expect(accepted.json).toMatch(/^[0-9a-f]{32}$/);
    await api.cancel(accepted.json);
    const doubled = await api.submit({ Inputs: { input1: { ConnectionString: `${suffixless};BlobEndpoint=https://a.blob.core.windows.net;blobendpoint=http://127.0.0.1:1`, RelativeLocation: '/data/input.csv' } } });
    expect(doubled.status).toBe(400);
    expectClassicBody(doubled.json, 'InvalidConnectionString');
    expect(doubled.json.error.details[0].target).toBe('Inputs.input1.ConnectionString');
    expect(doubled.text).not.toContain(key);
  });

  it('SAS connection strings for input and output, an older single Input and a RelativeLocation without /: the result lands in the named blob', async () => {
    const container = client().getContainerClient('sas-client');
    await container.createIfNotExists();
    const texts = sampleTexts(120);
    const body = csvOf(texts);
    await container.getBlockBlobClient('in/data.csv').upload(body, Buffer.byteLength(body));
    const sas = new URL(await container.generateSasUrl({ permissions: ContainerSASPermissions.parse('rcw'), expiresOn: new Date(Date.now() + 3_600_000) })).search.slice(1);
    const conn = `BlobEndpoint=${container.url.replace(/\/sas-client$/, '')};SharedAccessSignature=${sas}`;
    const submitted = await api.submit({ Input: { ConnectionString: conn, RelativeLocation: 'sas-client/in/data.csv' }, Outputs: { output1: { ConnectionString: conn, RelativeLocation: 'sas-client/out/result.csv' } }, GlobalParameters: null });
    expect(submitted.status).toBe(200);
    const id = submitted.json as string;
    expect((await api.start(id)).status).toBe(200);
    const done = await api.waitFor(id, finished);
    expect(done.json.StatusCode).toBe('Finished');
    expect(parseCsv((await container.getBlobClient('out/result.csv').downloadToBuffer()).toString()).slice(1)).toEqual(expectedRows(texts));
    const link = done.json.Results.output1;
    expect(link.SasBlobToken).toBe(`?${sas}`); // the client's own SAS: the facade can sign nothing for that account
    expect(done.text).not.toContain('AccountKey');
  });

  it('a job without Outputs writes the outputs the backend\'s document declares, into the facade\'s results', async () => {
    const input = (await api.upload(csvOf(['only one']))).json.RelativeLocation;
    const id = (await api.submit({ Inputs: { input1: { RelativeLocation: input } } })).json as string;
    await api.start(id);
    const done = await api.waitFor(id, finished);
    expect(Object.keys(done.json.Results)).toEqual(['output1']);
    expect(done.json.Results.output1.RelativeLocation).toBe(`results/${id}/output1.csv`);
  });
});
