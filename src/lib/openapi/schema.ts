// Zod → OpenAPI 3.1 pieces. OpenAPI 3.1 schemas are JSON Schema 2020-12, which is what z.toJSONSchema emits,
// so the validating schemas go into the document unchanged: no hand-written copy that could drift.
import { z } from 'zod';

export type Json = Record<string, unknown>;

/**
 * `io` picks which side of a transform or pipe is described. Query strings are "input" (what is sent,
 * e.g. details as text); bodies whose structure sits behind a pipe (RRS Inputs) need "output".
 */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): Json {
  const generated = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  delete generated.$schema;
  return generated;
}

export interface ParameterOptions {
  examples?: Record<string, unknown>;
  descriptions?: Record<string, string>;
}

/** One OpenAPI parameter per property of a zod object (query strings are flat objects of strings). */
export function parametersOf(schema: z.ZodType, where: 'query' | 'path', options: ParameterOptions = {}): Json[] {
  const object = jsonSchema(schema, 'input');
  const properties = (object.properties ?? {}) as Record<string, Json>;
  const required = new Set((object.required ?? []) as string[]);
  return Object.entries(properties).map(([name, propertySchema]) => {
    const parameter: Json = { name, in: where, required: where === 'path' || required.has(name), schema: propertySchema };
    const description = options.descriptions?.[name];
    if (description) parameter.description = description;
    const example = options.examples?.[name];
    if (example !== undefined) parameter.example = example;
    return parameter;
  });
}

export const jsonContent = (schema: Json, example?: unknown): Json => ({
  'application/json': example === undefined ? { schema } : { schema, example },
});
