// QR codes of GS1 Digital Link URIs (the `qrcode` package: ISO/IEC 18004, error correction M, the quiet
// zone of four modules the standard asks for), as PNG or SVG, and a printable sheet of labels.
import QRCode from 'qrcode';

const OPTIONS = { errorCorrectionLevel: 'M' as const, margin: 4 };

export function qrPng(uri: string, width = 320): Promise<Buffer> {
  return QRCode.toBuffer(uri, { ...OPTIONS, type: 'png', width });
}

export function qrSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { ...OPTIONS, type: 'svg' });
}

export interface Label {
  uri: string;
  title: string;
  lines: string[];
}

const esc = (text: unknown) => String(text ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** An A4 sheet of labels (3 across), each with its QR code inline as SVG and the human-readable key. */
export async function labelSheet(
  labels: readonly Label[],
  heading: string,
  opts: { warning?: string } = {},
): Promise<string> {
  const cells = await Promise.all(
    labels.map(
      async (l) =>
        `<figure class="label">${await qrSvg(l.uri)}<figcaption><b>${esc(l.title)}</b>${l.lines
          .map((line) => `<span>${esc(line)}</span>`)
          .join('')}</figcaption></figure>`,
    ),
  );
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(heading)}</title><style>
@page{size:A4;margin:10mm}body{font:11px/1.35 system-ui,"PingFang SC",sans-serif;margin:0}h1{font-size:15px;margin:0 0 6mm}
.sheet{display:grid;grid-template-columns:repeat(3,1fr);gap:4mm}.label{margin:0;border:1px dashed #bbb;padding:3mm;break-inside:avoid;text-align:center}
.label svg{width:38mm;height:38mm}.label figcaption{display:flex;flex-direction:column;gap:1px;word-break:break-all}
.warning{border:3px solid #b42318;background:#fdecea;color:#8f1d12;padding:4mm;margin:0 0 6mm;font-size:14px;font-weight:600}
@media print{h1{display:none}}</style></head><body><h1>${esc(heading)}</h1>${
    opts.warning ? `<p class="warning" data-test="public-url-warning">${esc(opts.warning)}</p>` : ''
  }<div class="sheet">${cells.join('')}</div></body></html>`;
}
