// Policy (terminal): a finished job's output, streamed from where it ended (the facade's results or the blob the
// caller named), with the caller's own subscription key: for clients that cannot use the SAS links.
import { Readable } from 'node:stream';
import { GatewayError } from '../../errors.js';
import type { Policy } from '../compose.js';
import { checkQuery, destinationOf, ownedJob, type BesDeps } from './bes-job.js';

export function downloadResult(deps: BesDeps): Policy {
  return async function downloadResultPolicy(ctx, next) {
    checkQuery(ctx);
    const job = await ownedJob(ctx, deps);
    const output = ctx.request.params.output ?? '';
    if (job.state !== 'Finished' || !job.results || !(output in job.results)) {
      throw new GatewayError('JobResultNotFound', `Job "${job.id}" has no finished output "${output}".`);
    }
    const blob = await deps.blobs.openResult(job.id, output, await destinationOf(job, output, deps));
    ctx.response = {
      status: 200,
      body: Readable.toWeb(Readable.from(blob.stream as AsyncIterable<Uint8Array>)) as ReadableStream<Uint8Array>,
      headers: {
        'content-type': blob.contentType,
        'content-length': String(blob.bytes),
        'content-disposition': `attachment; filename="${output}.csv"`,
        'x-ms-request-id': ctx.requestId,
      },
    };
    await next();
  };
}
