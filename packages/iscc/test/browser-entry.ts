// The page script of the browser test: the conformance run and a canvas-decoded Image-Code, exposed on
// window for the test to call. Bundled by esbuild for the browser (xxhash-wasm's module is inlined).

import { IMAGE_NORMALIZER, imageCodeFromRgba } from '../src/index';
import { runConformance } from './conformance';
import vectors from './vectors/iscc-core-data.json' with { type: 'json' };

async function imageCodeOfPng(base64: string): Promise<string> {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }), {
    colorSpaceConversion: 'none',
    premultiplyAlpha: 'none',
  });
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d')!;
  context.drawImage(bitmap, 0, 0);
  const { width, height, data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
  return imageCodeFromRgba({ width, height, data }, { decoder: 'canvas' }).iscc;
}

Object.assign(globalThis, {
  isccConformance: () => runConformance(vectors as never),
  isccImageCodeOfPng: imageCodeOfPng,
  isccNormalizer: IMAGE_NORMALIZER,
  isccUserAgent: navigator.userAgent,
});
