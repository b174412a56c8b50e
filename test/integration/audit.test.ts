// The vault audit on real vaults: a clean vault passes with no problem at all, and each way an
// attacker holding the vault key could tamper with the evidence or its custody is caught and
// named: the event (case and number) or the item (id and title).
import { randomBytes, randomUUID, createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KesiError } from '../../shared/errors';
import type { Db } from '../../electron/catalogue';
import { caseChainId, CustodyLog } from '../../electron/custody/log';
import { signEvent, type CustodyEvent } from '../../electron/custody/event';
import { generateSigningKey } from '../../electron/custody/keys';
import { lockVault } from '../../electron/vault/vault';
import type { KesiService } from '../../electron/service/service';
import {
  auditVault,
  formatAuditReport,
  AUDIT_PHASES,
  type AuditProblem,
  type AuditReport,
} from '../../electron/verify/audit';
import { cameraJpeg } from '../helpers/images';
import { tempDir } from '../helpers/tmp';
import { ADMIN, ADMIN_PASS, addUser, newVault, openAs } from '../helpers/vault';

interface Built {
  dir: string;
  barakaPass: string;
  ke1: string; // chain ids
  ke2: string;
  items: {
    statement: number;
    photo: number;
    scan: number;
    shirt: number;
    copy: number;
    cartridge: number;
  };
}

/**
 * Two cases, two users, a text statement, a JPEG (with its two derivatives), random bytes taken
 * in with force, two physical exhibits with transfers, a view and an edit; the same statement
 * in both cases (stored once). Two sessions, each locked, so two signed tree heads.
 *
 * Case KE-1: #1 create, #2 intake statement, #3 intake photo, #4 intake scan, #5 intake shirt,
 *            #6 transfer shirt, #7 view photo, #8 edit statement.
 * Case KE-2: #1 create, #2 intake copy (baraka), #3 intake cartridge, #4 transfer (baraka).
 * Vault:     #1 vault_create, #2 user_add amina, #3 user_add baraka, #4 tree_head (amina),
 *            #5 tree_head (baraka).
 */
async function buildVault(): Promise<Built> {
  const { dir, service } = await newVault({ name: 'IMLU Nairobi' });
  const barakaPass = await addUser(service, 'baraka', 'investigator');
  const c1 = service.createCase({ ref: 'KE-1', title: 'Death in custody, Kilimani' });
  const c2 = service.createCase({ ref: 'KE-2', title: 'Assault at a roadblock' });
  const src = tempDir();
  const statement = join(src, 'statement.txt');
  writeFileSync(statement, 'Statement of W1.\nI saw two officers take him into the cells.\n');
  const photo = join(src, 'injuries.jpg');
  writeFileSync(photo, await cameraJpeg(320, 240, 7));
  const scan = join(src, 'ob-extract.bin');
  writeFileSync(scan, randomBytes(40_000));

  const [st] = await service.addFiles({
    caseRef: 'KE-1',
    paths: [statement],
    kind: 'statement',
    title: 'Statement of W1',
    exhibitNumber: 'PExh-1',
  });
  const [ph] = await service.addFiles({
    caseRef: 'KE-1',
    paths: [photo],
    title: 'Injuries to the left arm',
    exhibitNumber: 'PExh-2',
  });
  const [sc] = await service.addFiles({
    caseRef: 'KE-1',
    paths: [scan],
    force: true,
    title: 'Scanned OB extract',
  });
  const shirt = service.addExhibit('KE-1', {
    title: 'Blood-stained shirt',
    exhibitNumber: 'PExh-4',
    seal: 'S-001',
    custodian: 'Cpl. Otieno',
    reason: 'Recovered at the scene',
  });
  service.transfer(shirt.id, {
    to: 'Government Chemist',
    organisation: 'Government Chemist',
    place: 'Nairobi',
    seal: 'S-001',
    reason: 'Sent for DNA analysis',
  });
  await service.readItem(ph!.itemId!);
  service.updateItem(st!.itemId!, {
    description: 'Typed by the investigator',
    reason: 'Added a description',
  });
  service.lock();

  const b = await openAs(dir, 'baraka', barakaPass);
  const [copy] = await b.addFiles({
    caseRef: 'KE-2',
    paths: [statement],
    title: 'Statement of W1 (copy)',
  });
  const cartridge = b.addExhibit('KE-2', { title: 'Spent cartridge case', exhibitNumber: 'MFI-1' });
  b.transfer(cartridge.id, { to: 'Ballistics laboratory', reason: 'For examination' });
  b.lock();

  for (const r of [st, ph, sc, copy]) expect(r?.status).toBe('added');
  return {
    dir,
    barakaPass,
    ke1: caseChainId(c1.uid),
    ke2: caseChainId(c2.uid),
    items: {
      statement: st!.itemId!,
      photo: ph!.itemId!,
      scan: sc!.itemId!,
      shirt: shirt.id,
      copy: copy!.itemId!,
      cartridge: cartridge.id,
    },
  };
}

/** Opens a session, lets `fn` work on the database as an attacker with the key would, closes. */
async function tamper(dir: string, fn: (db: Db, s: KesiService) => void | Promise<void>) {
  const s = await openAs(dir, ADMIN, ADMIN_PASS);
  try {
    await fn(s.vault.catalogue.db, s);
  } finally {
    // Closed without a new tree head: the attacker leaves no trace of the session.
    lockVault(s.vault);
  }
}

/** A fresh session, the audit, and the vault locked again. */
async function audit(dir: string): Promise<AuditReport> {
  const s = await openAs(dir, ADMIN, ADMIN_PASS);
  try {
    return await auditVault(s.vault);
  } finally {
    lockVault(s.vault);
  }
}

function dropGuards(db: Db): void {
  db.exec(`DROP TRIGGER custody_events_no_update; DROP TRIGGER custody_events_no_delete;`);
}

interface Row {
  pos: number;
  chain: string;
  seq: number;
  hash: string;
  action: string;
  case_id: number | null;
  item_id: number | null;
  at: string;
  event: string;
}

function rowOf(db: Db, chain: string, seq: number): Row {
  const r = db
    .prepare(`SELECT * FROM custody_events WHERE chain = ? AND seq = ?`)
    .get(chain, seq) as Row | undefined;
  if (r === undefined) throw new Error(`no event #${seq} in ${chain}`);
  return r;
}

function errors(r: AuditReport): AuditProblem[] {
  return r.problems.filter((p) => p.severity === 'error');
}

function only(r: AuditReport, code: string): AuditProblem[] {
  return r.problems.filter((p) => p.code === code);
}

describe('vault audit', () => {
  it('passes a clean vault with no problem at all, and says so in the text report', async () => {
    const v = await buildVault();
    const r = await audit(v.dir);
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.counts).toEqual({
      chains: 3,
      events: 17,
      items: 6,
      derivatives: 2,
      blobs: 5, // the statement is stored once for both cases
      bytesChecked: expect.any(Number) as number,
    });
    expect(r.counts.bytesChecked).toBeGreaterThan(40_000);
    const text = formatAuditReport(r);
    expect(text).toContain('RESULT: INTACT.');
    expect(text).toContain('IMLU Nairobi');
    expect(text).toMatch(/Started {4}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d EAT/);
    expect(text).toContain('3 custody logs with 17 events');
  });

  it('catches one field of an event edited, naming the case and event number', async () => {
    const v = await buildVault();
    await tamper(v.dir, (db) => {
      dropGuards(db);
      const row = rowOf(db, v.ke1, 6);
      const ev = JSON.parse(row.event) as CustodyEvent;
      expect(ev.action).toBe('transfer');
      ev.reason = 'Returned to the family';
      db.prepare(`UPDATE custody_events SET event = ? WHERE pos = ?`).run(
        JSON.stringify(ev),
        row.pos,
      );
    });
    const r = await audit(v.dir);
    expect(r.ok).toBe(false);
    expect(errors(r)).toEqual([
      expect.objectContaining({
        code: 'hash_mismatch',
        caseRef: 'KE-1',
        chain: v.ke1,
        seq: 6,
        itemId: v.items.shirt,
      }),
    ]);
    const p = errors(r)[0]!;
    expect(p.message).toContain('case KE-1');
    expect(p.message).toContain('Event #6 (transfer by amina');
    expect(p.message).toContain('has been altered');
  });

  it('catches an event deleted from the middle of a chain', async () => {
    const v = await buildVault();
    await tamper(v.dir, (db) => {
      dropGuards(db);
      const row = rowOf(db, v.ke1, 7);
      expect(row.action).toBe('view');
      db.prepare(`DELETE FROM custody_events WHERE pos = ?`).run(row.pos);
    });
    const r = await audit(v.dir);
    expect(r.ok).toBe(false);
    const missing = only(r, 'missing');
    expect(missing).toEqual([expect.objectContaining({ caseRef: 'KE-1', chain: v.ke1, seq: 7 })]);
    expect(missing[0]!.message).toContain('Event #7 is missing: the log goes from #6 to #8');
    expect(only(r, 'position_gap')).toHaveLength(1);
    // Both tree heads were signed when the event was there.
    expect(only(r, 'tree_head_beyond_log').map((p) => p.seq)).toEqual([4, 5]);
  });

  it('catches the last event of a chain deleted', async () => {
    const v = await buildVault();
    await tamper(v.dir, (db) => {
      dropGuards(db);
      db.prepare(`DELETE FROM custody_events WHERE pos = ?`).run(rowOf(db, v.ke1, 8).pos);
    });
    const r = await audit(v.dir);
    expect(r.ok).toBe(false);
    const truncated = only(r, 'truncated');
    expect(truncated).toEqual([expect.objectContaining({ caseRef: 'KE-1', chain: v.ke1, seq: 8 })]);
    expect(truncated[0]!.message).toContain('missing from the end of the log of case KE-1');
  });

  it('catches the last event of a chain deleted together with its recorded head', async () => {
    const v = await buildVault();
    await tamper(v.dir, (db) => {
      dropGuards(db);
      const seven = rowOf(db, v.ke1, 7);
      db.prepare(`DELETE FROM custody_events WHERE pos = ?`).run(rowOf(db, v.ke1, 8).pos);
      db.prepare(`UPDATE custody_heads SET seq = ?, hash = ? WHERE chain = ?`).run(
        seven.seq,
        seven.hash,
        v.ke1,
      );
    });
    const r = await audit(v.dir);
    expect(r.ok).toBe(false);
    // The chain now looks whole: the signed tree heads still count the deleted event.
    expect(r.problems.filter((p) => p.chain === v.ke1)).toEqual([]);
    expect(only(r, 'tree_head_beyond_log')).toEqual([
      expect.objectContaining({ chain: 'vault', seq: 4 }),
      expect.objectContaining({ chain: 'vault', seq: 5 }),
    ]);
  });

  it('catches two events of a chain swapped in storage', async () => {
    const v = await buildVault();
    await tamper(v.dir, (db) => {
      dropGuards(db);
      const a = rowOf(db, v.ke1, 2);
      const b = rowOf(db, v.ke1, 3);
      const put = db.prepare(
        `UPDATE custody_events SET chain = ?, seq = ?, hash = ?, action = ?, case_id = ?,
           item_id = ?, at = ?, event = ? WHERE pos = ?`,
      );
      db.transaction(() => {
        put.run(b.chain, b.seq, b.hash, b.action, b.case_id, b.item_id, b.at, b.event, a.pos);
        put.run(a.chain, a.seq, a.hash, a.action, a.case_id, a.item_id, a.at, a.event, b.pos);
      })();
    });
    const r = await audit(v.dir);
    expect(r.ok).toBe(false);
    const moved = only(r, 'out_of_order');
    expect(moved).toHaveLength(1);
    expect(moved[0]).toMatchObject({ caseRef: 'KE-1', chain: v.ke1 });
    expect([2, 3]).toContain(moved[0]!.seq);
    expect(moved[0]!.message).toContain('stored out of order');
    // The order of the log is fixed by the tree heads too.
    expect(only(r, 'tree_head_root_mismatch').map((p) => p.seq)).toEqual([4, 5]);
  });

  it("catches an event's stored columns changed without its record", async () => {
    const v = await buildVault();
    await tamper(v.dir, (db) => {
      dropGuards(db);
      db.prepare(`UPDATE custody_events SET item_id = ? WHERE pos = ?`).run(
        v.items.scan,
        rowOf(db, v.ke1, 7).pos,
      );
    });
    const r = await audit(v.dir);
    expect(errors(r)).toEqual([
      expect.objectContaining({
        code: 'event_columns_mismatch',
        caseRef: 'KE-1',
        seq: 7,
        itemId: v.items.photo,
      }),
    ]);
    expect(errors(r)[0]!.message).toContain('"Scanned OB extract"');
  });

  it('catches the stored files of two items swapped, naming both items', async () => {
    const v = await buildVault();
    await tamper(v.dir, (_db, s) => {
      const a = s.vault.blobs.pathOf(s.getItem(v.items.photo).blobName!);
      const b = s.vault.blobs.pathOf(s.getItem(v.items.scan).blobName!);
      renameSync(a, `${a}.x`);
      renameSync(b, a);
      renameSync(`${a}.x`, b);
    });
    const r = await audit(v.dir);
    expect(r.ok).toBe(false);
    const wrong = only(r, 'blob_wrong_content');
    expect(wrong.map((p) => p.itemId).sort()).toEqual([v.items.photo, v.items.scan].sort());
    const photo = wrong.find((p) => p.itemId === v.items.photo)!;
    expect(photo.message).toContain(`item ${v.items.photo} "Injuries to the left arm"`);
    expect(photo.message).toContain(
      `that is the content of item ${v.items.scan} "Scanned OB extract"`,
    );
    expect(photo.path).toMatch(/^blobs\/[0-9a-f]{2}\/[0-9a-f]{62}$/);
    expect(errors(r)).toHaveLength(2);
    for (const line of formatAuditReport(r).split('\n')) {
      expect(line.length).toBeLessThanOrEqual(100);
    }
  });

  it('catches one byte flipped in a stored file, naming the item and exhibit number', async () => {
    const v = await buildVault();
    await tamper(v.dir, (_db, s) => {
      const path = s.vault.blobs.pathOf(s.getItem(v.items.photo).blobName!);
      const bytes = readFileSync(path);
      bytes[bytes.length - 100]! ^= 0x01;
      writeFileSync(path, bytes);
    });
    const r = await audit(v.dir);
    expect(errors(r)).toEqual([
      expect.objectContaining({ code: 'blob_corrupt', itemId: v.items.photo, caseRef: 'KE-1' }),
    ]);
    expect(errors(r)[0]!.message).toContain(
      `item ${v.items.photo} "Injuries to the left arm" (exhibit PExh-2) of case KE-1`,
    );
  });

  it("catches a user's public key replaced with another valid key", async () => {
    const v = await buildVault();
    await tamper(v.dir, (db, s) => {
      const baraka = s.listUsers().find((u) => u.name === 'baraka')!;
      db.prepare(`UPDATE user_keys SET public_key = ? WHERE key_id = ?`).run(
        generateSigningKey().publicKeyRaw.toString('base64'),
        baraka.keyId,
      );
    });
    const r = await audit(v.dir);
    expect(r.ok).toBe(false);
    const replaced = only(r, 'key_replaced');
    expect(replaced).toHaveLength(1);
    expect(replaced[0]!.message).toContain("baraka's signing key");
    expect(only(r, 'key_header_mismatch')[0]!.message).toContain('baraka');
    expect(only(r, 'key_log_mismatch')).toEqual([
      expect.objectContaining({ chain: 'vault', seq: 3 }),
    ]);
    // Every event baraka signed fails, each named; amina's still verify.
    const bad = only(r, 'bad_signature').map((p) => `${p.caseRef ?? p.chain}#${p.seq}`);
    expect(bad.sort()).toEqual(['KE-2#2', 'KE-2#3', 'KE-2#4', 'vault#5'].sort());
    expect(only(r, 'bad_signature')[0]!.message).toContain("baraka's key");
    expect(only(r, 'tree_head_bad_signature')).toEqual([
      expect.objectContaining({ chain: 'vault', seq: 5 }),
    ]);
  });

  it('catches an item row inserted into the database without custody', async () => {
    const v = await buildVault();
    let planted = 0;
    await tamper(v.dir, async (db, s) => {
      const data = Buffer.from('A statement nobody took in.\n');
      const put = await s.vault.blobs.putBuffer(data);
      const ke1 = s.getCase('KE-1');
      planted = Number(
        db
          .prepare(
            `INSERT INTO items (uid, case_id, kind, title, size, media_type, sha256, blob_name,
               metadata, created_at, created_by)
             VALUES (?, ?, 'statement', 'Confession of the suspect', ?, 'text/plain', ?, ?, '{}',
               ?, 1)`,
          )
          .run(
            randomUUID(),
            ke1.id,
            data.length,
            put.sha256,
            put.blobName,
            new Date().toISOString(),
          ).lastInsertRowid,
      );
    });
    const r = await audit(v.dir);
    expect(r.ok).toBe(false);
    expect(errors(r)).toEqual([
      expect.objectContaining({ code: 'item_not_recorded', itemId: planted, caseRef: 'KE-1' }),
    ]);
    expect(errors(r)[0]!.message).toContain(
      `Item ${planted} "Confession of the suspect" of case KE-1 has no intake record`,
    );
  });

  it("catches an item's hash edited in the catalogue", async () => {
    const v = await buildVault();
    await tamper(v.dir, (db) => {
      db.prepare(`UPDATE items SET sha256 = ? WHERE id = ?`).run(
        createHash('sha256').update('something else').digest('hex'),
        v.items.scan,
      );
    });
    const r = await audit(v.dir);
    expect(errors(r).map((p) => [p.code, p.itemId])).toEqual([
      ['item_hash_mismatch', v.items.scan],
      ['blob_wrong_content', v.items.scan],
    ]);
    expect(only(r, 'item_hash_mismatch')[0]).toMatchObject({ caseRef: 'KE-1', seq: 4 });
  });

  it('catches history rewritten and re-signed with a stolen key, through the tree heads', async () => {
    const v = await buildVault();
    await tamper(v.dir, (db, s) => {
      dropGuards(db);
      // amina signed every event of KE-1; her key is in her session.
      const rows = db
        .prepare(`SELECT * FROM custody_events WHERE chain = ? AND seq >= 6 ORDER BY seq`)
        .all(v.ke1) as Row[];
      let prev = rowOf(db, v.ke1, 5).hash;
      for (const row of rows) {
        const { hash: _h, sig: _s, ...body } = JSON.parse(row.event) as CustodyEvent;
        if (body.seq === 6) body.reason = 'Returned to the family';
        const signed = signEvent({ ...body, prev }, s.user.privateKey);
        db.prepare(`UPDATE custody_events SET event = ?, hash = ? WHERE pos = ?`).run(
          JSON.stringify(signed),
          signed.hash,
          row.pos,
        );
        prev = signed.hash;
      }
      db.prepare(`UPDATE custody_heads SET hash = ? WHERE chain = ?`).run(prev, v.ke1);
    });
    const r = await audit(v.dir);
    expect(r.ok).toBe(false);
    // The rewritten chain verifies on its own: every link and signature is valid.
    expect(r.problems.filter((p) => p.chain === v.ke1)).toEqual([]);
    expect(errors(r)).toEqual([
      expect.objectContaining({ code: 'tree_head_root_mismatch', chain: 'vault', seq: 4 }),
      expect.objectContaining({ code: 'tree_head_root_mismatch', chain: 'vault', seq: 5 }),
    ]);
    expect(errors(r)[0]!.message).toContain('event #4 of the vault log');
    expect(errors(r)[0]!.message).toContain('signed by amina');
  });

  it.each<{
    name: string;
    edit: (db: Db, s: KesiService, v: Built) => void;
    want: (v: Built) => Partial<AuditProblem>[];
  }>([
    {
      name: "a physical exhibit's registration record edited",
      edit: (db, _s, v) =>
        db
          .prepare(
            `UPDATE items SET metadata = json_set(metadata, '$.record.seal', ?) WHERE id = ?`,
          )
          .run('S-999', v.items.shirt),
      want: (v) => [{ code: 'exhibit_record_mismatch', itemId: v.items.shirt, caseRef: 'KE-1' }],
    },
    {
      name: 'an item moved to another case',
      edit: (db, s, v) =>
        db
          .prepare(`UPDATE items SET case_id = ? WHERE id = ?`)
          .run(s.getCase('KE-2').id, v.items.scan),
      want: (v) => [{ code: 'item_case_mismatch', itemId: v.items.scan, caseRef: 'KE-2', seq: 4 }],
    },
    {
      name: 'a case inserted without a custody log',
      edit: (db) =>
        db
          .prepare(
            `INSERT INTO cases (uid, ref, title, created_at, updated_at, created_by)
             VALUES (?, 'KE-3', 'Planted', ?, ?, 1)`,
          )
          .run(randomUUID(), new Date().toISOString(), new Date().toISOString()),
      want: () => [{ code: 'case_not_recorded', caseRef: 'KE-3' }],
    },
    {
      name: 'an event forged with a signing key added outside Kesi',
      edit: (_db, s, v) => {
        const k = generateSigningKey();
        const cat = s.vault.catalogue;
        cat.users.addKey({
          userId: s.user.id,
          keyId: k.keyId,
          publicKey: k.publicKeyRaw.toString('base64'),
        });
        // Appended after the newest tree head, validly signed: only the key's origin betrays it.
        cat.tx(() =>
          new CustodyLog(cat).append(
            { chain: v.ke1, action: 'view', caseId: s.getCase('KE-1').id, reason: 'Routine check' },
            { user: ADMIN, keyId: k.keyId, privateKey: k.privateKey },
          ),
        );
      },
      want: () => [{ code: 'key_not_in_log', chain: 'vault' }],
    },
    {
      name: 'a stored file deleted',
      edit: (_db, s, v) => unlinkSync(s.vault.blobs.pathOf(s.getItem(v.items.scan).blobName!)),
      want: (v) => [{ code: 'blob_missing', itemId: v.items.scan, caseRef: 'KE-1' }],
    },
    {
      name: 'the event log of a whole case deleted',
      edit: (db, _s, v) => {
        dropGuards(db);
        db.prepare(`DELETE FROM custody_events WHERE chain = ?`).run(v.ke2);
        db.prepare(`DELETE FROM custody_heads WHERE chain = ?`).run(v.ke2);
      },
      want: (v) => [
        { code: 'case_not_recorded', caseRef: 'KE-2' },
        { code: 'position_gap' }, // its create event, in the first session
        { code: 'position_gap' }, // the rest, in the second
        { code: 'tree_head_beyond_log', chain: 'vault', seq: 4 },
        { code: 'tree_head_beyond_log', chain: 'vault', seq: 5 },
        { code: 'item_not_recorded', itemId: v.items.copy, caseRef: 'KE-2' },
        { code: 'item_not_recorded', itemId: v.items.cartridge, caseRef: 'KE-2' },
      ],
    },
  ])('catches $name', async ({ edit, want }) => {
    const v = await buildVault();
    await tamper(v.dir, (db, s) => edit(db, s, v));
    const r = await audit(v.dir);
    expect(r.ok).toBe(false);
    expect(errors(r)).toEqual(want(v).map((w) => expect.objectContaining(w) as AuditProblem));
  });

  it('warns about a key that nothing issued and that signed nothing (an interrupted change)', async () => {
    const v = await buildVault();
    await tamper(v.dir, (_db, s) => {
      const k = generateSigningKey();
      s.vault.catalogue.users.addKey({
        userId: s.user.id,
        keyId: k.keyId,
        publicKey: k.publicKeyRaw.toString('base64'),
      });
    });
    const r = await audit(v.dir);
    expect(r.ok).toBe(true);
    expect(r.problems.map((p) => p.code)).toEqual(['key_not_in_log_unused', 'key_not_in_header']);
    expect(r.problems[0]!.message).toMatch(/^The signing key [0-9a-f]{32} of amina is in/);
  });

  it('warns about stored files nothing refers to and interrupted writes, and stays ok', async () => {
    const v = await buildVault();
    let orphan = '';
    await tamper(v.dir, async (_db, s) => {
      // What an intake interrupted between writing the file and recording the item leaves.
      orphan = (await s.vault.blobs.putBuffer(randomBytes(1000))).blobName;
      mkdirSync(join(v.dir, 'blobs', '.tmp'), { recursive: true });
      writeFileSync(join(v.dir, 'blobs', '.tmp', 'abc.age.tmp'), randomBytes(100));
    });
    const r = await audit(v.dir);
    expect(r.ok).toBe(true);
    expect(r.problems).toEqual([
      expect.objectContaining({ code: 'blob_unreferenced', severity: 'warning', blobName: orphan }),
      expect.objectContaining({
        code: 'blob_temp_file',
        severity: 'warning',
        path: 'blobs/.tmp/abc.age.tmp',
      }),
    ]);
    expect(r.problems[0]!.message).toContain('kesi cleanup');
    expect(formatAuditReport(r)).toContain('RESULT: INTACT, WITH 2 WARNINGS.');
  });

  it('reports progress through every phase, and can be cancelled', async () => {
    const v = await buildVault();
    const s = await openAs(v.dir, ADMIN, ADMIN_PASS);
    try {
      const phases: string[] = [];
      await auditVault(s.vault, {
        onProgress: (p) => {
          if (phases[phases.length - 1] !== p.phase) phases.push(p.phase);
          expect(p.done).toBeLessThanOrEqual(p.total);
        },
      });
      expect(phases).toEqual([...AUDIT_PHASES]);

      const before = new AbortController();
      before.abort();
      const e1 = await auditVault(s.vault, { signal: before.signal }).catch((e: unknown) => e);
      expect((e1 as KesiError).code).toBe('CANCELLED');

      for (const phase of ['chains', 'blobs']) {
        const during = new AbortController();
        const e2 = await auditVault(s.vault, {
          signal: during.signal,
          onProgress: (p) => {
            if (p.phase === phase) during.abort();
          },
        }).catch((e: unknown) => e);
        expect(e2, phase).toBeInstanceOf(KesiError);
        expect((e2 as KesiError).code).toBe('CANCELLED');
      }
    } finally {
      lockVault(s.vault);
    }
  });

  it('writes a readable report of a tampered vault, times in EAT', async () => {
    const v = await buildVault();
    await tamper(v.dir, (db) => {
      dropGuards(db);
      db.prepare(`DELETE FROM custody_events WHERE pos = ?`).run(rowOf(db, v.ke2, 3).pos);
    });
    const text = formatAuditReport(await audit(v.dir));
    expect(text).toContain('RESULT: NOT INTACT.');
    expect(text).toContain('Event #3 is missing: the log goes from #2 to #4.');
    expect(text).toContain('[missing · case KE-2 · event #3]');
    expect(text).toMatch(/\d\d:\d\d:\d\d EAT/);
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('shows ten problems of a kind per log in the text report and counts the rest', () => {
    const problem = (seq: number): AuditProblem => ({
      severity: 'error',
      code: 'bad_signature',
      message: `The custody log of case KE-1: Event #${seq} is not validly signed.`,
      chain: 'case:x',
      caseRef: 'KE-1',
      seq,
    });
    const text = formatAuditReport({
      ok: false,
      vaultId: 'v',
      startedAt: '2026-03-01T07:00:00.000Z',
      finishedAt: '2026-03-01T07:02:05.000Z',
      counts: { chains: 1, events: 25, items: 0, derivatives: 0, blobs: 0, bytesChecked: 0 },
      problems: Array.from({ length: 25 }, (_, i) => problem(i + 1)),
    });
    expect(text).toContain('Started    2026-03-01 10:00:00 EAT');
    expect(text).toContain('Finished   2026-03-01 10:02:05 EAT (2 minutes 5 seconds)');
    expect(text).toContain('ERRORS (25)');
    expect(text).toContain('Event #10 is not validly signed.');
    expect(text).not.toContain('Event #11 is');
    expect(text).toContain(
      '… and 15 more problems of the same kind (bad_signature) in the custody log of case KE-1',
    );
  });
});
