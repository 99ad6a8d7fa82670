// GS1 identifiers: one reader and validator for the whole suite, kept beside the food contract (which
// checks what is anchored and recalled with it) and used here by capture, CSV import and trace, and by
// the staff web's forms (`@gongxin/food-server/gs1`). See chain/contracts/src/food/gs1.ts.
export * from '@gongxin/contracts/food/gs1';

/** The GTIN of a Digital Link key (lot, serial or class: the 14 digits after /01/), if it has one. */
export function gtinOfKey(key: string): string | undefined {
  return /\/01\/(\d{14})/.exec(key)?.[1];
}
