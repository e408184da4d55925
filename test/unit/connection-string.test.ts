// The one connection-string parser: every form classic clients built is read, anything two SDKs could read
// differently is refused, and the canonical string it hands on means the same endpoint to the storage SDK.
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { describe, expect, it } from 'vitest';
import { canonicalConnectionString, parseConnectionString, type StorageConnection } from '../../src/lib/storage/connection-string.js';

const KEY = Buffer.alloc(32, 7).toString('base64');
const SAS = 'sv=2021-08-06&ss=b&srt=co&sp=rl&se=2030-01-01T00%3A00%3A00Z&sig=abc%2Bdef%3D';

function ok(text: string): StorageConnection {
  const parsed = parseConnectionString(text);
  if (!parsed.ok) throw new Error(`expected ${text} to parse: ${parsed.problem}`);
  return parsed.value;
}

function problem(text: string): string {
  const parsed = parseConnectionString(text);
  if (parsed.ok) throw new Error(`expected ${text} to be refused`);
  return parsed.problem;
}

describe('parseConnectionString reads every classic form', () => {
  it.each([
    ['account key, no EndpointSuffix (the classic BES sample)', `DefaultEndpointsProtocol=https;AccountName=acct1;AccountKey=${KEY}`, 'https://acct1.blob.core.windows.net', 'key'],
    ['account key with EndpointSuffix and a trailing ;', `DefaultEndpointsProtocol=https;AccountName=acct1;AccountKey=${KEY};EndpointSuffix=core.chinacloudapi.cn;`, 'https://acct1.blob.core.chinacloudapi.cn', 'key'],
    ['no DefaultEndpointsProtocol (https by default)', `AccountName=acct1;AccountKey=${KEY}`, 'https://acct1.blob.core.windows.net', 'key'],
    ['BlobEndpoint and key (Azurite, path-style)', `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${KEY};BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1/;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1`, 'http://127.0.0.1:10000/devstoreaccount1', 'key'],
    ['SAS with BlobEndpoint', `BlobEndpoint=https://acct1.blob.core.windows.net/;SharedAccessSignature=${SAS}`, 'https://acct1.blob.core.windows.net', 'sas'],
    ['SAS with a leading ?', `BlobEndpoint=https://acct1.blob.core.windows.net;SharedAccessSignature=?${SAS}`, 'https://acct1.blob.core.windows.net', 'sas'],
    ['SAS with AccountName only (.NET accepts it)', `AccountName=acct1;SharedAccessSignature=${SAS}`, 'https://acct1.blob.core.windows.net', 'sas'],
    ['keys in other letter cases, spaces around parts', ` accountname=acct1 ; ACCOUNTKEY=${KEY} ; defaultendpointsprotocol=HTTPS `, 'https://acct1.blob.core.windows.net', 'key'],
    ['UseDevelopmentStorage=true', 'UseDevelopmentStorage=true', 'http://127.0.0.1:10000/devstoreaccount1', 'key'],
  ])('%s', (_name, text, endpoint, kind) => {
    const parsed = ok(text);
    expect(parsed.blobEndpoint).toBe(endpoint);
    expect(parsed.credential.kind).toBe(kind);
    expect(parsed.blobHost).toBe(new URL(endpoint).host);
  });
});

describe('parseConnectionString refuses what SDKs could read differently', () => {
  it.each([
    ['two BlobEndpoint entries', `BlobEndpoint=https://a.blob.core.windows.net;BlobEndpoint=http://127.0.0.1:9/;SharedAccessSignature=${SAS}`, 'more than once'],
    ['BlobEndpoint and blobendpoint', `BlobEndpoint=https://a.blob.core.windows.net;blobendpoint=http://127.0.0.1:9/;SharedAccessSignature=${SAS}`, 'more than once'],
    ['two AccountName entries', `AccountName=acct1;AccountName=acct2;AccountKey=${KEY}`, 'more than once'],
    ['an unknown setting', `AccountName=acct1;AccountKey=${KEY};BlobEndpointX=http://127.0.0.1:9`, 'not a storage connection string setting'],
    ['a proxy setting', `UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://evil`, 'not a storage connection string setting'],
    ['a part without =', `AccountName=acct1;AccountKey=${KEY};oops`, 'Name=value'],
    ['no credential', 'BlobEndpoint=https://acct1.blob.core.windows.net', 'AccountKey or SharedAccessSignature'],
    ['both credentials', `AccountName=acct1;AccountKey=${KEY};SharedAccessSignature=${SAS}`, 'not both'],
    ['a key without an account', `AccountKey=${KEY};BlobEndpoint=https://acct1.blob.core.windows.net`, 'needs AccountName'],
    ['no account and no endpoint', `SharedAccessSignature=${SAS}`, 'AccountName or BlobEndpoint'],
    ['a key that is not base64', 'AccountName=acct1;AccountKey=not base64!', 'base64'],
    ['an invalid account name', `AccountName=Acct_1;AccountKey=${KEY}`, 'AccountName'],
    ['a BlobEndpoint with a query', `BlobEndpoint=https://a.blob.core.windows.net/?x=1;SharedAccessSignature=${SAS}`, 'BlobEndpoint'],
    ['a BlobEndpoint with credentials', `BlobEndpoint=https://u:p@a.blob.core.windows.net;SharedAccessSignature=${SAS}`, 'BlobEndpoint'],
    ['a non-http BlobEndpoint', `BlobEndpoint=file:///etc;SharedAccessSignature=${SAS}`, 'BlobEndpoint'],
    ['a SAS without a signature', 'BlobEndpoint=https://a.blob.core.windows.net;SharedAccessSignature=sv=2021-08-06', 'SAS token'],
    ['an odd protocol', `DefaultEndpointsProtocol=ftp;AccountName=acct1;AccountKey=${KEY}`, 'https or http'],
    ['an odd suffix', `AccountName=acct1;AccountKey=${KEY};EndpointSuffix=evil/path`, 'EndpointSuffix'],
    ['empty', '  ', 'empty'],
  ])('%s', (_name, text, expected) => {
    expect(problem(text)).toContain(expected);
  });

  it('never echoes a value in its problem', () => {
    const secret = 'c2VjcmV0LXZhbHVl';
    for (const text of [`AccountName=acct1;AccountKey=${secret};AccountKey=${secret}`, `AccountName=acct1;AccountKey=${secret};Oops=${secret}`]) {
      expect(problem(text)).not.toContain(secret);
    }
  });
});

describe('canonicalConnectionString', () => {
  it.each([
    `DefaultEndpointsProtocol=https;AccountName=acct1;AccountKey=${KEY}`,
    `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${KEY};BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1`,
    `BlobEndpoint=https://acct1.blob.core.windows.net/;SharedAccessSignature=${SAS}`,
    `AccountName=acct1;SharedAccessSignature=?${SAS}`,
    'UseDevelopmentStorage=true',
  ])('means the same endpoint and credential to the storage SDK: %s', (text) => {
    const parsed = ok(text);
    const canonical = canonicalConnectionString(parsed);
    expect(ok(canonical)).toEqual(parsed);
    const client = BlobServiceClient.fromConnectionString(canonical);
    expect(client.url.split('?')[0]!.replace(/\/+$/, '')).toBe(parsed.blobEndpoint);
    if (parsed.credential.kind === 'key') {
      expect(client.credential).toBeInstanceOf(StorageSharedKeyCredential);
      expect((client.credential as StorageSharedKeyCredential).accountName).toBe(parsed.credential.accountName);
    } else {
      expect(client.url).toContain('sig=');
    }
  });
});
