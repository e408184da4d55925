// The RRS Execute contract apps see, as zod schemas: used to validate requests, to type them,
// and later to generate the OpenAPI document.
import { z } from 'zod';

const booleanText = z
  .string()
  .regex(/^(true|false)$/i, 'must be true or false')
  .transform((v) => v.toLowerCase() === 'true');

export const ApiVersionQuery = z.literal('2.0', { message: 'api-version must be 2.0' });

export const RrsExecuteQuery = z.object({
  'api-version': ApiVersionQuery,
  details: booleanText.optional(),
  // Any letter case, as the classic service read it (format=Swagger).
  format: z
    .string()
    .regex(/^swagger$/i, 'format must be swagger when given')
    .transform(() => 'swagger' as const)
    .optional(),
});
export type RrsExecuteQuery = z.infer<typeof RrsExecuteQuery>;

export const Cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** Classic clients send null as often as {} when there are none. */
export const GlobalParameters = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).nullable();

export const TableInput = z
  .object({
    ColumnNames: z.array(z.string()).min(1),
    Values: z.array(z.array(Cell)),
  })
  .superRefine((table, ctx) => {
    table.Values.forEach((row, index) => {
      if (row.length !== table.ColumnNames.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['Values', index],
          message: `row has ${row.length} values but ColumnNames has ${table.ColumnNames.length}`,
        });
      }
    });
  });

const inputNames = z.record(z.string().min(1), z.unknown()).refine((r) => Object.keys(r).length > 0, {
  message: 'at least one input is required',
});

export const RrsTableRequest = z.object({
  Inputs: inputNames.pipe(z.record(z.string(), TableInput)),
  GlobalParameters: GlobalParameters.optional(),
});

export const RrsSwaggerRequest = z.object({
  Inputs: inputNames.pipe(z.record(z.string(), z.array(z.record(z.string(), Cell)))),
  GlobalParameters: GlobalParameters.optional(),
});

export const RRS_EXAMPLE_REQUEST = {
  Inputs: { input1: { ColumnNames: ['Col2'], Values: [['This is a good day']] } },
  GlobalParameters: {},
} as const;

export type RrsTableRequest = z.infer<typeof RrsTableRequest>;
export type RrsSwaggerRequest = z.infer<typeof RrsSwaggerRequest>;
/** An RRS Execute body as validated, in either format. */
export type RrsRequestBody = RrsTableRequest | RrsSwaggerRequest;
export type Cell = z.infer<typeof Cell>;
