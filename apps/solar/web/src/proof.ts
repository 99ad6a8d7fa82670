// Checks in the browser that a reading belongs to an anchored interval root: the RFC 6962 audit path
// (protocol v1, devices/solar-meter) from the reading's leaf, with Web Crypto's SHA-256.
const hex = (b: ArrayBuffer | Uint8Array) =>
  [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');
const bytes = (h: string) => new Uint8Array(h.match(/../g)?.map((x) => Number.parseInt(x, 16)) ?? []);

async function sha256(...parts: Uint8Array[]): Promise<Uint8Array> {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', all));
}

export async function rootFromPath(
  leafHex: string,
  index: number,
  size: number,
  path: readonly string[],
): Promise<string> {
  const sides: boolean[] = [];
  let m = index;
  let n = size;
  while (n > 1) {
    let k = 1;
    while (k * 2 < n) k *= 2;
    if (m < k) {
      sides.push(true);
      n = k;
    } else {
      sides.push(false);
      m -= k;
      n -= k;
    }
  }
  if (sides.length !== path.length) throw new Error('the path does not fit the tree');
  let h = await sha256(new Uint8Array([0]), bytes(leafHex));
  for (let i = path.length - 1, j = 0; i >= 0; i--, j++) {
    const sibling = bytes(path[j]!);
    h = sides[i]
      ? await sha256(new Uint8Array([1]), h, sibling)
      : await sha256(new Uint8Array([1]), sibling, h);
  }
  return hex(h);
}
