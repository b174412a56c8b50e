// Parsing untrusted input with a zod schema, failing with BAD_INPUT and a readable message.
import type { z } from 'zod';
import { KesiError } from './errors';

export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const text = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
  throw new KesiError('BAD_INPUT', `The request is not valid: ${text}.`, { issues });
}
