// The first catalogue schema: users and their signing keys, cases, persons, items, derivatives,
// bundles, and the full-text index kept in sync by triggers.
import type { Migration } from './types';

const HEX = '[0-9a-f]';
const DIGIT = '[0-9]';
const rep = (s: string, n: number): string => s.repeat(n);

/** ISO-8601 UTC with milliseconds: 2026-03-14T09:26:53.589Z. */
const ISO_TIME = `${rep(DIGIT, 4)}-${rep(DIGIT, 2)}-${rep(DIGIT, 2)}T${rep(DIGIT, 2)}:${rep(DIGIT, 2)}:${rep(DIGIT, 2)}.${rep(DIGIT, 3)}Z`;
/** Lower-case UUID text. */
const UUID = `${rep(HEX, 8)}-${rep(HEX, 4)}-${rep(HEX, 4)}-${rep(HEX, 4)}-${rep(HEX, 12)}`;

const iso = (table: string, column: string): string =>
  `CONSTRAINT ${table}_${column}_iso CHECK (${column} GLOB '${ISO_TIME}')`;
const uuid = (table: string): string => `CONSTRAINT ${table}_uid_uuid CHECK (uid GLOB '${UUID}')`;
const sha = (table: string, column: string): string =>
  `CONSTRAINT ${table}_${column}_hex CHECK (length(${column}) = 64 AND ${column} NOT GLOB '*[^0-9a-f]*')`;
const nonEmpty = (table: string, column: string): string =>
  `CONSTRAINT ${table}_${column}_nonempty CHECK (length(trim(${column})) > 0)`;
const oneOf = (table: string, column: string, values: readonly string[]): string =>
  `CONSTRAINT ${table}_${column}_enum CHECK (${column} IN (${values.map((v) => `'${v}'`).join(', ')}))`;
const flag = (table: string, column: string): string =>
  `CONSTRAINT ${table}_${column}_flag CHECK (${column} IN (0, 1))`;

// Frozen copies of the vocabularies as they were when this migration was written.
const ROLES = ['admin', 'investigator', 'lawyer', 'auditor'];
const CASE_STATUSES = ['open', 'closed', 'archived'];
const PERSON_ROLES = ['survivor', 'witness', 'suspect_officer', 'medical_officer', 'next_of_kin'];
const ITEM_KINDS = [
  'statement',
  'medical_report',
  'photo',
  'document',
  'audio',
  'video',
  'physical_exhibit',
  'other',
];
const MEDICAL_SUBTYPES = ['p3', 'prc', 'post_mortem', 'treatment_notes', 'other'];
const DERIVATIVE_KINDS = ['thumbnail', 'page_image', 'preview'];

// Full-text index rows are keyed by rowid = id * 4 + type (1 case, 2 person, 3 item), so that
// the triggers can find a row without scanning. Columns: case_id (not indexed), title (shown),
// body (shown), secret (matched, never shown: a protected person's full name).
const caseRowid = (r: string): string => `${r}.id * 4 + 1`;
const personRowid = (r: string): string => `${r}.id * 4 + 2`;
const itemRowid = (r: string): string => `${r}.id * 4 + 3`;

const caseFts = (r: string): string => `
  INSERT INTO search_index (rowid, case_id, title, body, secret) VALUES (
    ${caseRowid(r)}, ${r}.id, ${r}.title,
    ${r}.ref || ' ' || coalesce(${r}.ob_number, '') || ' ' || coalesce(${r}.police_station, '')
      || ' ' || coalesce(${r}.county, '') || ' ' || coalesce(${r}.court_case_number, ''),
    '');`;

const personFts = (r: string): string => `
  INSERT INTO search_index (rowid, case_id, title, body, secret) VALUES (
    ${personRowid(r)}, ${r}.case_id,
    CASE WHEN ${r}.protected = 1 THEN ${r}.pseudonym ELSE ${r}.full_name END,
    CASE WHEN ${r}.protected = 1 THEN '' ELSE coalesce(${r}.pseudonym, '') END
      || ' ' || coalesce(${r}.service_number, ''),
    CASE WHEN ${r}.protected = 1 THEN ${r}.full_name ELSE '' END);`;

const itemFts = (r: string): string => `
  INSERT INTO search_index (rowid, case_id, title, body, secret) VALUES (
    ${itemRowid(r)}, ${r}.case_id, ${r}.title,
    coalesce(${r}.description, '') || ' ' || coalesce(${r}.original_name, '')
      || ' ' || coalesce(${r}.exhibit_number, ''),
    '');`;

const SCHEMA = `
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  -- NFC lower-case form of name: what makes names unique regardless of case.
  name_key TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  created_at TEXT NOT NULL,
  removed_at TEXT,
  ${nonEmpty('users', 'name')},
  ${oneOf('users', 'role', ROLES)},
  ${iso('users', 'created_at')},
  ${iso('users', 'removed_at')}
) STRICT;

CREATE TABLE user_keys (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id),
  key_id TEXT NOT NULL UNIQUE,
  public_key TEXT NOT NULL,
  created_at TEXT NOT NULL,
  revoked_at TEXT,
  ${nonEmpty('user_keys', 'key_id')},
  CONSTRAINT user_keys_public_key_ed25519 CHECK (
    length(public_key) = 44 AND public_key GLOB '*=' AND public_key NOT GLOB '*[^A-Za-z0-9+/=]*'),
  ${iso('user_keys', 'created_at')},
  ${iso('user_keys', 'revoked_at')}
) STRICT;
CREATE INDEX user_keys_user ON user_keys (user_id);

CREATE TABLE cases (
  id INTEGER PRIMARY KEY,
  uid TEXT NOT NULL UNIQUE,
  ref TEXT NOT NULL COLLATE NOCASE UNIQUE,
  title TEXT NOT NULL,
  ob_number TEXT,
  police_station TEXT,
  county TEXT,
  incident_date TEXT,
  court TEXT,
  court_case_number TEXT,
  status TEXT NOT NULL DEFAULT 'open',
  accountable_officer TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users (id),
  ${uuid('cases')},
  ${nonEmpty('cases', 'ref')},
  ${nonEmpty('cases', 'title')},
  CONSTRAINT cases_incident_date_date CHECK (date(incident_date) IS incident_date),
  ${oneOf('cases', 'status', CASE_STATUSES)},
  ${iso('cases', 'created_at')},
  ${iso('cases', 'updated_at')}
) STRICT;
CREATE INDEX cases_created_by ON cases (created_by);

CREATE TABLE persons (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases (id),
  role TEXT NOT NULL,
  full_name TEXT NOT NULL,
  pseudonym TEXT,
  protected INTEGER NOT NULL DEFAULT 0,
  minor INTEGER NOT NULL DEFAULT 0,
  service_number TEXT,
  contact TEXT,
  created_at TEXT NOT NULL,
  ${oneOf('persons', 'role', PERSON_ROLES)},
  ${nonEmpty('persons', 'full_name')},
  ${flag('persons', 'protected')},
  ${flag('persons', 'minor')},
  CONSTRAINT persons_protected_pseudonym CHECK (
    protected = 0 OR (pseudonym IS NOT NULL AND length(trim(pseudonym)) > 0)),
  ${iso('persons', 'created_at')}
) STRICT;
CREATE INDEX persons_case ON persons (case_id);

CREATE TABLE items (
  id INTEGER PRIMARY KEY,
  uid TEXT NOT NULL UNIQUE,
  case_id INTEGER NOT NULL REFERENCES cases (id),
  kind TEXT NOT NULL,
  subtype TEXT,
  title TEXT NOT NULL,
  description TEXT,
  exhibit_number TEXT,
  captured_at TEXT,
  captured_by TEXT,
  source TEXT,
  original_name TEXT,
  size INTEGER NOT NULL,
  media_type TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  blob_name TEXT,
  metadata TEXT NOT NULL DEFAULT '{}',
  parent_id INTEGER REFERENCES items (id),
  created_at TEXT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users (id),
  ${uuid('items')},
  ${oneOf('items', 'kind', ITEM_KINDS)},
  CONSTRAINT items_subtype CHECK (
    subtype IS NULL
    OR (kind = 'medical_report' AND subtype IN (${MEDICAL_SUBTYPES.map((v) => `'${v}'`).join(', ')}))),
  ${nonEmpty('items', 'title')},
  CONSTRAINT items_size_nonnegative CHECK (size >= 0),
  ${nonEmpty('items', 'media_type')},
  ${sha('items', 'sha256')},
  CONSTRAINT items_blob CHECK (blob_name IS NOT NULL OR kind = 'physical_exhibit'),
  CONSTRAINT items_blob_name_nonempty CHECK (length(blob_name) > 0),
  CONSTRAINT items_metadata_object CHECK (json_valid(metadata) AND json_type(metadata) = 'object'),
  ${iso('items', 'created_at')}
) STRICT;
CREATE INDEX items_case_sha256 ON items (case_id, sha256);
CREATE INDEX items_sha256 ON items (sha256);
CREATE INDEX items_parent ON items (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX items_created_by ON items (created_by);
CREATE UNIQUE INDEX items_case_exhibit_number
  ON items (case_id, exhibit_number COLLATE NOCASE) WHERE exhibit_number IS NOT NULL;

CREATE TABLE derivatives (
  id INTEGER PRIMARY KEY,
  item_id INTEGER NOT NULL REFERENCES items (id),
  kind TEXT NOT NULL,
  media_type TEXT NOT NULL,
  blob_name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  width INTEGER,
  height INTEGER,
  page INTEGER,
  created_at TEXT NOT NULL,
  ${oneOf('derivatives', 'kind', DERIVATIVE_KINDS)},
  ${nonEmpty('derivatives', 'media_type')},
  ${nonEmpty('derivatives', 'blob_name')},
  ${sha('derivatives', 'sha256')},
  CONSTRAINT derivatives_width_positive CHECK (width > 0),
  CONSTRAINT derivatives_height_positive CHECK (height > 0),
  CONSTRAINT derivatives_page_positive CHECK (page > 0),
  ${iso('derivatives', 'created_at')}
) STRICT;
CREATE INDEX derivatives_item ON derivatives (item_id, kind, page);

CREATE TABLE bundles (
  id INTEGER PRIMARY KEY,
  uid TEXT NOT NULL UNIQUE,
  case_id INTEGER NOT NULL REFERENCES cases (id),
  title TEXT NOT NULL,
  spec TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users (id),
  last_generated_at TEXT,
  last_sha256 TEXT,
  ${uuid('bundles')},
  ${nonEmpty('bundles', 'title')},
  CONSTRAINT bundles_spec_json CHECK (json_valid(spec)),
  ${iso('bundles', 'created_at')},
  ${iso('bundles', 'last_generated_at')},
  ${sha('bundles', 'last_sha256')}
) STRICT;
CREATE INDEX bundles_case ON bundles (case_id);
CREATE INDEX bundles_created_by ON bundles (created_by);

CREATE VIRTUAL TABLE search_index USING fts5 (
  case_id UNINDEXED,
  title,
  body,
  secret,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3'
);

CREATE TRIGGER cases_search_insert AFTER INSERT ON cases BEGIN ${caseFts('new')} END;
CREATE TRIGGER cases_search_update
  AFTER UPDATE OF id, ref, title, ob_number, police_station, county, court_case_number ON cases
BEGIN
  DELETE FROM search_index WHERE rowid = ${caseRowid('old')};
  ${caseFts('new')}
END;
CREATE TRIGGER cases_search_delete AFTER DELETE ON cases BEGIN
  DELETE FROM search_index WHERE rowid = ${caseRowid('old')};
END;

CREATE TRIGGER persons_search_insert AFTER INSERT ON persons BEGIN ${personFts('new')} END;
CREATE TRIGGER persons_search_update
  AFTER UPDATE OF id, case_id, full_name, pseudonym, protected, service_number ON persons
BEGIN
  DELETE FROM search_index WHERE rowid = ${personRowid('old')};
  ${personFts('new')}
END;
CREATE TRIGGER persons_search_delete AFTER DELETE ON persons BEGIN
  DELETE FROM search_index WHERE rowid = ${personRowid('old')};
END;

CREATE TRIGGER items_search_insert AFTER INSERT ON items BEGIN ${itemFts('new')} END;
CREATE TRIGGER items_search_update
  AFTER UPDATE OF id, case_id, title, description, original_name, exhibit_number ON items
BEGIN
  DELETE FROM search_index WHERE rowid = ${itemRowid('old')};
  ${itemFts('new')}
END;
CREATE TRIGGER items_search_delete AFTER DELETE ON items BEGIN
  DELETE FROM search_index WHERE rowid = ${itemRowid('old')};
END;
`;

export const m0001: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(SCHEMA);
  },
};
