// A lot's Digital Link read the same by the capture page and the explorer decoder pack.
import { describe, expect, it } from 'vitest';
import { lotLinksIn, readLotLink } from './lot-link';

const LOT = 'https://id.gs1.org/01/06902235004010/10/LOIN-2611-07';

describe('readLotLink', () => {
  it("reads a lot's GTIN and its lot number, decoded", () => {
    expect(readLotLink(LOT)).toEqual({ gtin: '06902235004010', lot: 'LOIN-2611-07' });
    expect(readLotLink('https://id.gs1.org/01/06902235004010/10/A%2FB')).toEqual({
      gtin: '06902235004010',
      lot: 'A/B',
    });
    // A stray % is shown as written rather than failing the whole line.
    expect(readLotLink('https://id.gs1.org/01/06902235004010/10/50%')?.lot).toBe('50%');
  });

  it('is null for what is not a lot: a serial, a GTIN alone, a query, a URN', () => {
    expect(readLotLink('https://id.gs1.org/01/06902235004010/21/7')).toBeNull();
    expect(readLotLink('https://id.gs1.org/01/06902235004010')).toBeNull();
    expect(readLotLink(`${LOT}?x=1`)).toBeNull();
    expect(readLotLink('urn:epc:id:sgtin:0614141.812345.6789')).toBeNull();
  });
});

describe('lotLinksIn', () => {
  it('finds the lots named anywhere in a document, each once, five at most', () => {
    const lots = Array.from({ length: 7 }, (_, i) => `${LOT}-${i}`);
    const document = {
      epcisBody: { eventList: [{ epcList: [LOT, LOT, 'https://id.gs1.org/01/06902235004010/21/1'] }] },
      more: lots,
    };
    expect(lotLinksIn(document)).toEqual([LOT, ...lots.slice(0, 4)]);
    expect(lotLinksIn({ a: 1, b: null })).toEqual([]);
  });
});
