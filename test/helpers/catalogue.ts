// Real encrypted catalogues in temp folders, with a first admin and a case.
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { openCatalogue, type Catalogue, type CatalogueOptions } from '../../electron/catalogue';
import { tempDir } from './tmp';

export function newKey(): Buffer {
  return randomBytes(32);
}

/** A base64 raw Ed25519-sized public key (32 bytes). */
export function fakePublicKey(): string {
  return randomBytes(32).toString('base64');
}

export function fakeKeyId(): string {
  return randomBytes(16).toString('hex');
}

/** SHA-256 hex of a string: stands in for the hash of some content. */
export function sha(content: string): string {
  return createHash('sha256').update(content).digest('hex');
}

export interface Fixture {
  cat: Catalogue;
  file: string;
  key: Buffer;
  adminId: number;
  reopen(opts?: CatalogueOptions): Catalogue;
}

export function newCatalogue(opts: CatalogueOptions = {}): Fixture {
  const file = join(tempDir('kesi-cat-'), 'catalogue.db');
  const key = newKey();
  const cat = openCatalogue(file, key, opts);
  const admin = cat.users.insert({
    name: 'amina',
    role: 'admin',
    key: { keyId: fakeKeyId(), publicKey: fakePublicKey() },
  });
  const f: Fixture = {
    cat,
    file,
    key,
    adminId: admin.id,
    reopen(o: CatalogueOptions = {}) {
      f.cat.close();
      f.cat = openCatalogue(file, key, o);
      return f.cat;
    },
  };
  return f;
}
