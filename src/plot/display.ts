/**
 * Showing a chart where the user is: inline in a tslab notebook (as `image/svg+xml` display data),
 * else as an SVG file whose path is printed.
 */
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';
import { renderSvg } from './render.js';
import { checkSpec, type VegaLiteSpec } from './spec.js';

/** Options of {@link display}. */
export interface DisplayOptions {
  /** Outside a notebook: where to write the SVG (default: a new file in the system's temporary folder). */
  file?: string;
}

interface TslabDisplay {
  svg(s: string): void;
}

/**
 * The tslab kernel's own `tslab` module, when this process is a tslab kernel. tslab hands
 * `require('tslab')` to cells only; the kernel's copy is reached from its main script, so that the
 * display data go to the cell being run.
 */
function tslabDisplay(): TslabDisplay | undefined {
  const main = (process as { mainModule?: { filename?: string } }).mainModule?.filename ?? process.argv[1];
  if (!main || !/tslab/.test(main)) return undefined;
  try {
    const tslab = createRequire(main)('tslab') as { display?: TslabDisplay };
    return typeof tslab.display?.svg === 'function' ? tslab.display : undefined;
  } catch {
    return undefined;
  }
}

let written = 0;

/**
 * Show a chart: inline in a tslab notebook; elsewhere written as an SVG file (its path printed
 * and returned).
 * @returns the SVG file's path (outside a notebook, or when `file` is given), else undefined
 * @throws CurieError `E_ARGUMENT` when `spec` is not a Vega-Lite spec
 */
export async function display(spec: VegaLiteSpec, options: DisplayOptions = {}): Promise<string | undefined> {
  checkSpec(spec, 'display(spec): spec');
  const svg = await renderSvg(spec);
  const notebook = tslabDisplay();
  if (notebook) {
    notebook.svg(svg);
    if (options.file === undefined) return undefined;
  }
  const file = options.file ?? join(tmpdir(), `curie-chart-${process.pid}-${++written}.svg`);
  await writeFileAtomic(file, svg);
  console.log(file);
  return file;
}
