// Policy (terminal): BES input upload. Streams the request body into one of the caller's own input blobs
// (never buffered whole) and answers where it is, to be given as the job's input RelativeLocation.
import { GatewayError } from '../../errors.js';
import { InputUploadQuery, type InputUploadAnswer } from '../../contracts/bes-inputs.js';
import { jsonResponse } from '../../http/respond.js';
import { parseOrThrow, queryObject } from '../../http/validation.js';
import type { FacadeBlobs } from '../../blobs/facade-blobs.js';
import type { Policy } from '../compose.js';

export function uploadInput(options: { blobs: Pick<FacadeBlobs, 'uploadInput'> }): Policy {
  const { blobs } = options;
  return async function uploadInputPolicy(ctx, next) {
    const caller = ctx.caller;
    if (!caller) throw new Error('uploadInput needs the authenticate policy before it');
    const query = parseOrThrow(InputUploadQuery, queryObject(ctx.request.query), {
      detailCode: 'InvalidQueryParameter',
      message: 'The query string is invalid.',
    });
    const body = ctx.request.body;
    if (!body) {
      throw new GatewayError('RequestBodyInvalid', 'The input file is empty.', {
        details: [{ code: 'RequestBodyInvalid', target: 'body', message: 'the body must be the input file' }],
      });
    }
    const stored = await blobs.uploadInput(caller.subscriptionId, query.name, body);
    ctx.bytesIn = stored.bytes;
    const answer: InputUploadAnswer = { RelativeLocation: stored.relativeLocation, Bytes: stored.bytes };
    ctx.response = jsonResponse(201, answer, ctx.requestId);
    await next();
  };
}
