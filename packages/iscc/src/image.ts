// ISCC Content-Code Image (ISO 24138 §7.4): a 2-D DCT of 32×32 normalised grey pixels; each 8×8 block
// of low-frequency coefficients (at (0,0), (1,0), (0,1), (1,1)) gives 64 bits, a bit set where the
// coefficient exceeds the block's median. `normalizeImage` turns decoded RGBA pixels into those 1024
// grey values the way ISO 24138's reference tooling prepares images (EXIF orientation, alpha over white,
// uniform border trimmed, ITU-R BT.601 luma, area-aware bicubic resize). Decoding files is the caller's
// part (canvas in a browser, a PNG/JPEG decoder on a server): its name goes into `decoder`.
import { ContentType, encodeUnit, IsccError, MainType } from './codec';
import { dct } from './dct';
import { ISCC_TOOL } from './version';

export const IMAGE_SIZE = 32;
/** What normalizeImage does, recorded with every Image-Code it feeds. */
export const IMAGE_NORMALIZER =
  'gongxin-image-normalize 1 (orientation, white fill, trim, BT.601, cubic 32×32)';

export interface ImageCode {
  iscc: string;
  tool: string;
  /** How the 1024 pixels were made, when normalizeImage made them. */
  normalizer?: string;
  decoder?: string;
}

function median(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Up to 256 bits of image hash from 1024 grey values (row after row). */
export function softHashImage(pixels: ArrayLike<number>, bits = 64): Uint8Array {
  if (pixels.length !== IMAGE_SIZE * IMAGE_SIZE)
    throw new IsccError(`an Image-Code needs ${IMAGE_SIZE * IMAGE_SIZE} grey pixels, got ${pixels.length}`);
  if (bits > 256 || bits < 32 || bits % 32)
    throw new IsccError(`an Image-Code has 32..256 bits, not ${bits}`);
  const rows: Float64Array[] = [];
  for (let y = 0; y < IMAGE_SIZE; y++) {
    const row = new Float64Array(IMAGE_SIZE);
    for (let x = 0; x < IMAGE_SIZE; x++) row[x] = pixels[y * IMAGE_SIZE + x]!;
    rows.push(dct(row));
  }
  const matrix: Float64Array[] = Array.from({ length: IMAGE_SIZE }, () => new Float64Array(IMAGE_SIZE));
  for (let x = 0; x < IMAGE_SIZE; x++) {
    const column = dct(rows.map((r) => r[x]!));
    for (let y = 0; y < IMAGE_SIZE; y++) matrix[y]![x] = column[y]!;
  }
  const digest = new Uint8Array(bits / 8);
  let bit = 0;
  for (const [x0, y0] of [
    [0, 0],
    [1, 0],
    [0, 1],
    [1, 1],
  ] as const) {
    if (bit >= bits) break;
    const block = new Float64Array(64);
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) block[y * 8 + x] = matrix[y0 + y]![x0 + x]!;
    const med = median(block);
    for (const value of block) {
      if (value > med) digest[bit >> 3]! |= 0x80 >> (bit & 7);
      bit++;
    }
  }
  return digest;
}

/** Image-Code from 1024 normalised grey pixels. */
export function imageCode(pixels: ArrayLike<number>, bits = 64): ImageCode {
  return {
    iscc: encodeUnit(MainType.CONTENT, ContentType.IMAGE, 0, bits, softHashImage(pixels, bits)),
    tool: ISCC_TOOL,
  };
}

export interface RgbaImage {
  width: number;
  height: number;
  /** width × height × 4 bytes, RGBA, row after row. */
  data: ArrayLike<number>;
}

/** EXIF orientation 1..8 applied, so the pixels stand as a viewer shows them. */
export function orientImage(image: RgbaImage, orientation = 1): RgbaImage {
  if (orientation === 1) return image;
  if (!Number.isInteger(orientation) || orientation < 1 || orientation > 8)
    throw new IsccError(`EXIF orientation is 1..8, not ${orientation}`);
  const { width: w, height: h, data } = image;
  const swap = orientation >= 5;
  const outW = swap ? h : w;
  const outH = swap ? w : h;
  const out = new Uint8ClampedArray(outW * outH * 4);
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      // Source coordinates of output (x, y) for each orientation (TIFF 6.0 / EXIF 2.3 tag 0x0112).
      const [sx, sy] = (
        {
          2: [w - 1 - x, y],
          3: [w - 1 - x, h - 1 - y],
          4: [x, h - 1 - y],
          5: [y, x],
          6: [y, h - 1 - x],
          7: [w - 1 - y, h - 1 - x],
          8: [w - 1 - y, x],
        } as Record<number, [number, number]>
      )[orientation]!;
      const s = (sy * w + sx) * 4;
      const d = (y * outW + x) * 4;
      for (let c = 0; c < 4; c++) out[d + c] = data[s + c]!;
    }
  }
  return { width: outW, height: outH, data: out };
}

/** RGB after alpha over white (as the image is seen on a white page). */
function overWhite(image: RgbaImage): Uint8Array {
  const { width, height, data } = image;
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    const a = data[i * 4 + 3]!;
    for (let c = 0; c < 3; c++) rgb[i * 3 + c] = Math.round((data[i * 4 + c]! * a + 255 * (255 - a)) / 255);
  }
  return rgb;
}

/** The bounding box of pixels that differ from the top-left one (the whole image when none do). */
function contentBox(
  rgb: Uint8Array,
  width: number,
  height: number,
): { x0: number; y0: number; x1: number; y1: number } {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      if (rgb[i] !== rgb[0] || rgb[i + 1] !== rgb[1] || rgb[i + 2] !== rgb[2]) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  if (x1 < 0) return { x0: 0, y0: 0, x1: width - 1, y1: height - 1 };
  return { x0, y0, x1, y1 };
}

// Keys' cubic convolution kernel with a = −0.5, as PIL's BICUBIC filter (support 2).
function cubic(x: number): number {
  const a = -0.5;
  const t = Math.abs(x);
  if (t < 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
  if (t < 2) return (((t - 5) * t + 8) * t - 4) * a;
  return 0;
}

/**
 * Resample one axis: when shrinking, the kernel widens by the scale so every source pixel contributes
 * (area-aware, as PIL does), which keeps the code stable under resizing.
 */
function resampleAxis(
  src: Float64Array,
  inLen: number,
  lines: number,
  outLen: number,
  stride: 'row' | 'column',
): Float64Array {
  const scale = inLen / outLen;
  const filterScale = Math.max(scale, 1);
  const support = 2 * filterScale;
  const out = new Float64Array(outLen * lines);
  for (let o = 0; o < outLen; o++) {
    const center = (o + 0.5) * scale;
    const from = Math.max(0, Math.floor(center - support));
    const to = Math.min(inLen, Math.ceil(center + support));
    const weights: number[] = [];
    let total = 0;
    for (let i = from; i < to; i++) {
      const w = cubic((i - center + 0.5) / filterScale);
      weights.push(w);
      total += w;
    }
    for (let line = 0; line < lines; line++) {
      let acc = 0;
      for (let i = from; i < to; i++) {
        const v = stride === 'row' ? src[line * inLen + i]! : src[i * lines + line]!;
        acc += v * weights[i - from]!;
      }
      const value = Math.min(255, Math.max(0, Math.round(acc / total)));
      if (stride === 'row') out[line * outLen + o] = value;
      else out[o * lines + line] = value;
    }
  }
  return out;
}

/** The 1024 grey values an Image-Code is computed from. */
export function normalizeImage(image: RgbaImage, orientation = 1): Uint8Array {
  if (image.width < 1 || image.height < 1) throw new IsccError('an image needs at least one pixel');
  if (image.data.length !== image.width * image.height * 4)
    throw new IsccError(
      `RGBA data of ${image.width}×${image.height} is ${image.width * image.height * 4} bytes, got ${image.data.length}`,
    );
  const oriented = orientImage(image, orientation);
  const rgb = overWhite(oriented);
  const { x0, y0, x1, y1 } = contentBox(rgb, oriented.width, oriented.height);
  const w = x1 - x0 + 1;
  const h = y1 - y0 + 1;
  const cropped = new Float64Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = ((y0 + y) * oriented.width + x0 + x) * 3;
      // ITU-R BT.601 luma in the fixed point PIL's convert("L") uses.
      cropped[y * w + x] = (rgb[i]! * 19595 + rgb[i + 1]! * 38470 + rgb[i + 2]! * 7471 + 0x8000) >>> 16;
    }
  }
  const wide = resampleAxis(cropped, w, h, IMAGE_SIZE, 'row');
  const square = resampleAxis(wide, h, IMAGE_SIZE, IMAGE_SIZE, 'column');
  return Uint8Array.from(square);
}

/** Image-Code straight from decoded RGBA pixels. */
export function imageCodeFromRgba(
  image: RgbaImage,
  options: { bits?: number; orientation?: number; decoder?: string } = {},
): ImageCode {
  const code = imageCode(normalizeImage(image, options.orientation ?? 1), options.bits ?? 64);
  return {
    ...code,
    normalizer: IMAGE_NORMALIZER,
    ...(options.decoder !== undefined && { decoder: options.decoder }),
  };
}
