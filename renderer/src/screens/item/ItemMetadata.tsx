// An item's details: what the caseworker recorded (editable), the file's identity, and what
// intake read from the file, as labelled fields in groups (camera, time, place, image, PDF,
// media, file); every recorded key is also listed, collapsed, under "All metadata".
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ItemView } from '../../../../shared/contract';
import { useSession } from '../../app/session';
import { Icon } from '../../components/Icon';
import { NONE, eat, formatBytes } from '../../lib/format';
import {
  flattenMetadata,
  formatCoordinate,
  metadataGroups,
  type MetaField,
} from '../../lib/itemMetadata';
import { ItemEditForm } from './ItemEditForm';

export function ItemMetadata(props: { item: ItemView; onChanged(it: ItemView): void }): ReactNode {
  const { t } = useTranslation('item');
  const session = useSession();
  const [editing, setEditing] = useState(false);
  const it = props.item;
  if (editing) {
    return (
      <ItemEditForm
        item={it}
        onCancel={() => setEditing(false)}
        onSaved={(next) => {
          setEditing(false);
          props.onChanged(next);
        }}
      />
    );
  }
  const groups = metadataGroups(it.metadata);
  const all = flattenMetadata(it.metadata);
  return (
    <section className="card" aria-labelledby="meta-heading" data-testid="item-metadata">
      <div className="section-head">
        <h2 id="meta-heading">{t('metadata')}</h2>
        {session.can('items.edit') ? (
          <button
            type="button"
            className="small"
            onClick={() => setEditing(true)}
            data-testid="edit-item"
          >
            {t('edit')}
          </button>
        ) : null}
      </div>
      <dl className="props">
        <dt>{t('field.kind')}</dt>
        <dd>
          {t(`domain:kind.${it.kind}`)}
          {it.subtype ? ` — ${t(`domain:subtype.${it.subtype}`)}` : ''}
        </dd>
        <dt>{t('field.exhibitNumber')}</dt>
        <dd className={it.exhibitNumber ? 'mono' : undefined}>{it.exhibitNumber ?? NONE}</dd>
        <dt>{t('field.description')}</dt>
        <dd>{it.description ?? NONE}</dd>
        <dt>{t('field.capturedAt')}</dt>
        <dd>{eat(it.capturedAt) || NONE}</dd>
        <dt>{t('field.capturedBy')}</dt>
        <dd>{it.capturedBy ?? NONE}</dd>
        <dt>{t('field.source')}</dt>
        <dd>{it.source ?? NONE}</dd>
        {it.blobName !== null ? (
          <>
            <dt>{t('field.originalName')}</dt>
            <dd>{it.originalName ?? NONE}</dd>
            <dt>{t('field.mediaType')}</dt>
            <dd className="mono">{it.mediaType}</dd>
            <dt>{t('field.size')}</dt>
            <dd>
              {formatBytes(it.size)} ({it.size.toLocaleString('en')} B)
            </dd>
          </>
        ) : null}
        <dt>{t('field.sha256')}</dt>
        <dd className="mono hash-full" data-testid="item-sha256">
          {it.sha256}
        </dd>
        <dt>{t('field.addedAt')}</dt>
        <dd>{eat(it.createdAt) || NONE}</dd>
      </dl>
      {groups.map((g) => (
        <section key={g.id} className="meta-group" data-testid={`meta-${g.id}`}>
          <h3>{t(`meta.group.${g.id}`)}</h3>
          <dl className="props">
            {g.fields.map((f) => (
              <MetaRow key={f.key} field={f} />
            ))}
          </dl>
        </section>
      ))}
      {all.length > 0 ? (
        <details className="all-meta">
          <summary>{t('meta.all', { count: all.length })}</summary>
          <dl className="props raw">
            {all.map(([k, v]) => (
              <div key={k} className="raw-row">
                <dt className="mono">{k}</dt>
                <dd className="mono">{v === '' ? NONE : v}</dd>
              </div>
            ))}
          </dl>
        </details>
      ) : null}
    </section>
  );
}

function MetaRow(props: { field: MetaField }): ReactNode {
  const { t } = useTranslation('item');
  const f = props.field;
  return (
    <>
      <dt>{t(`meta.field.${f.key}`)}</dt>
      <dd data-testid={`meta-${f.key}`}>
        <MetaText field={f} />
        {f.notice ? (
          <span className="notice">
            <Icon name="warning" />
            {t(`meta.notice.${f.notice}`)}
          </span>
        ) : null}
      </dd>
    </>
  );
}

function MetaText(props: { field: MetaField }): ReactNode {
  const { t } = useTranslation('item');
  const v = props.field.value;
  switch (v.type) {
    case 'text':
      return v.text;
    case 'number':
      return v.unit === 's'
        ? t('meta.seconds', { value: v.value.toLocaleString('en', { maximumFractionDigits: 1 }) })
        : `${v.value.toLocaleString('en')}${v.unit ? ` ${v.unit}` : ''}`;
    case 'time':
      return eat(v.iso) || NONE;
    case 'yesno':
      return v.value ? t('common:yes') : t('common:no');
    case 'size':
      return `${v.width.toLocaleString('en')} × ${v.height.toLocaleString('en')} px`;
    case 'gps':
      return (
        <span className="gps">
          <Icon name="pin" />
          <span className="mono">
            {formatCoordinate(v.latitude, 'lat')}, {formatCoordinate(v.longitude, 'lon')}
          </span>
          {v.altitude !== null ? (
            <span className="muted">
              {' '}
              · {t('meta.altitude', { value: Math.round(v.altitude).toLocaleString('en') })}
            </span>
          ) : null}
        </span>
      );
  }
}
