// A zod validation failure as one problem per field, in a form the UI can translate
// (forms.json: problem.<code>, with the limit as {{count}}). Pure.
import type { z } from 'zod';

export type ProblemCode = 'required' | 'tooShort' | 'tooLong' | 'format' | 'invalid' | 'custom';

export interface FieldProblem {
  code: ProblemCode;
  /** The length limit for tooShort/tooLong. */
  limit?: number;
  /** The schema's own words (English), used for `custom` refinements only. */
  message: string;
}

export type FieldProblems = Record<string, FieldProblem>;

function problemOf(issue: z.core.$ZodIssue): FieldProblem {
  switch (issue.code) {
    case 'too_small': {
      const min = Number(issue.minimum);
      return min <= 1
        ? { code: 'required', message: issue.message }
        : { code: 'tooShort', limit: min, message: issue.message };
    }
    case 'too_big':
      return { code: 'tooLong', limit: Number(issue.maximum), message: issue.message };
    case 'invalid_format':
      return { code: 'format', message: issue.message };
    case 'custom':
      return { code: 'custom', message: issue.message };
    default:
      return { code: 'invalid', message: issue.message };
  }
}

/** The first problem of each field (path joined with dots; '' for the whole form). */
export function fieldProblems(error: z.ZodError): FieldProblems {
  const out: FieldProblems = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.');
    if (!(key in out)) out[key] = problemOf(issue);
  }
  return out;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; problems: FieldProblems };

export function validate<S extends z.ZodType>(schema: S, input: unknown): Validated<z.output<S>> {
  const r = schema.safeParse(input);
  return r.success ? { ok: true, value: r.data } : { ok: false, problems: fieldProblems(r.error) };
}
