import { describe, expect, it } from 'vitest';
import { runConformance, SECTIONS } from './conformance';
import vectors from './vectors/iscc-core-data.json' with { type: 'json' };

describe('ISO 24138 conformance vectors (iscc-core data.json)', async () => {
  const results = await runConformance(vectors as never);

  it('covers every Text, Image, Data and Instance vector of the file', () => {
    const expected = SECTIONS.reduce((n, s) => n + Object.keys((vectors as never)[s]).length, 0);
    expect(results).toHaveLength(expected);
    expect(expected).toBe(15);
  });

  for (const r of results) {
    it(`${r.section} ${r.name}`, () => {
      expect(r.actual).toEqual(r.expected);
    });
  }
});
