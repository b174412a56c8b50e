// Checks of the pages: the manifest's page runs cover the PDF's pages once, in order; each
// exhibit's range is its runs; each run's source names its exhibit's original; page images have
// the size the manifest gives; the appendix ranges and the bookmarks agree. See docs/VERIFY.md.
import type { BundleManifest, ManifestExhibit, ManifestPages } from '../bundle/manifest';
import type { BundlePdf } from './bundle-pdf-read';
import type { Findings } from './bundle-findings';
import { short } from './bundle-findings';

function isPage(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 1;
}

export function checkPages(m: BundleManifest, pdf: BundlePdf, f: Findings): void {
  if (m.pageCount !== pdf.pageCount) {
    f.add(
      'page_count_mismatch',
      `The manifest says the bundle has ${String(m.pageCount)} pages; the PDF has ${pdf.pageCount}. Pages were added or removed.`,
    );
  }
  // The runs: 1…pageCount, once each, in order.
  let next = 1;
  for (const run of m.pages) {
    if (!isPage(run.from) || !isPage(run.to) || run.to < run.from || run.from !== next) {
      f.add(
        'page_runs_invalid',
        `The manifest's page list is broken at pages ${String(run.from)}–${String(run.to)} (expected a run starting at page ${next}): runs overlap, leave a gap or are out of order.`,
        isPage(run.from) ? { page: run.from } : {},
      );
      break;
    }
    if (run.to > pdf.pageCount) {
      f.add(
        'page_runs_invalid',
        `The manifest lists pages ${run.from}–${run.to} (${run.label}), beyond the ${pdf.pageCount} pages of the PDF.`,
        { page: run.from, ...(run.exhibitNumber ? { exhibitNumber: run.exhibitNumber } : {}) },
      );
    }
    next = run.to + 1;
  }
  if (next !== m.pageCount + 1 && !f.problems.some((p) => p.code === 'page_runs_invalid')) {
    f.add(
      'page_runs_invalid',
      `The manifest's page list ends at page ${next - 1}, not at its last page ${String(m.pageCount)}.`,
    );
  }
  const first = m.pages[0];
  if (!first || first.part !== 'cover' || first.from !== 1) {
    f.add('page_runs_invalid', 'Page 1 of the bundle is not its cover.', { page: 1 });
  }

  const byNumber = new Map<string, ManifestExhibit>(m.exhibits.map((e) => [e.exhibitNumber, e]));
  const runsOf = new Map<string, ManifestPages[]>();
  for (const run of m.pages) {
    if (run.part !== 'exhibit') {
      if (run.source?.type !== 'generated' || run.exhibitNumber !== undefined) {
        f.add(
          'page_source_mismatch',
          `Pages ${String(run.from)}–${String(run.to)} (${String(run.label)}) are Kesi's own pages but are described as coming from an exhibit.`,
          isPage(run.from) ? { page: run.from } : {},
        );
      }
      continue;
    }
    const ex = run.exhibitNumber !== undefined ? byNumber.get(run.exhibitNumber) : undefined;
    if (!ex) {
      f.add(
        'page_source_mismatch',
        `Pages ${String(run.from)}–${String(run.to)} are exhibit pages of ${String(run.exhibitNumber)}, which is not in the bundle.`,
        isPage(run.from) ? { page: run.from } : {},
      );
      continue;
    }
    const list = runsOf.get(ex.exhibitNumber) ?? [];
    list.push(run);
    runsOf.set(ex.exhibitNumber, list);
    checkSource(run, ex, pdf, f);
  }

  for (const ex of m.exhibits) {
    const runs = runsOf.get(ex.exhibitNumber) ?? [];
    const from = runs[0]?.from;
    const to = runs[runs.length - 1]?.to;
    const contiguous = runs.every(
      (r, i) => i === 0 || r.from === (runs[i - 1] as ManifestPages).to + 1,
    );
    if (from !== ex.firstPage || to !== ex.lastPage || !contiguous) {
      f.add(
        'exhibit_pages_mismatch',
        `Exhibit ${ex.exhibitNumber} is indexed at pages ${String(ex.firstPage)}–${String(ex.lastPage)}, but its pages in the page list are ${runs.length ? runs.map((r) => `${r.from}–${r.to}`).join(', ') : 'none'}.`,
        { exhibitNumber: ex.exhibitNumber },
      );
    } else if (ex.lastPage > pdf.pageCount) {
      f.add(
        'exhibit_pages_mismatch',
        `Exhibit ${ex.exhibitNumber} is indexed at pages ${ex.firstPage}–${ex.lastPage}, beyond the ${pdf.pageCount} pages of the PDF.`,
        { exhibitNumber: ex.exhibitNumber },
      );
    }
  }

  // The appendices are the runs labelled so.
  const parts = [
    ['hashManifest', 'Appendix A'],
    ['custodyTimeline', 'Appendix B'],
    ['certificate', 'Appendix C'],
  ] as const;
  for (const [key, label] of parts) {
    const range = m.appendix[key];
    const run = m.pages.find((r) => r.label === label && r.part === 'appendix');
    if (!range || !run || run.from !== range.firstPage || run.to !== range.lastPage) {
      f.add(
        'appendix_pages_mismatch',
        `${label} is given as pages ${String(range?.firstPage)}–${String(range?.lastPage)}, but the page list puts it at ${run ? `${run.from}–${run.to}` : 'no page'}.`,
      );
    }
  }

  // The bookmarks of the exhibits ("PExh-3 — title") open their first page.
  for (const entry of pdf.outline) {
    const dash = entry.title.indexOf(' — ');
    if (dash === -1) continue;
    const ex = byNumber.get(entry.title.slice(0, dash));
    if (!ex) continue;
    if (entry.page !== ex.firstPage) {
      f.add(
        'bookmark_mismatch',
        `The bookmark of exhibit ${ex.exhibitNumber} opens page ${String(entry.page)}, not its first page ${ex.firstPage}.`,
        { exhibitNumber: ex.exhibitNumber },
      );
    }
  }
}

function checkSource(run: ManifestPages, ex: ManifestExhibit, pdf: BundlePdf, f: Findings): void {
  const s = run.source;
  const at = { exhibitNumber: ex.exhibitNumber, page: run.from };
  const original =
    s?.type === 'pdf-pages' ? s.sha256 : s && 'original' in s ? s.original : undefined;
  if (original !== ex.sha256) {
    f.add(
      'page_source_mismatch',
      `Pages ${run.from}–${run.to} of exhibit ${ex.exhibitNumber} are said to come from ${short(original)}, not from the exhibit (${short(ex.sha256)}).`,
      at,
    );
    return;
  }
  if (s?.type === 'page-image' && run.to <= pdf.pageCount) {
    for (let p = run.from; p <= run.to; p++) {
      const images = pdf.pageImages(p);
      if (!images.some((i) => i.width === s.width && i.height === s.height)) {
        f.add(
          'page_image_mismatch',
          `Page ${p} should show the page image of exhibit ${ex.exhibitNumber} (${s.width} × ${s.height} pixels), but ${images.length ? `its images are ${images.map((i) => `${i.width} × ${i.height}`).join(', ')}` : 'it has no image'}: the picture was replaced.`,
          { exhibitNumber: ex.exhibitNumber, page: p },
        );
      }
    }
  }
}
