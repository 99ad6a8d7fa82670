import { describe, expect, it } from 'vitest';
import {
  canonicalEpc,
  digitalLinkToEpcUrn,
  epcUrnToDigitalLink,
  Gs1Error,
  glnOf,
  gs1CheckDigit,
  gtinOf,
  isValidGln,
  isValidGtin,
  isValidSscc,
  lotOf,
  normaliseGtin,
  parseDigitalLink,
  parseGtin,
  withCheckDigit,
} from '../src/domain/gs1';

describe('check digits', () => {
  it.each([
    ['96385074', 'GTIN-8'],
    ['036000291452', 'GTIN-12 (UPC-A)'],
    ['4006381333931', 'GTIN-13'],
    ['6901234567892', 'GTIN-13, China prefix 690'],
    ['10614141073464', 'GTIN-14 with indicator 1'],
  ])('accepts %s (%s)', (gtin) => {
    expect(isValidGtin(gtin)).toBe(true);
    expect(normaliseGtin(gtin)).toHaveLength(14);
    expect(normaliseGtin(gtin).endsWith(gtin)).toBe(true);
  });

  it.each([
    ['4006381333932', 'a wrong check digit'],
    ['4006381323931', 'one digit mistyped'],
    ['4003681333931', 'two neighbours swapped'],
    ['400638133393', 'a digit missing (11 digits)'],
    ['4006381333931 0', 'a space inside'],
    ['40063813339A1', 'a letter'],
    ['', 'nothing'],
  ])('refuses %s (%s)', (gtin) => {
    expect(isValidGtin(gtin)).toBe(false);
    expect(() => normaliseGtin(gtin)).toThrow(Gs1Error);
  });

  it('says which check digit was expected', () => {
    expect(parseGtin('4006381333932')).toEqual({
      ok: false,
      reason: 'check digit of GTIN 4006381333932 should be 1: a digit is mistyped',
      zh: 'GTIN 4006381333932 的校验位应为 1：有数字输错',
    });
  });

  it('catches every single mistyped digit', () => {
    const valid = '6901234567892';
    for (let position = 0; position < valid.length; position++) {
      for (let digit = 0; digit <= 9; digit++) {
        if (String(digit) === valid[position]) continue;
        const typo = valid.slice(0, position) + digit + valid.slice(position + 1);
        expect(isValidGtin(typo), typo).toBe(false);
      }
    }
  });

  it('checks GLNs and SSCCs with the same rule', () => {
    expect(gs1CheckDigit('690123400000')).toBe(9);
    expect(withCheckDigit('10614141234567890')).toBe('106141412345678908');
    expect(isValidGln('6901234000009')).toBe(true);
    expect(isValidGln('6901234000008')).toBe(false);
    expect(isValidGln('69012340000')).toBe(false);
    expect(isValidSscc('106141412345678908')).toBe(true);
    expect(isValidSscc('106141412345678909')).toBe(false);
  });
});

describe('EPC URIs and Digital Link', () => {
  it.each([
    ['urn:epc:id:sgtin:0614141.107346.2017', 'https://id.gs1.org/01/10614141073464/21/2017'],
    ['urn:epc:class:lgtin:4012345.012345.998877', 'https://id.gs1.org/01/04012345123456/10/998877'],
    ['urn:epc:id:sgln:0614141.07346.1234', 'https://id.gs1.org/414/0614141073467/254/1234'],
    ['urn:epc:id:sgln:0012345.11111.0', 'https://id.gs1.org/414/0012345111112'],
    ['urn:epc:id:sscc:0614141.1234567890', 'https://id.gs1.org/00/106141412345678908'],
    ['urn:epc:id:sgtin:690123.4456789.A%2FB-7', 'https://id.gs1.org/01/46901234567890/21/A%2FB-7'],
    [
      'urn:epc:class:lgtin:6901234.056789.LOT%2523(1)',
      'https://id.gs1.org/01/06901234567892/10/LOT%2523%281%29',
    ],
  ])('%s ↔ %s', (urn, link) => {
    expect(epcUrnToDigitalLink(urn)).toBe(link);
    const prefixLength = urn.split(':')[4]!.split('.')[0]!.length;
    expect(digitalLinkToEpcUrn(link, prefixLength)).toBe(urn);
  });

  it('writes Digital Links on any domain and reads them back, query and path prefix ignored', () => {
    expect(epcUrnToDigitalLink('urn:epc:id:sgtin:0614141.107346.2017', 'https://qr.example.cn/')).toBe(
      'https://qr.example.cn/01/10614141073464/21/2017',
    );
    expect(parseDigitalLink('https://qr.example.cn/shop/01/10614141073464/10/L1/21/2017?17=250101')).toEqual({
      domain: 'https://qr.example.cn',
      key: { kind: 'sgtin', gtin: '10614141073464', serial: '2017', lot: 'L1' },
    });
  });

  it('needs the company prefix length to go from Digital Link to an EPC URN', () => {
    const link = 'https://id.gs1.org/01/10614141073464/21/2017';
    expect(digitalLinkToEpcUrn(link, 7)).toBe('urn:epc:id:sgtin:0614141.107346.2017');
    // Another length is another (valid-looking) split: that is why the hint is required.
    expect(digitalLinkToEpcUrn(link, 9)).toBe('urn:epc:id:sgtin:061414107.1346.2017');
    expect(() => digitalLinkToEpcUrn(link, 5)).toThrow(/6–12 digits/);
    expect(() => digitalLinkToEpcUrn('https://id.gs1.org/01/10614141073464', 7)).toThrow(/serial or a lot/);
  });

  it.each([
    ['https://id.gs1.org/01/10614141073465/21/2017', /check digit/],
    [
      'https://id.gs1.org/01/10614141073464/21/2017/10/L1',
      /only \(22\) then \(10\) then \(21\) may follow, in that order, not \(10\)/,
    ],
    ['https://id.gs1.org/01/10614141073464/21/', /no value/],
    ['https://id.gs1.org/01/10614141073464/21/ABCDEFGHIJKLMNOPQRSTU', /1–20 characters/],
    ['https://id.gs1.org/products/123', /no GS1 primary key/],
    ['ftp://id.gs1.org/01/10614141073464', /not http/],
    ['urn:epc:id:sgtin:0614141.10734.2017', /13 digits/],
    ['urn:epc:id:sgtin:06141.1073466.2017', /6–12 digits/],
    ['urn:epc:class:sgtin:0614141.107346.2017', /belongs under urn:epc:id/],
  ])('refuses %s', (value, reason) => {
    const read = value.startsWith('urn:') ? () => epcUrnToDigitalLink(value) : () => parseDigitalLink(value);
    expect(read).toThrow(reason);
    // Where an identifier is only compared, an unreadable one stays as written rather than failing.
    expect(canonicalEpc(value)).toBe(value);
  });

  it('gives every spelling of one identifier the same canonical form', () => {
    const canonical = 'https://id.gs1.org/01/06901234567892/10/L1';
    for (const spelling of [
      'urn:epc:class:lgtin:6901234.056789.L1',
      'https://id.gs1.org/01/06901234567892/10/L1',
      'https://qr.example.cn/01/6901234567892/10/L1',
      'http://example.com/path/01/06901234567892/10/L1?3103=000195',
    ]) {
      expect(canonicalEpc(spelling)).toBe(canonical);
    }
    expect(canonicalEpc('urn:epc:idpat:sgtin:6901234.056789.*')).toBe('https://id.gs1.org/01/06901234567892');
    // Every EPC scheme has its Digital Link; what is not a GS1 key stays as written (trimmed).
    expect(canonicalEpc(' urn:epc:id:grai:4012345.55555.987 ')).toBe(
      'https://id.gs1.org/8003/04012345555554987',
    );
    expect(canonicalEpc(' urn:example:pallet:17 ')).toBe('urn:example:pallet:17');
  });

  it('reads the lot, GTIN and GLN an identifier carries', () => {
    expect(lotOf('https://qr.example.cn/01/6901234567892/10/L1/21/0001')).toBe(
      'https://id.gs1.org/01/06901234567892/10/L1',
    );
    expect(lotOf('urn:epc:class:lgtin:6901234.056789.L1')).toBe('https://id.gs1.org/01/06901234567892/10/L1');
    expect(lotOf('urn:epc:id:sgtin:6901234.056789.0001')).toBeUndefined();
    expect(gtinOf('urn:epc:id:sgtin:6901234.056789.0001')).toBe('06901234567892');
    expect(gtinOf('urn:epc:id:sscc:0614141.1234567890')).toBeUndefined();
    expect(glnOf('urn:epc:id:sgln:6901234.00000.0')).toBe('6901234000009');
    expect(glnOf('https://id.gs1.org/414/6901234000009/254/dock1')).toBe('6901234000009');
  });

  it('round-trips every company prefix length', () => {
    for (let length = 6; length <= 12; length++) {
      const prefix = '690123456789'.slice(0, length);
      const itemRef = `5${'1234567'.slice(0, 12 - length)}`;
      const urn = `urn:epc:id:sgtin:${prefix}.${itemRef}.S-${length}`;
      expect(digitalLinkToEpcUrn(epcUrnToDigitalLink(urn), length)).toBe(urn);
      const sscc = `urn:epc:id:sscc:${prefix}.3${'1234567890'.slice(0, 16 - length)}`;
      expect(digitalLinkToEpcUrn(epcUrnToDigitalLink(sscc), length)).toBe(sscc);
      const sgln = `urn:epc:id:sgln:${prefix}.${'123456'.slice(0, 12 - length)}.7`;
      expect(digitalLinkToEpcUrn(epcUrnToDigitalLink(sgln), length)).toBe(sgln);
    }
  });
});
