// Filtering a case's evidence list on the page (the list is already loaded whole). Pure.
import type { Item, ItemKind } from '../../../shared/domain';

type Filterable = Pick<Item, 'kind' | 'title' | 'exhibitNumber' | 'originalName' | 'sha256'>;

/** Items whose title, exhibit number, file name or hash prefix contains every word typed. */
export function filterItems<T extends Filterable>(
  items: readonly T[],
  text: string,
  kind: ItemKind | '',
): T[] {
  const words = text
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  return items.filter((it) => {
    if (kind !== '' && it.kind !== kind) return false;
    if (words.length === 0) return true;
    const hay = [it.title, it.exhibitNumber ?? '', it.originalName ?? ''].join('\n').toLowerCase();
    return words.every((w) => hay.includes(w) || it.sha256.startsWith(w));
  });
}

/** How many cards fit in a row of the grid view. */
export function gridColumns(width: number, minCard: number, gap: number): number {
  if (!(width > 0)) return 1;
  return Math.max(1, Math.floor((width + gap) / (minCard + gap)));
}
