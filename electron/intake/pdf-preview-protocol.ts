// Messages between pdf-preview.ts and the PDF preview worker thread.
import type { RenderedPage } from './pdf-render';

export interface PreviewRequest {
  id: number;
  /** The PDF's bytes (a copy, transferred). */
  data: Uint8Array;
  timeoutMs: number;
}

export type PreviewReply =
  { id: number; ok: true; page: RenderedPage } | { id: number; ok: false; reason: string };
