// electron/app/media.ts: the kesi-media:// handler against a real vault with a real photo.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { mediaUrl } from '../../shared/contract';
import { createMediaHandler, parseMediaUrl, type MediaService } from '../../electron/app/media';
import { cameraJpeg } from '../helpers/images';
import { tempDir } from '../helpers/tmp';
import { newVault } from '../helpers/vault';

async function vaultWithPhoto() {
  const { service, dir } = await newVault();
  service.createCase({ ref: 'IMLU-2026-014', title: 'Death in custody' });
  const file = join(tempDir(), 'injury.jpg');
  const jpeg = await cameraJpeg(400, 300);
  writeFileSync(file, jpeg);
  const [r] = await service.addFiles({ caseRef: 'IMLU-2026-014', paths: [file] });
  expect(r?.status).toBe('added');
  const exhibit = service.addExhibit('IMLU-2026-014', { title: 'Shirt' });
  const log = vi.fn();
  const handle = createMediaHandler(() => service, { log });
  const get = (url: string, method = 'GET') => handle(new Request(url, { method }));
  return { service, dir, jpeg, photoId: r!.itemId!, exhibitId: exhibit.id, get, log };
}

const views = (service: MediaService & { itemLog(id: number): { action: string }[] }, id: number) =>
  service.itemLog(id).filter((e) => e.action === 'view').length;

describe('parseMediaUrl', () => {
  it('reads item, kind and page', () => {
    expect(parseMediaUrl('kesi-media://item/42/original')).toEqual({
      itemId: 42,
      kind: 'original',
      page: null,
    });
    expect(parseMediaUrl(mediaUrl(7, 'page', 3))).toEqual({ itemId: 7, kind: 'page', page: 3 });
    expect(parseMediaUrl(mediaUrl(7, 'thumbnail'))).toMatchObject({ kind: 'thumbnail' });
  });

  it('refuses anything else', () => {
    for (const url of [
      'kesi-media://item/0/original',
      'kesi-media://item/-1/original',
      'kesi-media://item/abc/original',
      'kesi-media://item/01/original',
      'kesi-media://item/1/secret',
      'kesi-media://item/1/original/2',
      'kesi-media://item/1/thumbnail/2',
      'kesi-media://item/1/page/0',
      'kesi-media://item/1/page/2/3',
      'kesi-media://item/1/original?x=1',
      'kesi-media://item/1',
      'kesi-media://other/1/original',
      'kesi-media://user@item/1/original',
      'https://item/1/original',
      'not a url',
    ]) {
      expect(parseMediaUrl(url), url).toBeNull();
    }
  });
});

describe('the kesi-media handler', () => {
  it('serves the original, decrypted, uncached, and logs a view', async () => {
    const { service, jpeg, photoId, get } = await vaultWithPhoto();
    const before = views(service, photoId);
    const res = await get(mediaUrl(photoId));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain('sandbox');
    expect(Buffer.from(await res.arrayBuffer()).equals(jpeg)).toBe(true);
    expect(views(service, photoId)).toBe(before + 1);
    service.lock();
  });

  it('answers the app origin with CORS when the page lives on another scheme', async () => {
    const { service, photoId } = await vaultWithPhoto();
    const same = await createMediaHandler(() => service)(new Request(mediaUrl(photoId)));
    expect(same.headers.get('access-control-allow-origin')).toBeNull();
    expect(same.headers.get('cross-origin-resource-policy')).toBe('same-site');
    const handle = createMediaHandler(() => service, { allowOrigin: 'kesi-app://app' });
    for (const url of [mediaUrl(photoId), mediaUrl(photoId, 'thumbnail'), mediaUrl(999)]) {
      const res = await handle(new Request(url));
      expect(res.headers.get('access-control-allow-origin')).toBe('kesi-app://app');
      expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    service.lock();
  });

  it('answers HEAD without reading or logging the evidence', async () => {
    const { service, jpeg, photoId, get } = await vaultWithPhoto();
    const before = views(service, photoId);
    const res = await get(mediaUrl(photoId), 'HEAD');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(jpeg.length));
    expect(views(service, photoId)).toBe(before);
    service.lock();
  });

  it('serves the thumbnail and the page image, without logging a view', async () => {
    const { service, photoId, get } = await vaultWithPhoto();
    const before = views(service, photoId);
    for (const kind of ['thumbnail', 'page'] as const) {
      const res = await get(mediaUrl(photoId, kind));
      expect(res.status, kind).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^image\//);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = Buffer.from(await res.arrayBuffer());
      expect(body.length).toBeGreaterThan(100);
    }
    const d = service.vault.catalogue.derivatives.findFor(photoId, 'thumbnail');
    const thumb = await get(mediaUrl(photoId, 'thumbnail'));
    expect(thumb.headers.get('content-type')).toBe(d?.mediaType);
    expect(views(service, photoId)).toBe(before);
    service.lock();
  });

  it('says 404 for an unknown item, a missing page, and a physical exhibit', async () => {
    const { service, photoId, exhibitId, get } = await vaultWithPhoto();
    for (const url of [
      mediaUrl(999_999),
      mediaUrl(photoId, 'page', 2),
      mediaUrl(exhibitId),
      mediaUrl(exhibitId, 'thumbnail'),
    ]) {
      const res = await get(url);
      expect(res.status, url).toBe(404);
      expect(await res.json()).toMatchObject({ code: 'ITEM_NOT_FOUND' });
    }
    service.lock();
  });

  it('says 400 for a bad address or method, and 403 when locked', async () => {
    const { service, photoId, get } = await vaultWithPhoto();
    expect((await get('kesi-media://item/x/original')).status).toBe(400);
    expect((await get(mediaUrl(photoId), 'POST')).status).toBe(400);
    service.lock();
    const locked = await get(mediaUrl(photoId));
    expect(locked.status).toBe(403);
    expect(await locked.json()).toMatchObject({ code: 'VAULT_LOCKED' });
    const none = createMediaHandler(() => null);
    expect((await none(new Request(mediaUrl(photoId)))).status).toBe(403);
  });

  it('reports an altered stored file as BLOB_CORRUPT, naming the item', async () => {
    const { service, dir, photoId, get } = await vaultWithPhoto();
    const blobName = service.getItem(photoId).blobName!;
    const path = join(dir, 'blobs', blobName.slice(0, 2), blobName.slice(2));
    const bytes = readFileSync(path);
    const at = bytes.length - 40;
    bytes.writeUInt8(bytes.readUInt8(at) ^ 0xff, at);
    writeFileSync(path, bytes);
    const res = await get(mediaUrl(photoId));
    expect(res.status).toBe(500);
    const body = (await res.json()) as { code: string; message: string };
    expect(body.code).toBe('BLOB_CORRUPT');
    expect(body.message).toContain(`item ${photoId}`);
    service.lock();
  });

  it('hides unexpected errors behind INTERNAL and logs them', async () => {
    const log = vi.fn();
    const broken = {
      isLocked: false,
      getItem: () => {
        throw new TypeError('boom');
      },
    } as unknown as MediaService;
    const res = await createMediaHandler(() => broken, { log })(new Request(mediaUrl(1)));
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({
      code: 'INTERNAL',
      message: 'Something went wrong inside Kesi.',
    });
    expect(log).toHaveBeenCalledTimes(1);
  });
});
