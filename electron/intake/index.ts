// The pure intake steps (no vault, no database). See docs/INTAKE.md.
export {
  sniff,
  sniffBuffer,
  sniffFile,
  sniffOrOther,
  OTHER_DOCUMENT,
  SNIFF_HEAD_BYTES,
  type MediaFamily,
  type SniffOptions,
  type SniffResult,
} from './sniff';
export {
  makeDerivatives,
  makePageImage,
  makeThumbnail,
  makeThumbnailFromPage,
  type Derivative,
  type Derivatives,
} from './derivatives';
export {
  readImageMetadata,
  validateImage,
  type ImageMetadata,
  type ImageValidation,
} from './metadata/image';
export { openPdf, readPdfMetadata, type PdfMetadata, type PdfPage } from './metadata/pdf';
export { readMediaMetadata, readMediaMetadataFile, type MediaMetadata } from './metadata/media';
export { inspect, type InspectOptions, type Inspection, type IntakeWarning } from './inspect';
export { MAX_INPUT_PIXELS } from './limits';
