// Dropping real files on the page as a user would: File objects made in the page from the
// files' own bytes, registered with the bridge's pathForFile (as Electron's
// webUtils.getPathForFile knows the path of a dropped file), and delivered with dragenter,
// dragover and drop events carrying a DataTransfer, on the element the selector names.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Page } from 'playwright-core';

export interface StagedFile {
  path: string;
  type: string;
}

// Runs in the page: plain JavaScript, as page.evaluate serialises it.
const DROP = `async ({ selector, files }) => {
  const target = document.querySelector(selector);
  if (!target) throw new Error('no drop target ' + selector);
  const dt = new DataTransfer();
  for (const f of files) {
    const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
    const file = new File([bytes], f.name, { type: f.type });
    window.__kesiE2E.register(file, f.path);
    dt.items.add(file);
  }
  const rect = target.getBoundingClientRect();
  const at = { clientX: rect.left + rect.width / 2, clientY: rect.top + rect.height / 2 };
  for (const type of ['dragenter', 'dragover', 'drop']) {
    target.dispatchEvent(
      new DragEvent(type, { bubbles: true, cancelable: true, composed: true, dataTransfer: dt, ...at }),
    );
  }
  return dt.files.length;
}`;

export async function dropFiles(
  page: Page,
  selector: string,
  files: readonly StagedFile[],
): Promise<number> {
  const payload = files.map((f) => ({
    path: f.path,
    type: f.type,
    name: basename(f.path),
    base64: readFileSync(f.path).toString('base64'),
  }));
  return page.evaluate(
    `(${DROP})(${JSON.stringify({ selector, files: payload })})`,
  ) as Promise<number>;
}
