// The custody log: every event as written (its JSON, hashed and signed), in global append order
// (the Merkle tree's leaf order), and each chain's recorded head, kept apart from the events so
// that deleting the last events of a chain is caught.
import type { Migration } from './types';

const SCHEMA = `
CREATE TABLE custody_events (
  -- Global append position, from 1; the Merkle leaf index is pos - 1.
  pos INTEGER PRIMARY KEY,
  chain TEXT NOT NULL,
  seq INTEGER NOT NULL CHECK (seq >= 1),
  hash TEXT NOT NULL CHECK (length(hash) = 64 AND hash NOT GLOB '*[^0-9a-f]*'),
  action TEXT NOT NULL,
  case_id INTEGER REFERENCES cases(id),
  item_id INTEGER REFERENCES items(id),
  at TEXT NOT NULL,
  -- The event exactly as written: every member, with hash and sig.
  event TEXT NOT NULL CHECK (json_valid(event))
) STRICT;
CREATE INDEX custody_events_chain ON custody_events(chain, seq);
CREATE INDEX custody_events_item ON custody_events(item_id) WHERE item_id IS NOT NULL;

CREATE TABLE custody_heads (
  chain TEXT PRIMARY KEY,
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL
) STRICT;

-- Append-only: the service never changes or removes an event. (Whoever holds the key can drop
-- these triggers; the audit, not the triggers, is what proves the log intact.)
CREATE TRIGGER custody_events_no_update BEFORE UPDATE ON custody_events
BEGIN SELECT RAISE(ABORT, 'the custody log is append-only'); END;
CREATE TRIGGER custody_events_no_delete BEFORE DELETE ON custody_events
BEGIN SELECT RAISE(ABORT, 'the custody log is append-only'); END;
`;

export const m0002: Migration = {
  version: 2,
  name: 'custody',
  up(db) {
    db.exec(SCHEMA);
  },
};
