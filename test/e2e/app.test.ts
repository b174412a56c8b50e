// The app end to end: the built renderer in real Chromium, its window.kesi bridged to the real
// dispatcher over a real vault in a temp folder (test/e2e/harness/). One caseworker's day:
// create a vault, add a case, drop photos and a PDF on it, see thumbnails and metadata, build a
// court bundle, verify it, audit the vault, lock. A screenshot of each screen goes to
// test-artifacts/e2e/. Also: the renderer's bundle imports nothing of Node or Electron, and its
// page carries the CSP.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { builtinModules } from 'node:module';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppSession } from '../../electron/app/session';
import { TEST_LOG_N } from '../helpers/vault';
import { openBridge, type Bridge } from './harness/bridge';
import { ROOT, buildRenderer } from './harness/build';
import { dropFiles } from './harness/page-files';
import { startServer, type E2eServer } from './harness/server';

// The preload is loaded for its installKesiApi only: the same window.kesi proxy as in the app.
vi.mock('electron', () => ({
  contextBridge: { executeInMainWorld: () => undefined, exposeInMainWorld: () => undefined },
  ipcRenderer: { invoke: () => undefined, on: () => undefined, removeListener: () => undefined },
  webUtils: { getPathForFile: () => '' },
}));
const { installKesiApi } = await import('../../electron/preload');

const ARTIFACTS = join(ROOT, 'test-artifacts', 'e2e');
const CORPUS = '/work/shared/corpus';
const PHOTOS = [
  'photo-orient1-gps-apple-iphone4.jpg',
  'photo-orient6-sony-cybershot.jpg',
  'photo-orient1-gps-htc-desire.jpg',
].map((f) => ({ path: join(CORPUS, f), type: 'image/jpeg' }));
const PDF = { path: join(CORPUS, 'pdf-text-libreoffice-writer.pdf'), type: 'application/pdf' };
const CASE_REF = 'IMLU-2026-014';
const PASSPHRASE = 'correct horse battery staple';

let work: string;
let rendererDir: string;
let session: AppSession;
let server: E2eServer;
let bridge: Bridge;
let shot = 0;

/**
 * Saves a screenshot of the whole screen as NN-name.png, in flow order. The app scrolls inside
 * its own panes, so the window is made as tall as the tallest of them for the picture.
 */
async function screenshot(name: string): Promise<string> {
  shot += 1;
  const file = join(ARTIFACTS, `${String(shot).padStart(2, '0')}-${name}.png`);
  const page = bridge.page;
  const viewport = page.viewportSize() ?? { width: 1280, height: 820 };
  const tallest = (await page.evaluate(`Math.max(...[...document.querySelectorAll('*')]
    .filter((e) => e.scrollHeight > e.clientHeight + 1)
    .map((e) => e.scrollHeight - e.clientHeight), 0)`)) as number;
  await page.setViewportSize({
    width: viewport.width,
    height: Math.min(6000, viewport.height + tallest),
  });
  await page.screenshot({ path: file, fullPage: true });
  await page.setViewportSize(viewport);
  return file;
}

const byTestId = (id: string) => bridge.page.getByTestId(id);

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'kesi-e2e-'));
  rendererDir = join(work, 'dist-renderer');
  buildRenderer(rendererDir);
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const f of readdirSync(ARTIFACTS)) {
    // Only this file's pictures (NN-name, failed-): screens.test.ts keeps its s-*.png here.
    if (/^(\d\d|failed)-.*\.png$/.test(f)) rmSync(join(ARTIFACTS, f));
  }
  mkdirSync(join(work, 'saved'));
  session = new AppSession({ dir: join(work, 'vault'), kdfLogN: TEST_LOG_N });
  server = await startServer(rendererDir, () => session.serviceOrNull());
  bridge = await openBridge({
    origin: server.origin,
    session,
    installKesiApi: installKesiApi.toString(),
    savePathFor: (name) => join(work, 'saved', name),
  });
  await bridge.page.goto(`${server.origin}/index.html`);
});

// A failed step leaves a picture of what the page showed.
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && bridge) {
    const name = ctx.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 40);
    await bridge.page
      .screenshot({ path: join(ARTIFACTS, `failed-${name}.png`), fullPage: true })
      .catch(() => undefined);
  }
});

afterAll(async () => {
  await bridge?.close();
  await server?.close();
  session?.lock('quit');
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('a caseworker in the app', () => {
  it('1. creates a vault, and is shown the recovery key once', async () => {
    await byTestId('first-run-screen').waitFor();
    await screenshot('first-run');
    await byTestId('field-vaultName').fill('IMLU Nairobi');
    await byTestId('field-admin').fill('amina');
    await byTestId('field-passphrase').fill(PASSPHRASE);
    await byTestId('field-confirmPassphrase').fill(PASSPHRASE);
    await byTestId('create-vault').click();
    await byTestId('recovery-key-screen').waitFor();
    const key = (await byTestId('recovery-key').textContent()) ?? '';
    expect(key.replace(/\s+/g, '')).toMatch(/^AGE-SECRET-KEY-1[0-9A-Z]{58}$/);
    await screenshot('recovery-key');
    await byTestId('key-stored').check();
    await byTestId('key-done').click();
    await byTestId('cases-screen').waitFor();
    expect(existsSync(join(work, 'vault', 'vault.json'))).toBe(true);
    expect(session.unlocked).toBe(true);
    await screenshot('cases-empty');
  });

  it('2. adds a case', async () => {
    await byTestId('new-case').click();
    await byTestId('field-ref').fill(CASE_REF);
    await byTestId('field-title').fill('Death in custody at Kilimani police station');
    await screenshot('case-form');
    await byTestId('case-save').click();
    await byTestId('case-screen').waitFor();
    await expect
      .poll(async () => (await byTestId('case-screen').textContent()) ?? '')
      .toContain(CASE_REF);
    expect(session.service().getCase(CASE_REF).title).toMatch(/Kilimani/);
    await screenshot('case-overview');
  });

  it('3. drops photos and a PDF on the case, with progress', async () => {
    await bridge.page.getByRole('tab', { name: /evidence/i }).click();
    await byTestId('dropzone').waitFor();
    const dropped = await dropFiles(bridge.page, '[data-testid="dropzone"]', [...PHOTOS, PDF]);
    expect(dropped).toBe(4);
    await byTestId('intake-summary').waitFor({ timeout: 60_000 });
    const items = session.service().listItems(CASE_REF);
    expect(items.map((i) => i.kind).sort()).toEqual(['document', 'photo', 'photo', 'photo']);
    // The intake's progress reached the page, under the job id the page chose.
    const intake = bridge.progress.filter((e) => e.kind === 'intake');
    expect(intake.length).toBeGreaterThan(0);
    expect(new Set(intake.map((e) => e.jobId)).size).toBe(1);
    expect(intake.at(-1)).toMatchObject({ done: 4, total: 4 });
    await screenshot('intake-done');
  });

  it('3b. cancels a large intake part way: what was finished stays, whole', async () => {
    const ref = 'IMLU-2026-015';
    session.service().createCase({ ref, title: 'Cancelled intake' });
    await bridge.page.goto(`${server.origin}/index.html#/case?ref=${ref}&tab=evidence`);
    await byTestId('dropzone').waitFor();
    const big = readdirSync(CORPUS)
      .filter((f) => /^(photo|testcard|scan)-.*\.jpg$/.test(f))
      .map((f) => ({ path: join(CORPUS, f), type: 'image/jpeg' }));
    expect(big.length).toBeGreaterThan(10);
    const before = bridge.progress.length;
    await dropFiles(bridge.page, '[data-testid="dropzone"]', big);
    // Cancel as soon as the page shows the first progress.
    await expect
      .poll(() => bridge.progress.slice(before).some((e) => e.kind === 'intake'))
      .toBe(true);
    await byTestId('intake-cancel').click();
    await byTestId('intake-summary').waitFor({ timeout: 60_000 });
    const kept = session.service().listItems(ref);
    expect(kept.length).toBeLessThan(big.length);
    // Every item that was kept is complete: its original reads back with its SHA-256.
    for (const it of kept) await session.service().readItem(it.id);
    await screenshot('intake-cancelled');
  });

  it('4. sees the thumbnails and the metadata', async () => {
    await bridge.page.goto(`${server.origin}/index.html#/case?ref=${CASE_REF}&tab=evidence`);
    await byTestId('view-grid').click();
    await byTestId('evidence-grid').waitFor();
    // One image per item that has a thumbnail (photos always; a PDF when its page was drawn).
    const service = session.service();
    const withThumbs = service
      .listItems(CASE_REF)
      .filter((i) => service.vault.catalogue.derivatives.findFor(i.id, 'thumbnail', null));
    expect(withThumbs.length).toBeGreaterThanOrEqual(3);
    const thumbs = byTestId('evidence-grid').locator('img');
    await expect.poll(() => thumbs.count(), { timeout: 20_000 }).toBe(withThumbs.length);
    // Every thumbnail really decoded (bytes from the vault, through the media handler).
    await expect
      .poll(
        () =>
          thumbs.evaluateAll((imgs) =>
            imgs.every((i) => (i as unknown as { naturalWidth: number }).naturalWidth > 0),
          ),
        { timeout: 20_000 },
      )
      .toBe(true);
    const thumbRequests = server.mediaRequests.filter((p) => p.endsWith('/thumbnail'));
    expect(thumbRequests.length).toBeGreaterThanOrEqual(withThumbs.length);
    await screenshot('evidence-grid');

    const photo = session
      .service()
      .listItems(CASE_REF)
      .find((i) => i.originalName === 'photo-orient1-gps-apple-iphone4.jpg');
    expect(photo).toBeDefined();
    await byTestId(`item-card-${photo!.id}`).click();
    await byTestId('item-metadata').waitFor();
    await expect
      .poll(async () => (await byTestId('item-sha256').textContent()) ?? '')
      .toContain(photo!.sha256);
    const meta = (await byTestId('item-metadata').textContent()) ?? '';
    expect(meta).toMatch(/iPhone 4/);
    await bridge.page.waitForLoadState('networkidle');
    await screenshot('item-metadata');
    // The original, exported with a reason: checked, written where the user chose, logged.
    await byTestId('export-original').click();
    expect(await byTestId('error-export-reason').textContent()).toMatch(/Say why/);
    await bridge.page.getByLabel('Why it leaves the vault').fill('Copy for the Government Chemist');
    await byTestId('export-original').click();
    await byTestId('export-saved').waitFor();
    const copy = bridge.chosen.at(-1)!;
    expect(createHash('sha256').update(readFileSync(copy)).digest('hex')).toBe(photo!.sha256);
    const exported = session.service().itemLog(photo!.id).at(-1);
    expect(exported).toMatchObject({ action: 'export', reason: 'Copy for the Government Chemist' });
    await expect
      .poll(async () => (await byTestId('custody-timeline').first().textContent()) ?? '')
      .toContain('Exported');
    await screenshot('item-exported');

    // The case's custody log reads as sentences: previews named in words, not as codes.
    await byTestId('tab-custody').click();
    await byTestId('custody-timeline').waitFor();
    // (The raw details, folded under each event, keep the recorded values as they are.)
    const summaries = (
      await byTestId('custody-timeline').locator('ul.summary').allTextContents()
    ).join('\n');
    expect(summaries).toContain('Previews made: page image for bundles, thumbnail');
    expect(summaries).not.toMatch(/page_image/);
    await screenshot('case-custody');

    // Swahili while the app runs: the same item, its metadata in Swahili.
    await byTestId('language-select').selectOption('sw');
    await byTestId('tab-evidence').click();
    await byTestId(`item-card-${photo!.id}`).click();
    await byTestId('item-metadata').waitFor();
    await expect
      .poll(async () => (await byTestId('item-metadata').textContent()) ?? '')
      .toContain('Mtengenezaji');
    await screenshot('item-swahili');
    await byTestId('language-select').selectOption('en');
  });

  it('5. builds a court bundle: orders it, fills the cover, generates it with progress', async () => {
    await bridge.page.goto(`${server.origin}/index.html#/case?ref=${CASE_REF}`);
    await byTestId('tab-bundles').click();
    await byTestId('bundle-editor').waitFor();
    const items = session.service().listItems(CASE_REF);
    const uidOf = (name: string) => items.find((i) => i.originalName === name)!.uid;
    const pdfUid = uidOf('pdf-text-libreoffice-writer.pdf');
    const firstPhoto = uidOf(PHOTOS[0]!.path.split('/').pop()!);

    await byTestId('field-cover-court').fill("Chief Magistrate's Court at Milimani");
    await byTestId('field-cover-caseNumber').fill('Criminal Case No. E123 of 2026');
    await byTestId('field-cover-parties').fill('Republic v. John Mwangi Kamau and another');
    await byTestId('field-cover-preparedBy').fill('Amina Odhiambo, IMLU legal officer');

    // Keyboard: the first photo one step down.
    const order = async (section: number) =>
      byTestId(`bundle-section-${section}`)
        .locator('li[data-testid^="entry-"]')
        .evaluateAll((lis) => lis.map((li) => li.getAttribute('data-testid')));
    const before = await order(0);
    await byTestId(`down-${firstPhoto}`).click();
    const after = await order(0);
    expect(after).toEqual([before[1], before[0], ...before.slice(2)]);
    // Dragging: the PDF (section 2, Documents) onto the first row of section 1 (Photographs).
    await byTestId(`entry-${pdfUid}`).dragTo(
      byTestId('bundle-section-0').locator('li[data-testid^="entry-"]').first(),
    );
    expect((await order(0))[0]).toBe(`entry-${pdfUid}`);
    // An exhibit number, typed.
    await byTestId(`exhibit-number-${pdfUid}`).fill('PExh-10');
    await expect
      .poll(async () => (await byTestId('index-preview').textContent()) ?? '')
      .toContain('PExh-10');
    await screenshot('bundle-builder');

    await byTestId('generate-bundle').click();
    await byTestId('bundle-result').waitFor({ timeout: 120_000 });
    const path = (await byTestId('bundle-path').textContent())?.trim() ?? '';
    expect(bridge.chosen).toContain(path);
    expect(existsSync(path)).toBe(true);
    const info = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
    const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
    expect(pages).toBeGreaterThan(4);
    // The index now shows each exhibit's pages, read back from the case log.
    await expect
      .poll(async () => byTestId(`index-row-${pdfUid}`).locator('td').nth(3).textContent())
      .toMatch(/^\d+(–\d+)?$/);
    const bundle = bridge.progress.filter((e) => e.kind === 'bundle');
    expect(bundle.length).toBeGreaterThan(0);
    expect(bundle.at(-1)?.phase).toBeDefined();
    await screenshot('bundle-generated');

    await byTestId('open-bundle').click();
    await expect.poll(() => bridge.opened).toEqual([path]);
  });

  it('6. verifies the bundle file, and audits the vault', async () => {
    const path = bridge.opened[0]!;
    await bridge.page.goto(`${server.origin}/index.html#/audit`);
    await byTestId('audit-screen').waitFor();
    await dropFiles(bridge.page, '[data-testid="verify-drop"]', [
      { path, type: 'application/pdf' },
    ]);
    await byTestId('verify-result').waitFor({ timeout: 120_000 });
    const verdict = (await byTestId('verify-verdict').textContent()) ?? '';
    expect(verdict).toMatch(/Verified|Intact/);
    expect(await byTestId('verify-exhibits').locator('tbody tr').count()).toBe(4);
    expect(await byTestId('verify-exhibit-PExh-10').textContent()).toMatch(/Verified/);
    // Against the vault as well: the bundle made again here, byte for byte.
    await byTestId('verify-against-vault').check();
    await expect
      .poll(async () => (await byTestId('verify-vault-comparison').textContent()) ?? '', {
        timeout: 120_000,
      })
      .toMatch(/the same bytes/);
    expect((await byTestId('verify-verdict').textContent()) ?? '').toMatch(/Verified|Intact/);

    await byTestId('run-audit').click();
    await byTestId('audit-result').waitFor({ timeout: 120_000 });
    expect((await byTestId('audit-verdict').textContent()) ?? '').toMatch(/Verified: intact/);
    expect(bridge.progress.some((e) => e.kind === 'audit')).toBe(true);
    await byTestId('export-audit').click();
    await byTestId('audit-saved').waitFor();
    const report = bridge.chosen.at(-1)!;
    const text = execFileSync('pdftotext', ['-layout', report, '-'], { encoding: 'utf8' });
    expect(text).toContain('Kesi vault audit');
    expect(text).toContain('IMLU Nairobi');
    await screenshot('audit-and-verify');
  });

  it('6b. sees an altered file as an integrity failure, per item and per event', async () => {
    const service = session.service();
    const victim = service
      .listItems(CASE_REF)
      .find((i) => i.originalName === 'photo-orient1-gps-htc-desire.jpg')!;
    // One byte of the stored (encrypted) file changed behind Kesi's back.
    const file = service.vault.blobs.pathOf(victim.blobName!);
    const bytes = readFileSync(file);
    bytes[bytes.length - 100] = (bytes[bytes.length - 100]! ^ 0x01) & 0xff;
    writeFileSync(file, bytes);

    await byTestId('run-audit').click();
    await expect
      .poll(async () => (await byTestId('audit-verdict').textContent()) ?? '', { timeout: 60_000 })
      .toMatch(/Not intact/);
    const problems = byTestId('audit-problems');
    expect(await problems.textContent()).toContain(`Item ${victim.id}`);
    await screenshot('audit-failure');
    await bridge.page.getByLabel(/by custody event/).check();
    expect(await problems.locator('tbody').count()).toBeGreaterThan(0);

    await byTestId('export-audit').click();
    await expect.poll(() => bridge.chosen.length).toBeGreaterThan(2);
    await byTestId('audit-saved').waitFor();
    const text = execFileSync('pdftotext', ['-layout', bridge.chosen.at(-1)!, '-'], {
      encoding: 'utf8',
    });
    expect(text).toMatch(/NOT INTACT/);
    expect(text.replace(/\s+/g, ' ')).toContain(`item ${victim.id}`);
  });

  it('7. locks: the page returns to the unlock screen, and the evidence is out of reach', async () => {
    const open = session.service();
    const item = open.listItems(CASE_REF)[0]!;
    const noThumbnail = open
      .listItems(CASE_REF)
      .filter((i) => !open.vault.catalogue.derivatives.findFor(i.id, 'thumbnail', null))
      .map((i) => i.id);
    await byTestId('lock').click();
    await byTestId('unlock-screen').waitFor();
    expect(session.unlocked).toBe(false);
    const r = await fetch(`${server.origin}/media/item/${item.id}/thumbnail`);
    expect(r.status).toBe(403);
    const reply = (await bridge.page.evaluate(
      '(async () => { try { await window.kesi.listCases(); return "answered"; } catch (e) { return e.code; } })()',
    )) as string;
    expect(reply).toBe('VAULT_LOCKED');
    await screenshot('locked');
    // Nothing in the page failed unnoticed: no uncaught error; every failed request listed.
    expect(bridge.pageErrors.filter((e) => !/^Failed to load resource/.test(e))).toEqual([]);
    // The only failures allowed: thumbnails of items that have none (the page cannot know
    // beforehand), answered 404 and shown with a fallback.
    const service = session.serviceOrNull();
    expect(service).toBeNull();
    expect(
      bridge.failedResponses.filter(
        (r) => !noThumbnail.some((id) => r === `404 /media/item/${id}/thumbnail`),
      ),
    ).toEqual([]);
  });
});

describe('the built renderer', () => {
  const assets = () =>
    readdirSync(join(rendererDir, 'assets'))
      .filter((f) => /\.m?js$/.test(f))
      .map((f) => ({ f, src: readFileSync(join(rendererDir, 'assets', f), 'utf8') }));

  it('imports nothing of Node or Electron', () => {
    const files = assets();
    expect(files.length).toBeGreaterThan(0);
    const q = '["\'`]';
    const names = builtinModules
      .filter((m) => !m.startsWith('_'))
      .map((m) => m.replace(/[/]/g, '\\/'))
      .join('|');
    const specifier = new RegExp(
      `(?:\\brequire\\s*\\(\\s*|\\bimport\\s*\\(\\s*|\\bfrom\\s*|\\bimport\\s+)${q}(?:node:[\\w/]+|(?:${names}|electron)(?:\\/[\\w/]*)?)${q}`,
    );
    const anywhere = [
      new RegExp(`${q}node:[a-z_/]+${q}`),
      /process\.binding\s*\(/,
      /process\.dlopen/,
      /getBuiltinModule\s*\(/,
      /__non_webpack_require__/,
      new RegExp(`${q}electron${q}`),
      /\bipcRenderer\b/,
    ];
    for (const { f, src } of files) {
      expect(specifier.exec(src)?.[0] ?? null, `${f}: a Node or Electron import`).toBeNull();
      for (const re of anywhere) expect(re.exec(src)?.[0] ?? null, `${f}: ${re}`).toBeNull();
    }
  });

  it('carries the CSP in its page, and the browser enforces it', async () => {
    const html = readFileSync(join(rendererDir, 'index.html'), 'utf8');
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html);
    expect(meta).not.toBeNull();
    const policy = new Map(
      meta![1]!.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name!, values] as const;
      }),
    );
    expect(policy.get('default-src')).toEqual(["'none'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    for (const values of policy.values()) {
      for (const v of values) {
        expect(v).not.toMatch(/unsafe|https?:|\*/);
      }
    }
    // No inline script in the page: every <script> has a src.
    for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag).toMatch(/\bsrc=/);
    // In Chromium: an injected inline script does not run, and the violation is reported.
    const blocked = (await bridge.page.evaluate(`new Promise((resolve) => {
      window.__ran = false;
      document.addEventListener('securitypolicyviolation', (e) =>
        resolve({ ran: window.__ran, directive: e.effectiveDirective }), { once: true });
      const s = document.createElement('script');
      s.textContent = 'window.__ran = true';
      document.head.appendChild(s);
    })`)) as { ran: boolean; directive: string };
    expect(blocked).toEqual({ ran: false, directive: 'script-src-elem' });
  });

  it('refuses calls from a frame that is not the app page', async () => {
    // An iframe of another origin (about:srcdoc is opaque) cannot reach window.kesi's binding.
    const reply = (await bridge.page.evaluate(`new Promise((resolve) => {
      const f = document.createElement('iframe');
      f.srcdoc = '<p>x</p>';
      f.onload = async () => {
        try { resolve(await f.contentWindow.__kesiInvoke('vaultStatus', [])); }
        catch (e) { resolve({ thrown: String(e) }); }
      };
      document.body.appendChild(f);
    })`)) as unknown;
    expect(reply).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});
