// @vitest-environment node
// The documents the capture form builds for a processor: an AggregationEvent (items and lots packed into a
// case) and a TransformationEvent (input lots into an output lot), each valid EPCIS 2.0 by the server's
// own validation; a mistyped identifier or quantity is refused, naming the line.
import { validateEpcis } from '@gongxin/food-server/domain';
import { describe, expect, it } from 'vitest';
import {
  documentFromAggregation,
  documentFromForm,
  documentFromTransformation,
  FormError,
  itemsFromLines,
} from './gs1';
import en from './locales/en';
import zhCN from './locales/zh-CN';

const lot = (gtin: string, l: string) => `https://id.gs1.org/01/${gtin}/10/${l}`;
const LOIN = '06902235004010';
const PIG = '06902235001019';
const SSCC = 'https://id.gs1.org/00/069022350000000012';
const pack = (serial: string) => `https://id.gs1.org/01/${LOIN}/21/${serial}`;
/** Now on the deployment clock, as the page passes it. */
const NOW = Date.parse('2026-11-02T12:00:00Z');

function eventOf(document: Record<string, unknown>): Record<string, unknown> {
  return (document.epcisBody as { eventList: Record<string, unknown>[] }).eventList[0]!;
}

describe('the documents of the capture form', () => {
  it('packs serialised items and a quantity of a lot into a case (AggregationEvent)', () => {
    const document = documentFromAggregation(
      {
        action: 'ADD',
        bizStep: 'packing',
        disposition: 'in_progress',
        parent: SSCC,
        children: `${pack('L0001')}\n\n  ${pack('L0002')}  \n${lot(LOIN, 'LOIN-2611-07')} 12 KGM\n`,
        gln: '6902235000012',
        eventTime: '2026-11-02T08:00:00Z',
      },
      NOW,
    );
    expect(validateEpcis(document).ok).toBe(true);
    expect(eventOf(document)).toMatchObject({
      type: 'AggregationEvent',
      action: 'ADD',
      bizStep: 'packing',
      parentID: SSCC,
      childEPCs: [pack('L0001'), pack('L0002')],
      childQuantityList: [{ epcClass: lot(LOIN, 'LOIN-2611-07'), quantity: 12, uom: 'KGM' }],
      eventTime: '2026-11-02T08:00:00.000Z',
      bizLocation: { id: 'https://id.gs1.org/414/6902235000012' },
    });
  });

  it('turns three farm lots into one lot of product (TransformationEvent)', () => {
    const document = documentFromTransformation(
      {
        bizStep: 'killing',
        disposition: 'active',
        inputs: ['PIG-A01 95', 'PIG-A02 102 KGM', 'PIG-A03 88']
          .map((l) => `${lot(PIG, l.split(' ')[0]!)} ${l.split(' ').slice(1).join(' ')}`)
          .join('\n'),
        outputs: `${lot(LOIN, 'LOIN-2611-07')} 180`,
        lotNumber: 'LOIN-2611-07',
        gln: '',
        eventTime: '2026-11-02T10:00:00Z',
      },
      NOW,
    );
    expect(validateEpcis(document).ok).toBe(true);
    const event = eventOf(document);
    expect(event).toMatchObject({
      type: 'TransformationEvent',
      bizStep: 'killing',
      inputQuantityList: [
        { epcClass: lot(PIG, 'PIG-A01'), quantity: 95, uom: 'KGM' },
        { epcClass: lot(PIG, 'PIG-A02'), quantity: 102, uom: 'KGM' },
        { epcClass: lot(PIG, 'PIG-A03'), quantity: 88, uom: 'KGM' },
      ],
      outputQuantityList: [{ epcClass: lot(LOIN, 'LOIN-2611-07'), quantity: 180, uom: 'KGM' }],
      ilmd: { 'cbvmda:lotNumber': 'LOIN-2611-07' },
    });
    expect(event).not.toHaveProperty('action');
    expect(event).not.toHaveProperty('inputEPCList');
  });

  it('refuses what cannot be right, naming the line', () => {
    const refused = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof FormError ? [e.key, e.line] : ['other', String(e)];
      }
      return ['accepted'];
    };
    expect(refused(() => itemsFromLines(`${lot(LOIN, 'A')} 1.5`))).toEqual(['quantity', 1]);
    expect(refused(() => itemsFromLines(`${lot(LOIN, 'A')}`))).toEqual(['quantity', 1]);
    expect(refused(() => itemsFromLines(`${lot(LOIN, 'A')} 0`))).toEqual(['quantity', 1]);
    expect(refused(() => itemsFromLines(`${lot(LOIN, 'A')} -3`))).toEqual(['quantity', 1]);
    expect(refused(() => itemsFromLines(`${pack('1')}\n${pack('2')} 3`))).toEqual(['serialQuantity', 2]);
    expect(refused(() => itemsFromLines('https://id.gs1.org/01/06902235004011/21/1'))).toEqual([
      'identifier',
      1,
    ]);
    expect(refused(() => itemsFromLines('LOIN-2611-07 5'))).toEqual(['identifier', 1]);
    const packing = {
      action: 'ADD' as const,
      bizStep: 'packing',
      disposition: '',
      parent: SSCC,
      children: '',
      gln: '',
      eventTime: '',
    };
    expect(refused(() => documentFromAggregation(packing, NOW))).toEqual(['children', undefined]);
    expect(
      refused(() =>
        documentFromAggregation({ ...packing, parent: lot(LOIN, 'A'), children: pack('1') }, NOW),
      ),
    ).toEqual(['parentLot', undefined]);
    expect(
      refused(() =>
        documentFromAggregation(
          {
            ...packing,
            parent: 'https://id.gs1.org/00/069022350000000013',
            children: pack('1'),
          },
          NOW,
        ),
      ),
    ).toEqual(['identifier', undefined]);
    // Unpacking everything names no children; left without a time, it happened at the clock's now.
    const unpacked = documentFromAggregation({ ...packing, action: 'DELETE', bizStep: 'unpacking' }, NOW);
    expect(eventOf(unpacked).eventTime).toBe('2026-11-02T12:00:00.000Z');
    expect(unpacked.creationDate).toBe('2026-11-02T12:00:00.000Z');
    expect(
      validateEpcis(documentFromAggregation({ ...packing, action: 'DELETE', bizStep: 'unpacking' }, NOW)).ok,
    ).toBe(true);
    const processing = {
      bizStep: '',
      disposition: '',
      inputs: '',
      outputs: '',
      lotNumber: '',
      gln: '',
      eventTime: '',
    };
    expect(refused(() => documentFromTransformation({ ...processing, outputs: pack('1') }, NOW))).toEqual([
      'inputs',
      undefined,
    ]);
    expect(refused(() => documentFromTransformation({ ...processing, inputs: pack('1') }, NOW))).toEqual([
      'outputs',
      undefined,
    ]);
  });

  it('records a harvested lot in whole kilograms and refuses a quantity typed with its unit or as 0', () => {
    const form = {
      action: 'ADD' as const,
      bizStep: 'commissioning',
      disposition: 'active',
      epc: lot('06901234001013', 'HARVEST-0601'),
      quantity: '500',
      gln: '',
      lotNumber: 'HARVEST-0601',
      temperatures: '',
      eventTime: '2026-06-01T08:00:00+08:00',
    };
    const event = eventOf(documentFromForm(form, NOW));
    expect(event.quantityList).toEqual([{ epcClass: form.epc, quantity: 500, uom: 'KGM' }]);
    expect(validateEpcis(documentFromForm(form, NOW)).ok).toBe(true);
    for (const quantity of ['500 公斤', '0', '12.5', '-3'])
      expect(() => documentFromForm({ ...form, quantity }, NOW), quantity).toThrow(
        expect.objectContaining({ key: 'lotQuantity' }),
      );
    // An item (serial) is counted once: its quantity field is not read.
    expect(() => documentFromForm({ ...form, epc: pack('L0009'), quantity: '500 公斤' }, NOW)).not.toThrow();
    // The field says its unit, and the refusal says what to type, in both languages.
    expect(zhCN.food.capture.quantity).toContain('千克');
    expect(en.food.capture.quantity).toContain('kg');
    expect(zhCN.food.capture.errors.lotQuantity).toContain('正整数');
    expect(en.food.capture.errors.lotQuantity).toContain('whole number of kilograms');
  });
});
