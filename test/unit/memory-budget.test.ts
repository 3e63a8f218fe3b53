import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { CurieOptimiser } from '../../src/CurieOptimiser.js';
import { CurieError } from '../../src/errors.js';
import { createCentroidList } from '../../src/grid/windows.js';
import { gridGeometry } from '../../src/grid/geometry.js';
import { readGeoTiff } from '../../src/io/geotiff.js';
import { loadGrid, readGridStream } from '../../src/io/load.js';
import { gridScattered } from '../../src/grid/scattered.js';
import { parseXYZ, parseXYZBytes, readPoints, XyzPointReader } from '../../src/io/text.js';
import { maxMemory, parseMemorySize, setMaxMemory } from '../../src/memory-budget.js';
import { workerCount } from '../../src/parallel/pool.js';
import { azimuthalSpectrum } from '../../src/spectrum/azimuthal.js';
import { synthesiseAnomaly } from '../../src/synthetic/synthesise.js';
import { expectCurieError } from '../helpers/errors.js';
import { handMadeTiff, type TiffEntry } from '../helpers/tiff.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = join(root, 'dist/cli/main.js');

afterEach(() => setMaxMemory(undefined));

async function rejection(promise: Promise<unknown>): Promise<CurieError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CurieError);
  expect((error as CurieError).message).not.toContain('\n');
  return error as CurieError;
}

/**
 * A little-endian tiled Float32 TIFF written by hand: one tile of `tile × tile` pixels holding
 * `block` (compressed as `compression` says), whatever `width × height` the header claims.
 */
function tiledTiff(width: number, height: number, tile: number, compression: number, block: Uint8Array): Uint8Array {
  const entries: TiffEntry[] = [
    [256, 4, width],
    [257, 4, height],
    [258, 3, 32],
    [259, 3, compression],
    [262, 3, 1],
    [277, 3, 1],
    [284, 3, 1],
    [322, 4, tile],
    [323, 4, tile],
    [324, 4, 0], // TileOffsets
    [325, 4, block.length],
    [339, 3, 3], // SampleFormat: float
  ];
  return handMadeTiff(entries, block, 324);
}

describe('the memory budget', () => {
  it('parses sizes in decimal and binary units and refuses anything else', () => {
    expect(parseMemorySize('4GB')).toBe(4e9);
    expect(parseMemorySize('512MiB')).toBe(512 * 2 ** 20);
    expect(parseMemorySize('1.5g')).toBe(1.5e9);
    expect(parseMemorySize('20000000')).toBe(2e7);
    for (const bad of ['abc', '4 GBs', '-1GB', '10kB', ''])
      expectCurieError(() => parseMemorySize(bad), 'E_ARGUMENT', `--max-memory '${bad}' must be a memory size`);
  });

  it('defaults to half the machine memory; setMaxMemory and CURIE_MAX_MEMORY change it', () => {
    expect(maxMemory()).toBe(Math.floor(os.totalmem() / 2));
    setMaxMemory(3e9);
    expect(maxMemory()).toBe(3e9);
    expect(process.env.CURIE_MAX_MEMORY).toBe('3000000000'); // worker threads inherit it
    setMaxMemory(undefined);
    expect(maxMemory()).toBe(Math.floor(os.totalmem() / 2));
  });
});

describe('inputs that imply huge allocations are refused before allocating', () => {
  it('a TIFF header claiming 1e6 × 1e6 pixels', async () => {
    const error = await rejection(
      readGeoTiff(tiledTiff(1_000_000, 1_000_000, 1_048_576, 1, new Uint8Array(16)), 'huge.tif'),
    );
    expect(error.code).toBe('E_MEMORY');
    expect(error.message).toMatch(
      /^reading the 1000000 × 1000000 raster of huge\.tif \(blocks 1048576 × 1048576, 1 band\) needs 16\.4 TB, over the memory budget of [\d.]+ [GMT]B; crop it first/,
    );
  });

  it('a DEFLATE or PackBits block that inflates past its tile size, without inflating it all', async () => {
    // 16 × 16 Float32 pixels: 1024 bytes. The DEFLATE block inflates to 20 MB; the PackBits one to 1.3 MB.
    const bomb = deflateSync(new Uint8Array(20e6));
    let error = await rejection(readGeoTiff(tiledTiff(16, 16, 16, 8, bomb), 'bomb.tif'));
    expect(error.code).toBe('E_FORMAT');
    expect(error.message).toContain(
      "bomb.tif is truncated or not a readable GeoTIFF (DEFLATE data decodes to more than the block's 1024 bytes)",
    );
    const runs = new Uint8Array(20_000).map((_, i) => (i % 2 === 0 ? 0x81 : 7)); // 10 000 runs of 128 bytes
    error = await rejection(readGeoTiff(tiledTiff(16, 16, 16, 32773, runs), 'runs.tif'));
    expect(error.message).toContain("PackBits data decodes to more than the block's 1024 bytes");
  });

  it('decodes a well-formed DEFLATE and PackBits tile', async () => {
    const values = new Float32Array(256).map((_, i) => i - 100);
    const raw = new Uint8Array(values.buffer);
    const packBits = new Uint8Array(
      Array.from({ length: 8 }, (_, run) => [127, ...raw.subarray(run * 128, run * 128 + 128)]).flat(),
    );
    for (const [compression, block] of [
      [8, deflateSync(raw)],
      [32773, packBits],
    ] as const) {
      const raster = await readGeoTiff(tiledTiff(16, 16, 16, compression, block));
      expect(Array.from(raster.data.data.subarray(0, 3))).toEqual([-100, -99, -98]);
      expect(raster.data.data[255]).toBe(155);
    }
  });

  it('text grids: a lattice implied by a stray point, and points past the budget', () => {
    // A diagonal of 3e5 points 1 m apart: its extent and spacing imply a 3e5 × 3e5 lattice (9e10
    // nodes, 1 TB of tables), refused without allocating them.
    const diagonal = Array.from({ length: 3e5 }, (_, i) => `${i} ${i} 1\n`).join('');
    expectCurieError(
      () => parseXYZ(diagonal, 'diagonal.xyz'),
      'E_LATTICE',
      'diagonal.xyz: 300000 points cannot fill the 300000 × 300000 lattice (spacing 1 × 1)',
    );
    setMaxMemory(2e6);
    const lines = Array.from({ length: 300 * 300 }, (_, i) => `${i % 300} ${Math.floor(i / 300)} 1`).join('\n');
    expectCurieError(
      () => parseXYZBytes(new TextEncoder().encode(lines), 'big.xyz'),
      'E_MEMORY',
      'of big.xyz needs',
      'over the memory budget of 2 MB; crop or thin the input, or raise --max-memory',
    );
  });

  it('synthesiseAnomaly sizes, createCentroidList spacings, nsim and azimuth steps', () => {
    expectCurieError(
      () => synthesiseAnomaly({ rows: 1e6, cols: 1e6, spacing: 1000, zt: 1, dz: 10, beta: 3, seed: 1 }),
      'E_MEMORY',
      'synthesising a 1000000 × 1000000 grid needs 48 TB',
      'use fewer rows or columns',
    );
    // The layered model's work grows with dz/spacing: 1e6 km would take hours.
    expectCurieError(
      () =>
        synthesiseAnomaly({ rows: 64, cols: 64, spacing: 1000, zt: 1, dz: 1e6, beta: 3, seed: 1, method: 'layered' }),
      'E_ARGUMENT',
      "dz = 1000000 km is 1000000 slabs of the 1000 m spacing, more than 4 × the grid's side of 64 nodes",
      'use dz ≤ 256 km',
    );
    expect(
      synthesiseAnomaly({
        rows: 8,
        cols: 8,
        spacing: 1000,
        zt: 1,
        dz: 32,
        beta: 3,
        seed: 1,
        method: 'layered',
      }).data.data.every(Number.isFinite),
    ).toBe(true);
    const geometry = gridGeometry(101, 101, 0, 100e3, 0, 100e3);
    expectCurieError(
      () => createCentroidList(geometry, 20e3, { spacingX: 1e-2, spacingY: 1e-2 }),
      'E_MEMORY',
      'createCentroidList: 8000000 × 8000000 window centres needs 1.02 PB',
    );
    expectCurieError(
      () => createCentroidList(geometry, 20e3, { spacingX: 1e-9 }),
      'E_MEMORY',
      'createCentroidList with spacingX 1e-9 m (80000000000000 centres along x)',
    );

    const raster = synthesiseAnomaly({ rows: 41, cols: 41, spacing: 1000, zt: 1, dz: 10, beta: 3, seed: 1 });
    const optimiser = CurieOptimiser.fromRaster(raster);
    expectCurieError(
      () => optimiser.metropolisHastings(20e3, 20500, 20500, 1e12, 0),
      'E_MEMORY',
      'nsim = 1000000000000 samples needs 96 TB',
      'use a smaller nsim',
    );
    expectCurieError(() => optimiser.sensitivity(20e3, 20500, 20500, 1e12), 'E_MEMORY', 'nsim = 1000000000000 samples');
    expectCurieError(
      () => optimiser.metropolisHastings(20e3, 20500, 20500, 10, 1e12),
      'E_ARGUMENT',
      'burnin = 1000000000000 exceeds 100000000 steps',
    );
    const window = optimiser.subgrid(20e3, 20500, 20500);
    expectCurieError(
      () => azimuthalSpectrum(window, 1000, { theta: 1e-9 }),
      'E_MEMORY',
      'azimuthalSpectrum with theta = 1e-9° (180000000000 angles of a 21-node window)',
      'use a larger theta',
    );
  });

  it('a map of more windows than the budget holds', async () => {
    setMaxMemory(1e6);
    const optimiser = CurieOptimiser.fromRaster(
      synthesiseAnomaly({ rows: 41, cols: 41, spacing: 1000, zt: 1, dz: 10, beta: 3, seed: 1 }),
    );
    const xc = new Float64Array(10_000).fill(20500);
    const error = await rejection(optimiser.optimiseRoutine(20e3, xc, xc, { workers: 0 }));
    expect(error.code).toBe('E_MEMORY');
    expect(error.message).toContain('a optimise map of 10000 windows needs 2.56 MB, over the memory budget of 1 MB');
  });
});

describe('files', () => {
  it('a regular file larger than the budget is refused before reading, a device is read up to it', async () => {
    setMaxMemory(2e6);
    const dir = mkdtempSync(join(os.tmpdir(), 'curie-budget-'));
    try {
      const path = join(dir, 'large.xyz');
      writeFileSync(path, new Uint8Array(3e6).fill(0x20));
      let error = await rejection(loadGrid(path));
      expect(error.message).toBe(
        `reading ${path} needs 3 MB, over the memory budget of 2 MB; crop it first, or raise --max-memory (library: setMaxMemory)`,
      );
      error = await rejection(loadGrid('/dev/zero'));
      expect(error.code).toBe('E_MEMORY');
      expect(error.message).toMatch(
        /^\/dev\/zero \(read so far, held twice while joined\) needs 2(\.\d+)? MB, over the memory budget of 2 MB/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gridScattered onto a raster larger than the budget', () => {
    setMaxMemory(1e6);
    const points = { x: [0, 1, 0], y: [0, 0, 1], values: [1, 2, 3] };
    expectCurieError(
      () => gridScattered(points, { extent: [0, 1, 0, 1], spacing: 1e-3 }),
      'E_MEMORY',
      'a 1001 × 1001 output raster needs 16 MB',
    );
  });
});

describe('worker threads', () => {
  it('are clamped to the machine parallelism with a CURIE_WORKERS warning', async () => {
    const warnings: Array<{ code?: string; message: string }> = [];
    const listener = (warning: Error & { code?: string }) => warnings.push(warning);
    process.on('warning', listener);
    try {
      expect(workerCount(1000)).toBe(os.availableParallelism());
      expect(workerCount(0)).toBe(0);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', listener);
    }
    const clamped = warnings.filter((w) => w.code === 'CURIE_WORKERS');
    expect(clamped).toHaveLength(1);
    expect(clamped[0].message).toBe(
      `workers = 1000 is more than this machine's ${os.availableParallelism()} cores; using ${os.availableParallelism()}`,
    );
  });
});

describe('the text parser, chunk by chunk', () => {
  // Comments, a header, CRLF, blank lines, NaN, commas, tabs, a BOM and multi-byte characters.
  const text =
    '\uFEFF# grid of températures µT\r\nx,y,value\r\n' +
    Array.from({ length: 400 }, (_, i) => {
      const x = (i % 20) * 0.25 - 44.95,
        y = Math.floor(i / 20) * 0.5 + 1e-7;
      return i === 37 ? `${x}\t${y}\tnan\r\n\n# µ\n` : `${x} ${y},${Math.sin(i) * 1e3}\n`;
    }).join('');
  const bytes = new TextEncoder().encode(text);

  function chunked(input: Uint8Array, seed: number) {
    const reader = new XyzPointReader('chunks.xyz');
    let state = seed;
    for (let at = 0; at < input.length;) {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      const size = 1 + (state % 23); // cuts mid-line, mid-number and mid-character
      reader.push(input.subarray(at, at + size));
      at += size;
    }
    return reader.finish();
  }

  it('gives the points, lines and raster of the whole text at any chunk boundaries', () => {
    const whole = readPoints(new TextDecoder().decode(bytes), 'chunks.xyz');
    for (const seed of [1, 2, 3]) {
      const points = chunked(bytes, seed);
      expect(points.count).toBe(400);
      for (const key of ['x', 'y', 'value', 'line'] as const)
        expect(Array.from(points[key].subarray(0, 400))).toEqual(Array.from(whole[key].subarray(0, 400)));
    }
    const raster = parseXYZBytes(bytes, 'chunks.xyz');
    expect(Array.from(raster.data.data)).toEqual(
      Array.from(parseXYZ(new TextDecoder().decode(bytes), 'chunks.xyz').data.data),
    );
    expect(raster.data.shape).toEqual([20, 20]);
  });

  it('names the same line in its errors', () => {
    const bad = new TextEncoder().encode(text.replace('\n', '\n0 1 2 3\n').replace(/\n([^\n]*)\n$/, '\n$1 é\n'));
    const wholeMessage = (() => {
      try {
        readPoints(new TextDecoder().decode(bad), 'chunks.xyz');
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(wholeMessage).toBe(
      'chunks.xyz: line 2: expected 3 columns (x y value), found 4 in "0 1 2 3"; choose the columns of x, y and the value (columns option, --columns)',
    );
    for (const seed of [4, 5]) expect(() => chunked(bad, seed)).toThrow(wholeMessage);
  });
});

/** Run a shell pipeline into the built CLI; its exit code and stderr. */
function pipeline(script: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn('sh', ['-c', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stderr }));
  });
}

describe('standard input', () => {
  const curie = `"${process.execPath}" "${CLI}"`;

  it('an endless standard input ends with the budget error, quickly; an endless bad one at its first bad line', async () => {
    expect(existsSync(CLI)).toBe(true);
    const started = Date.now();
    let result = await pipeline(`yes '1 2 3' | ${curie} map - --window 10km --max-memory 20MB`);
    expect(result.stderr).toBe(
      'curie: reading 524288 points of standard input needs 21 MB, over the memory budget of 20 MB; crop or thin the input, or raise --max-memory (library: setMaxMemory)\n',
    );
    expect(result.code).toBe(1);
    result = await pipeline(`yes | ${curie} map - --window 10km`); // the default budget: the text is parsed as it arrives
    expect(result.stderr).toBe('curie: standard input: line 2: expected 3 columns (x y value), found 1 in "y"\n');
    expect(result.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a stream is read within the budget, twice its bytes while they are joined', async () => {
    setMaxMemory(2e6);
    const error = await rejection(
      readGridStream(Readable.from([new Uint8Array(600_000), new Uint8Array(600_000)]), 'a pipe'),
    );
    expect(error.message).toBe(
      'a pipe (read so far, held twice while joined) needs 2.4 MB, over the memory budget of 2 MB; write the grid to a regular file and crop it, or raise --max-memory (library: setMaxMemory)',
    );
  });

  it('a GeoTIFF or a short text on a stream is read as from a file', async () => {
    const values = new Float32Array(256).map((_, i) => i);
    const tiff = tiledTiff(16, 16, 16, 8, deflateSync(new Uint8Array(values.buffer)));
    const { raster } = await readGridStream(Readable.from([tiff.subarray(0, 100), tiff.subarray(100)]), 'a pipe');
    expect(Array.from(raster.data.data)).toEqual(Array.from((await readGeoTiff(tiff)).data.data));
    const text = await readGridStream(Readable.from([Buffer.from('0 0 1\n1 0 2\n0 1 3\n1 1 4\n')]), 'a pipe');
    expect(Array.from(text.raster.data.data)).toEqual([1, 2, 3, 4]);
  });
});
