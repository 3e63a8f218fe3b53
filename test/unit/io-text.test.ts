import { describe, expect, it } from 'vitest';
import { CurieError } from '../../src/errors.js';
import { parseXYZ } from '../../src/io/text.js';

/** Lines `x y value` of a lattice, value = 10·row + col (row follows y, col follows x). */
function latticeLines(xs: number[], ys: number[], separator = ' '): string[] {
  const lines: string[] = [];
  xs.forEach((x, col) => ys.forEach((y, row) => lines.push([x, y, 10 * row + col].join(separator))));
  return lines;
}

/** Deterministic shuffle (a fixed permutation), so a failure is reproducible. */
function shuffled<T>(items: T[]): T[] {
  const out = items.slice();
  let state = 12345;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function rows(raster: ReturnType<typeof parseXYZ>): number[][] {
  const [ny, nx] = raster.data.shape;
  return Array.from({ length: ny }, (_, r) => Array.from({ length: nx }, (_, c) => raster.data.get(r, c)));
}

/** The CurieError thrown by `run` (fails the test if nothing or something else is thrown). */
function caught(run: () => unknown): CurieError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CurieError);
    return error as CurieError;
  }
  throw new Error('expected a CurieError');
}

describe('parseXYZ', () => {
  const xs = [0, 1000, 2000, 3000];
  const ys = [500, 1500, 2500];

  it('places shuffled points by coordinate, row 0 = smallest y', () => {
    const raster = parseXYZ(shuffled(latticeLines(xs, ys)).join('\n'));
    expect(raster.data.shape).toEqual([3, 4]);
    expect([raster.xmin, raster.xmax, raster.ymin, raster.ymax]).toEqual([0, 3000, 500, 2500]);
    expect(rows(raster)).toEqual([
      [0, 1, 2, 3],
      [10, 11, 12, 13],
      [20, 21, 22, 23],
    ]);
    expect(raster.crs).toBeUndefined();
    // On shared memory: a parallel map gives the loaded grid to workers without a copy.
    expect(raster.data.data.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('accepts commas, tabs, mixed runs, CRLF, a header, comments and blank lines', () => {
    const body = latticeLines(xs, ys, ', ');
    body[3] = body[3].replace(/, /g, '\t');
    body[5] = body[5].replace(/, /g, ' ,\t ');
    const text = ['# made by hand', 'x,y,anomaly', '', ...body.slice(0, 6), '   ', '# more', ...body.slice(6), ''].join(
      '\r\n',
    );
    const raster = parseXYZ(text);
    expect(rows(raster)[2]).toEqual([20, 21, 22, 23]);
    expect(raster.xmax).toBe(3000);
  });

  it('reads nan/NaN values as NaN', () => {
    const lines = latticeLines([0, 1], [0, 1]);
    lines[0] = '0 0 nan';
    lines[3] = '1 1 NaN';
    const data = rows(parseXYZ(lines.join('\n')));
    expect(data[0][0]).toBeNaN();
    expect(data[1][1]).toBeNaN();
    expect(data[1][0]).toBe(10);
    expect(data[0][1]).toBe(1);
  });

  it('accepts float32 noise in the coordinates and keeps the file min/max as the extent', () => {
    // EMAG2-style: -44.95 written from float32 as -44.9500008.
    const xs32 = [-45, -44.95, -44.9, -44.85].map((v) => Math.fround(v).toPrecision(9));
    const ys32 = [-4.5, -4.45, -4.4].map((v) => Math.fround(v).toPrecision(9));
    expect(xs32[1]).toBe('-44.9500008');
    const lines: string[] = [];
    ys32.forEach((y, row) => xs32.forEach((x, col) => lines.push(`  ${x}  ${y}  ${10 * row + col}`)));
    const raster = parseXYZ(lines.reverse().join('\n'));
    expect(raster.data.shape).toEqual([3, 4]);
    expect(raster.xmin).toBe(-45);
    expect(raster.xmax).toBe(Number(xs32[3]));
    expect(raster.ymin).toBe(-4.5);
    expect(raster.ymax).toBe(Number(ys32[2]));
    expect(rows(raster)[1]).toEqual([10, 11, 12, 13]);
  });

  it('rejects a point off the lattice, naming the line and the value', () => {
    const lines = latticeLines(xs, ys);
    lines[7] = lines[7].replace(/^2000 /, '2005.3 ');
    const error = caught(() => parseXYZ(['x y z', ...lines].join('\n'), 'survey.xyz'));
    expect(error.code).toBe('E_LATTICE');
    expect(error.message).toBe(
      'survey.xyz: line 9: x = 2005.3 is not on the 1000-spaced lattice starting at 0; text grids must be regular',
    );
  });

  it('names the stray point, not a good one, when it lies beyond the last column', () => {
    const lines = latticeLines([0, 1000, 2000], ys);
    lines.push('2500 1500 99');
    const error = caught(() => parseXYZ(lines.join('\n'), 'survey.xyz'));
    expect(error.code).toBe('E_LATTICE');
    expect(error.message).toBe(
      'survey.xyz: line 10: x = 2500 is not on the 1000-spaced lattice starting at 0; text grids must be regular',
    );
  });

  it('rejects a missing node, naming its coordinates', () => {
    const lines = latticeLines(xs, ys).filter((line) => line !== '1000 1500 11');
    const error = caught(() => parseXYZ(lines.join('\n')));
    expect(error.code).toBe('E_LATTICE');
    expect(error.message).toContain('no point for node x = 1000, y = 1500');
    expect(error.message).toContain('4 × 3 lattice');
  });

  it('rejects a repeated node, naming both lines', () => {
    const lines = latticeLines(xs, ys);
    lines[11] = lines[4].replace(/ \S+$/, ' 99'); // same node as line 5, replacing the last node
    const error = caught(() => parseXYZ(lines.join('\n')));
    expect(error.code).toBe('E_LATTICE');
    expect(error.message).toMatch(/^text grid: line 12: node x = 1000, y = 1500 repeats line 5;/);
  });

  it('rejects a non-numeric value or coordinate with E_FORMAT and the line number', () => {
    const lines = latticeLines(xs, ys);
    const badValue = lines.slice();
    badValue[4] = '1000 1500 n/a';
    const valueError = caught(() => parseXYZ(badValue.join('\n'), 'a.txt'));
    expect(valueError.code).toBe('E_FORMAT');
    expect(valueError.message).toMatch(/^a\.txt: line 5: value = "n\/a" is not a number/);

    const badX = lines.slice();
    badX[2] = 'abc 2500 3';
    const xError = caught(() => parseXYZ(badX.join('\n'), 'a.txt'));
    expect(xError.code).toBe('E_FORMAT');
    expect(xError.message).toBe('a.txt: line 3: x = "abc" is not a finite number');
  });

  it('rejects lines without exactly three columns', () => {
    const lines = latticeLines(xs, ys);
    lines[1] = '0 1500';
    const error = caught(() => parseXYZ(lines.join('\n')));
    expect(error.code).toBe('E_FORMAT');
    expect(error.message).toContain('line 2: expected 3 columns (x y value), found 2 in "0 1500"');
  });

  it('rejects text without data, and a single column of x', () => {
    expect(caught(() => parseXYZ('# nothing\nx y z\n')).code).toBe('E_FORMAT');
    const single = caught(() => parseXYZ('5 0 1\n5 1 2\n5 2 3'));
    expect(single.code).toBe('E_LATTICE');
    expect(single.message).toContain('every point has x = 5');
  });
});

describe('parseXYZ: a stray point is blamed on its own line', () => {
  const lattice = (stray: string, at: number) => {
    const lines = [
      'x y value',
      ...Array.from({ length: 100 }, (_, k) => `${(k % 10) * 1000} ${Math.floor(k / 10) * 1000} ${k}`),
    ];
    lines.splice(at - 1, 0, stray);
    return `${lines.join('\n')}\n`;
  };
  it('far off in x (line 58) or in y (line 3), whichever end', () => {
    for (const [stray, at, message] of [
      [
        '9000000 5000 3',
        58,
        /grid: line 58: x = 9000000 is 8991000 away from the other points, whose x runs 0 … 9000 every 1000; fix or remove that line/,
      ],
      [
        '0 -7000000 1',
        3,
        /grid: line 3: y = -7000000 is 7000000 away from the other points, whose y runs 0 … 9000 every 1000/,
      ],
    ] as const) {
      let error: unknown;
      try {
        parseXYZ(lattice(stray, at), 'grid');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CurieError);
      expect((error as CurieError).code).toBe('E_LATTICE');
      expect((error as CurieError).message).toMatch(message);
    }
  });
});

describe('parseXYZ: columns of x, y and the value', () => {
  const text = `id x y other value\n${Array.from({ length: 12 }, (_, k) => `${k} ${(k % 4) * 500} ${Math.floor(k / 4) * 500} -1 ${k * 1.5}`).join('\n')}\n`;
  it('reads x, y, value from columns 2, 3, 5 of a 5-column file', () => {
    const raster = parseXYZ(text, 'five', { columns: [2, 3, 5] });
    expect(raster.data.shape).toEqual([3, 4]);
    expect([raster.xmin, raster.xmax, raster.ymin, raster.ymax]).toEqual([0, 1500, 0, 1000]);
    expect(raster.data.get(2, 3)).toBe(11 * 1.5);
  });
  it('without columns a 5-column line is an error that says how to choose them; bad columns name the value', () => {
    expect(() => parseXYZ(text, 'five')).toThrow(
      /five: line 2: expected 3 columns \(x y value\), found 5 in "0 0 0 -1 0"; choose the columns of x, y and the value/,
    );
    expect(() => parseXYZ(text, 'five', { columns: [2, 3, 9] })).toThrow(
      /line 2: expected at least 9 columns \(x, y, value in columns 2, 3, 9\), found 5/,
    );
    expect(() => parseXYZ(text, 'five', { columns: [0, 3, 5] })).toThrow(
      /columns \[0,3,5\] must be three column numbers from 1/,
    );
  });
});
