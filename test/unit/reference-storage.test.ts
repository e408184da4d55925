// The reference service reads every connection-string form classic clients used (as the classic service's .NET
// storage library did): account key with or without EndpointSuffix, BlobEndpoint, a SAS, names in any case.
import { StorageSharedKeyCredential } from '@azure/storage-blob';
import { describe, expect, it } from 'vitest';
import { ConnectionStringError, resultLocation, serviceClient } from '../../src/reference/bes/storage.js';

const KEY = Buffer.alloc(32, 5).toString('base64');

describe('the reference service\'s connection strings', () => {
  it.each([
    [`DefaultEndpointsProtocol=https;AccountName=acct1;AccountKey=${KEY}`, 'https://acct1.blob.core.windows.net/'],
    [`DefaultEndpointsProtocol=https;AccountName=acct1;AccountKey=${KEY};EndpointSuffix=core.usgovcloudapi.net`, 'https://acct1.blob.core.usgovcloudapi.net/'],
    [`accountname=acct1;accountkey=${KEY};blobendpoint=http://127.0.0.1:10000/acct1/`, 'http://127.0.0.1:10000/acct1'],
  ])('reads %s with its key', (text, url) => {
    const client = serviceClient(text);
    expect(client.url).toBe(url);
    expect(client.credential).toBeInstanceOf(StorageSharedKeyCredential);
  });

  it('reads a SAS connection string and hands that SAS back for results', () => {
    const text = 'BlobEndpoint=https://acct1.blob.core.windows.net;SharedAccessSignature=?sv=2021&sp=rcw&sig=abc';
    expect(serviceClient(text).url).toBe('https://acct1.blob.core.windows.net/?sv=2021&sp=rcw&sig=abc');
    const result = resultLocation({ name: 'output1', connectionString: text, location: { container: 'out', blob: 'r.csv' } });
    expect(result).toEqual({ ConnectionString: null, BaseLocation: 'https://acct1.blob.core.windows.net/', RelativeLocation: 'out/r.csv', SasBlobToken: '?sv=2021&sp=rcw&sig=abc' });
  });

  it('refuses what it cannot use, never quoting the string', () => {
    for (const text of ['AccountKey=c2VjcmV0;nonsense', `AccountName=acct1;AccountName=acct2;AccountKey=${KEY}`, 'BlobEndpoint=https://a.blob.core.windows.net']) {
      const error = (() => { try { serviceClient(text); } catch (e) { return e; } return undefined; })();
      expect(error).toBeInstanceOf(ConnectionStringError);
      expect((error as Error).message).not.toContain('c2VjcmV0');
    }
  });
});
