// Figures: the Vega-Lite specs carry the numbers they draw, render headless to SVG and PNG, and a
// `display()` outside a notebook writes an SVG file. The package stays require()-able (tslab's cells
// are CommonJS): vega, vega-lite and resvg are only loaded when a figure is rendered.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  bouligand2009,
  CurieOptimiser,
  display,
  intervalMapChart,
  mapChart,
  misfitSurface,
  misfitSurfaceChart,
  posteriorChart,
  renderPng,
  renderSvg,
  spectrumChart,
  synthesiseAnomaly,
} from '../../dist/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const raster = synthesiseAnomaly({
  rows: 121,
  cols: 121,
  spacing: 1000,
  zt: 1,
  dz: 8,
  beta: 3,
  seed: 2,
  amplitudes: 'random',
});
const optimiser = CurieOptimiser.fromRaster(raster);
afterAll(() => optimiser.close());
const spectrum = optimiser.radialSpectrum(optimiser.subgrid(100e3, 60e3, 60e3));
const fit = optimiser.optimise(100e3, 60e3, 60e3);

type Layer = {
  data: { values: Array<Record<string, number | string | null>> };
  mark: unknown;
  encoding: Record<string, { title?: unknown }>;
};
const layers = (spec: Record<string, unknown>) => spec.layer as Layer[];

describe('spectrumChart', () => {
  it('draws every bin with its ±σ bar and the fit as Bouligand’s curve, axes titled with units', async () => {
    const spec = spectrumChart(spectrum, { fit });
    const [bars, points, curve] = layers(spec);
    expect(points.data.values.map((p) => p.k)).toEqual(Array.from(spectrum.k));
    // The default multitaper fit carries its spectral window's bias: the points are Φ less it.
    expect(bars.data.values[3].high).toBeCloseTo(spectrum.Phi[3] - fit.spectrumBias![3] + spectrum.sigmaPhi[3], 12);
    const first = curve.data.values[0],
      last = curve.data.values[curve.data.values.length - 1];
    expect(first.k).toBe(spectrum.k[0]);
    expect(first.Phi).toBe(bouligand2009([spectrum.k[0]], fit.beta, fit.zt, fit.dz, fit.C)[0]);
    expect(last.k).toBeCloseTo(spectrum.k[spectrum.k.length - 1], 12);
    const svg = await renderSvg(spec);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('wavenumber k (rad/km)');
    expect(svg).toContain('ln Φ');
  });
  it('takes a multitaper fit’s spectrumBias off the points: they show what the fit was made to', () => {
    const spectrumBias = Float64Array.from(spectrum.k, (_, i) => (i < 3 ? 0.05 * (3 - i) : 0));
    const [bars, points] = layers(
      spectrumChart(spectrum, { fit: { beta: fit.beta, zt: fit.zt, dz: fit.dz, C: fit.C, spectrumBias } }),
    );
    expect(points.data.values[0].Phi).toBeCloseTo(spectrum.Phi[0] - 0.15, 12);
    expect(bars.data.values[1].high).toBeCloseTo(spectrum.Phi[1] - 0.1 + spectrum.sigmaPhi[1], 12);
    expect(points.data.values[5].Phi).toBe(spectrum.Phi[5]);
  });
  it('σ of each mean on request; a spectrum without k is an E_ARGUMENT', () => {
    const [bars] = layers(spectrumChart(spectrum, { errors: 'sigmaMean' }));
    expect(bars.data.values[0].low).toBeCloseTo(spectrum.Phi[0] - spectrum.sigmaMean[0], 12);
    expect(() => spectrumChart({} as never)).toThrow(/spectrumChart needs a spectrum/);
  });
});

describe('mapChart and intervalMapChart', async () => {
  const { xc, yc } = optimiser.createCentroidList(60e3, { spacingX: 10e3, spacingY: 10e3 });
  const map = await optimiser.optimiseRoutine(60e3, xc, yc, { workers: 0 });
  it('one cell a window, centred on it in km, NaN left out, verdicts other than resolved marked', () => {
    const poisoned = { ...map, curieDepth: Float64Array.from(map.curieDepth, (v, i) => (i === 2 ? NaN : v)) };
    const spec = mapChart(poisoned, { x: xc, y: yc });
    const [cells, marks] = layers(spec);
    expect(cells.data.values.length).toBe(xc.length);
    const c = cells.data.values[5];
    expect(((c.x0 as number) + (c.x1 as number)) / 2).toBeCloseTo(xc[5] / 1000, 9);
    expect((c.x1 as number) - (c.x0 as number)).toBeCloseTo(10, 9);
    expect(cells.data.values[2].value).toBeNull();
    const unresolved = Array.from(map.verdict).filter((v) => v !== 0).length;
    if (unresolved > 0) expect(marks.data.values.length).toBe(unresolved);
    else expect(marks).toBeUndefined();
    expect(cells.encoding.x.title).toBe('x (km)');
    expect(cells.encoding.color.title).toBe('Curie depth (km)');
  });
  it('centres off a lattice (projected to longitude/latitude) are drawn as squares, not lost', () => {
    const lon = Array.from(xc, (x, i) => -44 + x / 111e3 + 1e-4 * Math.sin(i)),
      lat = Array.from(yc, (y) => -4 + y / 111e3);
    const [cells] = layers(mapChart(map, { x: lon, y: lat }));
    expect((cells.mark as { type: string }).type).toBe('square');
    expect(cells.data.values.length).toBe(xc.length);
    expect(cells.encoding.x.title).toBe('longitude (°)');
    expect((layers(mapChart(map, { x: xc, y: yc })).at(0)!.mark as { type: string }).type).toBe('rect');
  });
  it('colours saturate past the far outliers, however few windows: 30 depths near 10 km and one of 9000 km', () => {
    const depths = Float64Array.from({ length: 31 }, (_, i) => (i === 7 ? 9000 : 8 + (i % 5)));
    const x = Float64Array.from({ length: 31 }, (_, i) => 1000 * i),
      y = new Float64Array(31);
    const [cells] = layers(mapChart({ curieDepth: depths }, { x, y }));
    expect((cells.encoding.color as { scale: { domain: number[] } }).scale.domain).toEqual([8, 17]); // quartiles 9 and 11: the far fence is 11 + 3·2
  });
  it('a field the result lacks is an error naming the fields it has', () => {
    expect(() => mapChart(map, { x: xc, y: yc, field: 'depth' })).toThrow(
      /the map has no numeric field 'depth'; it has beta, zt, dz, C, curieDepth/,
    );
    expect(() => mapChart(map, { field: 'beta' })).toThrow(/needs the window centres/);
  });
  it('a raster is drawn node by node, every 2nd node past 200 a side', () => {
    expect(layers(mapChart(raster)).at(0)!.data.values.length).toBe(121 * 121);
    const big = synthesiseAnomaly({ rows: 305, cols: 305, spacing: 1000, zt: 1, dz: 8, beta: 3, seed: 2 });
    expect(layers(mapChart(big)).at(0)!.data.values.length).toBe(153 * 153);
  });
  it('intervals: low and high panels, open high ends outlined', () => {
    const spec = intervalMapChart(map, { x: xc, y: yc }) as { hconcat: Array<{ layer: Layer[] }> };
    const open = Array.from(map.curieDepthHigh).filter((v) => v === Infinity).length;
    expect(spec.hconcat[1].layer[0].data.values.filter((c) => c.value === null).length).toBe(
      open + Array.from(map.curieDepthHigh).filter((v) => Number.isNaN(v)).length,
    );
    if (open > 0) expect(spec.hconcat[1].layer[1].data.values.length).toBe(open);
  });
});

describe('misfitSurfaceChart and posteriorChart', () => {
  it('the surface is the lattice the global fit scans, drawn as misfit − minimum', () => {
    const surface = misfitSurface(spectrum, [undefined, undefined, undefined, undefined], {
      lower: [0, 0, 0, -Infinity],
      upper: [Infinity, Infinity, Infinity, Infinity],
    });
    expect(surface.misfit.length).toBe(surface.beta.length * surface.dz.length);
    // The global fit polishes the best node: its misfit is at or below the surface's minimum.
    expect(fit.misfit).toBeLessThanOrEqual(Math.min(...surface.misfit) + 1e-9);
    // Priors by name (an optimiser's priorPdf) give the same surface.
    expect(Array.from(misfitSurface(spectrum, optimiser.priorPdf, optimiser.bounds).misfit)).toEqual(
      Array.from(surface.misfit),
    );
    const [cells, best] = layers(misfitSurfaceChart(surface, { best: fit }));
    expect(Math.min(...cells.data.values.map((c) => c.value as number))).toBe(0);
    expect(best.data.values[0]).toMatchObject({ beta: fit.beta, dz: fit.dz });
  });
  it('posterior: a histogram a parameter, samples that ran off left out', () => {
    const samples = optimiser.sensitivity(100e3, 60e3, 60e3, 30, { seed: 1 });
    const spec = posteriorChart(samples) as { data: { values: unknown[] }; concat: unknown[] };
    expect(spec.concat.length).toBe(4);
    const finite = Array.from(samples.beta).filter((_, i) =>
      [samples.beta[i], samples.zt[i], samples.dz[i]].every(Number.isFinite),
    ).length;
    expect(spec.data.values.length).toBe(finite);
    expect(() => posteriorChart({} as never)).toThrow(/posteriorChart needs samples/);
  });
});

describe('rendering and display', () => {
  it('PNG: a PNG signature and the SVG size times the scale', async () => {
    const spec = spectrumChart(spectrum, { fit });
    const svg = await renderSvg(spec);
    const width = Number(/<svg[^>]*width="(\d+)"/.exec(svg)![1]);
    const png = await renderPng(spec, { scale: 1.5 });
    expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // IHDR width, big-endian at byte 16.
    expect(new DataView(png.buffer, png.byteOffset).getUint32(16)).toBe(Math.ceil(width * 1.5));
    await expect(renderPng(spec, { scale: 0 })).rejects.toThrow(/scale 0 must be a number in \(0, 16\]/);
  });
  it('display() outside a notebook writes the SVG and returns its path; a non-spec is a CurieError', async () => {
    const file = path.join(tmpdir(), `curie-plot-test-${process.pid}.svg`);
    try {
      expect(await display(spectrumChart(spectrum), { file })).toBe(file);
      expect(readFileSync(file, 'utf8')).toContain('wavenumber k (rad/km)');
    } finally {
      rmSync(file, { force: true });
    }
    await expect(display({ hello: 1 })).rejects.toMatchObject({ name: 'CurieError', code: 'E_ARGUMENT' });
  });
  it('require("curie-depth") works on this Node (tslab compiles cells to CommonJS)', () => {
    const out = execFileSync(
      process.execPath,
      [
        '-e',
        `const c = require(${JSON.stringify(path.join(root, 'dist/index.js'))}); console.log(typeof c.spectrumChart, typeof c.CurieOptimiser)`,
      ],
      { encoding: 'utf8' },
    );
    expect(out.trim()).toBe('function function');
  });
});
