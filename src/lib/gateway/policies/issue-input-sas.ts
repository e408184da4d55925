// Policy (terminal): BES input upload SAS. Answers a short-lived URL that may create and write one new
// input blob of the caller's (no read, no list), for files too large to send through the facade.
import { InputUploadQuery, type InputSasAnswer } from '../../contracts/bes-inputs.js';
import { jsonResponse } from '../../http/respond.js';
import { parseOrThrow, queryObject } from '../../http/validation.js';
import type { FacadeBlobs } from '../../blobs/facade-blobs.js';
import type { Policy } from '../compose.js';

export function issueInputSas(options: { blobs: Pick<FacadeBlobs, 'issueInputUploadSas'> }): Policy {
  const { blobs } = options;
  return async function issueInputSasPolicy(ctx, next) {
    const caller = ctx.caller;
    if (!caller) throw new Error('issueInputSas needs the authenticate policy before it');
    const query = parseOrThrow(InputUploadQuery, queryObject(ctx.request.query), {
      detailCode: 'InvalidQueryParameter',
      message: 'The query string is invalid.',
    });
    const sas = await blobs.issueInputUploadSas(caller.subscriptionId, query.name);
    const answer: InputSasAnswer = { RelativeLocation: sas.relativeLocation, SasUrl: sas.sasUrl, ExpiresAt: sas.expiresAt };
    // The URL is a credential: no cache may keep it.
    ctx.response = jsonResponse(200, answer, ctx.requestId, { 'cache-control': 'no-store' });
    await next();
  };
}
