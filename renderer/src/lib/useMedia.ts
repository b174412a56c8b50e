// Reading an item's bytes from its media URL.
// - useMedia: the bytes, for pdf.js (a fetch; the host must allow it for the page's origin).
// - useMediaFailure: after an <img>, <audio> or <video> failed to show a URL, the reason, read
//   from the host's answer ({ code, message }); those elements load the URL themselves, so the
//   fetch happens only when they fail.
import { useEffect, useState } from 'react';

export interface Media {
  blob: Blob | null;
  error: unknown;
  loading: boolean;
}

/** An Error carrying the code of a failed media answer (the body is { code, message }). */
export async function mediaFailure(res: Response): Promise<Error & { code: string }> {
  let code = 'INTERNAL';
  let message = `HTTP ${res.status}`;
  try {
    const body = (await res.json()) as { code?: unknown; message?: unknown };
    if (typeof body.code === 'string') code = body.code;
    if (typeof body.message === 'string') message = body.message;
  } catch {
    // not JSON: keep the status
  }
  return Object.assign(new Error(message), { code });
}

export function useMedia(src: string | null): Media {
  const [state, setState] = useState<Media>({ blob: null, error: null, loading: true });
  useEffect(() => {
    if (src === null) {
      setState({ blob: null, error: null, loading: false });
      return;
    }
    let live = true;
    setState({ blob: null, error: null, loading: true });
    fetch(src, { cache: 'no-store', credentials: 'omit' })
      .then(async (res) => {
        if (!res.ok) throw await mediaFailure(res);
        const blob = await res.blob();
        if (live) setState({ blob, error: null, loading: false });
      })
      .catch((error: unknown) => {
        if (live) setState({ blob: null, error, loading: false });
      });
    return () => {
      live = false;
    };
  }, [src]);
  return state;
}

/**
 * Why `src` could not be shown: the host's error (e.g. BLOB_CORRUPT), or PREVIEW_UNAVAILABLE
 * when the bytes came but the page cannot show them. Null until `failed`, and while asking.
 */
export function useMediaFailure(src: string, failed: boolean): unknown {
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!failed) {
      setError(null);
      return;
    }
    let live = true;
    const unavailable = Object.assign(new Error('The file cannot be shown.'), {
      code: 'PREVIEW_UNAVAILABLE',
    });
    fetch(src, { method: 'HEAD', cache: 'no-store', credentials: 'omit' })
      .then(async (res) => {
        // HEAD answers from the catalogue: for a failure, GET the error body (nothing is logged
        // for a request that fails).
        if (res.ok) return unavailable;
        const full = await fetch(src, { cache: 'no-store', credentials: 'omit' });
        return full.ok ? unavailable : mediaFailure(full);
      })
      .catch(() => unavailable)
      .then((e) => {
        if (live) setError(e);
      });
    return () => {
      live = false;
    };
  }, [src, failed]);
  return error;
}
