// pdf.js, loaded on first use (its own chunk), with its worker as a file of the build and its
// fonts, character maps and image decoders from pdfjs/ (copied by vite.config.ts). No eval, no
// network: everything comes from the app's own origin.
import type * as PdfJsModule from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

type PdfJs = typeof PdfJsModule;
export type PdfDocument = Awaited<ReturnType<PdfJs['getDocument']>['promise']>;

let loading: Promise<PdfJs> | null = null;

function pdfjs(): Promise<PdfJs> {
  loading ??= import('pdfjs-dist').then((m) => {
    m.GlobalWorkerOptions.workerSrc = new URL(workerUrl, document.baseURI).href;
    return m;
  });
  return loading;
}

const asset = (path: string) => new URL(`pdfjs/${path}/`, document.baseURI).href;

export async function openPdf(data: Uint8Array): Promise<PdfDocument> {
  const m = await pdfjs();
  return m.getDocument({
    data,
    isEvalSupported: false,
    enableXfa: false,
    standardFontDataUrl: asset('standard_fonts'),
    cMapUrl: asset('cmaps'),
    cMapPacked: true,
    wasmUrl: asset('wasm'),
    iccUrl: asset('iccs'),
  }).promise;
}
