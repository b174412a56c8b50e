// The PDF preview worker thread: draws first pages with pdf.js away from the thread that runs
// the service (in the app, Electron's main thread, which must keep answering the window).
// Started and, at its time limit, stopped by pdf-preview.ts.
import { parentPort } from 'node:worker_threads';
import { renderFirstPage } from './pdf-render';
import type { PreviewReply, PreviewRequest } from './pdf-preview-protocol';

const port = parentPort;
if (!port) throw new Error('the PDF preview worker runs as a worker thread');

port.on('message', (m: PreviewRequest) => {
  renderFirstPage(m.data, Date.now() + m.timeoutMs).then(
    (page) => {
      const reply: PreviewReply = { id: m.id, ok: true, page };
      const whole = page.pixels.byteOffset === 0;
      port.postMessage(reply, whole ? [page.pixels.buffer as ArrayBuffer] : []);
    },
    (e: unknown) => {
      const reason = e instanceof Error ? e.message : String(e);
      const reply: PreviewReply = { id: m.id, ok: false, reason: reason.slice(0, 300) };
      port.postMessage(reply);
    },
  );
});
