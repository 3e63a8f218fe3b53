/**
 * The explorer page's speed in Debian's Chromium (playwright-core, `curie explore` of the built
 * package): click → spectrum chart and fit summary shown, for a 200 km window of
 * data/synthetic-anomaly.tif (the page's own clock, from the click's handler to the chart and the
 * summary drawn; and playwright's, which adds the round trip), and the README's 121-window map
 * (window 200 km, centres every 10 km) in Web Workers. Medians; a benchmark, not a test.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const cli = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const grid = fileURLToPath(new URL('../data/synthetic-anomaly.tif', import.meta.url));
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

export async function benchExplore({ clicks = 15, maps = 3 } = {}) {
  const server = spawn(process.execPath, [cli, 'explore', grid, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const { value: url } = await createInterface({ input: server.stdout })[Symbol.asyncIterator]().next();
    const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
    await page.goto(url);
    const map = page.getByTestId('anomaly-map');
    await map.waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid=anomaly-map]')?.getAttribute('data-rows'));
    const box = await map.boundingBox();
    const summary = page.getByTestId('fit-summary');
    const inPage = [],
      roundTrip = [],
      fits = [],
      charts = [];
    // The first click after loading: reported apart (the page warms its fit and chart code on load).
    for (let i = 0; i <= clicks; i++) {
      await summary.evaluate((el) => delete el.dataset.elapsedMs);
      const started = performance.now();
      await map.click({
        position: { x: box.width * (0.4 + 0.2 * (i / clicks)), y: box.height * (0.6 - 0.2 * (i / clicks)) },
      });
      await page.waitForFunction(() =>
        document.querySelector('[data-testid=fit-summary]')?.hasAttribute('data-elapsed-ms'),
      );
      const elapsed = Number(await summary.getAttribute('data-elapsed-ms'));
      const [fit, chart] = await page.evaluate(() =>
        ['curie:fit', 'curie:chart'].map((name) => performance.getEntriesByName(name).at(-1)?.duration ?? NaN),
      );
      if (i === 0)
        console.log(
          `explorer: first click after loading                  ${elapsed.toFixed(1)} ms in the page (spectrum and fit ${fit.toFixed(1)} ms, chart ${chart.toFixed(1)} ms)`,
        );
      else (inPage.push(elapsed), roundTrip.push(performance.now() - started), fits.push(fit), charts.push(chart));
    }
    console.log(
      `explorer: click → spectrum and fit shown, 200 km       median ${median(inPage).toFixed(1)} ms in the page (spectrum and fit ${median(fits).toFixed(1)} ms, chart ${median(charts).toFixed(1)} ms), ${median(roundTrip).toFixed(1)} ms via playwright (${clicks} clicks)`,
    );
    await page.locator('#spacing').fill('10');
    const seconds = [];
    for (let i = 0; i < maps; i++) {
      await page.getByTestId('run-map').click();
      await page.waitForFunction(
        () => document.querySelector('[data-testid=depth-map]')?.getAttribute('data-windows') === '121',
        undefined,
        { timeout: 120_000 },
      );
      seconds.push(Number(await page.getByTestId('depth-map').getAttribute('data-seconds')));
    }
    const workers = await page.evaluate(() => navigator.hardwareConcurrency);
    console.log(
      `explorer: 121-window map (200 km, every 10 km)         median ${median(seconds).toFixed(2)} s (${seconds.map((s) => s.toFixed(2)).join(', ')}; ${workers} workers, ${os.cpus().length} cores)`,
    );
  } finally {
    await browser.close();
    server.kill('SIGTERM');
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await benchExplore();
