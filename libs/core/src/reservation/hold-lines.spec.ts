import { bySku, linesAfterRelease, mergeLines, sameLines, unitsOfSku } from './hold-lines';

describe('hold lines', () => {
  describe(mergeLines.name, () => {
    it('should sum lines naming the same SKU into one', () => {
      expect(
        mergeLines([
          { sku: 'B', quantity: 2 },
          { sku: 'A', quantity: 1 },
          { sku: 'B', quantity: 3 },
          { sku: 'A', quantity: 4 },
        ]),
      ).toEqual([
        { sku: 'A', quantity: 5 },
        { sku: 'B', quantity: 5 },
      ]);
    });

    it('should order lines by SKU bytes: digits, then upper case, then "_", then lower case (PostgreSQL COLLATE "C")', () => {
      const skus = ['b-1', 'B-1', 'a', 'Za', 'Z_1', 'A', '9', 'A.1', 'A-1', 'Z'];
      expect(mergeLines(skus.map((sku) => ({ sku, quantity: 1 }))).map((line) => line.sku)).toEqual([
        '9',
        'A',
        'A-1',
        'A.1',
        'B-1',
        'Z',
        'Z_1',
        'Za',
        'a',
        'b-1',
      ]);
    });

    it('should leave its input as it was and give an empty list for no lines', () => {
      const input = [
        { sku: 'B', quantity: 1 },
        { sku: 'A', quantity: 1 },
      ];
      mergeLines(input);
      expect(input).toEqual([
        { sku: 'B', quantity: 1 },
        { sku: 'A', quantity: 1 },
      ]);
      expect(mergeLines([])).toEqual([]);
    });
  });

  it(`${bySku.name} should compare SKUs by their bytes`, () => {
    expect(bySku({ sku: 'A', quantity: 1 }, { sku: 'a', quantity: 1 })).toBeLessThan(0);
    expect(bySku({ sku: 'b', quantity: 1 }, { sku: 'B', quantity: 9 })).toBeGreaterThan(0);
    expect(bySku({ sku: 'A', quantity: 1 }, { sku: 'A', quantity: 2 })).toBe(0);
  });

  describe(sameLines.name, () => {
    it('should see the same cart in any order and however it is split', () => {
      expect(
        sameLines(
          [
            { sku: 'A', quantity: 2 },
            { sku: 'B', quantity: 1 },
          ],
          [
            { sku: 'B', quantity: 1 },
            { sku: 'A', quantity: 1 },
            { sku: 'A', quantity: 1 },
          ],
        ),
      ).toBe(true);
    });

    it('should tell another quantity, another SKU, a missing line or an extra line apart', () => {
      const cart = [
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 1 },
      ];
      expect(
        sameLines(cart, [
          { sku: 'A', quantity: 2 },
          { sku: 'B', quantity: 2 },
        ]),
      ).toBe(false);
      expect(
        sameLines(cart, [
          { sku: 'A', quantity: 2 },
          { sku: 'C', quantity: 1 },
        ]),
      ).toBe(false);
      expect(sameLines(cart, [{ sku: 'A', quantity: 2 }])).toBe(false);
      expect(sameLines(cart, [...cart, { sku: 'C', quantity: 1 }])).toBe(false);
      expect(sameLines([{ sku: 'A', quantity: 1 }], [{ sku: 'a', quantity: 1 }])).toBe(false);
    });
  });

  it(`${unitsOfSku.name} should count the units of one SKU, 0 when no line names it`, () => {
    const lines = [
      { sku: 'A', quantity: 2 },
      { sku: 'B', quantity: 1 },
      { sku: 'A', quantity: 3 },
    ];
    expect(unitsOfSku(lines, 'A')).toBe(5);
    expect(unitsOfSku(lines, 'C')).toBe(0);
  });

  describe(linesAfterRelease.name, () => {
    const held = [
      { sku: 'A', quantity: 3 },
      { sku: 'B', quantity: 1 },
      { sku: 'C', quantity: 2 },
    ];

    it('should shrink the lines released from', () => {
      expect(linesAfterRelease(held, [{ sku: 'A', quantity: 2 }])).toEqual({
        status: 'remaining',
        lines: [
          { sku: 'A', quantity: 1 },
          { sku: 'B', quantity: 1 },
          { sku: 'C', quantity: 2 },
        ],
      });
    });

    it('should drop a line released to zero, summing released lines of one SKU first', () => {
      expect(
        linesAfterRelease(held, [
          { sku: 'C', quantity: 1 },
          { sku: 'B', quantity: 1 },
          { sku: 'C', quantity: 1 },
        ]),
      ).toEqual({ status: 'remaining', lines: [{ sku: 'A', quantity: 3 }] });
    });

    it('should leave no lines when everything is released', () => {
      expect(linesAfterRelease(held, held)).toEqual({ status: 'remaining', lines: [] });
    });

    it('should name the first line (SKU byte order) that asks for more than is held, and take nothing', () => {
      expect(
        linesAfterRelease(held, [
          { sku: 'C', quantity: 3 },
          { sku: 'A', quantity: 2 },
          { sku: 'B', quantity: 1 },
          { sku: 'B', quantity: 1 },
        ]),
      ).toEqual({ status: 'exceeds', sku: 'B', held: 1, requested: 2 });
      expect(held).toEqual([
        { sku: 'A', quantity: 3 },
        { sku: 'B', quantity: 1 },
        { sku: 'C', quantity: 2 },
      ]);
    });

    it('should report a SKU the hold does not have as held 0', () => {
      expect(linesAfterRelease(held, [{ sku: 'D', quantity: 1 }])).toEqual({ status: 'exceeds', sku: 'D', held: 0, requested: 1 });
    });
  });
});
