/**
 * The Curie-depth explorer page: load a grid, point at a window, click to see its radial spectrum,
 * fit, intervals and verdict, and map every window in Web Workers. All numbers come from the
 * library's own functions (the single-window ones for a click, the batch runner of `curie map`'s
 * workers for the map), so they equal `CurieOptimiser.optimise` and `curie map`'s. Units: metres
 * for coordinates and windows (km in the controls), depths in km.
 */
import vegaEmbed from 'vega-embed';

import { gridGeometry } from '../grid/geometry.js';
import { createCentroidList, windowHalfWidth } from '../grid/windows.js';
import { isTiff, readGeoTiff } from '../io/geotiff.js';
import { isNetcdf, readNetcdf } from '../io/netcdf.js';
import { toLonLat } from '../io/crs.js';
import { parseXYZBytes } from '../io/text.js';
import type { Raster } from '../io/raster.js';
import { csvHeader, csvRow, type TableRecord } from '../io/write-table.js';
import { mapGeoTiffBytes } from '../cli/map-geotiff.js';
import { defaultBounds } from '../inversion/bounds.js';
import type { FitResult } from '../inversion/fit.js';
import { PARAMETERS } from '../inversion/objective.js';
import { VERDICTS } from '../inversion/verdict.js';
import {
  fitWindowSpectrum,
  type GridSource,
  tanakaWindow,
  type TanakaResult,
  windowSpectrum,
} from '../inversion/window-routines.js';
import { resolveSettings } from '../parallel/run-batch.js';
import type { RoutineSettings } from '../parallel/protocol.js';
import { tanakaPower } from '../spectrum/convention.js';
import type { Taper } from '../spectrum/taper.js';
import { spectrumChart } from '../plot/spectrum-chart.js';
import { mapChart } from '../plot/map-chart.js';
import { bouligandRecord, fieldsOf, type Method, tanakaRecord } from '../cli/records.js';
import { parsePriors } from '../cli/prior-option.js';
import { runMap } from './map-pool.js';

/** PyCurious's start values [β, z_t (km), Δz (km), C], as `CurieOptimiser` uses them without bounds or user starts. */
const DEFAULT_START: [number, number, number, number] = [3, 1, 10, 5];
/** Where `curie explore FILE` serves the file it was given. */
const SERVED_GRID = 'grid';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const canvas = $<HTMLCanvasElement>('anomaly-map');
const frame = $<HTMLDivElement>('map-frame');
const pointerOutline = $<HTMLDivElement>('pointer-outline');
const chosenOutline = $<HTMLDivElement>('chosen-outline');
const summary = $<HTMLDivElement>('fit-summary');
const depthMap = $<HTMLDivElement>('depth-map');
const progress = $<HTMLProgressElement>('map-progress');
const runButton = $<HTMLButtonElement>('run-map');

interface Loaded {
  name: string;
  raster: Raster;
  grid: GridSource;
}
let loaded: Loaded | undefined;

/** Show (or, with undefined, clear) the page's one message line. */
function showMessage(text: string | undefined): void {
  const box = $<HTMLParagraphElement>('message');
  box.hidden = text === undefined;
  box.textContent = text ?? '';
}

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

/** The WGS84 lon/lat of window centres in `crs`, or undefined without a CRS or for one the page cannot resolve. */
function centresLonLat(
  x: Float64Array,
  y: Float64Array,
  crs: string | undefined,
): { lon: Float64Array; lat: Float64Array } | undefined {
  if (crs === undefined) return undefined;
  try {
    return toLonLat(x, y, crs);
  } catch {
    return undefined;
  }
}

/** The grid in a file's bytes: GeoTIFF or NetCDF (netCDF-3) by their signatures, else an `x y value` text grid. */
async function readGrid(bytes: Uint8Array, name: string): Promise<Raster> {
  if (isTiff(bytes)) return readGeoTiff(bytes, name);
  if (isNetcdf(bytes)) return readNetcdf(bytes, name);
  return parseXYZBytes(bytes, name);
}

/** Load a grid; a bad one leaves the current grid in place and says why. */
async function load(bytes: Uint8Array, name: string): Promise<void> {
  try {
    const raster = await readGrid(bytes, name);
    const [rows, cols] = raster.data.shape;
    const geometry = gridGeometry(rows, cols, raster.xmin, raster.xmax, raster.ymin, raster.ymax);
    loaded = { name, raster, grid: { data: raster.data, geometry } };
  } catch (error) {
    showMessage(`Could not load ${name}: ${errorText(error)}${loaded ? ` (still showing ${loaded.name})` : ''}`);
    return;
  }
  showMessage(undefined);
  running?.abort(); // a map of the grid that was
  drawAnomaly(loaded);
  resetResults();
  setTimeout(() => warmUp(loaded!), 0);
}

/**
 * The first fit of a page runs its code cold (JIT compiling makes it many times slower than a warm
 * one; `npm run bench` shows the first click apart):
 * fit the grid's centre window once, unseen, right after a grid is drawn, so that the user's
 * first click is as quick as the others. Errors (a window that does not fit) are of no interest here.
 */
function warmUp({ grid }: Loaded): void {
  try {
    const { window, settings } = controls();
    const { xcoords, ycoords, nx, ny } = grid.geometry;
    const resolved = resolveSettings(settings);
    fitWindowSpectrum(windowSpectrum(grid, window, xcoords[nx >> 1], ycoords[ny >> 1], resolved), resolved, {
      dx: grid.geometry.dx,
      window,
    });
  } catch {
    // nothing to warm with these settings
  }
}

/** Values outside the 2nd–98th percentiles saturate, so a few spikes do not wash out the map. */
function colourRange(values: Float64Array): [number, number] {
  const finite = Array.from(values)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  if (finite.length === 0) return [0, 1];
  const at = (q: number) => finite[Math.min(finite.length - 1, Math.floor(q * finite.length))];
  const [lo, hi] = [at(0.02), at(0.98)];
  const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
  return [-m, m];
}

/** A blue–white–red diverging colour for t in [0, 1]. */
function diverging(t: number): [number, number, number] {
  const c = Math.min(1, Math.max(0, t));
  const blue = [33, 102, 172],
    white = [247, 247, 247],
    red = [178, 24, 43];
  const [a, b, s] = c < 0.5 ? [blue, white, c / 0.5] : [white, red, (c - 0.5) / 0.5];
  return [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * s)) as [number, number, number];
}

function drawAnomaly({ name, raster, grid }: Loaded): void {
  const { nx, ny } = grid.geometry;
  canvas.width = nx;
  canvas.height = ny;
  const context = canvas.getContext('2d')!;
  const image = context.createImageData(nx, ny);
  const [lo, hi] = colourRange(raster.data.data);
  for (let r = 0; r < ny; r++)
    for (let c = 0; c < nx; c++) {
      // Row 0 of the raster is the south edge: draw it at the bottom.
      const value = raster.data.get(r, c);
      const p = 4 * ((ny - 1 - r) * nx + c);
      const [red, green, blue] = Number.isFinite(value) ? diverging((value - lo) / (hi - lo)) : [200, 200, 200];
      image.data.set([red, green, blue, Number.isFinite(value) ? 255 : 0], p);
    }
  context.putImageData(image, 0, 0);
  canvas.dataset.rows = String(ny);
  canvas.dataset.cols = String(nx);
  const { dx } = grid.geometry;
  $('grid-title').textContent = `Anomaly map: ${name}`;
  $('readout').textContent =
    `${ny} × ${nx} nodes, spacing ${dx} m; colours ±${Number(hi.toPrecision(3))} nT (2–98 % of values)`;
  runButton.disabled = false;
}

function resetResults(): void {
  chosenOutline.hidden = true;
  summary.replaceChildren(
    Object.assign(document.createElement('p'), { className: 'hint', textContent: 'Click the map to fit a window.' }),
  );
  for (const key of ['xc', 'yc', 'window', 'curieDepth', 'verdict', 'elapsedMs']) delete summary.dataset[key];
  $('window-spectrum').replaceChildren();
  depthMap.replaceChildren();
  for (const key of ['window', 'spacing', 'total', 'windows', 'seconds']) delete depthMap.dataset[key];
  progress.value = 0;
  $('map-status').textContent = '';
  $('download-csv').hidden = true;
  $('download-tif').hidden = true;
}

/** The controls as the library's settings (the batch runner's data form), or a message. */
function controls(): { window: number; method: Method; settings: RoutineSettings } {
  const window = 1000 * Number($<HTMLInputElement>('window').value);
  if (!(window > 0) || !Number.isFinite(window))
    throw new Error(`window '${$<HTMLInputElement>('window').value}' km must be a positive number`);
  const method = $<HTMLSelectElement>('method').value as Method;
  // 'multitaper:K' (the default convention's taper), or a single taper by name.
  const choice = $<HTMLSelectElement>('taper').value;
  const multitaper = /^multitaper:(\d)$/.exec(choice);
  const taper: Taper = multitaper ? { multitaper: Number(multitaper[1]) } : (choice as Taper & string);
  const priorText = $<HTMLInputElement>('priors').value.trim();
  const priors = parsePriors(priorText === '' ? [] : priorText.split(/[;\s]+/).filter(Boolean), 'prior');
  const settings: RoutineSettings = {
    taper: taper as RoutineSettings['taper'],
    // As `curie map`: power 2 for Bouligand (the library's default), the convention's power for Tanaka.
    power: method === 'tanaka' ? tanakaPower('default') : undefined,
    convention: 'default',
    level: 0.9,
    bounds: defaultBounds(),
    priors: PARAMETERS.map((name) => (priors[name] ? { kind: 'normal' as const, args: priors[name] } : null)),
    start: [...DEFAULT_START],
    kminRange: [0.05, 0.2],
    kmaxRange: [0.05, 0.2],
  };
  return { window, method, settings };
}

/** The node nearest a pointer position, moved inward so that the window fits; undefined off the map. */
function nodeAt(event: MouseEvent, window: number): { ix: number; iy: number } | undefined {
  if (!loaded) return undefined;
  const { nx, ny, dx } = loaded.grid.geometry;
  const box = canvas.getBoundingClientRect();
  const fx = (event.clientX - box.left) / box.width,
    fy = (event.clientY - box.top) / box.height;
  if (fx < 0 || fx > 1 || fy < 0 || fy > 1) return undefined;
  const h = Math.min(windowHalfWidth(window, dx), Math.floor((Math.min(nx, ny) - 1) / 2));
  const clamp = (i: number, n: number) => Math.min(n - 1 - h, Math.max(h, i));
  return { ix: clamp(Math.floor(fx * nx), nx), iy: clamp(ny - 1 - Math.floor(fy * ny), ny) };
}

/** Place an outline over the window of half-width h nodes centred on node (ix, iy). */
function placeOutline(outline: HTMLDivElement, ix: number, iy: number, h: number): void {
  const { nx, ny } = loaded!.grid.geometry;
  const left = (ix - h) / nx,
    top = (ny - 1 - iy - h) / ny;
  Object.assign(outline.style, {
    left: `${100 * left}%`,
    top: `${100 * top}%`,
    width: `${(100 * (2 * h + 1)) / nx}%`,
    height: `${(100 * (2 * h + 1)) / ny}%`,
  });
  outline.hidden = false;
}

function windowNodes(window: number): number {
  return windowHalfWidth(window, loaded!.grid.geometry.dx);
}

frame.addEventListener('mousemove', (event) => {
  let window: number;
  try {
    window = controls().window;
  } catch {
    return;
  }
  const node = nodeAt(event, window);
  if (!node) return void (pointerOutline.hidden = true);
  placeOutline(pointerOutline, node.ix, node.iy, windowNodes(window));
  const { xcoords, ycoords } = loaded!.grid.geometry;
  $('readout').textContent = `centre x ${xcoords[node.ix]} m, y ${ycoords[node.iy]} m`;
});
frame.addEventListener('mouseleave', () => (pointerOutline.hidden = true));
frame.addEventListener('click', (event) => void fitAt(event));

const fmt = (x: number, digits = 4) =>
  Number.isFinite(x) ? String(Number(x.toPrecision(digits))) : x === Infinity ? '∞' : '–';
const interval = (pair: [number, number] | undefined) => (pair ? `${fmt(pair[0])} … ${fmt(pair[1])}` : '–');

function summaryTable(rows: Array<[string, string, string]>, headers: [string, string, string]): HTMLTableElement {
  const table = document.createElement('table');
  const line = (cells: string[], tag: 'th' | 'td') => {
    const tr = document.createElement('tr');
    cells.forEach((text) => tr.append(Object.assign(document.createElement(tag), { textContent: text })));
    return tr;
  };
  table.append(line(headers, 'th'), ...rows.map((r) => line(r, 'td')));
  return table;
}

/** Fit the window under a click: spectrum, model, intervals, verdict. */
async function fitAt(event: MouseEvent): Promise<void> {
  if (!loaded) return;
  const started = performance.now();
  let choice: ReturnType<typeof controls>;
  try {
    choice = controls();
  } catch (error) {
    return showMessage(errorText(error));
  }
  const node = nodeAt(event, choice.window);
  if (!node) return;
  const { geometry } = loaded.grid;
  const xc = geometry.xcoords[node.ix],
    yc = geometry.ycoords[node.iy];
  placeOutline(chosenOutline, node.ix, node.iy, windowNodes(choice.window));
  const settings = resolveSettings(choice.settings);
  try {
    const spectrum = windowSpectrum(loaded.grid, choice.window, xc, yc, settings);
    const title = `window ${choice.window / 1000} km at (${xc}, ${yc}) m`;
    if (choice.method === 'bouligand') {
      const fit = fitWindowSpectrum(spectrum, settings, { dx: geometry.dx, window: choice.window });
      // The two halves of a click's time, for bench/explore.mjs: spectrum and fit, then the chart.
      performance.measure('curie:fit', { start: started });
      const charted = performance.now();
      await vegaEmbed($('window-spectrum'), spectrumChart(spectrum, { fit, title }), {
        actions: false,
        renderer: 'svg',
      });
      performance.measure('curie:chart', { start: charted });
      showBouligand(fit, xc, yc, choice.window);
    } else {
      const result = tanakaWindow(loaded.grid, choice.window, xc, yc, settings);
      await vegaEmbed($('window-spectrum'), spectrumChart(spectrum, { title }), { actions: false, renderer: 'svg' });
      showTanaka(result, xc, yc, choice.window);
    }
    showMessage(undefined);
  } catch (error) {
    summary.replaceChildren(
      Object.assign(document.createElement('p'), { className: 'message', textContent: errorText(error) }),
    );
    Object.assign(summary.dataset, {
      xc: String(xc),
      yc: String(yc),
      window: String(choice.window),
      curieDepth: 'NaN',
    });
  }
  summary.dataset.elapsedMs = String(performance.now() - started);
}

function showBouligand(fit: FitResult, xc: number, yc: number, window: number): void {
  const i = fit.interval;
  const level = Math.round(100 * (fit.level ?? 0.9));
  const verdict = Object.assign(document.createElement('p'), {
    className: `verdict ${fit.verdict ?? ''}`,
    textContent: `verdict: ${fit.verdict ?? 'unknown'}`,
  });
  const reasons = document.createElement('ul');
  for (const reason of [...(fit.reasons ?? []), ...(fit.note ? [fit.note] : [])])
    reasons.append(Object.assign(document.createElement('li'), { textContent: reason }));
  const table = summaryTable(
    [
      ['β', fmt(fit.beta), interval(i?.beta)],
      ['z_t (km)', fmt(fit.zt), interval(i?.zt)],
      ['Δz (km)', fmt(fit.dz), interval(i?.dz)],
      ['Curie depth (km)', fmt(fit.curieDepth), interval(i?.curieDepth)],
    ],
    ['', 'fit', `${level} % interval`],
  );
  const facts = Object.assign(document.createElement('p'), {
    className: 'hint',
    textContent: `centre (${xc}, ${yc}) m · window ${window / 1000} km · χ²/dof ${fmt(fit.chi2PerDof ?? NaN, 3)} · ${fit.converged ? 'converged' : 'not converged'}`,
  });
  summary.replaceChildren(table, verdict, reasons, facts);
  Object.assign(summary.dataset, {
    xc: String(xc),
    yc: String(yc),
    window: String(window),
    curieDepth: String(fit.curieDepth),
    verdict: fit.verdict ?? '',
  });
}

function showTanaka(result: TanakaResult, xc: number, yc: number, window: number): void {
  const table = summaryTable(
    [
      ['Z_t (km)', fmt(result.Ztr), `± ${fmt(result.dZtr)}`],
      ['Z_0 (km)', fmt(result.Zor), `± ${fmt(result.dZor)}`],
      ['Curie depth (km)', fmt(result.Zb), `± ${fmt(result.eZb)}`],
    ],
    ['', 'Tanaka', 'error'],
  );
  const facts = Object.assign(document.createElement('p'), {
    className: 'hint',
    textContent: `centre (${xc}, ${yc}) m · window ${window / 1000} km · Tanaka et al. (1999), no verdict`,
  });
  summary.replaceChildren(table, facts);
  Object.assign(summary.dataset, {
    xc: String(xc),
    yc: String(yc),
    window: String(window),
    curieDepth: String(result.Zb),
    verdict: '',
  });
}

/** Offer bytes as a download link. */
function offer(id: string, bytes: BlobPart, type: string, filename: string): void {
  const link = $<HTMLAnchorElement>(id);
  if (link.href) URL.revokeObjectURL(link.href);
  link.href = URL.createObjectURL(new Blob([bytes], { type }));
  link.download = filename;
  link.hidden = false;
}

/** The running map's stop switch (the button reads "Stop" meanwhile). */
let running: AbortController | undefined;

/** Map every window in Web Workers, then draw the Curie-depth map and offer CSV and GeoTIFF. */
async function mapAll(): Promise<void> {
  if (running) return running.abort();
  if (!loaded) return;
  const current = loaded;
  let choice: ReturnType<typeof controls>, centres: { xc: Float64Array; yc: Float64Array }, spacing: number;
  try {
    choice = controls();
    spacing = 1000 * Number($<HTMLInputElement>('spacing').value);
    if (!(spacing > 0))
      throw new Error(`spacing '${$<HTMLInputElement>('spacing').value}' km must be a positive number`);
    centres = createCentroidList(current.grid.geometry, choice.window, { spacingX: spacing, spacingY: spacing });
  } catch (error) {
    return showMessage(errorText(error));
  }
  showMessage(undefined);
  const total = centres.xc.length;
  delete depthMap.dataset.windows;
  Object.assign(depthMap.dataset, { window: String(choice.window), spacing: String(spacing), total: String(total) });
  depthMap.replaceChildren();
  $('download-csv').hidden = $('download-tif').hidden = true;
  running = new AbortController();
  runButton.textContent = 'Stop';
  progress.max = total;
  progress.value = 0;
  const started = performance.now();
  const status = $('map-status');
  status.textContent = `0 / ${total} windows`;
  try {
    const { raster, grid } = current;
    const outcome = await runMap(
      {
        values: raster.data.data,
        extent: {
          rows: grid.geometry.ny,
          cols: grid.geometry.nx,
          xmin: raster.xmin,
          xmax: raster.xmax,
          ymin: raster.ymin,
          ymax: raster.ymax,
        },
        routine: choice.method === 'bouligand' ? 'optimise' : 'tanaka',
        window: choice.window,
        ...centres,
        settings: choice.settings,
      },
      {
        signal: running.signal,
        onProgress: (done) => ((progress.value = done), (status.textContent = `${done} / ${total} windows`)),
      },
    );
    const seconds = (performance.now() - started) / 1000;
    const records: TableRecord[] = Array.from(centres.xc, (x, i) => {
      const y = centres.yc[i],
        message = outcome.messages.get(i);
      if (choice.method === 'tanaka')
        return tanakaRecord(
          x,
          y,
          (outcome.results![i] as TanakaResult) ?? { status: outcome.status[i], message: message ?? '' },
        );
      const row = outcome.fitRows![i];
      return bouligandRecord(x, y, {
        ...row,
        verdict: VERDICTS[row.verdict],
        status: outcome.status[i],
        ...(message === undefined ? {} : { message }),
      });
    });
    const field = 'curie_depth';
    const values = {
      [field]: Float64Array.from(records, (r) => r[field] as number),
      ...(choice.method === 'bouligand'
        ? { verdict: Uint8Array.from(records, (r) => VERDICTS.indexOf(r.verdict as never)) }
        : {}),
    };
    if (loaded !== current) return;
    await vegaEmbed(
      depthMap,
      mapChart(values, {
        x: centres.xc,
        y: centres.yc,
        field,
        title: `Curie depth, ${choice.method}, window ${choice.window / 1000} km`,
      }),
      { actions: false, renderer: 'canvas' },
    );
    // As curie map: the centres' lon,lat as the last columns when the grid has a CRS the page knows.
    const lonLat = centresLonLat(centres.xc, centres.yc, current.raster.crs);
    const rows: TableRecord[] = lonLat
      ? records.map((r, i) => ({ ...r, lon: lonLat.lon[i], lat: lonLat.lat[i] }))
      : records;
    const fields = fieldsOf(choice.method, lonLat !== undefined);
    offer(
      'download-csv',
      csvHeader(fields) + rows.map((r) => csvRow(fields.map((f) => r[f]))).join(''),
      'text/csv',
      'curie-map.csv',
    );
    const tif = mapGeoTiffBytes(
      { method: choice.method, ...centres, spacing: { spacingX: spacing, spacingY: spacing }, crs: current.raster.crs },
      records,
    );
    offer('download-tif', tif as BlobPart, 'image/tiff', 'curie-map.tif');
    const counts = VERDICTS.map((name) => `${records.filter((r) => r.verdict === name).length} ${name}`).join(', ');
    status.textContent = `${total} windows in ${seconds.toFixed(2)} s${choice.method === 'bouligand' ? `: ${counts}` : ''}`;
    depthMap.dataset.seconds = String(seconds);
    depthMap.dataset.windows = String(total);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError')
      status.textContent = `stopped after ${progress.value} of ${total} windows`;
    else showMessage(`Map failed: ${errorText(error)}`);
  } finally {
    running = undefined;
    runButton.textContent = 'Map all';
  }
}
runButton.addEventListener('click', () => void mapAll());

$<HTMLInputElement>('file-input').addEventListener('change', (event) => {
  const file = (event.target as HTMLInputElement).files?.[0];
  if (file) void file.arrayBuffer().then((bytes) => load(new Uint8Array(bytes), file.name));
});

// Vega's first chart compiles and JITs its code, a cost later charts are spared: do that once on
// load, off screen, so that the first click shows its spectrum as fast as the others.
void vegaEmbed(
  document.createElement('div'),
  spectrumChart({ k: [1, 2], Phi: [1, 0], sigmaPhi: [0.1, 0.1] }, { fit: { beta: 3, zt: 1, dz: 10, C: 5 } }),
  { actions: false, renderer: 'svg' },
);

// `curie explore FILE` serves the file at ./grid: load it on start (204 when none was given).
void (async () => {
  const response = await fetch(SERVED_GRID).catch(() => undefined);
  if (response?.status !== 200) return;
  const name = response.headers.get('x-curie-file') ?? SERVED_GRID;
  await load(new Uint8Array(await response.arrayBuffer()), name);
})();
