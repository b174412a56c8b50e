import type { Person, PersonRole } from '../../../shared/domain';
import { KesiError } from '../../../shared/errors';
import { nowIso, patchAssignments, rethrowConstraint, toInt } from '../sql';
import type { Sql } from '../sql';
import type { NewPerson, PersonPatch } from '../types';

interface PersonRow {
  id: number;
  case_id: number;
  role: PersonRole;
  full_name: string;
  pseudonym: string | null;
  protected: number;
  minor: number;
  service_number: string | null;
  contact: string | null;
  created_at: string;
}

function toPerson(r: PersonRow): Person {
  return {
    id: r.id,
    caseId: r.case_id,
    role: r.role,
    fullName: r.full_name,
    pseudonym: r.pseudonym,
    protected: r.protected === 1,
    minor: r.minor === 1,
    serviceNumber: r.service_number,
    contact: r.contact,
    createdAt: r.created_at,
  };
}

/** The name to show wherever a person appears without a deliberate reveal. */
export function displayName(p: Pick<Person, 'fullName' | 'pseudonym' | 'protected'>): string {
  return p.protected ? (p.pseudonym ?? '') : p.fullName;
}

const PATCH_COLUMNS = {
  role: 'role',
  fullName: 'full_name',
  pseudonym: 'pseudonym',
  protected: 'protected',
  minor: 'minor',
  serviceNumber: 'service_number',
  contact: 'contact',
} as const;

export class PersonsRepo {
  constructor(private readonly sql: Sql) {}

  /** A protected person must have a pseudonym (BAD_INPUT otherwise). */
  insert(input: NewPerson): Person {
    return this.sql.tx(() => {
      if (this.sql.get(`SELECT 1 FROM cases WHERE id = ?`, input.caseId) === undefined) {
        throw new KesiError('CASE_NOT_FOUND');
      }
      let id: number;
      try {
        id = this.sql.insert(
          `INSERT INTO persons (case_id, role, full_name, pseudonym, protected, minor,
             service_number, contact, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          input.caseId,
          input.role,
          input.fullName,
          input.pseudonym ?? null,
          toInt(input.protected),
          toInt(input.minor),
          input.serviceNumber ?? null,
          input.contact ?? null,
          input.createdAt ?? nowIso(),
        );
      } catch (e) {
        rethrowConstraint(e);
      }
      return this.get(id);
    });
  }

  find(id: number): Person | undefined {
    const r = this.sql.get<PersonRow>(`SELECT * FROM persons WHERE id = ?`, id);
    return r && toPerson(r);
  }

  get(id: number): Person {
    const p = this.find(id);
    if (p === undefined) throw new KesiError('PERSON_NOT_FOUND');
    return p;
  }

  /** In the order they were recorded. */
  listByCase(caseId: number): Person[] {
    return this.sql
      .all<PersonRow>(`SELECT * FROM persons WHERE case_id = ? ORDER BY id`, caseId)
      .map(toPerson);
  }

  update(id: number, patch: PersonPatch): Person {
    return this.sql.tx(() => {
      this.get(id);
      const { sets, params } = patchAssignments(patch, PATCH_COLUMNS, (key, value) =>
        key === 'protected' || key === 'minor' ? toInt(value === true) : value,
      );
      if (sets.length === 0) return this.get(id);
      try {
        this.sql.run(`UPDATE persons SET ${sets.join(', ')} WHERE id = @id`, { ...params, id });
      } catch (e) {
        rethrowConstraint(e);
      }
      return this.get(id);
    });
  }
}
