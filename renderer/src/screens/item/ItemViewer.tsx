// The right viewer for an item: image, PDF, audio, video; for other files the page image Kesi
// made at intake, when there is one. Opening the original is logged by the service as a view.
// Images, audio and video load their URL themselves; a PDF's bytes are fetched for pdf.js.
import { lazy, Suspense, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ItemView } from '../../../../shared/contract';
import { errorCodeOf } from '../../../../shared/envelope';
import { mediaUrl } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useMedia, useMediaFailure } from '../../lib/useMedia';
import { viewerKind } from '../../lib/viewerKind';
import { ImageViewer } from './ImageViewer';

const PdfViewer = lazy(() => import('./PdfViewer').then((m) => ({ default: m.PdfViewer })));

export function ItemViewer(props: { item: ItemView }): ReactNode {
  const it = props.item;
  const kind = viewerKind(it);
  switch (kind) {
    case 'none':
      return it.blobName === null ? null : <NoPreview />;
    case 'pdf':
      return <PdfItem item={it} />;
    default:
      return <DirectItem key={`${it.id}-${kind}`} item={it} kind={kind} />;
  }
}

function NoPreview(): ReactNode {
  const { t } = useTranslation('item');
  return (
    <div className="viewer">
      <p className="viewer-message" data-testid="no-preview">
        {t('noPreview')}
      </p>
    </div>
  );
}

function ViewerError(props: { error: unknown }): ReactNode {
  return (
    <div className="viewer">
      <div className="viewer-message">
        <ErrorMessage error={props.error} testId="viewer-error" />
      </div>
    </div>
  );
}

function DirectItem(props: {
  item: ItemView;
  kind: 'image' | 'page' | 'audio' | 'video';
}): ReactNode {
  const it = props.item;
  const src = mediaUrl(it.id, props.kind === 'page' ? 'page' : 'original');
  const [failed, setFailed] = useState(false);
  const failure = useMediaFailure(src, failed);
  const onError = () => setFailed(true);
  if (failure) {
    // A file with no page image: say that it cannot be shown, not that the item is missing.
    const missingPage = props.kind === 'page' && errorCodeOf(failure) === 'ITEM_NOT_FOUND';
    return <ViewerError error={missingPage ? { code: 'PREVIEW_UNAVAILABLE' } : failure} />;
  }
  switch (props.kind) {
    case 'image':
    case 'page':
      return <ImageViewer src={src} label={it.title} onError={onError} />;
    case 'audio':
      return (
        <div className="viewer">
          <audio
            controls
            src={src}
            aria-label={it.title}
            onError={onError}
            data-testid="audio-player"
          />
        </div>
      );
    case 'video':
      return (
        <div className="viewer">
          <video
            controls
            src={src}
            aria-label={it.title}
            onError={onError}
            data-testid="video-player"
          />
        </div>
      );
  }
}

function PdfItem(props: { item: ItemView }): ReactNode {
  const { t } = useTranslation('item');
  const it = props.item;
  const media = useMedia(mediaUrl(it.id, 'original'));
  if (media.error) return <ViewerError error={media.error} />;
  if (media.loading || media.blob === null) {
    return (
      <div className="viewer">
        <p className="viewer-message" role="status">
          {t('viewer.loading')}
        </p>
      </div>
    );
  }
  return (
    <Suspense fallback={<p className="viewer-message">{t('viewer.loading')}</p>}>
      <PdfViewer blob={media.blob} label={it.title} />
    </Suspense>
  );
}
