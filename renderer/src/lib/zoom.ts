// Zoom and pan of an image in a viewport: scale, and the image's top-left offset. Pure.

export interface View {
  scale: number;
  x: number;
  y: number;
}

export interface Size {
  width: number;
  height: number;
}

export const MIN_SCALE = 0.05;
export const MAX_SCALE = 16;

export function clampScale(s: number): number {
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, s));
}

/** The whole image in view, centred, never enlarged beyond 100%. */
export function fitView(image: Size, stage: Size): View {
  if (image.width <= 0 || image.height <= 0 || stage.width <= 0 || stage.height <= 0) {
    return { scale: 1, x: 0, y: 0 };
  }
  const scale = clampScale(Math.min(1, stage.width / image.width, stage.height / image.height));
  return centred(image, stage, scale);
}

export function centred(image: Size, stage: Size, scale: number): View {
  return {
    scale,
    x: (stage.width - image.width * scale) / 2,
    y: (stage.height - image.height * scale) / 2,
  };
}

/** Zoom by `factor`, keeping the image point under `at` (stage coordinates) where it is. */
export function zoomAt(view: View, factor: number, at: { x: number; y: number }): View {
  const scale = clampScale(view.scale * factor);
  const k = scale / view.scale;
  return { scale, x: at.x - (at.x - view.x) * k, y: at.y - (at.y - view.y) * k };
}

export function panBy(view: View, dx: number, dy: number): View {
  return { ...view, x: view.x + dx, y: view.y + dy };
}
