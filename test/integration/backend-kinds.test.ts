// One classic contract, three kinds of backend, the real servers: the demo service (Feature Hashing) behind the
// classic reference service, behind an Azure ML online endpoint (the endpoint stand-in in front of the real Azure ML
// inference server, one deployment speaking the MLflow `input_data` contract and one the classic body) and behind
// MLServer over the Open Inference Protocol. The same classic call gets the same answer from each, in both formats;
// caller mistakes are 400s naming the field whichever the kind; entries of the new kinds are validated, documented,
// health-checked per kind and labelled by kind in usage. Needs the model servers' Python (see modelServersMissing).
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { modelServersMissing, useStack } from './helpers/stack.js';
import { expectClassicBody } from './helpers/classic.js';
import { DEMO_SERVICES } from '../../src/local/stack/start-stack.js';
import { featureHash } from '../../src/reference/feature-hashing.js';

const missing = modelServersMissing('backend-kinds');

describe.skipIf(Boolean(missing))('the classic contract on every kind of backend', () => {
  const stack = useStack({ models: true, facadeEnv: { USAGE_FLUSH_SECONDS: '3600' } });
  const KINDS = [DEMO_SERVICES.classic, DEMO_SERVICES.azuremlMlflow, DEMO_SERVICES.azuremlClassic, DEMO_SERVICES.oip];

  async function execute(service: string, body: unknown, query = 'details=true') {
    const { facadeUrl, demo } = stack();
    const res = await request(`${facadeUrl}/workspaces/${demo.workspace}/services/${service}/execute?api-version=2.0&${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${demo.subscriptionKey}` },
      body: JSON.stringify(body),
    });
    return { status: res.statusCode, headers: res.headers, json: (await res.body.json()) as any };
  }

  async function manage(method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown) {
    const res = await request(`${stack().facadeUrl}/manage/${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-admin-key': stack().adminKey },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.statusCode, json: (await res.body.json()) as any };
  }

  const TEXTS = ['This is a good day', 'Ünïcödé 😀 text  with\ttabs', '', '12345 4294967297 words'];
  const table = (texts: string[], globals: object = {}) => ({ Inputs: { input1: { ColumnNames: ['Col2'], Values: texts.map((t) => [t]) } }, GlobalParameters: globals });

  function expectedValues(texts: string[], bits: number, ngrams = 2): string[][] {
    return texts.map((t) => [t, ...featureHash(t, { bits, ngrams }).map(String)]);
  }

  it('the seed example, "This is a good day" with bitsize 3, scores the same through every kind, table format', async () => {
    const answers = await Promise.all(KINDS.map((service) => execute(service, table(['This is a good day'], { 'Hashing bitsize': 3 }))));
    for (const [i, answer] of answers.entries()) {
      expect(answer.status, KINDS[i]).toBe(200);
      const value = answer.json.Results.output1.value;
      expect(value.ColumnNames, KINDS[i]).toEqual(['Col2', ...Array.from({ length: 8 }, (_, k) => `Col2_HashingFeature.${k}`)]);
      expect(value.ColumnTypes, KINDS[i]).toEqual(['String', ...Array(8).fill('Int32')]);
      expect(value.Values, KINDS[i]).toEqual([['This is a good day', '1', '1', '2', '2', '0', '2', '0', '1']]);
    }
  });

  it('many rows, other parameters, details=false and the swagger format: the same answers as the classic reference', async () => {
    const globals = { 'Hashing bitsize': '5', 'N-grams': 3 };
    for (const service of KINDS) {
      const tableAnswer = await execute(service, table(TEXTS, globals), 'details=false');
      expect(tableAnswer.status, service).toBe(200);
      expect(tableAnswer.json.Results.output1.value, service).toEqual({
        ColumnNames: ['Col2', ...Array.from({ length: 32 }, (_, k) => `Col2_HashingFeature.${k}`)],
        Values: expectedValues(TEXTS, 5, 3),
      });
      const swagger = await execute(service, { Inputs: { input1: TEXTS.map((Col2) => ({ Col2 })) }, GlobalParameters: globals }, 'format=swagger');
      expect(swagger.status, service).toBe(200);
      const rows = swagger.json.Results.output1 as Record<string, string>[];
      expect(rows.map((r) => [r.Col2, ...Array.from({ length: 32 }, (_, k) => r[`Col2_HashingFeature.${k}`])]), service).toEqual(expectedValues(TEXTS, 5, 3));
    }
  });

  it('caller mistakes are 400s naming the field on every kind: a missing column, an unknown input, a bad or unknown parameter', async () => {
    for (const service of KINDS) {
      const noColumn = await execute(service, { Inputs: { input1: { ColumnNames: ['Other'], Values: [['x']] } } });
      expect(noColumn.status, service).toBe(400);
      expectClassicBody(noColumn.json);
      expect(noColumn.json.error.details.map((d: any) => d.target), service).toContain('Inputs.input1.Col2');

      const wrongInput = await execute(service, { Inputs: { other: { ColumnNames: ['Col2'], Values: [['x']] } } });
      expect(wrongInput.status, service).toBe(400);
      expect(wrongInput.json.error.details.map((d: any) => d.target), service).toContain('Inputs.other');

      const badParameter = await execute(service, table(['x'], { 'N-grams': 'many' }));
      expect(badParameter.status, service).toBe(400);
      expect(badParameter.json.error.details.map((d: any) => d.target), service).toContain('GlobalParameters.N-grams');
    }
    for (const service of [DEMO_SERVICES.azuremlMlflow, DEMO_SERVICES.oip]) {
      const unknown = await execute(service, table(['x'], { Colour: 'blue' }));
      expect(unknown.status).toBe(400);
      expectClassicBody(unknown.json, 'InvalidGlobalParameter');
      expect(unknown.json.error.details[0]).toMatchObject({ target: 'GlobalParameters.Colour' });
    }
  });

  it('a value the model itself refuses comes back as a 400 with the model\'s reason (MLServer: bitsize out of range)', async () => {
    const answer = await execute(DEMO_SERVICES.oip, table(['x'], { 'Hashing bitsize': 40 }));
    expect(answer.status).toBe(400);
    expectClassicBody(answer.json, 'ModelRejectedInput');
    expect(JSON.stringify(answer.json.error.details)).toContain('Hashing bitsize');
  });

  it('a batch job on an online-only service is a clear 400, not a hang or a 500', async () => {
    const { facadeUrl, demo } = stack();
    const res = await request(`${facadeUrl}/workspaces/${demo.workspace}/services/${DEMO_SERVICES.oip}/jobs?api-version=2.0`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${demo.subscriptionKey}` },
      body: JSON.stringify({ Inputs: {}, GlobalParameters: {} }),
    });
    const json = (await res.body.json()) as any;
    expect(res.statusCode).toBe(400);
    expectClassicBody(json);
  });

  it('the OIP service is described from the model\'s metadata (swagger.json), the others from their entries', async () => {
    const { facadeUrl, demo } = stack();
    const swagger = (await (await request(`${facadeUrl}/workspaces/${demo.workspace}/services/${DEMO_SERVICES.oip}/swagger.json`)).body.json()) as any;
    const text = JSON.stringify(swagger);
    expect(text).toContain('Col2');
    expect(text).toContain('Col2_HashingFeature');
    expect(text).toContain('Hashing bitsize');
    const aml = (await (await request(`${facadeUrl}/workspaces/${demo.workspace}/services/${DEMO_SERVICES.azuremlMlflow}/swagger.json`)).body.json()) as any;
    expect(JSON.stringify(aml)).toContain('Col2_HashingFeature');
  });

  it('catalogue entries of the new kinds are validated (400 naming the field), listed, and health-checked per kind', async () => {
    const bad = await manage('PUT', 'catalogue/demo-workspace/bad-aml', {
      backend: { kind: 'azureml-online', baseUrl: 'https://x.westeurope.inference.ml.azure.com/score', auth: { mode: 'key', keySecretName: 'k' }, requestFormat: 'mlflow' },
    });
    expect(bad.status).toBe(400);
    expectClassicBody(bad.json);
    expect(JSON.stringify(bad.json.error.details)).toContain('columns');
    const badOip = await manage('PUT', 'catalogue/demo-workspace/bad-oip', { backend: { kind: 'oip', baseUrl: 'http://127.0.0.1:1', model: 'a b' } });
    expect(badOip.status).toBe(400);
    expect(JSON.stringify(badOip.json.error.details)).toContain('model');

    const listed = await manage('GET', 'catalogue');
    const kinds = new Set((listed.json as any[]).map((e) => e.backend.kind));
    expect([...kinds].sort()).toEqual(['azureml-batch', 'azureml-online', 'classic', 'oip']);

    const health = await manage('GET', 'health');
    for (const service of KINDS) expect(health.json.checks[`backend:demo-workspace/${service}`], service).toMatchObject({ ok: true });
    // A model the server does not serve is not ready, though the server answers.
    await manage('PUT', 'catalogue/demo-workspace/missing-model', { backend: { kind: 'oip', baseUrl: stack().models!.oipUrl, model: 'no-such-model' } });
    const degraded = await manage('GET', 'health');
    expect(degraded.json.status).toBe('degraded');
    expect(degraded.json.checks['backend:demo-workspace/missing-model']).toMatchObject({ ok: false });
  });

  it('usage labels every call with the kind of backend that served it', async () => {
    for (const service of KINDS) expect((await execute(service, table(['usage']))).status).toBe(200);
    expect((await manage('POST', 'usage/flush')).status).toBe(200);
    const usage = await manage('GET', 'usage?groupBy=backend');
    expect(usage.status).toBe(200);
    const groups = Object.fromEntries((usage.json.groups as any[]).map((g) => [g.key, g.calls]));
    expect(groups['classic']).toBeGreaterThanOrEqual(1);
    expect(groups['azureml-online']).toBeGreaterThanOrEqual(2);
    expect(groups['oip']).toBeGreaterThanOrEqual(1);
  });
});
