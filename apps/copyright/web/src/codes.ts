// A work's codes computed in this browser before anything is uploaded: the content code (Text-Code of a
// text, Image-Code of a picture decoded by the browser's canvas), the Data-Code and the Instance-Code, and
// the file's SHA-256. The server recomputes them from the uploaded bytes (it never trusts these); the page
// shows whether both agree.
import { dataCode, imageCodeFromRgba, instanceCode, textCode } from '@gongxin/iscc';
import { toHex } from '@gongxin/ledger';

export interface BrowserCodes {
  sha256: string;
  content?: { kind: 'text' | 'image'; iscc: string };
  data: string;
  instance: string;
  tool: string;
}

export const TEXT_TYPES = ['text/plain', 'text/markdown'];
export const IMAGE_TYPES = ['image/png', 'image/jpeg'];

/** The media type the server accepts for a picked file (browsers leave .md untyped). */
export function mediaTypeOf(file: File): string {
  if (file.type) return file.type === 'image/jpg' ? 'image/jpeg' : file.type;
  if (/\.md$/i.test(file.name)) return 'text/markdown';
  if (/\.txt$/i.test(file.name)) return 'text/plain';
  return 'application/octet-stream';
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as BufferSource)));
}

async function decodeImage(bytes: Uint8Array, mediaType: string) {
  const bitmap = await createImageBitmap(new Blob([bytes as BlobPart], { type: mediaType }), {
    premultiplyAlpha: 'none',
    colorSpaceConversion: 'none',
  });
  const canvas = document.createElement('canvas');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(bitmap, 0, 0);
  const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
  return { width: bitmap.width, height: bitmap.height, data: new Uint8Array(data.buffer) };
}

export async function browserCodes(bytes: Uint8Array, mediaType: string): Promise<BrowserCodes> {
  let content: BrowserCodes['content'];
  let tool = '';
  if (TEXT_TYPES.includes(mediaType)) {
    const code = await textCode(new TextDecoder('utf-8').decode(bytes), 64, 'utf-8 text');
    content = { kind: 'text', iscc: code.iscc };
    tool = code.tool;
  } else if (IMAGE_TYPES.includes(mediaType)) {
    const code = imageCodeFromRgba(await decodeImage(bytes, mediaType), { decoder: 'browser canvas' });
    content = { kind: 'image', iscc: code.iscc };
    tool = code.tool;
  }
  const [data, instance, sha256] = await Promise.all([
    dataCode(bytes),
    instanceCode(bytes),
    sha256Hex(bytes),
  ]);
  return {
    sha256,
    ...(content && { content }),
    data: data.iscc,
    instance: instance.iscc,
    tool: tool || data.tool,
  };
}
