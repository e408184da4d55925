// What a web service takes and gives, as its Swagger document describes it to clients: named inputs and outputs
// (tables of typed columns) and global parameters. A catalogue entry may declare it; a backend that publishes a
// classic swagger.json declares it there (backends/classic/document.ts reads it into this shape).
import { z } from 'zod';
import { CONTROL_CHARACTER, isWellFormed } from './text.js';

const Scalar = z.union([z.string().max(500), z.number(), z.boolean()]);
const Text = (max: number) => z.string().max(max).refine((t) => !CONTROL_CHARACTER.test(t.replace(/[\n\t]/g, ' ')) && isWellFormed(t), 'no control characters');

/** One column, in Swagger terms (classic documents gave "format": "int32", "double", "string"…). */
export const ColumnSpec = z
  .object({
    type: z.enum(['string', 'integer', 'number', 'boolean']),
    format: z.string().regex(/^[A-Za-z0-9-]{1,32}$/).optional(),
    enum: z.array(Scalar).max(100).optional(),
    description: Text(500).optional(),
    example: Scalar.optional(),
  })
  .strict();
export type ColumnSpec = z.infer<typeof ColumnSpec>;

export const ParameterSpec = ColumnSpec.extend({
  default: Scalar.optional(),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
}).strict();
export type ParameterSpec = z.infer<typeof ParameterSpec>;

const PortName = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'input and output names are letters, digits, _ and -');
const ColumnName = Text(128).pipe(z.string().min(1));

export const TableSpec = z
  .object({
    description: Text(500).optional(),
    /** In column order. */
    columns: z.record(ColumnName, ColumnSpec).refine((c) => Object.keys(c).length <= 1000, 'at most 1000 columns'),
  })
  .strict();
export type TableSpec = z.infer<typeof TableSpec>;

export const ServiceSchema = z
  .object({
    title: Text(200).optional(),
    description: Text(2000).optional(),
    inputs: z.record(PortName, TableSpec).refine((r) => Object.keys(r).length <= 20, 'at most 20 inputs').optional(),
    outputs: z.record(PortName, TableSpec).refine((r) => Object.keys(r).length <= 20, 'at most 20 outputs').optional(),
    globalParameters: z.record(ColumnName, ParameterSpec).refine((r) => Object.keys(r).length <= 100, 'at most 100 parameters').optional(),
  })
  .strict();
export type ServiceSchema = z.infer<typeof ServiceSchema>;
