// Planning a job at submit: every location is checked there (a 400 naming the field, never a job that fails
// later), pass-through strings go on in canonical form, outputs always go through the facade's staging area, and
// a caller-named output is kept with its connection string sealed, never in the clear.
import { describe, expect, it } from 'vitest';
import { planSubmit, sealContext, type PlanOptions } from '../../src/lib/jobs/submit-body.js';
import { createSealer } from '../../src/lib/secrets/sealer.js';
import type { BesSubmitRequest } from '../../src/lib/contracts/bes.js';

const KEY = Buffer.alloc(32, 9).toString('base64');
const JOB = 'c'.repeat(32);
const sealer = createSealer(async () => 'unit-sealing-key');
const staged: string[] = [];
const options: PlanOptions = {
  subscriptionId: 'sub1',
  jobId: JOB,
  sealer,
  allowedHosts: ['*.blob.core.windows.net'],
  defaultOutputs: ['output1'],
  backendSasExpiresOn: new Date('2030-01-01T00:00:00Z'),
  blobs: {
    async ownInput(_sub, relativeLocation) {
      return { connectionString: 'BlobEndpoint=https://facade.blob.core.windows.net;SharedAccessSignature=sp=r&sig=in', relativeLocation };
    },
    async stagingOutput(jobId, name) {
      staged.push(name);
      return { connectionString: 'BlobEndpoint=https://facade.blob.core.windows.net;SharedAccessSignature=sp=cw&sig=out', relativeLocation: `/staging/${jobId}/${name}.csv` };
    },
  },
};

const plan = (request: BesSubmitRequest) => planSubmit(request, options);
const refusal = async (request: BesSubmitRequest) => (await plan(request).then(() => undefined, (e: unknown) => e)) as { status: number; details: { code: string; target: string }[] };

describe('planSubmit', () => {
  it('reads a suffix-less classic connection string and forwards its canonical form', async () => {
    const got = await plan({ Inputs: { input1: { ConnectionString: `DefaultEndpointsProtocol=https;AccountName=client1;AccountKey=${KEY}`, RelativeLocation: 'data/in.csv' } } });
    expect(got.backendBody.Inputs.input1).toEqual({
      ConnectionString: `DefaultEndpointsProtocol=https;AccountName=client1;AccountKey=${KEY};BlobEndpoint=https://client1.blob.core.windows.net`,
      RelativeLocation: '/data/in.csv',
    });
  });

  it('sends every output to staging; without Outputs the default output ends in the facade', async () => {
    const got = await plan({ Input: { RelativeLocation: '/inputs/sub1/0123456789abcdef0123456789abcdef/in.csv' } });
    expect(got.outputs).toEqual({ output1: { kind: 'facade' } });
    expect(got.backendBody.Outputs.output1!.RelativeLocation).toBe(`/staging/${JOB}/output1.csv`);
    expect(got.backendBody.Outputs.output1!.ConnectionString).toContain('sp=cw');
  });

  it('keeps a caller-named output location, its connection string sealed to this job and output', async () => {
    const connection = `DefaultEndpointsProtocol=https;AccountName=client1;AccountKey=${KEY}`;
    const got = await plan({
      Inputs: { input1: { ConnectionString: connection, RelativeLocation: '/data/in.csv' } },
      Outputs: { output1: { ConnectionString: connection, RelativeLocation: '/results/out.csv' } },
    });
    const target = got.outputs.output1!;
    expect(target).toMatchObject({ kind: 'caller', blobEndpoint: 'https://client1.blob.core.windows.net', container: 'results', blob: 'out.csv' });
    if (target.kind !== 'caller') throw new Error('expected a caller target');
    expect(JSON.stringify(got.outputs)).not.toContain(KEY);
    expect(await sealer.open(target.sealedConnection, sealContext(JOB, 'output1'))).toContain(`AccountKey=${KEY}`);
    await expect(sealer.open(target.sealedConnection, sealContext(JOB, 'output2'))).rejects.toThrow(/could not be opened/);
    expect(JSON.stringify(got.backendBody.Outputs)).not.toContain(KEY); // the backend never gets the caller's output key
  });

  it.each([
    ['a duplicated BlobEndpoint', { Inputs: { input1: { ConnectionString: `BlobEndpoint=https://a.blob.core.windows.net;blobendpoint=http://127.0.0.1:9;SharedAccessSignature=sig=1`, RelativeLocation: '/c1c/b.csv' } } }, 'InvalidConnectionString', 'Inputs.input1.ConnectionString'],
    ['a host not allowed', { Inputs: { input1: { ConnectionString: 'BlobEndpoint=http://169.254.169.254/;SharedAccessSignature=sv=2021-08-06&sig=x', RelativeLocation: '/c1c/b.csv' } } }, 'StorageHostNotAllowed', 'Inputs.input1.ConnectionString'],
    ['an output host not allowed', { Input: { RelativeLocation: '/inputs/sub1/0123456789abcdef0123456789abcdef/in.csv' }, Outputs: { output1: { ConnectionString: `AccountName=evil;AccountKey=${KEY};EndpointSuffix=example.com`, RelativeLocation: '/c1c/o.csv' } } }, 'StorageHostNotAllowed', 'Outputs.output1.ConnectionString'],
    ['plain http to a public host', { Input: { ConnectionString: `DefaultEndpointsProtocol=http;AccountName=client1;AccountKey=${KEY}`, RelativeLocation: '/c1c/b.csv' } }, 'StorageHostNotAllowed', 'Input.ConnectionString'],
    ['a location without a container', { Input: { ConnectionString: `AccountName=client1;AccountKey=${KEY}`, RelativeLocation: 'b.csv' } }, 'InvalidBlob', 'Input.RelativeLocation'],
    ['an output without a location', { Input: { RelativeLocation: '/inputs/sub1/0123456789abcdef0123456789abcdef/in.csv' }, Outputs: { output1: { ConnectionString: `AccountName=client1;AccountKey=${KEY}` } } }, 'InvalidBlob', 'Outputs.output1.RelativeLocation'],
    ['an upper-case container', { Input: { ConnectionString: `AccountName=client1;AccountKey=${KEY}`, RelativeLocation: '/Data/b.csv' } }, 'InvalidBlob', 'Input.RelativeLocation'],
    ['a ".." segment', { Input: { ConnectionString: `AccountName=client1;AccountKey=${KEY}`, RelativeLocation: '/data/../b.csv' } }, 'InvalidBlob', 'Input.RelativeLocation'],
  ] as [string, BesSubmitRequest, string, string][])('refuses %s with a 400 naming the field', async (_name, request, code, target) => {
    const error = await refusal(request);
    expect(error.status).toBe(400);
    expect(error.details[0]).toMatchObject({ code, target });
  });
});
