import { randomUUID } from 'node:crypto';
import { KesiError } from '../../../shared/errors';
import { nowIso, rethrowConstraint } from '../sql';
import type { Sql } from '../sql';
import type { Bundle, BundlePatch, NewBundle } from '../types';

interface BundleRow {
  id: number;
  uid: string;
  case_id: number;
  title: string;
  spec: string;
  created_at: string;
  created_by: number;
  last_generated_at: string | null;
  last_sha256: string | null;
}

function toBundle(r: BundleRow): Bundle {
  return {
    id: r.id,
    uid: r.uid,
    caseId: r.case_id,
    title: r.title,
    spec: JSON.parse(r.spec) as unknown,
    createdAt: r.created_at,
    createdBy: r.created_by,
    lastGeneratedAt: r.last_generated_at,
    lastSha256: r.last_sha256,
  };
}

function specJson(spec: unknown): string {
  const json = JSON.stringify(spec);
  if (json === undefined) throw new KesiError('BAD_INPUT', 'A bundle needs a spec.');
  return json;
}

export class BundlesRepo {
  constructor(private readonly sql: Sql) {}

  insert(input: NewBundle): Bundle {
    return this.sql.tx(() => {
      if (this.sql.get(`SELECT 1 FROM cases WHERE id = ?`, input.caseId) === undefined) {
        throw new KesiError('CASE_NOT_FOUND');
      }
      if (this.sql.get(`SELECT 1 FROM users WHERE id = ?`, input.createdBy) === undefined) {
        throw new KesiError('USER_NOT_FOUND');
      }
      let id: number;
      try {
        id = this.sql.insert(
          `INSERT INTO bundles (uid, case_id, title, spec, created_at, created_by)
           VALUES (?, ?, ?, ?, ?, ?)`,
          input.uid ?? randomUUID(),
          input.caseId,
          input.title,
          specJson(input.spec),
          input.createdAt ?? nowIso(),
          input.createdBy,
        );
      } catch (e) {
        rethrowConstraint(e);
      }
      return this.get(id);
    });
  }

  find(id: number): Bundle | undefined {
    const r = this.sql.get<BundleRow>(`SELECT * FROM bundles WHERE id = ?`, id);
    return r && toBundle(r);
  }

  get(id: number): Bundle {
    const b = this.find(id);
    if (b === undefined) throw new KesiError('BUNDLE_NOT_FOUND');
    return b;
  }

  findByUid(uid: string): Bundle | undefined {
    const r = this.sql.get<BundleRow>(`SELECT * FROM bundles WHERE uid = ?`, uid);
    return r && toBundle(r);
  }

  /** Oldest first. */
  listByCase(caseId: number): Bundle[] {
    return this.sql
      .all<BundleRow>(`SELECT * FROM bundles WHERE case_id = ? ORDER BY id`, caseId)
      .map(toBundle);
  }

  update(id: number, patch: BundlePatch): Bundle {
    return this.sql.tx(() => {
      this.get(id);
      try {
        if (patch.title !== undefined) {
          this.sql.run(`UPDATE bundles SET title = ? WHERE id = ?`, patch.title, id);
        }
        if (patch.spec !== undefined) {
          this.sql.run(`UPDATE bundles SET spec = ? WHERE id = ?`, specJson(patch.spec), id);
        }
      } catch (e) {
        rethrowConstraint(e);
      }
      return this.get(id);
    });
  }

  /** Record the time and SHA-256 of the PDF last generated from this bundle. */
  markGenerated(id: number, generated: { at: string; sha256: string }): Bundle {
    return this.sql.tx(() => {
      this.get(id);
      try {
        this.sql.run(
          `UPDATE bundles SET last_generated_at = ?, last_sha256 = ? WHERE id = ?`,
          generated.at,
          generated.sha256,
          id,
        );
      } catch (e) {
        rethrowConstraint(e);
      }
      return this.get(id);
    });
  }
}
