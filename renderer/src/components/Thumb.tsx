// An item's thumbnail (a derivative made at intake, not logged as a view), asked for only when the
// item has one (`previews.thumbnail`); otherwise, or if it fails to load, the icon of its kind.
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ItemView } from '../../../shared/contract';
import { mediaUrl } from '../api';
import { Icon, kindIcon } from './Icon';

export function Thumb(props: { item: ItemView; large?: boolean }): ReactNode {
  const { t } = useTranslation('domain');
  const [failed, setFailed] = useState(false);
  const it = props.item;
  if (!it.previews.thumbnail || failed) {
    return (
      <span
        className={props.large ? 'thumb-fallback large' : 'thumb-fallback'}
        title={t(`kind.${it.kind}`)}
        data-kind={it.kind}
      >
        <Icon name={kindIcon(it.kind, it.mediaType)} size={props.large ? 40 : 20} />
      </span>
    );
  }
  return (
    <img
      className={props.large ? 'thumb large' : 'thumb'}
      src={mediaUrl(it.id, 'thumbnail')}
      alt=""
      data-kind={it.kind}
      loading="lazy"
      decoding="async"
      draggable={false}
      onError={() => setFailed(true)}
    />
  );
}
