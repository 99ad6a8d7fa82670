// The suite's one GS1 identifier validator: every EPC scheme of the Tag Data Standard and every Digital
// Link primary key EPCIS 2.0 allows, company prefix lengths, check digits, the kind of key a field takes.
import { describe, expect, it } from 'vitest';
import { canonicalEpc, type IdentifierRole, identifierProblem, parseEpc } from './gs1';

describe('identifierProblem', () => {
  // Examples from TDS 2.0 §6.3 and the GS1 Digital Link standard, one per scheme.
  it.each<[string, IdentifierRole, string]>([
    ['urn:epc:id:sgtin:0614141.112345.400', 'instance', 'https://id.gs1.org/01/10614141123459/21/400'],
    [
      'urn:epc:id:sgtin:0614141.112345.A%2FB.1',
      'instance',
      'https://id.gs1.org/01/10614141123459/21/A%2FB.1',
    ],
    ['urn:epc:id:sscc:0614141.1234567890', 'instance', 'https://id.gs1.org/00/106141412345678908'],
    ['urn:epc:id:sgln:0614141.12345.400', 'location', 'https://id.gs1.org/414/0614141123452/254/400'],
    ['urn:epc:id:sgln:0614141.12345.0', 'location', 'https://id.gs1.org/414/0614141123452'],
    ['urn:epc:id:grai:0614141.12345.400', 'instance', 'https://id.gs1.org/8003/00614141123452400'],
    ['urn:epc:id:giai:0614141.12345400', 'instance', 'https://id.gs1.org/8004/061414112345400'],
    ['urn:epc:id:gsrn:0614141.1234567890', 'instance', 'https://id.gs1.org/8018/061414112345678902'],
    ['urn:epc:id:gsrnp:0614141.1234567890', 'instance', 'https://id.gs1.org/8017/061414112345678902'],
    ['urn:epc:id:gdti:0614141.12345.400', 'instance', 'https://id.gs1.org/253/0614141123452400'],
    [
      'urn:epc:id:cpi:0614141.123ABC.123456789',
      'instance',
      'https://id.gs1.org/8010/0614141123ABC/8011/123456789',
    ],
    ['urn:epc:id:sgcn:4012345.67890.04711', 'instance', 'https://id.gs1.org/255/401234567890104711'],
    ['urn:epc:id:ginc:0614141.xyz3311cba', 'instance', 'https://id.gs1.org/401/0614141xyz3311cba'],
    ['urn:epc:id:gsin:0614141.123456789', 'instance', 'https://id.gs1.org/402/06141411234567890'],
    [
      'urn:epc:id:itip:4012345.012345.01.02.987',
      'instance',
      'https://id.gs1.org/8006/040123451234560102/21/987',
    ],
    [
      'urn:epc:id:upui:1234567.089456.51qIgY)%3C%26Jp3*j7SDB',
      'instance',
      'https://id.gs1.org/01/01234567894560/235/51qIgY%29%3C%26Jp3%2Aj7SDB',
    ],
    ['urn:epc:id:pgln:1234567.89012', 'party', 'https://id.gs1.org/417/1234567890128'],
    ['urn:epc:id:gid:95100000.12345.400', 'instance', 'urn:epc:id:gid:95100000.12345.400'],
    ['urn:epc:class:lgtin:4012345.012345.998877', 'class', 'https://id.gs1.org/01/04012345123456/10/998877'],
    ['urn:epc:idpat:sgtin:4012345.012345.*', 'class', 'https://id.gs1.org/01/04012345123456'],
    ['urn:epc:idpat:grai:4012345.55555.*', 'class', 'https://id.gs1.org/8003/04012345555554'],
    [
      'https://id.gs1.org/01/09520123456788/21/12345',
      'instance',
      'https://id.gs1.org/01/09520123456788/21/12345',
    ],
    [
      'https://example.com/shop/01/9520123456788/10/L1?17=201225',
      'class',
      'https://id.gs1.org/01/09520123456788/10/L1',
    ],
    [
      'https://id.gs1.org/01/09520123456788/22/2A/10/L1/21/S1',
      'instance',
      'https://id.gs1.org/01/09520123456788/10/L1/21/S1',
    ],
    [
      'https://id.gs1.org/414/9520123456788/254/dock-1',
      'location',
      'https://id.gs1.org/414/9520123456788/254/dock-1',
    ],
    ['https://id.gs1.org/417/9520123456788', 'party', 'https://id.gs1.org/417/9520123456788'],
    ['https://id.gs1.org/00/095201234567891235', 'instance', 'https://id.gs1.org/00/095201234567891235'],
    ['https://id.gs1.org/8004/9520123456', 'instance', 'https://id.gs1.org/8004/9520123456'],
    // Identifiers outside GS1 are allowed by EPCIS as they are.
    ['urn:example:pallet:17', 'instance', 'urn:example:pallet:17'],
    ['geo:22.300000,114.200000', 'location', 'geo:22.300000,114.200000'],
    ['https://farm.example.cn/field/7', 'location', 'https://farm.example.cn/field/7'],
  ])('accepts %s as %s', (value, role, canonical) => {
    expect(identifierProblem(value, role)).toBeUndefined();
    expect(identifierProblem(value, 'any')).toBeUndefined();
    expect(canonicalEpc(value)).toBe(canonical);
  });

  it.each<[string, IdentifierRole, RegExp]>([
    [
      'https://id.gs1.org/01/06902235004011/21/1',
      'instance',
      /check digit of GTIN 06902235004011 should be 0/,
    ],
    [
      'urn:epc:id:sgtin:notanepc',
      'instance',
      /not a valid SGTIN EPC URI \(urn:epc:id:sgtin:CompanyPrefix\.ItemRef\.Serial\)/,
    ],
    [
      'urn:epc:id:sgtin:0614141.10734.6.2017',
      'instance',
      /company prefix and item reference must have 13 digits together/,
    ],
    ['urn:epc:id:sgtin:06141.1073466.2017', 'instance', /Company Prefix has 6–12 digits/],
    ['urn:epc:id:sgtin:0614141.112345.ABCDEFGHIJKLMNOPQRSTU', 'instance', /serial has 1–20 characters/],
    ['urn:epc:id:sscc:0614141.1234567890.1', 'instance', /not a valid SSCC EPC URI/],
    ['urn:epc:id:sgln:0614141.12345', 'location', /not a valid SGLN EPC URI/],
    ['urn:epc:id:soda:0614141.12345.1', 'instance', /"soda" is not an EPC scheme/],
    ['urn:epc:class:sgtin:0614141.112345.1', 'class', /urn:epc:class: is for lgtin/],
    ['urn:epc:id:sgcn:4012345.67890.AB', 'instance', /coupon serial is 1–12 digits/],
    ['https://id.gs1.org/414/6902235000015', 'location', /check digit of GLN 6902235000015 should be/],
    ['https://id.gs1.org/00/106141412345678901', 'instance', /check digit of SSCC/],
    ['https://id.gs1.org/01/09520123456788/21/1/10/L1', 'instance', /in that order, not \(10\)/],
    ['https://id.gs1.org/00/095201234567891235/21/1', 'instance', /\(00\) takes no key qualifier/],
    // The right syntax in the wrong field.
    [
      'https://id.gs1.org/01/09520123456788/10/L1',
      'instance',
      /is a lot \(LGTIN\); this field takes one item/,
    ],
    [
      'urn:epc:id:sgtin:0614141.112345.400',
      'class',
      /is an item \(SGTIN\); this field takes a lot or a product class/,
    ],
    ['urn:epc:id:sgtin:0614141.112345.400', 'location', /this field takes a location/],
    ['urn:epc:id:sscc:0614141.1234567890', 'party', /this field takes a party/],
    ['not an identifier', 'instance', /neither a GS1 identifier .* nor a URI/],
    [' urn:epc:id:sgln:0614141.12345.0', 'location', /no surrounding spaces/],
  ])('refuses %s as %s', (value, role, reason) => {
    const problem = identifierProblem(value, role);
    expect(problem?.message).toMatch(reason);
    // It names the identifier, in both languages.
    expect(problem?.message).toContain(value.trim());
    expect(problem?.zh).toContain(value.trim());
  });

  it('catches every single mistyped digit of a GTIN in a Digital Link', () => {
    const valid = 'https://id.gs1.org/01/06902235004010/21/L0001';
    expect(identifierProblem(valid, 'instance')).toBeUndefined();
    for (let at = 22; at < 36; at++) {
      for (const d of '0123456789') {
        if (d === valid[at]) continue;
        const typo = valid.slice(0, at) + d + valid.slice(at + 1);
        expect(identifierProblem(typo, 'instance')?.message, typo).toMatch(/check digit of GTIN/);
      }
    }
  });

  it('reads every company prefix length and refuses the others', () => {
    for (let length = 4; length <= 13; length++) {
      const prefix = '6901234567890'.slice(0, length);
      const ref = `1${'0'.repeat(Math.max(0, 12 - length))}`;
      const urn = `urn:epc:id:sgtin:${prefix}.${ref}.1`;
      const ok = length >= 6 && length <= 12;
      expect(identifierProblem(urn, 'instance') === undefined, urn).toBe(ok);
      if (ok) expect(parseEpc(urn).kind).toBe('sgtin');
    }
  });
});
