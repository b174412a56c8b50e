// Records and inputs of the catalogue. The domain types (shared/domain.ts) are what the rest of
// the app sees; the records below add the few stored fields the domain does not carry (uid,
// createdBy) and the types the domain does not define yet (keys, derivatives, bundles, hits).
import type {
  Case,
  CaseStatus,
  Item,
  ItemKind,
  MedicalSubtype,
  Person,
  PersonRole,
  Role,
} from '../../shared/domain';

/** ISO-8601 UTC with milliseconds, as produced by `Date.prototype.toISOString()`. */
export type IsoTime = string;

export interface UserKey {
  id: number;
  userId: number;
  keyId: string;
  publicKey: string; // base64 raw Ed25519 public key
  createdAt: IsoTime;
  revokedAt: IsoTime | null;
}

export interface NewUserKey {
  keyId: string;
  publicKey: string;
  createdAt?: IsoTime;
}

export interface NewUser {
  name: string;
  role: Role;
  createdAt?: IsoTime;
  /** The user's first signing key, added in the same transaction. */
  key?: NewUserKey;
}

export interface CaseRecord extends Case {
  uid: string;
  createdBy: number;
}

export interface NewCase {
  uid?: string;
  ref: string;
  title: string;
  obNumber?: string | null;
  policeStation?: string | null;
  county?: string | null;
  incidentDate?: string | null;
  court?: string | null;
  courtCaseNumber?: string | null;
  status?: CaseStatus;
  accountableOfficer?: string | null;
  createdBy: number;
  createdAt?: IsoTime;
}

export type CasePatch = Partial<
  Pick<
    Case,
    | 'ref'
    | 'title'
    | 'obNumber'
    | 'policeStation'
    | 'county'
    | 'incidentDate'
    | 'court'
    | 'courtCaseNumber'
    | 'status'
    | 'accountableOfficer'
  >
> & { updatedAt?: IsoTime };

export interface CaseFilter {
  status?: CaseStatus;
  /** Case-insensitive equality. */
  county?: string;
  /** Words matched (by prefix, ignoring case and diacritics) against the case's own text. */
  text?: string;
}

export interface NewPerson {
  caseId: number;
  role: PersonRole;
  fullName: string;
  pseudonym?: string | null;
  protected?: boolean;
  minor?: boolean;
  serviceNumber?: string | null;
  contact?: string | null;
  createdAt?: IsoTime;
}

export type PersonPatch = Partial<
  Pick<
    Person,
    'role' | 'fullName' | 'pseudonym' | 'protected' | 'minor' | 'serviceNumber' | 'contact'
  >
>;

export interface ItemRecord extends Item {
  uid: string;
}

export interface NewItem {
  uid?: string;
  caseId: number;
  kind: ItemKind;
  subtype?: MedicalSubtype | null;
  title: string;
  description?: string | null;
  exhibitNumber?: string | null;
  capturedAt?: string | null;
  capturedBy?: string | null;
  source?: string | null;
  originalName?: string | null;
  size: number;
  mediaType: string;
  sha256: string;
  /** Null only for physical exhibits. */
  blobName: string | null;
  metadata?: Record<string, unknown>;
  parentId?: number | null;
  createdAt?: IsoTime;
  createdBy: number;
}

/** What may change on an item after intake. Content, hash, kind and blob never change. */
export type ItemPatch = Partial<
  Pick<
    Item,
    'title' | 'description' | 'exhibitNumber' | 'capturedAt' | 'capturedBy' | 'source' | 'subtype'
  >
>;

export const DERIVATIVE_KINDS = ['thumbnail', 'page_image', 'preview'] as const;
export type DerivativeKind = (typeof DERIVATIVE_KINDS)[number];

/** A rendering made from an item (thumbnail, page image, preview); never evidence itself. */
export interface Derivative {
  id: number;
  itemId: number;
  kind: DerivativeKind;
  mediaType: string;
  blobName: string;
  sha256: string;
  width: number | null;
  height: number | null;
  /** 1-based page of the item this rendering shows, for page images of multi-page items. */
  page: number | null;
  createdAt: IsoTime;
}

export interface NewDerivative {
  itemId: number;
  kind: DerivativeKind;
  mediaType: string;
  blobName: string;
  sha256: string;
  width?: number | null;
  height?: number | null;
  page?: number | null;
  createdAt?: IsoTime;
}

export interface Bundle {
  id: number;
  uid: string;
  caseId: number;
  title: string;
  /** The stored bundle spec (JSON); its schema belongs to the bundle module. */
  spec: unknown;
  createdAt: IsoTime;
  createdBy: number;
  lastGeneratedAt: IsoTime | null;
  lastSha256: string | null;
}

export interface NewBundle {
  uid?: string;
  caseId: number;
  title: string;
  spec: unknown;
  createdBy: number;
  createdAt?: IsoTime;
}

export interface BundlePatch {
  title?: string;
  spec?: unknown;
}

export type SearchHitType = 'case' | 'person' | 'item';

export interface SearchHit {
  type: SearchHitType;
  id: number;
  caseId: number;
  caseRef: string;
  /** Case title, item title, or a person's display name (the pseudonym when protected). */
  title: string;
  /** Matching text with the matched words between the marks; never a protected full name. */
  snippet: string;
}

export interface SearchOptions {
  caseId?: number;
  /** Default 50, at most 500. */
  limit?: number;
  /** Strings put around matched words in the snippet. Default ['[', ']']. */
  mark?: readonly [string, string];
}
