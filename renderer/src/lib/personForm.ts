// The person form's values and the PersonInput they make. Pure.
import type { PersonRole } from '../../../shared/domain';
import { PersonInput } from '../../../shared/inputs';
import { validate, type Validated } from './problems';
import type { z } from 'zod';

export interface PersonFormValues {
  role: PersonRole;
  fullName: string;
  pseudonym: string;
  protected: boolean;
  minor: boolean;
  serviceNumber: string;
  contact: string;
}

export function emptyPersonValues(): PersonFormValues {
  return {
    role: 'survivor',
    fullName: '',
    pseudonym: '',
    protected: false,
    minor: false,
    serviceNumber: '',
    contact: '',
  };
}

export function buildPersonInput(v: PersonFormValues): Validated<z.output<typeof PersonInput>> {
  const raw: Record<string, unknown> = {
    role: v.role,
    fullName: v.fullName.trim(),
    protected: v.protected,
    minor: v.minor,
  };
  for (const f of ['pseudonym', 'serviceNumber', 'contact'] as const) {
    const s = v[f].trim();
    if (s !== '') raw[f] = s;
  }
  return validate(PersonInput, raw);
}
