// The registration certificate (作品登记证书) as an A4 PDF: the work, its parties and dates, every file's
// SHA-256 and ISCC content codes, where the chain recorded it, and a QR code to the public page that
// verifies hash, content code and Merkle proof in the browser. The Chinese font is embedded (a subset cut
// for each certificate, font.ts), so the certificate reads the same on any machine.
import { WORK_CATEGORY_NAMES_ZH, type WorkCategory } from '@gongxin/contracts';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';
import QRCode from 'qrcode';
import { CERTIFICATE_FONT, subsetFont } from './font';

export interface CertificateParty {
  address: string;
  name?: string;
}

export interface CertificateFile {
  name?: string;
  /** Lowercase hex SHA-256 of the file. */
  sha256: string;
  /** ISCC units, e.g. `ISCC:EAA…`, each with the tool that made it. */
  codes: { iscc: string; tool?: string }[];
}

export interface CertificateData {
  workId: string;
  title: string;
  category: WorkCategory;
  /** The number the reviewer issued; absent while the work is pending review. */
  regNo?: string;
  status: 'pending' | 'registered' | 'rejected';
  authors: CertificateParty[];
  owners: (CertificateParty & { share: number })[];
  createdAt: number;
  publishedAt?: number;
  /** Block time of the registration. */
  registeredAt: number;
  height: number;
  txId: string;
  chainId: string;
  protectionUntil?: number | null;
  files: CertificateFile[];
  /** The public verify page this certificate's QR code opens. */
  verifyUrl: string;
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 48;
const INK = rgb(0.1, 0.1, 0.12);
const MUTED = rgb(0.38, 0.4, 0.45);
const ACCENT = rgb(0.62, 0.11, 0.09);

/** A date in China Standard Time, as the registration office prints it. */
export function cstDate(ms: number): string {
  const d = new Date(ms + 8 * 3600_000);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

const shareText = (share: number) => `${(share / 100).toFixed(share % 100 === 0 ? 0 : 2)}%`;
const party = (p: CertificateParty) => (p.name ? `${p.name}（${p.address}）` : p.address);

/** The certificate's lines as label/value pairs, in print order. */
export function certificateLines(data: CertificateData): [string, string][] {
  const lines: [string, string][] = [
    ['作品名称', data.title],
    ['作品类别', WORK_CATEGORY_NAMES_ZH[data.category] ?? data.category],
    ['登记号', data.regNo ?? (data.status === 'rejected' ? '未予登记' : '审查中（登记号待审查通过后发放）')],
    ['作品编号', data.workId],
    ['作者', data.authors.map(party).join('；')],
    ['著作权人', data.owners.map((o) => `${party(o)} ${shareText(o.share)}`).join('；')],
    ['创作完成日期', cstDate(data.createdAt)],
    ['首次发表日期', data.publishedAt === undefined ? '未发表' : cstDate(data.publishedAt)],
    [
      '上链登记时间',
      `${cstDate(data.registeredAt)}（区块时间 ${new Date(data.registeredAt).toISOString()}）`,
    ],
    ['链 / 区块 / 交易', `${data.chainId} / 第 ${data.height} 块 / ${data.txId}`],
  ];
  if (data.protectionUntil !== undefined)
    lines.push([
      '保护期至',
      data.protectionUntil === null
        ? '作者终生及其死亡后五十年（作者在世）'
        : cstDate(data.protectionUntil - 1),
    ]);
  data.files.forEach((f, i) => {
    const label = data.files.length > 1 ? `文件 ${i + 1}` : '文件';
    lines.push([`${label} SHA-256`, f.sha256]);
    for (const c of f.codes) lines.push([`${label} ISCC`, c.tool ? `${c.iscc}（${c.tool}）` : c.iscc]);
  });
  return lines;
}

/** Splits text into lines that fit `width`, breaking anywhere (hashes and CJK have no spaces to break at). */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const ch of text) {
    if (line && font.widthOfTextAtSize(line + ch, size) > width) {
      out.push(line);
      line = ch.trim() ? ch : '';
    } else line += ch;
  }
  if (line) out.push(line);
  return out.length > 0 ? out : [''];
}

export async function certificatePdf(data: CertificateData): Promise<Uint8Array> {
  const heading = '作品登记证书';
  const sub = 'Certificate of Work Registration · 共信区块链';
  const footer = [
    '本证书所载作品信息已记录在共信区块链上，区块时间即登记时间，不随任何证书过期。',
    '扫描二维码或访问下方网址，可在浏览器中核验文件哈希、内容码与默克尔证明。',
  ];
  const lines = certificateLines(data);
  const allText = [heading, sub, ...footer, data.verifyUrl, ...lines.flat(), '0123456789'].join('');

  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(await subsetFont(allText), {
    subset: false,
    customName: 'NotoSansHans-Regular',
  });
  doc.setTitle(`${heading} ${data.title}`);
  doc.setSubject(`${data.workId} ${data.regNo ?? ''}`.trim());
  doc.setCreator('@gongxin/copyright-server');
  doc.setProducer('pdf-lib');
  doc.setCreationDate(new Date(data.registeredAt));
  doc.setLanguage('zh-CN');

  let page: PDFPage = doc.addPage(A4);
  const [width, height] = A4;
  page.drawRectangle({
    x: 24,
    y: 24,
    width: width - 48,
    height: height - 48,
    borderColor: ACCENT,
    borderWidth: 2,
  });
  let y = height - MARGIN - 20;
  const center = (text: string, size: number, color = INK) => {
    page.drawText(text, { x: (width - font.widthOfTextAtSize(text, size)) / 2, y, size, font, color });
  };
  center(heading, 26, ACCENT);
  y -= 24;
  center(sub, 10, MUTED);
  y -= 30;

  const labelWidth = 110;
  const valueWidth = width - 2 * MARGIN - labelWidth;
  const size = 10.5;
  const lead = 15;
  for (const [label, value] of lines) {
    const wrapped = wrap(value, font, size, valueWidth);
    if (y - wrapped.length * lead < 190) {
      page = doc.addPage(A4);
      y = height - MARGIN;
    }
    page.drawText(label, { x: MARGIN, y, size, font, color: MUTED });
    for (const part of wrapped) {
      page.drawText(part, { x: MARGIN + labelWidth, y, size, font, color: INK });
      y -= lead;
    }
    y -= 4;
  }

  const qr = await doc.embedPng(
    await QRCode.toBuffer(data.verifyUrl, { errorCorrectionLevel: 'M', margin: 4, type: 'png', width: 360 }),
  );
  const qrSize = 120;
  page.drawImage(qr, { x: width - MARGIN - qrSize, y: 60, width: qrSize, height: qrSize });
  let fy = 150;
  for (const text of footer) {
    for (const part of wrap(text, font, 9, width - 2 * MARGIN - qrSize - 16)) {
      page.drawText(part, { x: MARGIN, y: fy, size: 9, font, color: MUTED });
      fy -= 13;
    }
  }
  fy -= 4;
  for (const part of wrap(data.verifyUrl, font, 8.5, width - 2 * MARGIN - qrSize - 16)) {
    page.drawText(part, { x: MARGIN, y: fy, size: 8.5, font, color: INK });
    fy -= 12;
  }
  return doc.save();
}

export { CERTIFICATE_FONT };
