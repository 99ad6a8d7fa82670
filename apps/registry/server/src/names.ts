// Names for search: an enterprise name's pinyin without tones or spaces (全拼) and its initials (首字母), so
// "zhongguo", "zgsy" and "中国石油" all find 中国石油天然气股份有限公司 by prefix. pinyin-pro segments the
// name to pick the reading of polyphonic characters (重庆 chongqing, 银行 yinhang); letters and digits in a
// name are kept as they are.
import { pinyin } from 'pinyin-pro';

const clean = (s: string) => s.toLowerCase().replace(/[^0-9a-z]/g, '');

export function pinyinOf(name: string): { full: string; initials: string } {
  const full = clean(pinyin(name, { toneType: 'none', separator: '', nonZh: 'consecutive' }));
  const initials = clean(
    pinyin(name, { pattern: 'first', toneType: 'none', separator: '', nonZh: 'consecutive' }),
  );
  return { full, initials };
}

/** What a search box's text means: a USCC (whole or begun), pinyin, or characters of a name. */
export function searchKind(q: string): 'uscc' | 'pinyin' | 'name' {
  const t = q.normalize('NFKC').trim();
  if (/^[0-9A-HJ-NPQRTUWXY]{2,18}$/.test(t.toUpperCase()) && /^[0-9]/.test(t)) return 'uscc';
  if (/^[a-zA-Z][a-zA-Z\s']*$/.test(t)) return 'pinyin';
  return 'name';
}

/** Escapes LIKE's wildcards so a prefix is matched literally. */
export const likePrefix = (s: string) => `${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The name without the administrative division it begins with (深圳市鹏程电子科技有限公司 → 鹏程电子科技有限公司),
 * so its 字号 (trade name) finds it by prefix too: people search for 鹏程, not 深圳市鹏程. Up to two leading
 * divisions (广东省深圳市…) ending in 省, 自治区, 市, 自治州, 地区, 盟, 区, 县 or 旗; null when the name does
 * not begin with one or too little would be left. An extra search key only: a division-like word taken off
 * by mistake only adds a match.
 */
export function tradeNameOf(name: string): string | null {
  let rest = name;
  for (let i = 0; i < 2; i++) {
    const m = /^[\u4e00-\u9fff]{1,6}?(?:省|自治区|市|自治州|地区|盟|区|县|旗)/u.exec(rest);
    if (!m || rest.length - m[0].length < 2) break;
    rest = rest.slice(m[0].length);
  }
  return rest === name ? null : rest;
}
