// Limits and sizes shared by the intake steps.

/** Images with more pixels than this (per frame) are refused with IMAGE_TOO_LARGE. */
export const MAX_INPUT_PIXELS = 100_000_000;

/** Thumbnails: the long edge, in pixels. */
export const THUMBNAIL_EDGE = 320;

/** Page images: A4 at 300 dpi (210 x 297 mm), turned to match the picture's orientation. */
export const PAGE_SHORT_EDGE = 2480;
export const PAGE_LONG_EDGE = 3508;
export const PAGE_JPEG_QUALITY = 85;

/** The offset assumed for camera times that carry none: East Africa Time, UTC+3. */
export const ASSUMED_CAMERA_OFFSET = '+03:00';
