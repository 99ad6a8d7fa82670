// Recall of 64-bit Text-Codes on Chinese reprints and paraphrases, and of 64-bit Image-Codes on edited
// images, at several Hamming-distance thresholds, beside the rate at which unrelated pairs fall within
// the same threshold (false matches). The numbers in docs/copyright.md come from this script:
// `npm run recall -w @gongxin/iscc`. Everything is generated from fixed seeds: texts from
// corpus-zh.ts, images drawn here (shapes, gradients and fractal noise), JPEG through jpeg-js.
import { decode as decodeJpeg, encode as encodeJpeg } from 'jpeg-js';
import { imageCodeFromRgba, type RgbaImage, textCode } from '../src/index';
import { type Code64, code64, hammingDistance64 } from '../src/similarity';
import { CLASSICAL, MODERN } from './corpus-zh';

const THRESHOLDS = [0, 4, 8, 12, 16, 20, 24];

// A seeded PRNG (mulberry32), so every run measures the same edits.
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function table(title: string, rows: [string, number[]][], negatives: number[]): string {
  const pct = (ds: number[], t: number) =>
    `${Math.round((100 * ds.filter((d) => d <= t).length) / ds.length)}%`;
  const median = (ds: number[]) => [...ds].sort((a, b) => a - b)[ds.length >> 1];
  const lines = [
    `### ${title}`,
    '',
    `| edit | pairs | median distance | ${THRESHOLDS.map((t) => `≤ ${t}`).join(' | ')} |`,
    `| --- | ---: | ---: | ${THRESHOLDS.map(() => '---:').join(' | ')} |`,
    ...rows.map(
      ([name, ds]) =>
        `| ${name} | ${ds.length} | ${median(ds)} | ${THRESHOLDS.map((t) => pct(ds, t)).join(' | ')} |`,
    ),
    `| **unrelated pairs (false matches)** | ${negatives.length} | ${median(negatives)} | ${THRESHOLDS.map((t) => pct(negatives, t)).join(' | ')} |`,
    '',
  ];
  return lines.join('\n');
}

// ------------------------------------------------------------------------------------------ text

const SYNONYMS: [string, string][] = [
  ['因为', '由于'],
  ['但是', '然而'],
  ['非常', '十分'],
  ['可以', '能够'],
  ['已经', '早已'],
  ['开始', '着手'],
  ['我们', '咱们'],
  ['如何', '怎样'],
  ['重要', '关键'],
  ['不过', '只是'],
  ['越来越', '日益'],
  ['每天', '每日'],
  ['时候', '时分'],
  ['需要', '须要'],
  ['一位', '一名'],
  ['特别', '格外'],
  ['安静', '宁静'],
  ['问题', '难题'],
  ['之', '的'],
  ['曰', '说'],
  ['吾', '我'],
  ['其', '他的'],
  ['乎', '吗'],
  ['矣', '了'],
  ['焉', '呢'],
  ['而', '却'],
];
/** Simplified → traditional for common characters, as pairs (a few map to themselves). */
const TRADITIONAL_PAIRS =
  '学學为為说說这這个個们們国國时時来來对對会會发發后後长長门門书書见見东東车車马馬鸟鳥鱼魚问問间間开開关關风風云雲无無与與于於乐樂远遠亲親经經过過还還进進运運动動从從众眾华華气氣电電话話语語读讀写寫听聽声聲产產业業义義乡鄉买買卖賣岁歲历歷万萬两兩总總实實现現观觀阳陽阴陰楼樓记記师師传傳贤賢将將军軍罗羅骑騎单單铁鐵车車站站边邊饮飲钱錢网網络絡统統环環诗詩缘緣岭嶺湾灣兰蘭觞觴丝絲竹竹园園区區荒荒菜菜阶階帘簾谈談调調经經乱亂劳勞蜀蜀';
const TRADITIONAL: Record<string, string> = {};
for (let i = 0; i + 1 < TRADITIONAL_PAIRS.length; i += 2)
  TRADITIONAL[TRADITIONAL_PAIRS[i]!] = TRADITIONAL_PAIRS[i + 1]!;

function sentences(text: string): string[] {
  return text.match(/[^。！？；]+[。！？；]?/g) ?? [text];
}

/** [name, edit, whether it draws random numbers (then three draws per text)] */
const textEdits: [string, (text: string, random: () => number) => string, boolean?][] = [
  [
    'reprint: punctuation, spaces and line breaks changed',
    (t) => t.replace(/，/g, ', ').replace(/。/g, '.\n\n').replace(/：/g, ':').replace(/[“”]/g, '"'),
  ],
  [
    'reprint: source line and footer added (~70 characters)',
    (t) =>
      `本文转载自文化周刊第十二期，作者授权发布，如需转载请联系原作者。\n\n${t}\n\n（责任编辑：李明）版权归原作者所有。`,
  ],
  ['excerpt: first 80%', (t) => [...t].slice(0, Math.round([...t].length * 0.8)).join('')],
  [
    'excerpt: middle 50%',
    (t) => {
      const c = [...t];
      return c.slice(Math.round(c.length * 0.25), Math.round(c.length * 0.75)).join('');
    },
  ],
  [
    'sentences reordered',
    (t, r) =>
      sentences(t)
        .map((s) => [r(), s] as const)
        .sort((a, b) => a[0] - b[0])
        .map(([, s]) => s)
        .join(''),
    true,
  ],
  [
    'one sentence in ten rewritten',
    (t, r) =>
      sentences(t)
        .map((s) => (r() < 0.1 ? [...s].reverse().join('') : s))
        .join(''),
    true,
  ],
  ['word substitutions (同义替换)', (t) => SYNONYMS.reduce((s, [a, b]) => s.split(a).join(b), t)],
  [
    '2% of characters changed (typos, OCR)',
    (t, r) =>
      [...t].map((c) => (r() < 0.02 ? String.fromCodePoint(0x4e00 + Math.floor(r() * 2000)) : c)).join(''),
    true,
  ],
  [
    '5% of characters changed',
    (t, r) =>
      [...t].map((c) => (r() < 0.05 ? String.fromCodePoint(0x4e00 + Math.floor(r() * 2000)) : c)).join(''),
    true,
  ],
  ['simplified → traditional characters', (t) => [...t].map((c) => TRADITIONAL[c] ?? c).join('')],
];

async function textRecall(): Promise<string> {
  const texts = [...CLASSICAL, ...MODERN].map((x) => x.text);
  const codes = await Promise.all(texts.map(async (t) => code64((await textCode(t)).iscc)));
  const rows: [string, number[]][] = [];
  for (const [name, edit, randomised] of textEdits) {
    const distances: number[] = [];
    for (const [i, t] of texts.entries()) {
      for (let trial = 0; trial < (randomised ? 3 : 1); trial++) {
        const edited = edit(t, rng(1000 * i + trial + 1));
        distances.push(hammingDistance64(codes[i]!, code64((await textCode(edited)).iscc)));
      }
    }
    rows.push([name, distances]);
  }
  const negatives: number[] = [];
  for (let i = 0; i < codes.length; i++)
    for (let j = i + 1; j < codes.length; j++) negatives.push(hammingDistance64(codes[i]!, codes[j]!));
  const lengths = texts.map((t) => [...t].length).sort((a, b) => a - b);
  return `${table(`Text-Code (64 bits), ${texts.length} texts of ${lengths[0]}–${lengths.at(-1)} characters (${CLASSICAL.length} classical, ${MODERN.length} modern)`, rows, negatives)}`;
}

// ------------------------------------------------------------------------------------------ images

const W = 320;
const H = 240;

function drawImage(seed: number): RgbaImage {
  const r = rng(seed);
  const data = new Uint8ClampedArray(W * H * 4);
  const c0 = [r() * 255, r() * 255, r() * 255];
  const c1 = [r() * 255, r() * 255, r() * 255];
  const angle = r() * Math.PI;
  // Fractal value noise on a few octaves, so images have texture as photographs do.
  const octaves = [8, 16, 32, 64].map((cell) => {
    const gw = Math.ceil(W / cell) + 2;
    const gh = Math.ceil(H / cell) + 2;
    return { cell, grid: Float64Array.from({ length: gw * gh }, () => r() - 0.5), gw };
  });
  const noise = (x: number, y: number) => {
    let v = 0;
    for (const { cell, grid, gw } of octaves) {
      const gx = x / cell;
      const gy = y / cell;
      const ix = Math.floor(gx);
      const iy = Math.floor(gy);
      const fx = gx - ix;
      const fy = gy - iy;
      const at = (i: number, j: number) => grid[j * gw + i]!;
      const top = at(ix, iy) * (1 - fx) + at(ix + 1, iy) * fx;
      const bottom = at(ix, iy + 1) * (1 - fx) + at(ix + 1, iy + 1) * fx;
      v += (top * (1 - fy) + bottom * fy) * (cell / 64);
    }
    return v;
  };
  const shapes = Array.from({ length: 4 + Math.floor(r() * 8) }, () => ({
    kind: Math.floor(r() * 3),
    x: r() * W,
    y: r() * H,
    size: 15 + r() * 90,
    color: [r() * 255, r() * 255, r() * 255],
  }));
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const t = ((x - W / 2) * Math.cos(angle) + (y - H / 2) * Math.sin(angle)) / W + 0.5;
      let c = c0.map((v, k) => v * (1 - t) + c1[k]! * t);
      for (const s of shapes) {
        const dx = x - s.x;
        const dy = y - s.y;
        const inside =
          s.kind === 0
            ? dx * dx + dy * dy < s.size * s.size
            : s.kind === 1
              ? Math.abs(dx) < s.size && Math.abs(dy) < s.size * 0.6
              : dy > -s.size && dy < s.size && Math.abs(dx) < (s.size - dy) / 2;
        if (inside) c = s.color;
      }
      const n = noise(x, y) * 90;
      const i = (y * W + x) * 4;
      data[i] = c[0]! + n;
      data[i + 1] = c[1]! + n;
      data[i + 2] = c[2]! + n;
      data[i + 3] = 255;
    }
  }
  return { width: W, height: H, data };
}

function mapPixels(img: RgbaImage, f: (v: number) => number): RgbaImage {
  const data = new Uint8ClampedArray(img.data.length);
  for (let i = 0; i < img.data.length; i++) data[i] = i % 4 === 3 ? img.data[i]! : f(img.data[i]!);
  return { ...img, data };
}

function crop(img: RgbaImage, x0: number, y0: number, w: number, h: number): RgbaImage {
  const data = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < 4; c++)
        data[(y * w + x) * 4 + c] = img.data[((y0 + y) * img.width + x0 + x) * 4 + c]!;
  return { width: w, height: h, data };
}

/** Bilinear resampling (a different kernel from the normaliser's, as another tool would use). */
function resize(img: RgbaImage, w: number, h: number): RgbaImage {
  const data = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const sx = Math.min(img.width - 1, ((x + 0.5) * img.width) / w - 0.5);
      const sy = Math.min(img.height - 1, ((y + 0.5) * img.height) / h - 0.5);
      const x0 = Math.max(0, Math.floor(sx));
      const y0 = Math.max(0, Math.floor(sy));
      const fx = Math.max(0, sx - x0);
      const fy = Math.max(0, sy - y0);
      const x1 = Math.min(img.width - 1, x0 + 1);
      const y1 = Math.min(img.height - 1, y0 + 1);
      for (let c = 0; c < 4; c++) {
        const at = (xx: number, yy: number) => img.data[(yy * img.width + xx) * 4 + c]!;
        data[(y * w + x) * 4 + c] =
          (at(x0, y0) * (1 - fx) + at(x1, y0) * fx) * (1 - fy) +
          (at(x0, y1) * (1 - fx) + at(x1, y1) * fx) * fy;
      }
    }
  return { width: w, height: h, data };
}

const jpeg = (img: RgbaImage, quality: number): RgbaImage => {
  const file = encodeJpeg({ width: img.width, height: img.height, data: Uint8Array.from(img.data) }, quality);
  return decodeJpeg(file.data, { useTArray: true, formatAsRGBA: true });
};

const imageEdits: [string, (img: RgbaImage) => RgbaImage][] = [
  ['JPEG recompression, quality 90', (i) => jpeg(i, 90)],
  ['JPEG recompression, quality 50', (i) => jpeg(i, 50)],
  ['resized to 50%', (i) => resize(i, i.width / 2, i.height / 2)],
  ['resized to 150%', (i) => resize(i, i.width * 1.5, i.height * 1.5)],
  ['resized to 50% then JPEG 75', (i) => jpeg(resize(i, i.width / 2, i.height / 2), 75)],
  ['brightness +20%', (i) => mapPixels(i, (v) => v * 1.2)],
  ['brightness −20%', (i) => mapPixels(i, (v) => v * 0.8)],
  ['brightness +30 levels', (i) => mapPixels(i, (v) => v + 30)],
  ['contrast +30%', (i) => mapPixels(i, (v) => (v - 128) * 1.3 + 128)],
  [
    'white frame added (10%)',
    (i) => {
      const w = Math.round(i.width * 1.2);
      const h = Math.round(i.height * 1.2);
      const data = new Uint8ClampedArray(w * h * 4).fill(255);
      const ox = Math.round(i.width * 0.1);
      const oy = Math.round(i.height * 0.1);
      const src = Uint8ClampedArray.from(i.data);
      for (let y = 0; y < i.height; y++)
        data.set(src.subarray(y * i.width * 4, (y + 1) * i.width * 4), ((y + oy) * w + ox) * 4);
      return { width: w, height: h, data };
    },
  ],
  [
    'cropped 5% on each side',
    (i) =>
      crop(
        i,
        Math.round(i.width * 0.05),
        Math.round(i.height * 0.05),
        Math.round(i.width * 0.9),
        Math.round(i.height * 0.9),
      ),
  ],
  [
    'cropped 10% on each side',
    (i) =>
      crop(
        i,
        Math.round(i.width * 0.1),
        Math.round(i.height * 0.1),
        Math.round(i.width * 0.8),
        Math.round(i.height * 0.8),
      ),
  ],
  [
    'cropped 20% off one side',
    (i) => crop(i, Math.round(i.width * 0.2), 0, Math.round(i.width * 0.8), i.height),
  ],
  [
    'watermark in a corner (20% × 12%)',
    (i) => {
      const data = Uint8ClampedArray.from(i.data);
      for (let y = Math.round(i.height * 0.85); y < Math.round(i.height * 0.97); y++)
        for (let x = Math.round(i.width * 0.77); x < Math.round(i.width * 0.97); x++) {
          const v = (x >> 2) % 2 === 0 ? 255 : 30;
          data.set([v, v, v], (y * i.width + x) * 4);
        }
      return { ...i, data };
    },
  ],
  [
    'mirrored (left–right)',
    (i) => {
      const data = new Uint8ClampedArray(i.data.length);
      for (let y = 0; y < i.height; y++)
        for (let x = 0; x < i.width; x++)
          for (let c = 0; c < 4; c++)
            data[(y * i.width + x) * 4 + c] = i.data[(y * i.width + (i.width - 1 - x)) * 4 + c]!;
      return { ...i, data };
    },
  ],
  [
    'rotated 90°',
    (i) => {
      const data = new Uint8ClampedArray(i.data.length);
      for (let y = 0; y < i.height; y++)
        for (let x = 0; x < i.width; x++)
          for (let c = 0; c < 4; c++)
            data[(x * i.height + (i.height - 1 - y)) * 4 + c] = i.data[(y * i.width + x) * 4 + c]!;
      return { width: i.height, height: i.width, data };
    },
  ],
];

function imageRecall(count: number): string {
  const images = Array.from({ length: count }, (_, k) => drawImage(k + 7));
  const code = (img: RgbaImage): Code64 => code64(imageCodeFromRgba(img).iscc);
  const codes = images.map(code);
  const rows: [string, number[]][] = imageEdits.map(([name, edit]) => [
    name,
    images.map((img, k) => hammingDistance64(codes[k]!, code(edit(img)))),
  ]);
  const negatives: number[] = [];
  for (let i = 0; i < codes.length; i++)
    for (let j = i + 1; j < codes.length; j++) negatives.push(hammingDistance64(codes[i]!, codes[j]!));
  return table(`Image-Code (64 bits), ${count} generated ${W}×${H} images`, rows, negatives);
}

const started = performance.now();
const only = process.env.ISCC_RECALL_ONLY;
if (only !== 'image') console.log(await textRecall());
if (only !== 'text') console.log(imageRecall(Number(process.env.ISCC_RECALL_IMAGES ?? 60)));
console.log(`(measured in ${Math.round(performance.now() - started)} ms)`);
