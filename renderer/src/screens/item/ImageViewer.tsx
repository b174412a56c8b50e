// An image with zoom and pan: buttons, keyboard (+ − 0 1 and arrows), wheel and drag.
import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { centred, fitView, panBy, zoomAt, type Size, type View } from '../../lib/zoom';
import { ZoomButtons } from './ZoomButtons';

const STEP = 1.25;

export function ImageViewer(props: { src: string; label: string; onError?(): void }): ReactNode {
  const { t } = useTranslation('item');
  const stageRef = useRef<HTMLDivElement>(null);
  const [natural, setNatural] = useState<Size | null>(null);
  const [view, setView] = useState<View>({ scale: 1, x: 0, y: 0 });
  const [dragging, setDragging] = useState(false);
  const drag = useRef<{ x: number; y: number } | null>(null);
  const hintId = useId();

  const stageSize = (): Size => ({
    width: stageRef.current?.clientWidth ?? 0,
    height: stageRef.current?.clientHeight ?? 0,
  });
  const centre = () => {
    const s = stageSize();
    return { x: s.width / 2, y: s.height / 2 };
  };
  const fit = useCallback(() => {
    if (natural) setView(fitView(natural, stageSize()));
  }, [natural]);
  const actual = () => {
    if (natural) setView(centred(natural, stageSize(), 1));
  };
  const zoom = (factor: number) => setView((v) => zoomAt(v, factor, centre()));

  useEffect(fit, [fit]);

  // Wheel zoom needs a non-passive listener to keep the page from scrolling.
  useEffect(() => {
    const el = stageRef.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const r = el.getBoundingClientRect();
      const factor = Math.pow(1.0015, -e.deltaY);
      setView((v) => zoomAt(v, factor, { x: e.clientX - r.left, y: e.clientY - r.top }));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, []);

  const onKeyDown = (e: React.KeyboardEvent) => {
    const step = e.shiftKey ? 200 : 40;
    switch (e.key) {
      case '+':
      case '=':
        zoom(STEP);
        break;
      case '-':
      case '_':
        zoom(1 / STEP);
        break;
      case '0':
        fit();
        break;
      case '1':
        actual();
        break;
      case 'ArrowLeft':
        setView((v) => panBy(v, step, 0));
        break;
      case 'ArrowRight':
        setView((v) => panBy(v, -step, 0));
        break;
      case 'ArrowUp':
        setView((v) => panBy(v, 0, step));
        break;
      case 'ArrowDown':
        setView((v) => panBy(v, 0, -step));
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  return (
    <div className="viewer" data-testid="image-viewer">
      <div className="viewer-toolbar" role="toolbar" aria-label={t('viewer.toolbar')}>
        <ZoomButtons scale={view.scale} step={STEP} onZoom={zoom} />
        <button type="button" onClick={fit}>
          {t('viewer.fit')}
        </button>
        <button type="button" onClick={actual}>
          {t('viewer.actual')}
        </button>
        <span id={hintId} className="hint-dark">
          {t('viewer.keys')}
        </span>
      </div>
      <div
        ref={stageRef}
        className={dragging ? 'viewer-stage dragging' : 'viewer-stage'}
        tabIndex={0}
        role="group"
        aria-roledescription={t('viewer.imageRole')}
        aria-label={props.label}
        aria-describedby={hintId}
        onKeyDown={onKeyDown}
        onPointerDown={(e) => {
          if (e.button !== 0) return;
          e.currentTarget.setPointerCapture(e.pointerId);
          drag.current = { x: e.clientX, y: e.clientY };
          setDragging(true);
        }}
        onPointerMove={(e) => {
          const d = drag.current;
          if (!d) return;
          const dx = e.clientX - d.x;
          const dy = e.clientY - d.y;
          drag.current = { x: e.clientX, y: e.clientY };
          setView((v) => panBy(v, dx, dy));
        }}
        onPointerUp={() => {
          drag.current = null;
          setDragging(false);
        }}
        onPointerCancel={() => {
          drag.current = null;
          setDragging(false);
        }}
        onDoubleClick={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          setView((v) => zoomAt(v, 2, { x: e.clientX - r.left, y: e.clientY - r.top }));
        }}
      >
        <img
          src={props.src}
          alt={props.label}
          draggable={false}
          data-testid="viewer-image"
          onError={props.onError}
          onLoad={(e) => {
            const img = e.currentTarget;
            setNatural({ width: img.naturalWidth, height: img.naturalHeight });
          }}
          style={{
            width: natural ? natural.width : undefined,
            height: natural ? natural.height : undefined,
            transform: `translate(${view.x}px, ${view.y}px) scale(${view.scale})`,
            visibility: natural ? 'visible' : 'hidden',
          }}
        />
      </div>
    </div>
  );
}
