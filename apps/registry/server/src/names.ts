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
