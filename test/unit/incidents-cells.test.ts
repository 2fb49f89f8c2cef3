import { describe, expect, it } from 'vitest';
import { CELL_COLUMNS, cellOf, cellRanges, cellsOf } from '../../src/domain/incidents/cells.ts';

describe('map cells', () => {
  it('numbers 1-degree cells row by row from the south-west, the edges in the last row and column', () => {
    expect(cellOf(-90, -180)).toBe(0);
    expect(cellOf(-90, -179.5)).toBe(0);
    expect(cellOf(-89.5, -178.5)).toBe(1);
    expect(cellOf(-88.5, -178.5)).toBe(CELL_COLUMNS + 1);
    expect(cellOf(0, 0)).toBe(90 * 360 + 180);
    expect(cellOf(-0.0001, -0.0001)).toBe(89 * 360 + 179);
    expect(cellOf(90, 180)).toBe(179 * 360 + 359);
    expect(cellOf(30.512, 47.8)).toBe(120 * 360 + 227);
  });

  it('covers a box with runs of cells, one per row (two across the antimeridian), or gives up', () => {
    expect(cellRanges([47.6, 30.3, 48.0, 30.7], 10)).toEqual([[cellOf(30.3, 47.6), cellOf(30.3, 48.0)]]);
    const box = [44, 29, 49, 34] as [number, number, number, number];
    const ranges = cellRanges(box, 100)!;
    expect(ranges).toHaveLength(6);
    const cells = cellsOf(ranges);
    expect(cells).toHaveLength(36);
    // Every point of the box is in one of its cells.
    for (let lat = 29; lat <= 34; lat += 0.25) {
      for (let lon = 44; lon <= 49; lon += 0.25) expect(cells).toContain(cellOf(lat, lon));
    }
    expect(cellRanges(box, 35)).toBeNull();
    // Across the antimeridian: east of 179 and west of -179.
    const fiji = cellRanges([179, -17, -179, -16], 10)!;
    expect(cellsOf(fiji).sort((a, b) => a - b)).toEqual(
      [
        cellOf(-17, 179),
        cellOf(-17, -180),
        cellOf(-17, -179),
        cellOf(-16, 179),
        cellOf(-16, -180),
        cellOf(-16, -179),
      ].sort((a, b) => a - b),
    );
    expect(cellRanges([-180, -90, 180, 90], 256)).toBeNull();
  });
});
