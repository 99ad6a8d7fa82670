// A small preview of an uploaded file for the reviewer, who decides on what was filed: a picture as a PNG
// thumbnail, a text as its opening lines, anything else by its type and size alone. Files of pending works
// are never served whole to the public (rest.ts); this gives a reviewer enough to look at, and no more.
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/** The longest side of a thumbnail, px: enough to recognise a picture in the review queue. */
export const THUMBNAIL_PX = 240;
/** The opening of a text: at most this many lines, and this many characters in all. */
export const PREVIEW_LINES = 12;
export const PREVIEW_CHARS = 800;

export type FilePreview =
  | { kind: 'image'; thumbnail: string; width: number; height: number }
  | { kind: 'text'; lines: string[]; truncated: boolean }
  | { kind: 'none' };

interface Rgba {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Box-filter downscale so that the longest side is at most `max` (never upscales). */
function downscale(image: Rgba, max: number): Rgba {
  const scale = Math.min(1, max / Math.max(image.width, image.height));
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor((y * image.height) / height);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * image.height) / height));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor((x * image.width) / width);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * image.width) / width));
      const sum = [0, 0, 0, 0];
      for (let sy = y0; sy < y1; sy++)
        for (let sx = x0; sx < x1; sx++) {
          const i = (sy * image.width + sx) * 4;
          for (let c = 0; c < 4; c++) sum[c]! += image.data[i + c]!;
        }
      const n = (y1 - y0) * (x1 - x0);
      const o = (y * width + x) * 4;
      for (let c = 0; c < 4; c++) data[o + c] = Math.round(sum[c]! / n);
    }
  }
  return { width, height, data };
}

function imagePreview(bytes: Uint8Array, mediaType: string): FilePreview {
  let image: Rgba;
  try {
    image =
      mediaType === 'image/png'
        ? PNG.sync.read(Buffer.from(bytes))
        : jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 256 });
  } catch {
    // Uploads were decoded once already (codes.ts); a file that no longer decodes is shown by type.
    return { kind: 'none' };
  }
  const small = downscale(image, THUMBNAIL_PX);
  const png = new PNG({ width: small.width, height: small.height });
  png.data = Buffer.from(small.data);
  const encoded = PNG.sync.write(png);
  return {
    kind: 'image',
    thumbnail: `data:image/png;base64,${encoded.toString('base64')}`,
    width: image.width,
    height: image.height,
  };
}

function textPreview(bytes: Uint8Array): FilePreview {
  // Only the opening is decoded: a cut through a multi-byte character shows as one replacement mark.
  const text = new TextDecoder('utf-8').decode(bytes.subarray(0, PREVIEW_CHARS * 4));
  const all = text.replace(/\r\n?/g, '\n').split('\n');
  const lines: string[] = [];
  let chars = 0;
  let cut = all.length > PREVIEW_LINES;
  for (const line of all.slice(0, PREVIEW_LINES)) {
    const room = PREVIEW_CHARS - chars;
    const characters = [...line];
    if (characters.length > room) cut = true;
    if (room <= 0) break;
    lines.push(characters.slice(0, room).join(''));
    chars += Math.min(room, characters.length);
  }
  return { kind: 'text', lines, truncated: cut || bytes.length > PREVIEW_CHARS * 4 };
}

export function filePreview(bytes: Uint8Array, mediaType: string): FilePreview {
  if (mediaType === 'image/png' || mediaType === 'image/jpeg') return imagePreview(bytes, mediaType);
  if (mediaType === 'text/plain' || mediaType === 'text/markdown') return textPreview(bytes);
  return { kind: 'none' };
}
