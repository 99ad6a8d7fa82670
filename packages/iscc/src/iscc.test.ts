import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MPA, MPB } from './_constants';
import { decodeUnit, encodeHeader, encodeUnit, IsccError, MainType } from './codec';
import { DataHasher, dataCode } from './data';
import { IMAGE_NORMALIZER, imageCodeFromRgba, normalizeImage, orientImage } from './image';
import { InstanceHasher, instanceCode } from './instance';
import { minhash } from './minhash';
import { textCode, textCollapse } from './text';

// The defining formula in BigInt, to hold the 32-bit-word implementation against.
function minhashReference(features: number[]): number[] {
  const mask64 = (1n << 64n) - 1n;
  const prime = (1n << 61n) - 1n;
  return MPA.map(([aHi, aLo], p) => {
    const a = (BigInt(aHi) << 32n) | BigInt(aLo);
    const [bHi, bLo] = MPB[p]!;
    const b = (BigInt(bHi) << 32n) | BigInt(bLo);
    let min = 0xffffffffn;
    for (const f of features) {
      const h = (((a * BigInt(f) + b) & mask64) % prime) & 0xffffffffn;
      if (h < min) min = h;
    }
    return Number(min);
  });
}

describe('minhash', () => {
  it('equals the BigInt definition for any features, including the extremes', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 0xffffffff }), { minLength: 1, maxLength: 40 }), (features) => {
        expect([...minhash(features)]).toEqual(minhashReference(features));
      }),
      { numRuns: 200 },
    );
    const extremes = [0, 1, 0xffffffff, 0x80000000, 0x7fffffff, 0xffff, 0x10000];
    expect([...minhash(extremes)]).toEqual(minhashReference(extremes));
  });

  it('refuses an empty feature list', () => {
    expect(() => minhash([])).toThrow(IsccError);
  });
});

describe('codec', () => {
  it('round-trips units of every length and refuses malformed codes', () => {
    const digest = Uint8Array.from({ length: 32 }, (_, i) => i * 7);
    for (const bits of [32, 64, 96, 128, 160, 192, 224, 256]) {
      const code = encodeUnit(MainType.CONTENT, 1, 0, bits, digest);
      expect(decodeUnit(code)).toEqual({
        mainType: MainType.CONTENT,
        subType: 1,
        version: 0,
        bits,
        digest: digest.slice(0, bits / 8),
      });
    }
    expect(() => encodeUnit(MainType.DATA, 0, 0, 48, digest)).toThrow(/steps of 32/);
    expect(() => decodeUnit('ISCC:eaaskdnznyguuf5a')).toThrow(/base32/);
    expect(() => decodeUnit('ISCC:EAASKDNZ')).toThrow(/announces 64 bits/);
    expect(() => decodeUnit('ISCC:KACYPXW445FTYNJ3')).toThrow(/not units/);
  });

  it('writes header values with 1 to 4 nibbles', () => {
    expect([...encodeHeader(0, 0, 0, 1)]).toEqual([0x00, 0x01]);
    // 8 → "10" + 000000, one byte; 72 → "110" + 9 bits; 584 → "1110" + 12 bits.
    expect([...encodeHeader(8, 0, 0, 0)]).toEqual([0x80, 0x00, 0x00]);
    expect([...encodeHeader(72, 0, 0, 0)]).toEqual([0xc0, 0x00, 0x00]);
    expect([...encodeHeader(584, 0, 0, 0)]).toEqual([0xe0, 0x00, 0x00, 0x00]);
    expect(() => encodeHeader(4680, 0, 0, 0)).toThrow(/0\.\.4679/);
  });
});

describe('Text-Code', () => {
  it('collapses Chinese text: punctuation, spaces, full-width forms and line breaks do not count', async () => {
    expect(textCollapse('床前明月光，\n疑是地上霜。')).toBe('床前明月光疑是地上霜');
    expect(textCollapse('ＡＢＣ１２３ Hello')).toBe('abc123hello');
    const a = await textCode('学而时习之，不亦说乎？有朋自远方来，不亦乐乎？人不知而不愠，不亦君子乎？');
    const b = await textCode('学而时习之 不亦说乎\n有朋自远方来 不亦乐乎\n人不知而不愠 不亦君子乎');
    expect(b.iscc).toBe(a.iscc);
    expect(a.characters).toBe(30);
    expect(a.tool).toMatch(/^@gongxin\/iscc /);
  });

  it('counts code points, not UTF-16 units, for characters outside the BMP', async () => {
    expect((await textCode('𠀀𠀁𠀂')).characters).toBe(3);
  });
});

describe('Data-Code and Instance-Code streaming', () => {
  const bytes = Uint8Array.from({ length: 50_000 }, (_, i) => (i * 2654435761) >>> 24);

  it('gives the same code however the bytes are split', async () => {
    const whole = await dataCode(bytes);
    const wholeInstance = await instanceCode(bytes);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat({ max: 50_000 }), { maxLength: 8 }), async (cuts) => {
        const points = [0, ...cuts.sort((a, b) => a - b), bytes.length];
        const pieces = points.slice(1).map((end, i) => bytes.slice(points[i], end));
        expect((await dataCode(pieces)).iscc).toBe(whole.iscc);
        expect((await instanceCode(pieces)).iscc).toBe(wholeInstance.iscc);
      }),
      { numRuns: 30 },
    );
    const hasher = await DataHasher.create();
    hasher.push(bytes);
    hasher.digest();
    expect(hasher.chunkCount).toBeGreaterThan(20);
    expect(() => hasher.push(bytes)).toThrow(/already/);
    expect(new InstanceHasher().push(bytes).filesize).toBe(50_000);
  });

  it('reads a ReadableStream as a browser File gives it', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 10_000));
        controller.enqueue(bytes.slice(10_000));
        controller.close();
      },
    });
    expect((await dataCode(stream)).iscc).toBe((await dataCode(bytes)).iscc);
  });

  it('moves the Data-Code a little, not wholly, when a few bytes are inserted', async () => {
    const edited = new Uint8Array(bytes.length + 3);
    edited.set(bytes.subarray(0, 25_000));
    edited.set([1, 2, 3], 25_000);
    edited.set(bytes.subarray(25_000), 25_003);
    const a = decodeUnit((await dataCode(bytes)).iscc).digest;
    const b = decodeUnit((await dataCode(edited)).iscc).digest;
    let distance = 0;
    for (let i = 0; i < 8; i++) for (let x = a[i]! ^ b[i]!; x; x &= x - 1) distance++;
    expect(distance).toBeGreaterThan(0);
    expect(distance).toBeLessThan(16);
  });
});

describe('image normalisation', () => {
  const gradient = (w: number, h: number) => {
    const data = new Uint8ClampedArray(w * h * 4);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const i = (y * w + x) * 4;
        data.set([(x * 255) / w, (y * 255) / h, ((x + y) * 127) / (w + h), 255], i);
      }
    return { width: w, height: h, data };
  };

  it('turns any image into 1024 grey values and records the normaliser', () => {
    const pixels = normalizeImage(gradient(300, 200));
    expect(pixels).toHaveLength(1024);
    const code = imageCodeFromRgba(gradient(300, 200), { decoder: 'test' });
    expect(code).toMatchObject({ normalizer: IMAGE_NORMALIZER, decoder: 'test' });
  });

  it('trims a uniform border and fills transparency with white', () => {
    const inner = gradient(64, 64);
    const framed = { width: 96, height: 96, data: new Uint8ClampedArray(96 * 96 * 4).fill(255) };
    for (let y = 0; y < 64; y++)
      framed.data.set(inner.data.subarray(y * 256, y * 256 + 256), ((y + 16) * 96 + 16) * 4);
    expect([...normalizeImage(framed)]).toEqual([...normalizeImage(inner)]);
    const transparent = { width: 4, height: 4, data: new Uint8ClampedArray(64) };
    expect([...normalizeImage(transparent)].every((v) => v === 255)).toBe(true);
  });

  it('applies EXIF orientations so a rotated file gives the upright code', () => {
    const upright = gradient(40, 30);
    const rotated = orientImage(upright, 6); // stored rotated: orientation 8 turns it back
    expect(rotated.width).toBe(30);
    expect([...normalizeImage(rotated, 8)]).toEqual([...normalizeImage(upright)]);
    for (const o of [2, 3, 4, 5, 7]) expect(normalizeImage(orientImage(upright, o), o)).toHaveLength(1024);
    expect(() => orientImage(upright, 9)).toThrow(/1\.\.8/);
    expect(() => normalizeImage({ width: 2, height: 2, data: new Uint8Array(3) })).toThrow(/16 bytes/);
  });
});
