import { randomUUID } from 'node:crypto';
import type { CaseStatus } from '../../../shared/domain';
import { KesiError } from '../../../shared/errors';
import { ftsQuery } from './search';
import { nowIso, patchAssignments, rethrowConstraint } from '../sql';
import type { Sql } from '../sql';
import type { CaseFilter, CasePatch, CaseRecord, NewCase } from '../types';

interface CaseRow {
  id: number;
  uid: string;
  ref: string;
  title: string;
  ob_number: string | null;
  police_station: string | null;
  county: string | null;
  incident_date: string | null;
  court: string | null;
  court_case_number: string | null;
  status: CaseStatus;
  accountable_officer: string | null;
  created_at: string;
  updated_at: string;
  created_by: number;
}

function toCase(r: CaseRow): CaseRecord {
  return {
    id: r.id,
    uid: r.uid,
    ref: r.ref,
    title: r.title,
    obNumber: r.ob_number,
    policeStation: r.police_station,
    county: r.county,
    incidentDate: r.incident_date,
    court: r.court,
    courtCaseNumber: r.court_case_number,
    status: r.status,
    accountableOfficer: r.accountable_officer,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    createdBy: r.created_by,
  };
}

const PATCH_COLUMNS = {
  ref: 'ref',
  title: 'title',
  obNumber: 'ob_number',
  policeStation: 'police_station',
  county: 'county',
  incidentDate: 'incident_date',
  court: 'court',
  courtCaseNumber: 'court_case_number',
  status: 'status',
  accountableOfficer: 'accountable_officer',
  updatedAt: 'updated_at',
} as const;

const UNIQUES = { 'cases.ref': 'CASE_EXISTS' } as const;

export class CasesRepo {
  constructor(private readonly sql: Sql) {}

  /** Throws CASE_EXISTS when the reference is taken (ignoring case). */
  insert(input: NewCase): CaseRecord {
    return this.sql.tx(() => {
      if (this.sql.get(`SELECT 1 FROM users WHERE id = ?`, input.createdBy) === undefined) {
        throw new KesiError('USER_NOT_FOUND');
      }
      const at = input.createdAt ?? nowIso();
      let id: number;
      try {
        id = this.sql.insert(
          `INSERT INTO cases (uid, ref, title, ob_number, police_station, county, incident_date,
             court, court_case_number, status, accountable_officer, created_at, updated_at,
             created_by)
           VALUES (@uid, @ref, @title, @obNumber, @policeStation, @county, @incidentDate,
             @court, @courtCaseNumber, @status, @accountableOfficer, @at, @at, @createdBy)`,
          {
            uid: input.uid ?? randomUUID(),
            ref: input.ref,
            title: input.title,
            obNumber: input.obNumber ?? null,
            policeStation: input.policeStation ?? null,
            county: input.county ?? null,
            incidentDate: input.incidentDate ?? null,
            court: input.court ?? null,
            courtCaseNumber: input.courtCaseNumber ?? null,
            status: input.status ?? 'open',
            accountableOfficer: input.accountableOfficer ?? null,
            at,
            createdBy: input.createdBy,
          },
        );
      } catch (e) {
        rethrowConstraint(e, UNIQUES);
      }
      return this.get(id);
    });
  }

  find(id: number): CaseRecord | undefined {
    const r = this.sql.get<CaseRow>(`SELECT * FROM cases WHERE id = ?`, id);
    return r && toCase(r);
  }

  get(id: number): CaseRecord {
    const c = this.find(id);
    if (c === undefined) throw new KesiError('CASE_NOT_FOUND');
    return c;
  }

  /** Case-insensitive. */
  findByRef(ref: string): CaseRecord | undefined {
    const r = this.sql.get<CaseRow>(`SELECT * FROM cases WHERE ref = ?`, ref);
    return r && toCase(r);
  }

  getByRef(ref: string): CaseRecord {
    const c = this.findByRef(ref);
    if (c === undefined) throw new KesiError('CASE_NOT_FOUND', undefined, { ref });
    return c;
  }

  findByUid(uid: string): CaseRecord | undefined {
    const r = this.sql.get<CaseRow>(`SELECT * FROM cases WHERE uid = ?`, uid);
    return r && toCase(r);
  }

  /** Most recently updated first. */
  list(filter: CaseFilter = {}): CaseRecord[] {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (filter.status !== undefined) {
      where.push('status = @status');
      params.status = filter.status;
    }
    if (filter.county !== undefined) {
      where.push('county = @county COLLATE NOCASE');
      params.county = filter.county;
    }
    if (filter.text !== undefined) {
      const q = ftsQuery(filter.text);
      if (q !== undefined) {
        where.push(
          `id IN (SELECT case_id FROM search_index WHERE search_index MATCH @text AND rowid % 4 = 1)`,
        );
        params.text = q;
      }
    }
    const sql = `SELECT * FROM cases ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY updated_at DESC, id DESC`;
    const rows = where.length > 0 ? this.sql.all<CaseRow>(sql, params) : this.sql.all<CaseRow>(sql);
    return rows.map(toCase);
  }

  /** Change the given fields; updatedAt defaults to now. Throws CASE_EXISTS on a taken ref. */
  update(id: number, patch: CasePatch): CaseRecord {
    return this.sql.tx(() => {
      this.get(id);
      const { sets, params } = patchAssignments(
        { ...patch, updatedAt: patch.updatedAt ?? nowIso() },
        PATCH_COLUMNS,
      );
      try {
        this.sql.run(`UPDATE cases SET ${sets.join(', ')} WHERE id = @id`, { ...params, id });
      } catch (e) {
        rethrowConstraint(e, UNIQUES);
      }
      return this.get(id);
    });
  }

  /** Mark the case as changed now (after a person or item was added or edited). */
  touch(id: number, at: string = nowIso()): void {
    this.sql.run(`UPDATE cases SET updated_at = ? WHERE id = ?`, at, id);
  }
}
