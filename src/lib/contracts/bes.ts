// The BES contract apps see: submit body (classic "Inputs", or "Input" from older clients), the
// status answer, and the job list. Zod schemas validate, type, and later generate the OpenAPI document.
import { z } from 'zod';
import { ApiVersionQuery, GlobalParameters } from './rrs.js';

export const BesQuery = z.object({ 'api-version': ApiVersionQuery });

/** The job list's paging (a facade addition): `$top` jobs a page, `$skiptoken` from the previous page's x-ms-continuation. */
export const BesListQuery = BesQuery.extend({
  $top: z.coerce.number().int().min(1).max(500).default(500),
  $skiptoken: z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, 'the x-ms-continuation of the previous page').optional(),
});

/** A blob location: a classic pass-through one (ConnectionString + RelativeLocation) or one the facade holds. */
export const BlobReference = z
  .object({
    ConnectionString: z.string().min(1).max(4096).nullable().optional(),
    RelativeLocation: z.string().min(3).max(1024),
    // Classic clients send these as null; they are ignored.
    BaseLocation: z.string().nullable().optional(),
    SasBlobToken: z.string().nullable().optional(),
  })
  .strict();
export type BlobReference = z.infer<typeof BlobReference>;

const names = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, "_" and "-" only');

export const BesSubmitRequest = z
  .object({
    Inputs: z.record(names, BlobReference).optional(),
    Input: BlobReference.optional(),
    Outputs: z.record(names, BlobReference.partial({ RelativeLocation: true })).optional(),
    GlobalParameters: GlobalParameters.optional(),
  })
  .strict();
export type BesSubmitRequest = z.infer<typeof BesSubmitRequest>;

export const JOB_STATUS_CODES = ['NotStarted', 'Running', 'Failed', 'Cancelled', 'Finished'] as const;
export type JobStatusCode = (typeof JOB_STATUS_CODES)[number];

/** A classic Results entry: BaseLocation + RelativeLocation + SasBlobToken is the output's URL. */
export const ResultLocation = z.object({
  ConnectionString: z.null(),
  BaseLocation: z.string(),
  RelativeLocation: z.string(),
  SasBlobToken: z.string(),
});
export type ResultLocation = z.infer<typeof ResultLocation>;

export const BesStatusResponse = z.object({
  StatusCode: z.enum(JOB_STATUS_CODES),
  Results: z.record(z.string(), ResultLocation).nullable(),
  Details: z.string().nullable(),
  CreatedAt: z.string(),
  StartTime: z.string().nullable(),
  EndTime: z.string().nullable(),
});
export type BesStatusResponse = z.infer<typeof BesStatusResponse>;

export const BesJobListItem = z.object({
  Id: z.string(),
  StatusCode: z.enum(JOB_STATUS_CODES),
  CreatedAt: z.string(),
  StartTime: z.string().nullable(),
  EndTime: z.string().nullable(),
});

export const BES_EXAMPLE_SUBMIT = {
  Inputs: { input1: { RelativeLocation: '/inputs/<your-subscription>/<id>/input.csv' } },
  GlobalParameters: {},
} as const;
