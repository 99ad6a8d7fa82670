// What an enterprise's pages show beside its record: its listing status and its industry's section.

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
