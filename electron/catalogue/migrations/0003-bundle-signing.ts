// Bundle signing identities: each user's RSA certificate for the PDF signature of the bundles
// they generate. The certificate is public; the private key is kept only inside a PKCS#12 file
// whose passphrase is derived from the user's own Ed25519 signing key (see
// electron/service/bundle-identity.ts), so that no other user of the vault can sign as them.
// One identity per signing key: a new key (a reset or a recovery) gets a new certificate.
import type { Migration } from './types';

const SCHEMA = `
CREATE TABLE signing_identities (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id),
  -- The user's Ed25519 key whose derived secret opens the PKCS#12.
  key_id TEXT NOT NULL UNIQUE,
  certificate BLOB NOT NULL,
  certificate_sha256 TEXT NOT NULL,
  p12 BLOB NOT NULL,
  created_at TEXT NOT NULL,
  CONSTRAINT signing_identities_key_id_hex CHECK (
    length(key_id) = 32 AND key_id NOT GLOB '*[^0-9a-f]*'),
  CONSTRAINT signing_identities_certificate_sha256_hex CHECK (
    length(certificate_sha256) = 64 AND certificate_sha256 NOT GLOB '*[^0-9a-f]*'),
  CONSTRAINT signing_identities_created_at_iso CHECK (
    created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z')
) STRICT;
CREATE INDEX signing_identities_user ON signing_identities (user_id);
`;

export const m0003: Migration = {
  version: 3,
  name: 'bundle-signing',
  up(db) {
    db.exec(SCHEMA);
  },
};
