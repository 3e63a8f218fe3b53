import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, chromium, type Page } from 'playwright-core';
import ndarray from 'ndarray';
import { CurieOptimiser, loadGrid, readGeoTiff, saveGrid } from '../../src/index.js';
import { useTempDir } from '../helpers/temp-dir.js';

// The explorer page (`curie explore`) in Debian's Chromium driven by playwright-core (no browser
// download; .ci/run installs the `chromium` package). Without Chromium these tests fail: they must
// never be skipped. The page's numbers must be the library's: a click equals `optimise`, a map
// equals `curie map`'s CSV. The screenshot the README shows is made here (CURIE_UPDATE_SCREENSHOT=1).

const CLI = join(import.meta.dirname, '../../dist/cli/main.js');
const GRID = join(import.meta.dirname, '../../data/synthetic-anomaly.tif');
/** The README's screenshot: rewritten by the test with CURIE_UPDATE_SCREENSHOT=1 (else made in a temporary directory). */
const README_SCREENSHOT = join(import.meta.dirname, '../../src/web/explorer.png');
const temp = useTempDir('curie-explore-');

let server: ChildProcess;
let url: string;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  server = spawn(process.execPath, [CLI, 'explore', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  // The first line of stdout is the URL, printed once the server listens.
  const [line] = await Promise.race([
    createInterface({ input: server.stdout! })
      [Symbol.asyncIterator]()
      .next()
      .then((r) => [r.value as string]),
    new Promise<never>((_, reject) =>
      server.once('exit', (code) => reject(new Error(`curie explore exited with ${code}`))),
    ),
  ]);
  url = line;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
  page.on('console', (message) => void (message.type() === 'error' && consoleErrors.push(message.text())));
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  await page.goto(url);
});

afterAll(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
});

/** Run `curie map` on the test grid (window 200 km, centres every 50 km) with `args`; the text of `out`. */
function curieMap(args: string[], out: string): string {
  const run = spawnSync(
    process.execPath,
    [CLI, 'map', GRID, '--window', '200km', '--spacing', '50km', '--quiet', ...args],
    { encoding: 'utf8' },
  );
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return readFileSync(out, 'utf8');
}

/** Click a download link of the page; the downloaded file's path. */
async function downloadPath(selector: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.locator(selector).click()]);
  return await file.path();
}

async function download(selector: string): Promise<string> {
  return readFileSync(await downloadPath(selector), 'utf8');
}

/**
 * Two map CSVs agree: the same columns, windows in the same order, the same verdicts, statuses and
 * messages, the fit's numbers to 1e-9 (relative) and the intervals' ends, which come from a profile
 * of the misfit and move with the last bits of the fit, to 1e-4: Chromium's V8 and Node's differ
 * in the last bit of Math.exp, log, pow, sin… for a few % of arguments, so bit-equality cannot hold.
 */
function expectSameMap(pageCsv: string, cliCsv: string): void {
  const [pageHeader, ...pageRows] = pageCsv
    .trim()
    .split('\n')
    .map((line) => line.split(','));
  const [cliHeader, ...cliRows] = cliCsv
    .trim()
    .split('\n')
    .map((line) => line.split(','));
  expect(pageHeader).toEqual(cliHeader);
  expect(pageRows).toHaveLength(cliRows.length);
  const tolerance = (field: string) => (field === 'curie_depth_low' || field === 'curie_depth_high' ? 1e-4 : 1e-9);
  pageRows.forEach((row, i) =>
    cliHeader.forEach((field, j) => {
      const [a, b] = [Number(row[j]), Number(cliRows[i][j])];
      if (['x', 'y', 'verdict', 'status', 'message'].includes(field) || !Number.isFinite(b))
        expect(row[j], `${field} of window ${i}`).toBe(cliRows[i][j]);
      else
        expect(Math.abs(a - b), `${field} of window ${i}: ${a} vs ${b}`).toBeLessThanOrEqual(
          tolerance(field) * Math.abs(b),
        );
    }),
  );
}

describe('curie explore', () => {
  it('prints a local URL first and serves the page', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(await page.title()).toBe('Curie-depth explorer');
  });

  it('loads a GeoTIFF through the file input and fits the clicked window as optimise does', async () => {
    await page.getByTestId('file-input').setInputFiles(GRID);
    const map = page.getByTestId('anomaly-map');
    await expect.poll(() => map.getAttribute('data-rows')).toBe('305');
    expect(await map.getAttribute('data-cols')).toBe('305');
    await map.click(); // the centre
    const summary = page.getByTestId('fit-summary');
    await expect.poll(() => summary.getAttribute('data-curie-depth')).not.toBeNull();
    const [xc, yc, window, depth] = await Promise.all(
      ['data-xc', 'data-yc', 'data-window', 'data-curie-depth'].map((name) => summary.getAttribute(name).then(Number)),
    );
    // The centre node of a 305-node grid at 1 km: (152 500, 152 500) m.
    expect([xc, yc, window]).toEqual([152500, 152500, 200000]);
    const fit = CurieOptimiser.fromRaster(await loadGrid(GRID)).optimise(window, xc, yc);
    expect(Math.abs(depth - fit.curieDepth)).toBeLessThanOrEqual(1e-9);
    await expect.poll(() => summary.textContent()).toContain(fit.verdict!);
    // The spectrum chart is drawn: its σ bars and points, and the fit's curve.
    expect(await page.getByTestId('window-spectrum').locator('svg').count()).toBe(1);
  });

  it("maps every window in Web Workers with curie map's windows and values", async () => {
    await page.locator('#spacing').fill('50');
    await page.getByTestId('run-map').click();
    const depthMap = page.getByTestId('depth-map');
    await expect.poll(() => depthMap.getAttribute('data-windows'), { timeout: 60_000 }).toBe('9');
    expect(await depthMap.getAttribute('data-total')).toBe('9');
    expect(await depthMap.getAttribute('data-window')).toBe('200000');
    expect(await depthMap.getAttribute('data-spacing')).toBe('50000');
    expect(
      await page
        .getByTestId('map-progress')
        .evaluate((p) => [(p as unknown as { value: number }).value, (p as unknown as { max: number }).max]),
    ).toEqual([9, 9]);
    const cliCsv = curieMap(['--out', join(temp.root(), 'map.csv')], join(temp.root(), 'map.csv'));
    expectSameMap(await download('#download-csv'), cliCsv);
    // The GeoTIFF: the same lattice and bands as curie map's.
    const cliTif = join(temp.root(), 'map.tif');
    curieMap(['--out', cliTif], cliTif);
    const pageTif = readFileSync(await downloadPath('#download-tif'));
    for (const band of ['curie_depth', 'verdict', 'status']) {
      const [a, b] = await Promise.all([
        readGeoTiff(pageTif, 'page.tif', { band }),
        readGeoTiff(readFileSync(cliTif), 'map.tif', { band }),
      ]);
      expect([a.xmin, a.xmax, a.ymin, a.ymax, a.data.shape]).toEqual([b.xmin, b.xmax, b.ymin, b.ymax, b.data.shape]);
      a.data.data.forEach((v, i) =>
        expect(Math.abs(v - b.data.data[i]), `${band} ${i}`).toBeLessThanOrEqual(1e-9 * Math.abs(b.data.data[i])),
      );
    }
    const screenshot =
      process.env.CURIE_UPDATE_SCREENSHOT === '1' ? README_SCREENSHOT : join(temp.root(), 'explorer.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(readFileSync(screenshot).subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
  });

  it("maps with Tanaka's method as curie map --method tanaka does", async () => {
    await page.locator('#method').selectOption('tanaka');
    await page.getByTestId('run-map').click();
    const depthMap = page.getByTestId('depth-map');
    await expect.poll(() => depthMap.getAttribute('data-windows'), { timeout: 60_000 }).toBe('9');
    const out = join(temp.root(), 'tanaka.csv');
    expectSameMap(await download('#download-csv'), curieMap(['--method', 'tanaka', '--out', out], out));
    await page.locator('#method').selectOption('bouligand');
  });

  it('keeps the grid it has and says why when a file is bad', async () => {
    await page
      .getByTestId('file-input')
      .setInputFiles({ name: 'broken.tif', mimeType: 'image/tiff', buffer: Buffer.from('II*\0 this is not a TIFF') });
    const message = page.locator('#message');
    await expect.poll(() => message.isVisible()).toBe(true);
    expect(await message.textContent()).toMatch(
      /^Could not load broken\.tif: .+ \(still showing synthetic-anomaly\.tif\)$/,
    );
    expect(await page.getByTestId('anomaly-map').getAttribute('data-rows')).toBe('305');
    expect(await page.getByTestId('depth-map').getAttribute('data-windows')).toBe('9');
  });

  it('loads an x y value text grid and fits its windows as optimise does', async () => {
    // The grid's south-west 121 × 121 nodes as text, x fastest.
    const raster = await loadGrid(GRID);
    const lines: string[] = [];
    for (let r = 0; r < 121; r++)
      for (let c = 0; c < 121; c++)
        lines.push(`${raster.xmin + 1000 * c} ${raster.ymin + 1000 * r} ${raster.data.get(r, c)}`);
    const text = join(temp.root(), 'corner.xyz');
    writeFileSync(text, `${lines.join('\n')}\n`);
    await page.getByTestId('file-input').setInputFiles(text);
    await expect.poll(() => page.getByTestId('anomaly-map').getAttribute('data-cols')).toBe('121');
    expect(await page.locator('#message').isVisible()).toBe(false);
    await page.locator('#window').fill('60');
    await page.getByTestId('anomaly-map').click({ position: { x: 10, y: 10 } }); // north-west: snapped inward
    const summary = page.getByTestId('fit-summary');
    await expect.poll(() => summary.getAttribute('data-window')).toBe('60000');
    const [xc, yc, depth] = await Promise.all(
      ['data-xc', 'data-yc', 'data-curie-depth'].map((name) => summary.getAttribute(name).then(Number)),
    );
    // The window's 61 nodes fit from the corner node 30 inward: (30 500, 90 500) m.
    expect([xc, yc]).toEqual([30500, 90500]);
    const fit = CurieOptimiser.fromRaster(await loadGrid(text)).optimise(60000, xc, yc);
    expect(Math.abs(depth - fit.curieDepth)).toBeLessThanOrEqual(1e-9);
  });

  it('fits with the taper and priors chosen as optimise does with the same options, and names a bad prior', async () => {
    await page.locator('#taper').selectOption('hamming');
    await page.locator('#priors').fill('beta=3,0.5; zt=1,0.5');
    await page.getByTestId('anomaly-map').click();
    const summary = page.getByTestId('fit-summary');
    await expect.poll(() => summary.getAttribute('data-xc')).toBe('60500'); // the text grid's centre
    const depth = Number(await summary.getAttribute('data-curie-depth'));
    const optimiser = CurieOptimiser.fromRaster(await loadGrid(join(temp.root(), 'corner.xyz')));
    optimiser.addPrior({ beta: [3, 0.5], zt: [1, 0.5] });
    const fit = optimiser.optimise(60000, 60500, 60500, { taper: 'hamming' });
    expect(Math.abs(depth - fit.curieDepth)).toBeLessThanOrEqual(1e-9);
    // Without the priors and taper the fit differs: the controls reached the library.
    expect(
      Math.abs(
        depth -
          CurieOptimiser.fromRaster(await loadGrid(join(temp.root(), 'corner.xyz'))).optimise(60000, 60500, 60500)
            .curieDepth,
      ),
    ).toBeGreaterThan(1e-6);
    await page.locator('#priors').fill('beta=3');
    await page.getByTestId('anomaly-map').click();
    await expect
      .poll(() => page.locator('#message').textContent())
      .toBe("prior 'beta=3' must be NAME=MEAN,SD with NAME beta, zt, dz or C and SD > 0");
    await page.locator('#priors').fill('');
    await page.locator('#taper').selectOption('multitaper:2');
  });

  it('stops a running map when asked, and says how far it got', async () => {
    await page.locator('#spacing').fill('1'); // 60 × 60 windows of 60 km on the text grid (numpy's arange: not the last centre)
    const button = page.getByTestId('run-map');
    await button.click();
    const depthMap = page.getByTestId('depth-map');
    await expect.poll(() => depthMap.getAttribute('data-total')).toBe('3600');
    await expect.poll(() => button.textContent()).toBe('Stop');
    await button.click();
    await expect.poll(() => page.locator('#map-status').textContent()).toMatch(/^stopped after \d+ of 3600 windows$/);
    expect(await depthMap.getAttribute('data-windows')).toBeNull();
    expect(await button.textContent()).toBe('Map all');
  });

  it('loads a NetCDF (netCDF-3) grid and fits its windows as optimise does', async () => {
    // The grid's south-west 121 × 121 nodes, written by saveGrid as CF netCDF-3.
    const raster = await loadGrid(GRID);
    const values = new Float64Array(121 * 121);
    for (let r = 0; r < 121; r++) for (let c = 0; c < 121; c++) values[r * 121 + c] = raster.data.get(r, c);
    const nc = join(temp.root(), 'corner.nc');
    // In UTM 23S, so that the map's CSV gets the centres' lon,lat as curie map's does.
    await saveGrid(
      {
        data: ndarray(values, [121, 121]),
        xmin: raster.xmin + 500e3,
        xmax: raster.xmin + 620e3,
        ymin: raster.ymin + 9500e3,
        ymax: raster.ymin + 9620e3,
        crs: 'EPSG:32723',
      },
      nc,
    );
    await page.getByTestId('file-input').setInputFiles(nc);
    await expect.poll(() => page.getByTestId('anomaly-map').getAttribute('data-cols')).toBe('121');
    expect(await page.locator('#message').isVisible()).toBe(false);
    await page.locator('#window').fill('60');
    await page.getByTestId('anomaly-map').click();
    const summary = page.getByTestId('fit-summary');
    await expect.poll(() => summary.getAttribute('data-window')).toBe('60000');
    const [xc, yc, depth] = await Promise.all(
      ['data-xc', 'data-yc', 'data-curie-depth'].map((name) => summary.getAttribute(name).then(Number)),
    );
    const fit = CurieOptimiser.fromRaster(await loadGrid(nc)).optimise(60000, xc, yc);
    expect(Math.abs(depth - fit.curieDepth)).toBeLessThanOrEqual(1e-9);
    // A small map: the same CSV as curie map of the same file, lon,lat included.
    await page.locator('#method').selectOption('bouligand');
    await page.locator('#spacing').fill('30');
    await page.getByTestId('run-map').click();
    await expect.poll(() => page.getByTestId('depth-map').getAttribute('data-windows'), { timeout: 60_000 }).toBe('4'); // centres 30 and 60 km a side (numpy's arange stops before 90)
    const out = join(temp.root(), 'nc-map.csv');
    const run = spawnSync(
      process.execPath,
      [CLI, 'map', nc, '--window', '60km', '--spacing', '30km', '--quiet', '--out', out],
      { encoding: 'utf8' },
    );
    expect(run.status, run.stderr).toBe(0);
    const pageCsv = await download('#download-csv');
    expect(pageCsv.split('\n')[0].endsWith(',lon,lat')).toBe(true);
    expectSameMap(pageCsv, readFileSync(out, 'utf8'));
  });

  it('logged no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
