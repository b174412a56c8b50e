// Which viewer an item gets, by its media type. Pure.
import type { Item } from '../../../shared/domain';

export type ViewerKind = 'image' | 'pdf' | 'audio' | 'video' | 'page' | 'none';

/**
 * Physical exhibits have no bytes; files the page cannot show get their page image when intake
 * made one (`previews.page`), else none.
 */
export function viewerKind(
  it: Pick<Item, 'mediaType' | 'blobName'> & { previews?: { page: boolean } },
): ViewerKind {
  if (it.blobName === null) return 'none';
  const t = it.mediaType.toLowerCase().split(';')[0]?.trim() ?? '';
  if (t === 'application/pdf') return 'pdf';
  if (/^image\/(jpeg|png|gif|webp|bmp|avif)$/.test(t)) return 'image';
  if (/^audio\/(mpeg|mp4|aac|ogg|wav|x-wav|webm|flac|x-m4a)$/.test(t)) return 'audio';
  if (/^video\/(mp4|webm|ogg)$/.test(t)) return 'video';
  return it.previews === undefined || it.previews.page ? 'page' : 'none';
}
