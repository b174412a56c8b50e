// Small line icons drawn inline (no icon font, no network). Decorative: the words beside an icon
// say what it means, so every icon is aria-hidden.
import type { ReactNode } from 'react';

const PATHS = {
  cases: 'M3 7h6l2 2h10v10H3z',
  search: 'M10.5 4a6.5 6.5 0 1 1 0 13 6.5 6.5 0 0 1 0-13zM15.5 15.5 21 21',
  audit: 'M12 3l8 3v6c0 4.5-3.4 8-8 9-4.6-1-8-4.5-8-9V6zM8.5 12l2.5 2.5 4.5-5',
  settings:
    'M12 9a3 3 0 1 1 0 6 3 3 0 0 1 0-6zM12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9 7 7M17 17l2.1 2.1M4.9 19.1 7 17M17 7l2.1-2.1',
  users:
    'M9 11a3.5 3.5 0 1 1 0-7 3.5 3.5 0 0 1 0 7zM2.5 20c.5-3.5 3.2-6 6.5-6s6 2.5 6.5 6M16 4.5a3.5 3.5 0 0 1 0 6.5M18 14c2 .8 3.3 3 3.5 6',
  lock: 'M6 11h12v10H6zM8.5 11V7.5a3.5 3.5 0 0 1 7 0V11',
  check: 'M5 12.5l4.5 4.5L19 7.5',
  cross: 'M6 6l12 12M18 6 6 18',
  warning: 'M12 3 22 20H2zM12 10v4.5M12 17v.5',
  info: 'M12 3a9 9 0 1 1 0 18 9 9 0 0 1 0-18zM12 11v6M12 7.5V8',
  minus: 'M12 3a9 9 0 1 1 0 18 9 9 0 0 1 0-18zM7.5 12h9',
  duplicate: 'M8 8h12v12H8zM4 16V4h12',
  file: 'M6 3h8l4 4v14H6zM14 3v4h4',
  pdf: 'M6 3h8l4 4v14H6zM14 3v4h4M8.5 12h7M8.5 15h7M8.5 18h4',
  text: 'M6 3h8l4 4v14H6zM14 3v4h4M9 11h6M9 14h6M9 17h6',
  medical: 'M6 3h8l4 4v14H6zM14 3v4h4M12 11v7M8.5 14.5h7',
  image: 'M3 5h18v14H3zM3 16l5-5 4 4 3-3 6 6M15.5 8.5a1 1 0 1 1 0 .1',
  audio: 'M9 18V6l11-2v12M9 18a3 3 0 1 1-6 0 3 3 0 0 1 6 0zM20 16a3 3 0 1 1-6 0 3 3 0 0 1 6 0z',
  video: 'M3 6h13v12H3zM16 10l5-3v10l-5-3',
  exhibit: 'M3 8l9-5 9 5v8l-9 5-9-5zM3 8l9 5 9-5M12 13v8',
  upload: 'M12 16V4M7 9l5-5 5 5M4 16v4h16v-4',
  pin: 'M12 21s-6.5-6-6.5-11a6.5 6.5 0 0 1 13 0C18.5 15 12 21 12 21zM12 7.5a2.5 2.5 0 1 1 0 5 2.5 2.5 0 0 1 0-5z',
  close: 'M6 6l12 12M18 6 6 18',
  external: 'M14 4h6v6M20 4l-9 9M18 14v6H4V6h6',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon(props: { name: IconName; className?: string; size?: number }): ReactNode {
  const size = props.size ?? 16;
  return (
    <svg
      className={props.className ? `icon ${props.className}` : 'icon'}
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[props.name]} />
    </svg>
  );
}

/** The icon of an item's kind (lists, thumbnails' stand-in). */
export function kindIcon(kind: string, mediaType?: string): IconName {
  if (mediaType === 'application/pdf') return 'pdf';
  switch (kind) {
    case 'statement':
      return 'text';
    case 'medical_report':
      return 'medical';
    case 'photo':
      return 'image';
    case 'audio':
      return 'audio';
    case 'video':
      return 'video';
    case 'physical_exhibit':
      return 'exhibit';
    default:
      return 'file';
  }
}
