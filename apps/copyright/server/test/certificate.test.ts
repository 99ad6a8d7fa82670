import jsQR from 'jsqr';
import { type PDFArray, type PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { type CertificateData, certificatePdf } from '../src/certificate/pdf';
import { extractText, streamBytes, type0Fonts } from './pdf-text';

const data: CertificateData = {
  workId: '9f3c1e0a7b2d4c6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6',
  title: '黄山云海（摄影组照之一）',
  category: 'photography',
  regNo: '国作登字-2026-G-00012345',
  status: 'registered',
  authors: [{ address: 'gx1qz9h8k7j6g5f4d3s2a1p0o9i8u7y6t5r4e3w2', name: '王晓梅' }],
  owners: [
    { address: 'gx1qz9h8k7j6g5f4d3s2a1p0o9i8u7y6t5r4e3w2', name: '王晓梅', share: 6667 },
    { address: 'gx1m2n3b4v5c6x7z8l9k0j1h2g3f4d5s6a7p8o9', name: '杭州云图文化传媒有限公司', share: 3333 },
  ],
  createdAt: Date.UTC(2025, 9, 3),
  publishedAt: Date.UTC(2025, 10, 12),
  registeredAt: Date.UTC(2026, 11, 4, 2, 30),
  height: 1287,
  txId: 'c0ffee00'.repeat(8),
  chainId: 'gongxin-demo',
  protectionUntil: null,
  files: [
    {
      name: 'huangshan.jpg',
      sha256: '5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8',
      codes: [
        { iscc: 'ISCC:EEA4GQZQTY6J5DTH', tool: '@gongxin/iscc 0.1.0' },
        { iscc: 'ISCC:GAAXL2XYM5BQIAZ3', tool: '@gongxin/iscc 0.1.0' },
      ],
    },
  ],
  verifyUrl:
    'http://127.0.0.1:8080/copyright/verify/9f3c1e0a7b2d4c6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6',
};

describe('registration certificate PDF', () => {
  it('parses, embeds the Chinese font and prints the work id, hash and content codes', async () => {
    const bytes = await certificatePdf(data);
    expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe('%PDF-');
    // A subset of the font: a few KB, not the 8 MB font.
    expect(bytes.length).toBeLessThan(200_000);
    const doc = await PDFDocument.load(bytes);
    expect(doc.getPageCount()).toBeGreaterThanOrEqual(1);
    expect(doc.getTitle()).toBe('作品登记证书 黄山云海（摄影组照之一）');

    const [font] = type0Fonts(doc);
    expect(font).toBeDefined();
    expect(String(font!.get(PDFName.of('BaseFont')))).toMatch(/NotoSansHans/);
    const descendant = doc.context.lookup(
      (font!.get(PDFName.of('DescendantFonts')) as PDFArray).get(0),
    ) as PDFDict;
    const descriptor = doc.context.lookup(descendant.get(PDFName.of('FontDescriptor'))) as PDFDict;
    const file = descriptor.get(PDFName.of('FontFile3')) ?? descriptor.get(PDFName.of('FontFile2'));
    expect(file).toBeInstanceOf(PDFRef);
    const program = streamBytes(doc.context.lookup(file as PDFRef) as PDFRawStream);
    expect(program.length).toBeGreaterThan(1000);

    const text = extractText(doc, font!);
    expect(text).not.toContain('\uFFFD');
    expect(text).toContain('作品登记证书');
    expect(text).toContain(data.workId);
    expect(text).toContain(data.regNo);
    expect(text).toContain(data.files[0]!.sha256);
    expect(text).toContain('ISCC:EEA4GQZQTY6J5DTH');
    expect(text).toContain('ISCC:GAAXL2XYM5BQIAZ3');
    expect(text).toContain('王晓梅');
    expect(text).toContain(`杭州云图文化传媒有限公司（${data.owners[1]!.address}） 33.33%`);
    expect(text).toContain('66.67%');
    expect(text).toContain('摄影作品');
    expect(text).toContain('2025年10月3日');
  });

  it('carries a QR code that opens the public verify page', async () => {
    const doc = await PDFDocument.load(await certificatePdf(data));
    const images = doc.context
      .enumerateIndirectObjects()
      .map(([, o]) => o)
      .filter(
        (o): o is PDFRawStream =>
          o instanceof PDFRawStream && o.dict.get(PDFName.of('Subtype')) === PDFName.of('Image'),
      );
    const qr = images.find((i) => i.dict.get(PDFName.of('ColorSpace')) === PDFName.of('DeviceRGB'))!;
    expect(qr).toBeDefined();
    const width = Number(String(qr.dict.get(PDFName.of('Width'))));
    const height = Number(String(qr.dict.get(PDFName.of('Height'))));
    const rgb = streamBytes(qr);
    expect(rgb.length).toBe(width * height * 3);
    const rgba = new Uint8ClampedArray(width * height * 4);
    for (let i = 0; i < width * height; i++) {
      rgba[i * 4] = rgb[i * 3]!;
      rgba[i * 4 + 1] = rgb[i * 3 + 1]!;
      rgba[i * 4 + 2] = rgb[i * 3 + 2]!;
      rgba[i * 4 + 3] = 255;
    }
    expect(jsQR(rgba, width, height)?.data).toBe(data.verifyUrl);
  });

  it('says a pending work has no number yet, and breaks long values onto more lines', async () => {
    const pending: CertificateData = { ...data, status: 'pending', title: '长'.repeat(120) };
    delete pending.regNo;
    const doc = await PDFDocument.load(await certificatePdf(pending));
    const text = extractText(doc, type0Fonts(doc)[0]!);
    expect(text).toContain('审查中');
    expect(text).toContain('长'.repeat(120));
    expect(text).not.toContain('国作登字');
  });
});
