// The food app over HTTP on a real chain: the EPCIS 2.0 capture interface (GS1's published examples and
// every event type accepted, invalid documents refused with the schema's error), the query endpoints,
// traceability through a transformation, recall impact, QR codes and the consumer page.
import { readdirSync, readFileSync } from 'node:fs';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lotUri, placeUri } from '../src/demo-chains';
import { withCheckDigit } from '../src/domain';
import { type FoodHarness, startFoodHarness } from './harness';

const examples = new URL('../src/standards/test-vectors/epcis-examples/', import.meta.url);
const CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

let h: FoodHarness;
beforeAll(async () => {
  h = await startFoodHarness();
});
afterAll(async () => {
  await h?.close();
});

const doc = (eventList: unknown[]) => ({
  '@context': [CONTEXT],
  type: 'EPCISDocument',
  schemaVersion: '2.0',
  creationDate: '2026-11-01T00:00:00Z',
  epcisBody: { eventList },
});

async function capture(orgId: string, body: unknown, type = 'application/ld+json') {
  const res = await fetch(`${h.url}/food/capture`, {
    method: 'POST',
    headers: { 'content-type': type, authorization: `Bearer ${h.keys[orgId]}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as Record<string, unknown>,
    location: res.headers.get('location'),
  };
}

const gtin = (n: number) => withCheckDigit(`069012340${String(n).padStart(4, '0')}`);
const gln = (n: number) => withCheckDigit(`690123400${String(n).padStart(3, '0')}`);
const qty = (epcClass: string, quantity: number) => ({ epcClass, quantity, uom: 'KGM' });
const base = Date.parse('2026-11-01T08:00:00Z');
const at = (h: number) => new Date(base + h * 3_600_000).toISOString();

describe('POST /food/capture', () => {
  it("accepts GS1's published EPCIS 2.0 examples and anchors every event on chain", async () => {
    const files = readdirSync(examples)
      .filter((f) => f.endsWith('.jsonld'))
      .sort();
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const file of files) {
      const document = JSON.parse(readFileSync(new URL(file, examples), 'utf8'));
      const res = await capture('food-lab', document);
      expect(res.status, `${file}: ${JSON.stringify(res.body).slice(0, 300)}`).toBe(202);
      const anchor = res.body.anchor as { by: string; anchored: number; failed: number };
      expect(anchor.by).toBe('service');
      expect(anchor.failed, file).toBe(0);
      expect(res.location).toMatch(/^\/food\/capture\/[0-9a-f-]{36}$/);
    }
  });

  it('accepts every event type, with ILMD, sensor data and an error declaration', async () => {
    const lot = lotUri(gtin(1), 'ALL-TYPES');
    const item = `https://id.gs1.org/01/${gtin(1)}/21/S1`;
    const sscc = `https://id.gs1.org/00/${withCheckDigit('06901234000000001')}`;
    const events = [
      {
        type: 'ObjectEvent',
        action: 'ADD',
        eventTime: at(0),
        eventTimeZoneOffset: '+08:00',
        bizStep: 'commissioning',
        epcList: [item],
        ilmd: { 'cbvmda:lotNumber': 'ALL-TYPES' },
      },
      {
        type: 'AggregationEvent',
        action: 'ADD',
        eventTime: at(1),
        eventTimeZoneOffset: '+08:00',
        bizStep: 'packing',
        parentID: sscc,
        childEPCs: [item],
      },
      {
        type: 'TransactionEvent',
        action: 'ADD',
        eventTime: at(2),
        eventTimeZoneOffset: '+08:00',
        bizStep: 'shipping',
        bizTransactionList: [{ type: 'po', bizTransaction: 'urn:gongxin:po:1' }],
        epcList: [item],
      },
      {
        type: 'TransformationEvent',
        eventTime: at(3),
        eventTimeZoneOffset: '+08:00',
        inputQuantityList: [qty(lot, 5)],
        outputQuantityList: [qty(lotUri(gtin(2), 'ALL-OUT'), 4)],
      },
      {
        type: 'AssociationEvent',
        action: 'ADD',
        eventTime: at(4),
        eventTimeZoneOffset: '+08:00',
        parentID: `https://id.gs1.org/8004/069012341234`,
        childEPCs: [item],
      },
      {
        type: 'ObjectEvent',
        action: 'OBSERVE',
        eventTime: at(5),
        eventTimeZoneOffset: '+08:00',
        bizStep: 'sensor_reporting',
        epcList: [item],
        sensorElementList: [{ sensorReport: [{ type: 'Temperature', value: 3, uom: 'CEL' }] }],
      },
      {
        type: 'ObjectEvent',
        action: 'OBSERVE',
        eventTime: at(6),
        eventTimeZoneOffset: '+08:00',
        epcList: [item],
        errorDeclaration: { declarationTime: at(7), reason: 'incorrect_data' },
      },
    ];
    const res = await capture('veg-packer', doc(events));
    expect(res.status, JSON.stringify(res.body).slice(0, 400)).toBe(202);
    expect((res.body.events as unknown[]).length).toBe(7);
    expect(res.body.anchor).toMatchObject({ by: 'service', anchored: 7, failed: 0 });

    // The capture's status: every event anchored, with its block and tx.
    await h.caughtUp();
    const status = (await (await fetch(`${h.url}${res.location}`)).json()) as {
      events: { anchored: unknown }[];
      success: boolean;
    };
    expect(status.success).toBe(true);
    expect(status.events.every((e) => e.anchored !== null)).toBe(true);
  });

  const invalid: [string, unknown, RegExp][] = [
    [
      'a wrong action',
      doc([
        {
          type: 'ObjectEvent',
          action: 'MOVE',
          eventTime: at(0),
          eventTimeZoneOffset: '+08:00',
          epcList: ['urn:epc:id:sgtin:0614141.107346.2018'],
        },
      ]),
      /action/i,
    ],
    [
      'a non-standard bizStep without a namespace',
      doc([
        {
          type: 'ObjectEvent',
          action: 'OBSERVE',
          eventTime: at(0),
          eventTimeZoneOffset: '+08:00',
          bizStep: 'harvest_dance',
          epcList: ['urn:epc:id:sgtin:0614141.107346.2018'],
        },
      ]),
      /bizStep/i,
    ],
    [
      'a missing @context',
      (() => {
        const d = doc([
          {
            type: 'ObjectEvent',
            action: 'OBSERVE',
            eventTime: at(0),
            eventTimeZoneOffset: '+08:00',
            epcList: ['urn:epc:id:sgtin:0614141.107346.2018'],
          },
        ]) as Record<string, unknown>;
        delete d['@context'];
        return d;
      })(),
      /@context/i,
    ],
    [
      'no eventTime',
      doc([{ type: 'ObjectEvent', action: 'OBSERVE', eventTimeZoneOffset: '+08:00', epcList: ['x:y'] }]),
      /eventTime/i,
    ],
    [
      'an unknown event type',
      doc([{ type: 'MagicEvent', eventTime: at(0), eventTimeZoneOffset: '+08:00' }]),
      /type|MagicEvent/i,
    ],
    ['not a document', [1, 2, 3], /object|document/i],
  ];
  for (const [what, document, pattern] of invalid) {
    it(`refuses ${what} with 400 and the schema error`, async () => {
      const res = await capture('veg-packer', document);
      expect(res.status).toBe(400);
      expect(res.body.type).toBe('epcisException:ValidationException');
      expect(`${res.body.detail} ${JSON.stringify(res.body.issues)}`).toMatch(pattern);
    });
  }

  it('refuses bad JSON, a missing key and a wrong media type with a 4xx, counted as bad input', async () => {
    const before = await h.services.metrics.registry.getSingleMetricAsString('gongxin_bad_input_total');
    const bad = await fetch(`${h.url}/food/capture`, {
      method: 'POST',
      headers: { 'content-type': 'application/ld+json', authorization: `Bearer ${h.keys['veg-packer']}` },
      body: '{"type": "EPCISDocument", ',
    });
    expect(bad.status).toBe(400);
    const noKey = await fetch(`${h.url}/food/capture`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(noKey.status).toBe(401);
    const wrongType = await capture('veg-packer', 'hello', 'text/plain');
    expect(wrongType.status).toBe(415);
    const after = await h.services.metrics.registry.getSingleMetricAsString('gongxin_bad_input_total');
    expect(after).not.toBe(before);
    expect(after).toMatch(/source="epcis",reason="epcis_invalid"/);
  });

  it('takes CSV uploads through the same validation', async () => {
    const csv = [
      'type,action,eventTime,bizStep,disposition,readPoint,quantityList,lotNumber,temperatures',
      `ObjectEvent,ADD,${at(10)},commissioning,active,${placeUri(gln(9))},${lotUri(gtin(3), 'CSV-1')}*100*KGM,CSV-1,`,
      `ObjectEvent,OBSERVE,${at(11)},transporting,in_transit,${placeUri(gln(9))},${lotUri(gtin(3), 'CSV-1')}*100*KGM,,3.5 4.1`,
    ].join('\n');
    const res = await fetch(`${h.url}/food/capture/csv`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${h.keys['veg-coop']}` },
      body: csv,
    });
    expect(res.status).toBe(202);
    expect(((await res.json()) as { events: unknown[] }).events).toHaveLength(2);
    const bad = await fetch(`${h.url}/food/capture/csv`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${h.keys['veg-coop']}` },
      body: 'type,colour\nObjectEvent,red\n',
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toMatch(/unknown column colour/);
  });
});

// Three farm lots into one processed lot, which goes to two retail lots (packs), one sold at a shop.
const farmLots = ['F1', 'F2', 'F3'].map((l) => lotUri(gtin(10), l));
const pork = lotUri(gtin(11), 'PROC-1');
const retailA = lotUri(gtin(12), 'RETAIL-A');
const retailB = lotUri(gtin(12), 'RETAIL-B');
const shop = gln(77);

describe('traceability through the API', () => {
  beforeAll(async () => {
    const events = [
      ...farmLots.map((lot, i) => ({
        type: 'ObjectEvent',
        action: 'ADD',
        eventTime: at(20 + i),
        eventTimeZoneOffset: '+08:00',
        bizStep: 'commissioning',
        quantityList: [qty(lot, 100)],
      })),
      {
        type: 'TransformationEvent',
        eventTime: at(30),
        eventTimeZoneOffset: '+08:00',
        bizStep: 'killing',
        inputQuantityList: farmLots.map((l) => qty(l, 100)),
        outputQuantityList: [qty(pork, 240)],
      },
      {
        type: 'TransformationEvent',
        eventTime: at(31),
        eventTimeZoneOffset: '+08:00',
        bizStep: 'repackaging',
        inputQuantityList: [qty(pork, 240)],
        outputQuantityList: [qty(retailA, 120), qty(retailB, 120)],
      },
      {
        type: 'ObjectEvent',
        action: 'OBSERVE',
        eventTime: at(40),
        eventTimeZoneOffset: '+08:00',
        bizStep: 'retail_selling',
        disposition: 'retail_sold',
        quantityList: [qty(retailA, 1)],
        bizLocation: { id: placeUri(shop) },
      },
    ];
    const res = await capture('pork-plant', doc(events));
    expect(res.status).toBe(202);
    await h.caughtUp();
  });

  const trpc = async (path: string, input: unknown) => {
    const res = await fetch(
      `${h.url}/food/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`,
    );
    const body = (await res.json()) as { result?: { data: unknown }; error?: unknown };
    if (!res.ok) throw new Error(`${res.status} ${JSON.stringify(body)}`);
    return body.result!.data as never;
  };

  it('traces the processed lot upstream to the three farm lots, and each farm lot downstream to it', async () => {
    const up = (await trpc('trace.lineage', { epc: pork, direction: 'upstream' })) as {
      nodes: { key: string }[];
    };
    const keys = up.nodes.map((n) => n.key);
    for (const lot of farmLots) expect(keys).toContain(lot);
    for (const lot of farmLots) {
      const down = (await trpc('trace.lineage', { epc: lot, direction: 'downstream' })) as {
        nodes: { key: string }[];
      };
      expect(down.nodes.map((n) => n.key)).toEqual(expect.arrayContaining([pork, retailA, retailB]));
    }
  });

  it('a recall of one farm lot flags the retail lots that contain it', async () => {
    const impact = (await trpc('trace.recallImpact', { lot: farmLots[1] })) as {
      affected: { lot: string }[];
      retailLots: { lot: string }[];
    };
    expect(impact.affected.map((a) => a.lot)).toEqual(expect.arrayContaining([pork, retailA, retailB]));
    expect(impact.retailLots.map((a) => a.lot)).toEqual([retailA]);

    // Issued on chain by the regulator: the indexer flags every lot downstream.
    const receipt = await h.send('market-regulator', [
      {
        contract: 'food',
        name: 'issueRecall',
        params: { lots: [farmLots[1]!], reason: 'Salmonella found in lot F2' },
      },
    ]);
    expect(receipt.ok).toBe(true);
    const recalls = (await trpc('recalls.list', undefined)) as { id: string; lots: string[] }[];
    const recall = recalls.find((r) => r.lots.includes(farmLots[1]!))!;
    const flagged = (await trpc('recalls.lots', { id: recall.id })) as {
      lot: string;
      source: string;
      atRetail: boolean;
    }[];
    expect(flagged.map((f) => f.lot).sort()).toEqual([farmLots[1], pork, retailA, retailB].sort());
    expect(flagged.find((f) => f.lot === retailA)).toMatchObject({ source: 'trace', atRetail: true });
    // Another farm lot is not flagged.
    expect(flagged.map((f) => f.lot)).not.toContain(farmLots[0]);

    // The consumer page of a retail lot says so.
    const page = await (await fetch(`${h.url}/food/01/${gtin(12)}/10/RETAIL-A?lang=en`)).text();
    expect(page).toContain('RECALLED');
    expect(page).toContain('Salmonella');
  });

  it('answers the EPCIS query endpoints', async () => {
    const byEpc = await fetch(`${h.url}/food/epcs/${encodeURIComponent(pork)}/events`);
    expect(byEpc.status).toBe(200);
    const body = (await byEpc.json()) as {
      type: string;
      epcisBody: { queryResults: { resultsBody: { eventList: { type: string }[] } } };
    };
    expect(body.type).toBe('EPCISQueryDocument');
    expect(body.epcisBody.queryResults.resultsBody.eventList.map((e) => e.type)).toEqual([
      'TransformationEvent',
      'TransformationEvent',
    ]);
    const typed = await fetch(`${h.url}/food/events?eventType=TransformationEvent&perPage=2`);
    expect(typed.status).toBe(200);
    expect(typed.headers.get('link')).toMatch(/nextPageToken=/);
    expect((await fetch(`${h.url}/food/events?eventType=Nope`)).status).toBe(400);
    expect((await fetch(`${h.url}/food/events?perPage=0`)).status).toBe(400);
    expect((await fetch(`${h.url}/food/events?GE_eventTime=yesterday`)).status).toBe(400);
    const unknown = (await (
      await fetch(`${h.url}/food/epcs/urn%3Aepc%3Aid%3Asgtin%3A0614141.107346.9999/events`)
    ).json()) as typeof body;
    expect(unknown.epcisBody.queryResults.resultsBody.eventList).toEqual([]);
  });
});

describe('Digital Link, QR codes and the consumer page', () => {
  it('renders a QR code that decodes to the lot’s Digital Link on this server', async () => {
    const res = await fetch(`${h.url}/food/qr/01/${gtin(11)}/10/PROC-1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    const png = PNG.sync.read(Buffer.from(await res.arrayBuffer()));
    const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(code?.data).toBe(`${h.url}/food/01/${gtin(11)}/10/PROC-1`);
    const svg = await fetch(`${h.url}/food/qr/01/${gtin(11)}/10/PROC-1?format=svg`);
    expect(await svg.text()).toMatch(/^<svg/);
    expect((await fetch(`${h.url}/food/qr/01/${gtin(11).slice(0, 13)}9/10/PROC-1`)).status).toBe(400);
    const labels = await fetch(`${h.url}/food/labels`);
    expect(await labels.text()).toMatch(/<svg/);
  });

  it('shows the journey with its anchors in the chosen language, and nothing of the other', async () => {
    const en = await (await fetch(`${h.url}/food/01/${gtin(11)}/10/PROC-1?lang=en`)).text();
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('Journey');
    expect(en).toMatch(/block \d+/);
    expect(en).toContain('id="proofs"');
    expect(en).not.toMatch(/溯源旅程|产地|检验/);
    // Chinese by default, and for a browser that asks for it; nothing English but names and codes.
    for (const headers of [{}, { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' }] as Record<
      string,
      string
    >[]) {
      const zh = await (await fetch(`${h.url}/food/01/${gtin(11)}/10/PROC-1`, { headers })).text();
      expect(zh).toContain('<html lang="zh-CN">');
      expect(zh).toContain('溯源旅程');
      expect(zh).toMatch(/区块 \d+/);
      expect(zh).not.toMatch(/Journey|Origin|Inspections|Not recalled|on chain|KGM|\d{4}-\d{2}-\d{2}T/);
    }
    const english = await (
      await fetch(`${h.url}/food/01/${gtin(11)}/10/PROC-1`, {
        headers: { 'accept-language': 'en-GB,en;q=0.9' },
      })
    ).text();
    expect(english).toContain('<html lang="en">');
  });

  it('answers a mistyped link with a page in the consumer’s language, never JSON', async () => {
    const wrong = `${gtin(11).slice(0, 13)}${(Number(gtin(11).at(-1)) + 1) % 10}`;
    for (const [path, zh, en] of [
      [`/food/01/${wrong}/10/PROC-1`, /校验位应为/, /check digit of GTIN/],
      [`/food/01/${gtin(11)}/10/PROC-1?lat=91&lng=0`, /纬度参数 lat/, /lat is a decimal number/],
      [`/food/01/${gtin(11)}/10/${'X'.repeat(21)}`, /批号应为 1–20 个字符/, /lot has 1–20 characters/],
    ] as const) {
      const res = await fetch(`${h.url}${path}`);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const page = await res.text();
      expect(page).toContain('<html lang="zh-CN">');
      expect(page).toMatch(zh);
      expect(page).not.toMatch(/\{"error"|bad_gs1_key/);
      const english = await (await fetch(`${h.url}${path}${path.includes('?') ? '&' : '?'}lang=en`)).text();
      expect(english).toMatch(en);
    }
  });

  it('says plainly that nothing is recorded for a made-up lot or serial, warns, and raises a counterfeit alert', async () => {
    // The GTIN is a registered product with events, the lot is invented.
    const res = await fetch(`${h.url}/food/01/${gtin(11)}/10/NO-SUCH-LOT`);
    expect(res.status).toBe(404);
    const page = await res.text();
    expect(page).toContain('id="unknown"');
    expect(page).toContain('未查到该编码的任何记录');
    expect(page).not.toMatch(/无召回|class="banner ok"|Not recalled/);
    const en = await (await fetch(`${h.url}/food/01/${gtin(11)}/21/NO-SUCH-SERIAL?lang=en`)).text();
    expect(en).toContain('Nothing is recorded for this code');
    await h.app.scansChecked();
    await h.caughtUp();
    const listed = await fetch(
      `${h.url}/food/api/trpc/alerts.list?input=${encodeURIComponent(JSON.stringify({ status: 'all' }))}`,
    );
    const alerts = ((await listed.json()) as { result: { data: { kind: string; subject: string }[] } }).result
      .data;
    expect(alerts).toContainEqual(
      expect.objectContaining({
        kind: 'unknown_code',
        subject: `https://id.gs1.org/01/${gtin(11)}/10/NO-SUCH-LOT`,
      }),
    );
  });
});
