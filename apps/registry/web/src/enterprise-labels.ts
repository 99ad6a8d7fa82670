// What an enterprise's pages show beside its record: its listing status and its industry's section and
// division (GB/T 4754-2017 门类 and 大类).

import { PROVINCES } from '@gongxin/contracts';

/**
 * Whether an enterprise's listing status (经营异常名录, 严重违法失信名单) is worth showing beside its
 * registration status. A live enterprise always shows it; an ended one (注销, 合并, 吊销) only when it
 * is still on a list: "正常" beside "注销" would read as if the enterprise still traded.
 */
export function listingShown(life: string, listingStatus: string): boolean {
  return life === 'active' || life === 'pending' || listingStatus !== 'normal';
}

/** The GB/T 4754-2017 section (门类) of an industry code, A–T, for its name beside the code. */
export function sectionOf(industry: string): string | undefined {
  const letter = industry.charAt(0);
  return /^[A-T]$/.test(letter) ? letter : undefined;
}

/**
 * GB/T 4754-2017: the divisions (大类, two digits) of each section, first and last. Every division from 01 to
 * 97 belongs to exactly one section, so a code's letter and its first two digits must agree.
 */
export const SECTION_DIVISIONS: Readonly<Record<string, readonly [number, number]>> = {
  A: [1, 5],
  B: [6, 12],
  C: [13, 43],
  D: [44, 46],
  E: [47, 50],
  F: [51, 52],
  G: [53, 60],
  H: [61, 62],
  I: [63, 65],
  J: [66, 69],
  K: [70, 70],
  L: [71, 72],
  M: [73, 75],
  N: [76, 79],
  O: [80, 82],
  P: [83, 83],
  Q: [84, 85],
  R: [86, 90],
  S: [91, 96],
  T: [97, 97],
};

/** The division (大类) of an industry code, two digits ('39' of C3971), when the code has one. */
export function divisionOf(industry: string): string | undefined {
  const m = /^[A-T](\d{2})/.exec(industry.trim().toUpperCase());
  return m ? m[1] : undefined;
}

/** The section a division belongs to ('C' for '39'), or undefined for a number no section has. */
export function sectionOfDivision(division: string): string | undefined {
  const n = Number(division);
  for (const [section, [first, last]] of Object.entries(SECTION_DIVISIONS))
    if (n >= first && n <= last) return section;
  return undefined;
}

/**
 * An industry code in words: its section's name, then its division's (制造业 · 计算机、通信和其他电子设备制造业
 * for C3971); the section alone for a bare letter; '' for a code whose letter is no section.
 */
export function industryWords(industry: string, t: (key: string) => string): string {
  const section = sectionOf(industry.trim().toUpperCase());
  if (!section) return '';
  const division = divisionOf(industry);
  const named = division && sectionOfDivision(division) === section;
  return named
    ? `${t(`reg.sections.${section}`)} · ${t(`reg.divisions.${division}`)}`
    : t(`reg.sections.${section}`);
}

/**
 * A bar of the workbench's statistics in words: an industry section as its letter and name (C 制造业), a
 * province by its name (广东省); a key outside the standard as it is.
 */
export function statLabel(kind: 'industry' | 'region', key: string, t: (key: string) => string): string {
  if (kind === 'industry') return SECTION_DIVISIONS[key] ? `${key} ${t(`reg.sections.${key}`)}` : key;
  return PROVINCES.has(key) ? t(`reg.provinces.${key}`) : key;
}
