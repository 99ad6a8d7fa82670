// What an enterprise's pages show beside its record: its listing status and its industry's section and
// division (GB/T 4754-2017 门类 and 大类).

import { divisionOf, PROVINCES, SECTION_DIVISIONS, sectionOfDivision } from '@gongxin/contracts';

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

// GB/T 4754-2017's divisions of each section: the chain's table, which the registry contract checks codes by.
export { divisionOf, SECTION_DIVISIONS, sectionOfDivision } from '@gongxin/contracts';

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
