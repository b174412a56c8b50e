// A PDF drawn page by page to canvas with pdf.js; pages are drawn when they come near the view.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import { clampScale } from '../../lib/zoom';
import { openPdf, type PdfDocument } from './pdfjs';
import { ZoomButtons } from './ZoomButtons';

const STEP = 1.25;

export function PdfViewer(props: { blob: Blob; label: string }): ReactNode {
  const { t } = useTranslation('item');
  const [doc, setDoc] = useState<PdfDocument | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [scale, setScale] = useState(1.25);
  const [firstSize, setFirstSize] = useState<{ width: number; height: number } | null>(null);
  const pagesRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let live = true;
    let opened: PdfDocument | null = null;
    props.blob
      .arrayBuffer()
      .then((buf) => openPdf(new Uint8Array(buf)))
      .then(async (d) => {
        opened = d;
        if (!live) return void d.destroy();
        const p1 = await d.getPage(1);
        const vp = p1.getViewport({ scale: 1 });
        setFirstSize({ width: vp.width, height: vp.height });
        // Open at the width of the viewer (at most 200%).
        const w = pagesRef.current?.clientWidth ?? 0;
        if (w > 0 && vp.width > 0) setScale(clampScale(Math.min(2, (w - 40) / vp.width)));
        setDoc(d);
      })
      .catch((e: unknown) => {
        if (!live) return;
        const name = (e as { name?: unknown }).name;
        setError(
          Object.assign(new Error(String((e as Error).message)), {
            code: name === 'PasswordException' ? 'ENCRYPTED_PDF' : 'CORRUPT_PDF',
          }),
        );
      });
    return () => {
      live = false;
      void opened?.destroy();
    };
  }, [props.blob]);

  const zoom = (factor: number) => setScale((s) => clampScale(s * factor));

  if (error) return <ErrorMessage error={error} />;
  return (
    <div className="viewer" data-testid="pdf-viewer">
      <div className="viewer-toolbar" role="toolbar" aria-label={t('viewer.toolbar')}>
        <ZoomButtons scale={scale} step={STEP} onZoom={zoom} />
        <button
          type="button"
          onClick={() => {
            const w = pagesRef.current?.clientWidth ?? 0;
            if (firstSize && w > 0) setScale(clampScale((w - 40) / firstSize.width));
          }}
        >
          {t('viewer.fitWidth')}
        </button>
        <span className="hint-dark" data-testid="pdf-pages">
          {doc ? t('viewer.pages', { count: doc.numPages }) : t('common:loading')}
        </span>
      </div>
      <div
        className="pdf-pages"
        ref={pagesRef}
        tabIndex={0}
        role="document"
        aria-label={props.label}
        onKeyDown={(e) => {
          if (e.key === '+' || e.key === '=') zoom(STEP);
          else if (e.key === '-') zoom(1 / STEP);
          else return;
          e.preventDefault();
        }}
      >
        {doc && firstSize
          ? Array.from({ length: doc.numPages }, (_, i) => (
              <PdfPage
                key={i + 1}
                doc={doc}
                pageNumber={i + 1}
                scale={scale}
                estimate={firstSize}
                root={pagesRef}
                label={t('viewer.page', { page: i + 1, count: doc.numPages })}
              />
            ))
          : null}
      </div>
    </div>
  );
}

function PdfPage(props: {
  doc: PdfDocument;
  pageNumber: number;
  scale: number;
  estimate: { width: number; height: number };
  root: React.RefObject<HTMLDivElement | null>;
  label: string;
}): ReactNode {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [visible, setVisible] = useState(false);
  const { doc, pageNumber, scale } = props;

  useEffect(() => {
    const el = canvasRef.current;
    if (!el) return;
    const io = new IntersectionObserver(
      (entries) => {
        for (const e of entries) if (e.isIntersecting) setVisible(true);
      },
      { root: props.root.current, rootMargin: '600px 0px' },
    );
    io.observe(el);
    return () => io.disconnect();
  }, [props.root]);

  useEffect(() => {
    if (!visible) return;
    let cancelled = false;
    let task: { cancel(): void; promise: Promise<unknown> } | null = null;
    void doc.getPage(pageNumber).then((page) => {
      const canvas = canvasRef.current;
      if (cancelled || !canvas) return;
      const ratio = window.devicePixelRatio || 1;
      const vp = page.getViewport({ scale });
      canvas.width = Math.floor(vp.width * ratio);
      canvas.height = Math.floor(vp.height * ratio);
      canvas.style.width = `${Math.floor(vp.width)}px`;
      canvas.style.height = `${Math.floor(vp.height)}px`;
      task = page.render({
        canvas,
        viewport: vp,
        transform: ratio !== 1 ? [ratio, 0, 0, ratio, 0, 0] : undefined,
      });
      task.promise.catch(() => undefined);
    });
    return () => {
      cancelled = true;
      task?.cancel();
    };
  }, [visible, doc, pageNumber, scale]);

  return (
    <canvas
      ref={canvasRef}
      role="img"
      aria-label={props.label}
      data-page={pageNumber}
      width={Math.floor(props.estimate.width * scale)}
      height={Math.floor(props.estimate.height * scale)}
    />
  );
}
