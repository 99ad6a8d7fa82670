// Chinese plates as a plate camera reads them: a province character, the issuing letter, then five
// characters (ordinary plates, 7 in all) or six (green new-energy plates, 8 in all), plus special
// endings (学 coach, 警 police, 港/澳 cross-border). Unlicensed cars get a virtual plate from a QR ticket.
// One definition for the gate controller (devices/parking-gate), the parking server (which plates may be
// bound) and the parking web (a mistyped plate said in the page's language), so pure and importing nothing.

export const PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领';
export const PLATE_COLOURS = ['blue', 'yellow', 'white', 'black', 'green'] as const;
export type PlateColour = (typeof PLATE_COLOURS)[number];

const ordinary = new RegExp(`^[${PROVINCES}][A-HJ-NP-Z][A-HJ-NP-Z0-9]{4}[A-HJ-NP-Z0-9挂学警港澳]$`);
const newEnergy = new RegExp(`^[${PROVINCES}][A-HJ-NP-Z][A-HJ-NP-Z0-9]{6}$`);
/** A virtual plate for a car without one: `无牌` and the ticket number. */
const virtual = /^无牌[0-9A-Z]{6}$/;

export type PlateKind = 'ordinary' | 'newEnergy' | 'virtual';

export function plateKind(plate: string): PlateKind | null {
  if (virtual.test(plate)) return 'virtual';
  const chars = [...plate];
  if (chars.length === 7 && ordinary.test(plate)) return 'ordinary';
  if (chars.length === 8 && newEnergy.test(plate)) return 'newEnergy';
  return null;
}

/**
 * Whether two reads are the same plate: equal, or (with tolerance) differing only in the province
 * character, the one cameras misread most.
 */
export function samePlate(a: string, b: string, provinceTolerance: boolean): boolean {
  if (a === b) return true;
  if (!provinceTolerance) return false;
  const ca = [...a];
  const cb = [...b];
  return ca.length === cb.length && ca.slice(1).join('') === cb.slice(1).join('');
}
