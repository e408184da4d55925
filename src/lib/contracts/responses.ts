// Answers the facade gives that no request validation needs: the classic error body and the RRS
// Execute 200 body. They exist as zod schemas so the OpenAPI document is generated, never hand-written.
import { z } from 'zod';

export const ErrorDetailSchema = z.object({
  code: z.string(),
  target: z.string().optional(),
  message: z.string(),
});

/**
 * The one error shape of every non-2xx answer, gateway decisions and backend errors alike: the classic error
 * class at the top (BadArgument, Unauthorized, Forbidden, NotFound, TooManyRequests, …) and the specific
 * code (ScoreRequestUnauthorized, QuotaExceeded, …) in `details`, which is never empty.
 */
export const ClassicErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(ErrorDetailSchema).min(1),
  }),
});

const timings = {
  ContainerAllocationDurationMs: z.number().optional(),
  ExecutionDurationMs: z.number().optional(),
  IsWarmContainer: z.boolean().optional(),
};

// Values come back as strings, whatever the column type (the classic service's behaviour).
const OutputCell = z.string().nullable();

export const RrsTableResponse = z.object({
  Results: z.record(
    z.string(),
    z.object({
      type: z.literal('table'),
      value: z.object({
        ColumnNames: z.array(z.string()),
        /** Omitted when details=false. */
        ColumnTypes: z.array(z.string()).optional(),
        Values: z.array(z.array(OutputCell)),
      }),
    }),
  ),
  ...timings,
});

/** With format=swagger each output is a list of row objects. */
export const RrsSwaggerResponse = z.object({
  Results: z.record(z.string(), z.array(z.record(z.string(), OutputCell))),
  ...timings,
});

export const RRS_EXAMPLE_RESPONSE = {
  Results: {
    output1: {
      type: 'table',
      value: {
        ColumnNames: ['Col2', ...Array.from({ length: 8 }, (_, i) => `Col2_HashingFeature.${i}`)],
        ColumnTypes: ['String', ...Array.from({ length: 8 }, () => 'Int32')],
        Values: [['This is a good day', '1', '1', '2', '2', '0', '2', '0', '1']],
      },
    },
  },
  ContainerAllocationDurationMs: 0,
  ExecutionDurationMs: 3,
  IsWarmContainer: true,
};
