import { KesiError } from '../../../shared/errors';
import { nowIso, rethrowConstraint } from '../sql';
import type { Sql } from '../sql';
import type { Derivative, DerivativeKind, NewDerivative } from '../types';

interface DerivativeRow {
  id: number;
  item_id: number;
  kind: DerivativeKind;
  media_type: string;
  blob_name: string;
  sha256: string;
  width: number | null;
  height: number | null;
  page: number | null;
  created_at: string;
}

function toDerivative(r: DerivativeRow): Derivative {
  return {
    id: r.id,
    itemId: r.item_id,
    kind: r.kind,
    mediaType: r.media_type,
    blobName: r.blob_name,
    sha256: r.sha256,
    width: r.width,
    height: r.height,
    page: r.page,
    createdAt: r.created_at,
  };
}

export class DerivativesRepo {
  constructor(private readonly sql: Sql) {}

  insert(input: NewDerivative): Derivative {
    return this.sql.tx(() => {
      if (this.sql.get(`SELECT 1 FROM items WHERE id = ?`, input.itemId) === undefined) {
        throw new KesiError('ITEM_NOT_FOUND');
      }
      let id: number;
      try {
        id = this.sql.insert(
          `INSERT INTO derivatives (item_id, kind, media_type, blob_name, sha256, width, height,
             page, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          input.itemId,
          input.kind,
          input.mediaType,
          input.blobName,
          input.sha256,
          input.width ?? null,
          input.height ?? null,
          input.page ?? null,
          input.createdAt ?? nowIso(),
        );
      } catch (e) {
        rethrowConstraint(e);
      }
      const r = this.sql.get<DerivativeRow>(`SELECT * FROM derivatives WHERE id = ?`, id);
      if (r === undefined) throw new KesiError('INTERNAL');
      return toDerivative(r);
    });
  }

  find(id: number): Derivative | undefined {
    const r = this.sql.get<DerivativeRow>(`SELECT * FROM derivatives WHERE id = ?`, id);
    return r && toDerivative(r);
  }

  /** All renderings of an item, by kind and page. */
  listByItem(itemId: number): Derivative[] {
    return this.sql
      .all<DerivativeRow>(
        `SELECT * FROM derivatives WHERE item_id = ? ORDER BY kind, page, id`,
        itemId,
      )
      .map(toDerivative);
  }

  /** The newest rendering of that kind (and page, for page images). */
  findFor(
    itemId: number,
    kind: DerivativeKind,
    page: number | null = null,
  ): Derivative | undefined {
    const r = this.sql.get<DerivativeRow>(
      `SELECT * FROM derivatives WHERE item_id = ? AND kind = ? AND page IS ?
       ORDER BY id DESC LIMIT 1`,
      itemId,
      kind,
      page,
    );
    return r && toDerivative(r);
  }

  /** Forget a rendering (it can be made again); returns its blob name for cleanup. */
  remove(id: number): string | undefined {
    const d = this.find(id);
    if (d === undefined) return undefined;
    this.sql.run(`DELETE FROM derivatives WHERE id = ?`, id);
    return d.blobName;
  }

  /** The kinds of rendering each item of a case has, by item id. */
  kindsByCase(caseId: number): Map<number, Set<DerivativeKind>> {
    const out = new Map<number, Set<DerivativeKind>>();
    for (const r of this.sql.all<{ item_id: number; kind: DerivativeKind }>(
      `SELECT DISTINCT d.item_id, d.kind FROM derivatives d JOIN items i ON i.id = d.item_id
       WHERE i.case_id = ?`,
      caseId,
    )) {
      let set = out.get(r.item_id);
      if (set === undefined) out.set(r.item_id, (set = new Set()));
      set.add(r.kind);
    }
    return out;
  }

  /** Distinct blob names referred to by derivatives. */
  allBlobNames(): string[] {
    return this.sql
      .all<{ blob_name: string }>(`SELECT DISTINCT blob_name FROM derivatives ORDER BY blob_name`)
      .map((r) => r.blob_name);
  }
}
