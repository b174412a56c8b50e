// The zoom out / level / zoom in group that the image and PDF viewers' toolbars start with.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function ZoomButtons(props: {
  scale: number;
  step: number;
  onZoom(factor: number): void;
}): ReactNode {
  const { t } = useTranslation('item');
  return (
    <>
      <button
        type="button"
        onClick={() => props.onZoom(1 / props.step)}
        aria-label={t('viewer.zoomOut')}
        data-testid="zoom-out"
      >
        −
      </button>
      <span className="zoom-level" aria-live="polite" data-testid="zoom-level">
        {Math.round(props.scale * 100)}%
      </span>
      <button
        type="button"
        onClick={() => props.onZoom(props.step)}
        aria-label={t('viewer.zoomIn')}
        data-testid="zoom-in"
      >
        +
      </button>
    </>
  );
}
