import { describe, expect, it } from 'vitest';
import {
  BOULIGAND_FIELDS,
  TANAKA_FIELDS,
  csvField,
  csvHeader,
  csvRow,
  formatNumber,
  jsonDocument,
  jsonDocumentParts,
  ndjsonLine,
} from '../../src/io/write-table.js';

describe('formatNumber', () => {
  it('writes the shortest decimal that reads back as the same double', () => {
    expect(formatNumber(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(formatNumber(1e21)).toBe('1e+21');
    expect(formatNumber(1e-7)).toBe('1e-7');
    expect(formatNumber(123456)).toBe('123456');
    expect(formatNumber(-42)).toBe('-42');
    expect(formatNumber(500000.5)).toBe('500000.5');
    expect(formatNumber(Number.MAX_VALUE)).toBe('1.7976931348623157e+308');
    expect(formatNumber(5e-324)).toBe('5e-324');
    for (const v of [Math.PI, -Math.E / 3, 1 / 3, 9_504_500.123456789, 2 ** 53 + 2]) {
      expect(Number(formatNumber(v))).toBe(v);
    }
  });

  it('writes -0 as "0" (as String and JSON.stringify do)', () => {
    expect(formatNumber(-0)).toBe('0');
  });

  it('writes NaN as an empty string and ±Infinity as inf and -inf (an open interval end)', () => {
    expect(formatNumber(NaN)).toBe('');
    expect(formatNumber(Infinity)).toBe('inf');
    expect(formatNumber(-Infinity)).toBe('-inf');
  });
});

describe('CSV', () => {
  it('has the field lists of the issue', () => {
    expect(csvHeader(BOULIGAND_FIELDS)).toBe(
      'x,y,beta,zt,dz,C,curie_depth,curie_depth_low,curie_depth_high,verdict,misfit,status,message\n',
    );
    expect(csvHeader(TANAKA_FIELDS)).toBe('x,y,Ztr,dZtr,Zor,dZor,curie_depth,curie_depth_error,status,message\n');
  });

  it('writes numbers, NaN as an empty field and an empty message as an empty field', () => {
    expect(csvRow([500000, 9504000, 0.1 + 0.2, NaN, -0, 1e21, 'x', null, undefined, ''])).toBe(
      '500000,9504000,0.30000000000000004,,0,1e+21,x,,,\n',
    );
    expect(csvRow([1, 2, NaN, NaN, NaN, NaN, NaN, NaN, 2, 'window does not fit'])).toBe(
      '1,2,,,,,,,2,window does not fit\n',
    );
  });

  it('quotes fields with a comma, a quote, CR or LF (RFC 4180), doubling quotes', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line1\nline2')).toBe('"line1\nline2"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField('"')).toBe('""""');
    expect(csvField('plain text; with: punctuation')).toBe('plain text; with: punctuation');
    expect(csvField(' spaced ')).toBe(' spaced ');
    expect(csvField('')).toBe('');
    expect(csvRow([1, 'window 200000 m at (1, 2), "outside"'])).toBe('1,"window 200000 m at (1, 2), ""outside"""\n');
  });
});

describe('NDJSON and JSON', () => {
  it('writes one object per line, NaN and ±Infinity as null, -0 as 0', () => {
    expect(
      ndjsonLine({ x: 1.5, y: -0, beta: NaN, zt: Infinity, dz: -Infinity, C: 0.1 + 0.2, status: 0, message: '' }),
    ).toBe('{"x":1.5,"y":0,"beta":null,"zt":null,"dz":null,"C":0.30000000000000004,"status":0,"message":""}\n');
  });

  it('keeps a message with line breaks and quotes on one line', () => {
    const line = ndjsonLine({ message: 'a "b"\nc', misfit: null });
    expect(line).toBe('{"message":"a \\"b\\"\\nc","misfit":null}\n');
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(JSON.parse(line)).toEqual({ message: 'a "b"\nc', misfit: null });
  });

  it('writes a JSON document with metadata and one window per line', () => {
    const text = jsonDocument({ method: 'bouligand', window: 200000, bad: NaN }, [
      { x: 1, y: 2, curie_depth: 30.5, message: '' },
      { x: 3, y: 2, curie_depth: NaN, message: 'failed' },
    ]);
    expect(text).toBe(
      '{\n  "metadata": {\n    "method": "bouligand",\n    "window": 200000,\n    "bad": null\n  },\n' +
        '  "windows": [\n    {"x":1,"y":2,"curie_depth":30.5,"message":""},\n    {"x":3,"y":2,"curie_depth":null,"message":"failed"}\n  ]\n}\n',
    );
    expect(JSON.parse(text).windows[1].curie_depth).toBeNull();
    expect(JSON.parse(jsonDocument({}, []))).toEqual({ metadata: {}, windows: [] });
  });

  it('comes in parts of at most perPart windows that join into the same text', () => {
    const windows = Array.from({ length: 7 }, (_, i) => ({
      x: i,
      y: -i,
      curie_depth: i === 3 ? NaN : i / 3,
      message: i === 5 ? 'a "quoted"\nline' : '',
    }));
    for (const count of [0, 1, 3, 7]) {
      const parts = Array.from(jsonDocumentParts({ method: 'tanaka' }, windows.slice(0, count), 3));
      expect(parts.join('')).toBe(jsonDocument({ method: 'tanaka' }, windows.slice(0, count)));
      expect(parts).toHaveLength(count === 0 ? 1 : 2 + Math.ceil(count / 3));
    }
  });
});
