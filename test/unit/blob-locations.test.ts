// Input file names and the ownership rule for input locations: a caller only ever reaches
// /inputs/{its own subscription}/{upload id}/{file}; result names are deterministic and URL-safe.
import { describe, expect, it } from 'vitest';
import { InputFileName, InputUploadQuery, OutputName } from '../../src/lib/contracts/bes-inputs.js';
import { jobBlobName, newInputLocation, ownedInputLocation, parseInputLocation } from '../../src/lib/blobs/locations.js';
import { GatewayError } from '../../src/lib/errors.js';
import { insecureEndpointProblem } from '../../src/lib/blobs/blob-sdk.js';
import { describeStorageError, redact } from '../../src/lib/storage/errors.js';

const SUB = '0123456789abcdef0123456789abcdef';
const OTHER = 'fedcba9876543210fedcba9876543210';

describe('input file names', () => {
  it.each(['data.csv', 'input.csv', 'Données 2024.csv', 'a', 'x'.repeat(200), 'my-file_v2.CSV', 'a.b.c'])('accepts %j', (name) => {
    expect(InputFileName.safeParse(name).success).toBe(true);
  });
  it.each(['', 'x'.repeat(201), 'a/b.csv', 'a\\b.csv', '..', '../x', 'a..b', 'tab\there', 'nl\n', 'nul\u0000', 'del\u007f',
    '.', 'trailing.', ' lead', 'trail ', 'q?.csv', 'h#.csv', 'p%2f.csv'])('refuses %j', (name) => {
    expect(InputFileName.safeParse(name).success).toBe(false);
  });
  it('defaults to input.csv and requires api-version 2.0', () => {
    expect(InputUploadQuery.parse({ 'api-version': '2.0' }).name).toBe('input.csv');
    expect(InputUploadQuery.safeParse({ name: 'a.csv' }).success).toBe(false);
    expect(InputUploadQuery.safeParse({ 'api-version': '1.0', name: 'a.csv' }).success).toBe(false);
  });
});

describe('input locations', () => {
  it('are /inputs/{subscription}/{random id}/{file}, new each time', () => {
    const a = newInputLocation(SUB, 'data.csv');
    const b = newInputLocation(SUB, 'data.csv');
    expect(a.relativeLocation).toMatch(new RegExp(`^/inputs/${SUB}/[0-9a-f]{32}/data\\.csv$`));
    expect(a.blobName).toBe(a.relativeLocation.slice('/inputs/'.length));
    expect(a.uploadId).not.toBe(b.uploadId);
  });

  it('a bad name is a 400 naming `name`', () => {
    try {
      newInputLocation(SUB, '../etc/passwd');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(GatewayError);
      expect((error as GatewayError).status).toBe(400);
      expect((error as GatewayError).details[0]?.target).toBe('name');
    }
  });

  it('parse back what was issued, with or without the leading slash', () => {
    const issued = newInputLocation(SUB, 'data.csv');
    expect(parseInputLocation(issued.relativeLocation)).toEqual(issued);
    expect(parseInputLocation(issued.relativeLocation.slice(1))).toEqual(issued);
  });

  it('belong to their subscription only', () => {
    const issued = newInputLocation(SUB, 'data.csv');
    expect(ownedInputLocation(SUB, issued.relativeLocation)?.blobName).toBe(issued.blobName);
    expect(ownedInputLocation(OTHER, issued.relativeLocation)).toBeUndefined();
  });

  it.each([
    '', '/', '/inputs', `/inputs/${SUB}`, `/inputs/${SUB}/data.csv`,
    `/results/${SUB}/0123456789abcdef0123456789abcdef/data.csv`,
    `/INPUTS/${SUB}/0123456789abcdef0123456789abcdef/data.csv`,
    `/inputs/${SUB}/not-an-id/data.csv`,
    `/inputs/${SUB}/0123456789abcdef0123456789abcdef/../x.csv`,
    `/inputs/${SUB}/0123456789abcdef0123456789abcdef/a/b.csv`,
    `/inputs/${SUB}/0123456789abcdef0123456789abcdef/`,
    `/inputs/${SUB}/0123456789abcdef0123456789abcdef/data.csv?x=1`,
    `/inputs/../${SUB}/0123456789abcdef0123456789abcdef/data.csv`,
    `//inputs/${SUB}/0123456789abcdef0123456789abcdef/data.csv`,
  ])('refuse %j', (location) => {
    expect(ownedInputLocation(SUB, location)).toBeUndefined();
  });
});

describe('result names', () => {
  it('are {job}/{output}.csv', () => {
    expect(jobBlobName('0f3c9a', 'output1')).toBe('0f3c9a/output1.csv');
  });
  it.each(['', 'a/b', '../x', 'a b', 'a?b', '.hidden', 'x'.repeat(129)])('refuse output name %j with a 400', (name) => {
    expect(OutputName.safeParse(name).success).toBe(false);
    expect(() => jobBlobName('job1', name)).toThrow(GatewayError);
  });
  it('refuse a job id with path characters', () => {
    expect(() => jobBlobName('../job', 'output1')).toThrow(GatewayError);
  });
});

describe('storage endpoints and error texts', () => {
  it('allow http only for loopback hosts', () => {
    expect(insecureEndpointProblem('https://acct.blob.core.windows.net/')).toBeUndefined();
    expect(insecureEndpointProblem('http://127.0.0.1:10000/devstoreaccount1')).toBeUndefined();
    expect(insecureEndpointProblem('http://localhost:10000/devstoreaccount1')).toBeUndefined();
    expect(insecureEndpointProblem('http://acct.blob.core.windows.net/')).toMatch(/http/);
    expect(insecureEndpointProblem('ftp://x/')).toMatch(/https/);
  });

  it('never carry a SAS, a signature or an account key', () => {
    const url = 'https://acct.blob.core.windows.net/results/j/o.csv?sv=2024-08-04&se=2030-01-01&sr=b&sp=r&sig=SECRETSIG%3D';
    const text = redact(`GET ${url} failed; AccountKey=SECRETKEY==;BlobEndpoint=x`);
    expect(text).not.toMatch(/SECRETSIG|SECRETKEY/);
    expect(text).toContain('https://acct.blob.core.windows.net/results/j/o.csv');
    const described = describeStorageError(Object.assign(new Error(`Server failed to authenticate ${url}\nmore`), { statusCode: 403, code: 'AuthenticationFailed' }));
    expect(described).not.toMatch(/SECRETSIG|sig=S/);
    expect(described).toMatch(/403 AuthenticationFailed/);
  });
});
