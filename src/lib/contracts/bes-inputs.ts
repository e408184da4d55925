// The BES input endpoints' contract (upload a file through the facade, or get a write-only SAS to upload it
// straight to storage), as zod schemas: validation, types, and later the OpenAPI document.
import { z } from 'zod';
import { ApiVersionQuery } from './rrs.js';
import { isWellFormed } from './text.js';

/**
 * The last segment of the input's blob name. Besides path tricks, it refuses characters that mean
 * something in a URL (? # %): classic clients and backends build blob URLs by string concatenation.
 * A trailing dot is refused because Azure Storage drops it from blob names.
 */
export const InputFileName = z
  .string()
  .min(1, 'name must not be empty')
  .max(200, 'name must be at most 200 characters')
  .refine((n) => !/[/\\]/.test(n), 'name must not contain / or \\')
  .refine((n) => !/[\u0000-\u001f\u007f]/.test(n), 'name must not contain control characters')
  .refine(isWellFormed, 'name must be well-formed Unicode (no lone surrogates)')
  .refine((n) => !n.includes('..'), 'name must not contain ..')
  .refine((n) => !/[?#%]/.test(n), 'name must not contain ?, # or %')
  .refine((n) => !n.endsWith('.') && n.trim() === n, 'name must not end with a dot or start or end with spaces');

export const DEFAULT_INPUT_FILE_NAME = 'input.csv';

export const InputUploadQuery = z.object({
  'api-version': ApiVersionQuery,
  name: InputFileName.default(DEFAULT_INPUT_FILE_NAME),
});
export type InputUploadQuery = z.infer<typeof InputUploadQuery>;

/** 201 answer of `POST …/inputs`: where the file now is, to be given as the job's input RelativeLocation. */
export const InputUploadAnswer = z.object({
  RelativeLocation: z.string(),
  Bytes: z.number().int().nonnegative(),
});
export type InputUploadAnswer = z.infer<typeof InputUploadAnswer>;

/** 200 answer of `POST …/inputs/sas`: PUT the file to SasUrl (x-ms-blob-type: BlockBlob) before ExpiresAt. */
export const InputSasAnswer = z.object({
  RelativeLocation: z.string(),
  SasUrl: z.string(),
  ExpiresAt: z.string(),
});
export type InputSasAnswer = z.infer<typeof InputSasAnswer>;

/**
 * A BES output name as the facade stores it (results/{job}/{name}.csv). Stricter than the classic
 * contract on purpose: the name becomes part of a URL that clients build by concatenation.
 */
export const OutputName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'output names are 1-128 letters, digits, _, . or -, starting with a letter or digit')
  .refine((n) => !n.includes('..'), 'output names must not contain ..');
