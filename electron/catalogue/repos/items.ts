import { randomUUID } from 'node:crypto';
import type { ItemKind, MedicalSubtype } from '../../../shared/domain';
import { KesiError } from '../../../shared/errors';
import { nowIso, patchAssignments, rethrowConstraint } from '../sql';
import type { Sql } from '../sql';
import type { ItemPatch, ItemRecord, NewItem } from '../types';

interface ItemRow {
  id: number;
  uid: string;
  case_id: number;
  kind: ItemKind;
  subtype: MedicalSubtype | null;
  title: string;
  description: string | null;
  exhibit_number: string | null;
  captured_at: string | null;
  captured_by: string | null;
  source: string | null;
  original_name: string | null;
  size: number;
  media_type: string;
  sha256: string;
  blob_name: string | null;
  metadata: string;
  parent_id: number | null;
  created_at: string;
  created_by: number;
}

function toItem(r: ItemRow): ItemRecord {
  return {
    id: r.id,
    uid: r.uid,
    caseId: r.case_id,
    kind: r.kind,
    subtype: r.subtype,
    title: r.title,
    description: r.description,
    exhibitNumber: r.exhibit_number,
    capturedAt: r.captured_at,
    capturedBy: r.captured_by,
    source: r.source,
    originalName: r.original_name,
    size: r.size,
    mediaType: r.media_type,
    sha256: r.sha256,
    blobName: r.blob_name,
    metadata: JSON.parse(r.metadata) as Record<string, unknown>,
    parentId: r.parent_id,
    createdAt: r.created_at,
    createdBy: r.created_by,
  };
}

const PATCH_COLUMNS = {
  title: 'title',
  description: 'description',
  exhibitNumber: 'exhibit_number',
  capturedAt: 'captured_at',
  capturedBy: 'captured_by',
  source: 'source',
  subtype: 'subtype',
} as const;

const UNIQUES = {
  'items.exhibit_number': 'EXHIBIT_NUMBER_EXISTS',
  'items.uid': { code: 'BAD_INPUT', message: 'An item with that identifier already exists.' },
} as const;

export class ItemsRepo {
  constructor(private readonly sql: Sql) {}

  /**
   * Record an item. The caller has already stored its blob (if any): a blob is written and
   * synced before the row that refers to it is committed.
   */
  insert(input: NewItem): ItemRecord {
    return this.sql.tx(() => {
      if (this.sql.get(`SELECT 1 FROM cases WHERE id = ?`, input.caseId) === undefined) {
        throw new KesiError('CASE_NOT_FOUND');
      }
      if (this.sql.get(`SELECT 1 FROM users WHERE id = ?`, input.createdBy) === undefined) {
        throw new KesiError('USER_NOT_FOUND');
      }
      if (input.parentId !== undefined && input.parentId !== null) {
        const parent = this.find(input.parentId);
        if (parent === undefined) throw new KesiError('ITEM_NOT_FOUND');
        if (parent.caseId !== input.caseId) {
          throw new KesiError('BAD_INPUT', 'A derived item belongs to the case of its original.');
        }
      }
      let id: number;
      try {
        id = this.sql.insert(
          `INSERT INTO items (uid, case_id, kind, subtype, title, description, exhibit_number,
             captured_at, captured_by, source, original_name, size, media_type, sha256,
             blob_name, metadata, parent_id, created_at, created_by)
           VALUES (@uid, @caseId, @kind, @subtype, @title, @description, @exhibitNumber,
             @capturedAt, @capturedBy, @source, @originalName, @size, @mediaType, @sha256,
             @blobName, @metadata, @parentId, @createdAt, @createdBy)`,
          {
            uid: input.uid ?? randomUUID(),
            caseId: input.caseId,
            kind: input.kind,
            subtype: input.subtype ?? null,
            title: input.title,
            description: input.description ?? null,
            exhibitNumber: input.exhibitNumber ?? null,
            capturedAt: input.capturedAt ?? null,
            capturedBy: input.capturedBy ?? null,
            source: input.source ?? null,
            originalName: input.originalName ?? null,
            size: input.size,
            mediaType: input.mediaType,
            sha256: input.sha256,
            blobName: input.blobName,
            metadata: JSON.stringify(input.metadata ?? {}),
            parentId: input.parentId ?? null,
            createdAt: input.createdAt ?? nowIso(),
            createdBy: input.createdBy,
          },
        );
      } catch (e) {
        rethrowConstraint(e, UNIQUES);
      }
      return this.get(id);
    });
  }

  find(id: number): ItemRecord | undefined {
    const r = this.sql.get<ItemRow>(`SELECT * FROM items WHERE id = ?`, id);
    return r && toItem(r);
  }

  get(id: number): ItemRecord {
    const item = this.find(id);
    if (item === undefined) throw new KesiError('ITEM_NOT_FOUND');
    return item;
  }

  findByUid(uid: string): ItemRecord | undefined {
    const r = this.sql.get<ItemRow>(`SELECT * FROM items WHERE uid = ?`, uid);
    return r && toItem(r);
  }

  /** In intake order. */
  listByCase(caseId: number): ItemRecord[] {
    return this.sql
      .all<ItemRow>(`SELECT * FROM items WHERE case_id = ? ORDER BY id`, caseId)
      .map(toItem);
  }

  /** Items derived from the given item (redactions and the like), oldest first. */
  listDerived(parentId: number): ItemRecord[] {
    return this.sql
      .all<ItemRow>(`SELECT * FROM items WHERE parent_id = ? ORDER BY id`, parentId)
      .map(toItem);
  }

  /** The first item of the case with this content: a duplicate intake. */
  findByCaseAndSha(caseId: number, sha256: string): ItemRecord | undefined {
    const r = this.sql.get<ItemRow>(
      `SELECT * FROM items WHERE case_id = ? AND sha256 = ? ORDER BY id LIMIT 1`,
      caseId,
      sha256,
    );
    return r && toItem(r);
  }

  /** Any item, in any case, whose stored blob holds this content: the blob can be reused. */
  findAnyBySha(sha256: string): ItemRecord | undefined {
    const r = this.sql.get<ItemRow>(
      `SELECT * FROM items WHERE sha256 = ? AND blob_name IS NOT NULL ORDER BY id LIMIT 1`,
      sha256,
    );
    return r && toItem(r);
  }

  /** Change descriptive fields. Content, hash, kind, blob and provenance never change. */
  update(id: number, patch: ItemPatch): ItemRecord {
    return this.sql.tx(() => {
      this.get(id);
      const { sets, params } = patchAssignments(patch, PATCH_COLUMNS);
      if (sets.length === 0) return this.get(id);
      try {
        this.sql.run(`UPDATE items SET ${sets.join(', ')} WHERE id = @id`, { ...params, id });
      } catch (e) {
        rethrowConstraint(e, UNIQUES);
      }
      return this.get(id);
    });
  }

  /** Distinct blob names referred to by items. */
  allBlobNames(): string[] {
    return this.sql
      .all<{
        blob_name: string;
      }>(`SELECT DISTINCT blob_name FROM items WHERE blob_name IS NOT NULL ORDER BY blob_name`)
      .map((r) => r.blob_name);
  }

  countByCase(caseId: number): number {
    return (
      this.sql.get<{ n: number }>(`SELECT count(*) AS n FROM items WHERE case_id = ?`, caseId)?.n ??
      0
    );
  }
}
