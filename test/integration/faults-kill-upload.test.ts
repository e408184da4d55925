// kill -9 of a facade process during BES uploads: three uploads caught at different points (just begun, 1 MiB in,
// past the first 8 MiB block staged in storage) die with the process; the clients see the connection reset and
// no input blob of that subscription is ever committed, while another instance serves the subscription on.
import { PassThrough } from 'node:stream';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { useStack } from './helpers/stack.js';
import { csvOf, sampleTexts } from './helpers/bes.js';
import { blobsUnder } from './helpers/fault-jobs.js';
import { call, printFigures, sigkill, startExtraFacade } from './helpers/faults.js';
import { waitFor } from './helpers/wait.js';
import { createStores } from '../../src/lib/app/stores.js';

const MiB = 1024 * 1024;
const stack = useStack({ facadeEnv: { BES_POLL_SCHEDULE: '0 0 0 1 1 *' } });

function uploadUrl(facadeUrl: string): string {
  return `${facadeUrl}/workspaces/${stack().demo.workspace}/services/${stack().demo.service}/inputs?api-version=2.0&name=big.csv`;
}

describe('kill -9 during BES uploads', () => {
  it('commits no input blob, and the clients see a reset', async () => {
    const subscription = await createStores(stack().storageConnectionString).subscriptions.create('kill-upload', 'unlimited');
    const facade = await startExtraFacade(stack());
    const line = Buffer.from('Col2\n' + 'the quick brown fox jumps over the lazy dog\n'.repeat(1500)); // ~66 KB
    const bodies = [64 * 1024, 1 * MiB, 9 * MiB].map((bytes) => {
      const body = new PassThrough();
      for (let sent = 0; sent < bytes; sent += line.length) body.write(line); // and never ended: the client is slow
      return body;
    });
    const uploads = bodies.map((body) =>
      request(uploadUrl(facade.info.url), {
        method: 'POST',
        headers: { 'ocp-apim-subscription-key': subscription.primaryKey, 'content-type': 'text/csv' },
        body,
      }).then((res) => res.statusCode),
    );
    const settled = Promise.allSettled(uploads);
    const prefix = `${subscription.id}/`;
    // The 9 MiB upload has filled one 8 MiB buffer, which is staged as an uncommitted block: the riskiest moment.
    const staged = await waitFor('a block staged for the largest upload', async () => {
      const names = await blobsUnder(stack(), 'inputs', prefix, true);
      return names.length > 0 ? names : undefined;
    }, 20_000);
    await sigkill(facade);

    const outcomes = await settled;
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(await blobsUnder(stack(), 'inputs', prefix)).toEqual([]); // nothing committed, nothing readable
    bodies.forEach((b) => b.destroy());

    // The subscription is served on by the other instance, and only what it completes is committed.
    const answer = await call(uploadUrl(stack().facadeUrl), {
      method: 'POST',
      headers: { 'ocp-apim-subscription-key': subscription.primaryKey, 'content-type': 'text/csv' },
      body: csvOf(sampleTexts(10)),
    });
    expect(answer.status).toBe(201);
    const committed = await blobsUnder(stack(), 'inputs', prefix);
    expect(committed).toEqual([answer.json.RelativeLocation.replace('/inputs/', '')]);
    printFigures('kill-upload', {
      facadesKilled: 1,
      uploadsInterrupted: uploads.length,
      clientsSawReset: outcomes.filter((o) => o.status === 'rejected').length,
      uncommittedBlobsLeftInvisible: staged.length,
      partialInputsCommitted: 0,
    });
  }, 60_000);
});
