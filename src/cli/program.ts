/**
 * The `curie` command line as a function: {@link main} runs one command line on the streams it is
 * given and resolves with its exit code, so that it can run in-process (tests, scripts embedding
 * it). The process's own concerns (signals, crashes, the exit itself) are in main.ts, the `curie`
 * executable. Exit codes: 0 success (also when the reader of the output went away, e.g.
 * `| head`), 1 an error, 2 a usage error.
 */
import { readFileSync } from 'node:fs';
import type { WriteStream } from 'node:tty';
import { Command, CommanderError } from 'commander';
import { CurieError } from '../errors.js';
import { parseMemorySize, setMaxMemory } from '../memory-budget.js';
import { TANAKA_RANGE } from '../models/tanaka.js';
import { OutputError } from '../io/output-target.js';
import type { CliIo, CommandContext } from './context.js';
import { showPhases } from './phase.js';
// Commands are imported when run: `--help`, a usage error or a small command does not load the
// fitting, plotting and I/O code of the others.
const commands = () => import('./commands.js');

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const MAX_MEMORY_HELP =
  "memory budget, e.g. 4GB or 512MiB: inputs needing more are refused before reading them (default: half of this machine's memory)";
const collect = (value: string, previous: string[]) => [...previous, value];
const helpWidth = (stream: object) => {
  const { isTTY, columns } = stream as Partial<WriteStream>;
  return isTTY && columns ? columns : 80;
};

function program(context: CommandContext, onCommand: (name: string) => void): Command {
  const { io } = context;
  const curie = new Command('curie')
    .description('Curie depth from magnetic-anomaly rasters (a port of PyCurious)')
    .version(version)
    .option('--debug', 'print stack traces of errors')
    .option('--max-memory <size>', MAX_MEMORY_HELP)
    .option(
      '--trace',
      'print a line on stderr as each phase begins (reading, parsing, opening, synthesising, fitting, writing)',
    )
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // One line per error: commander's own suggestions ("(Did you mean --window?)") join it.
      outputError: (text, write) =>
        write(
          `curie: ${text
            .replace(/^error: /, '')
            .trim()
            .replace(/\s*\n\s*/g, ' ')}\n`,
        ),
      // Help as wide as the terminal it is printed on (commander's own default width, 80, elsewhere).
      getOutHelpWidth: () => helpWidth(io.stdout),
      getErrHelpWidth: () => helpWidth(io.stderr),
    });

  curie
    .command('map')
    .description(
      'fit every window of a raster and write the Curie-depth map (NDJSON on stdout by default, streamed in window order)',
    )
    .argument('<input>', "GeoTIFF, NetCDF (.nc, .grd) or 'x y value' text file, or - for text on standard input")
    .requiredOption('--window <distance>', 'window side, e.g. 200km (bare numbers are metres)')
    .option('--variable <name>', 'NetCDF: the variable to read (default: the only 2-D one)')
    .option('--columns <x,y,value>', 'text grids: the columns of x, y and the value, from 1 (default 1,2,3)')
    .option('--spacing <distance>', 'distance between window centres (default: every node)')
    .option(
      '--to <EPSG:code>',
      'reproject the input to this CRS first (e.g. a lon/lat GeoTIFF to EPSG:32723); needs --cell',
    )
    .option('--cell <distance>', 'with --to: grid cell (node spacing) of the reprojected grid, e.g. 5km')
    .option('--from <EPSG:code>', "with --to: the input's CRS when the file records none")
    .option('--resample <name>', 'with --to: bilinear, cubic or nearest (default bilinear)')
    .option('--method <name>', 'bouligand or tanaka', 'bouligand')
    .option('--workers <n>', 'worker threads (default: one per core; 0 = no threads)')
    .option(
      '--taper <name>',
      'multitaper:K, hanning, hamming, none or tukey:ALPHA (default multitaper:2; hanning under --convention pycurious-1.1)',
    )
    .option(
      '--power <p>',
      'exponent of |FFT| (default 2 for bouligand; 1 for tanaka, 0.5 with --convention pycurious-1.1)',
    )
    .option('--level <p>', 'probability of each Curie depth interval, in (0, 1)', '0.9')
    .option(
      '--convention <name>',
      'default, or pycurious-1.1 for PyCurious 1.1 numbers (dk = 2π/((n−1)dx), unweighted misfit)',
      'default',
    )
    .option('--beta <value>', 'starting β (default 3)')
    .option('--zt <km>', 'starting depth to the top, km (default 1)')
    .option('--dz <km>', 'starting thickness, km (default 10)')
    .option('--C <value>', 'starting C (default 5)')
    .option('--prior <name=mean,sd>', 'normal prior on beta, zt, dz or C (repeatable)', collect, [])
    .option(
      '--kmin-range <a,b>',
      `tanaka: spatial frequencies of the top fit, cycles/km (default ${TANAKA_RANGE.join(',')})`,
    )
    .option(
      '--kmax-range <a,b>',
      `tanaka: spatial frequencies of the centroid fit, cycles/km (default ${TANAKA_RANGE.join(',')})`,
    )
    .option(
      '--shard <I/N|auto>',
      'compute windows i with i mod N = I; auto reads MPI or Slurm variables; writes OUT.part-I-of-N.ndjson',
    )
    .option(
      '--out <file>',
      'output file: .csv, .ndjson, .json or .tif (default: NDJSON on stdout); CSV and NDJSON end with lon,lat when the grid has a CRS',
    )
    .option('--format <name>', 'csv, ndjson, geotiff or json (default: from --out)')
    .option('--progress <mode>', 'bar, lines or none (default: bar on a terminal, lines otherwise)')
    .option('--quiet', 'no progress output')
    .action(async (input: string, options) => (await import('./map.js')).runMap(input, options, context));

  curie
    .command('grid')
    .description(
      'grid scattered points (text) or reproject a raster (GeoTIFF) onto a regular grid, written as a GeoTIFF',
    )
    .argument('<input>', 'text file of points (x y value columns, e.g. lon lat nT) or a GeoTIFF')
    .requiredOption('--cell <distance>', "grid cell (node spacing), e.g. 5km, in the target CRS's units")
    .option('--from <EPSG:code>', 'CRS of the input (points: needed with --to; GeoTIFF: when the file records none)')
    .option('--to <EPSG:code>', 'CRS of the grid, e.g. EPSG:32723 (points are projected, then triangulated)')
    .option(
      '--extent <xmin,xmax,ymin,ymax>',
      'first and last nodes in the target CRS (default: the data extent trimmed to whole cells)',
    )
    .option(
      '--method <name>',
      'linear, nearest or cubic (linear is bilinear for a GeoTIFF; cubic is Clough–Tocher for points, cubic convolution for a GeoTIFF)',
      'linear',
    )
    .option('--columns <x,y,value>', 'columns of x, y and value in a text file, from 1 (default 1,2,3)')
    .requiredOption('--out <file.tif>', 'output GeoTIFF')
    // loaded on use: proj4 and the gridding code would slow every other command's start
    .action(async (input: string, options) => (await import('./grid.js')).runGrid(input, options));

  curie
    .command('explore')
    .description(
      'serve the Curie-depth explorer page on this machine (and FILE, which it loads on start); prints its URL first',
    )
    .argument('[file]', "GeoTIFF or 'x y value' text grid to open in the page")
    .option('--port <n>', 'port to listen on (0 = a free port)', '8080')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    // loaded on use: the HTTP server is of no use to the other commands
    .action(async (file: string | undefined, options) =>
      (await import('./explore.js')).runExplore(file, options, context),
    );

  curie
    .command('spectrum')
    .description('radial power spectrum of one window, as CSV k,Phi,sigma (k in rad/km)')
    .argument('<input>', "GeoTIFF, NetCDF or 'x y value' text file, or -")
    .requiredOption('--window <distance>', 'window side, e.g. 200km')
    .option('--variable <name>', 'NetCDF: the variable to read (default: the only 2-D one)')
    .requiredOption('--at <x,y>', "window centre in the grid's coordinates (metres)")
    .option(
      '--taper <name>',
      'multitaper:K, hanning, hamming, none or tukey:ALPHA (default multitaper:2; hanning under --convention pycurious-1.1)',
    )
    .option('--power <p>', 'exponent of |FFT| (default 2)')
    .option('--out <file>', 'CSV file (default: standard output)')
    .option('--plot <file>', 'also draw the spectrum and its global fit: .svg or .png')
    .action(async (input: string, options) => (await commands()).runSpectrum(input, options, context));

  curie
    .command('synth')
    .description('write a synthetic anomaly with known z_t, Δz and β as a GeoTIFF (same arguments, same bytes)')
    .requiredOption('--rows <n>', 'rows')
    .requiredOption('--cols <n>', 'columns')
    .requiredOption('--spacing <distance>', 'node spacing, e.g. 1km')
    .requiredOption('--zt <depth>', 'depth to the top of the magnetic layer (km unless a unit is given)')
    .requiredOption('--dz <thickness>', 'thickness of the magnetic layer (km unless a unit is given)')
    .option('--beta <value>', 'fractal exponent β', '3')
    .option('--seed <n>', 'random seed', '1')
    .option('--method <name>', 'spectral or layered', 'spectral')
    .option(
      '--amplitudes <kind>',
      "spectral: 'random' (a Gaussian random field, the scatter real data have) or 'exact' (the model's amplitudes, random phases only)",
      'exact',
    )
    .option('--crs <EPSG:code>', 'coordinate reference system to record (default: none)')
    .requiredOption('--out <file.tif>', 'output GeoTIFF')
    .action(async (options) => (await commands()).runSynth(options, context));

  curie
    .command('plot')
    .description(
      'draw a map (.tif, .csv, .ndjson, .json from curie map) or a spectrum (.csv from curie spectrum) as an SVG or PNG figure',
    )
    .argument('<input>', 'map or spectrum file')
    .requiredOption('--out <file>', 'figure: .svg or .png')
    .option('--field <name>', 'the map column or GeoTIFF band to draw (default curie_depth, or band 1)')
    .option('--title <text>', 'title (default: the input file name)')
    .action(async (input: string, options) => (await import('./plot.js')).runPlot(input, options));

  curie
    .command('info')
    .description(
      'size, spacing, extent (also in lon/lat), CRS, NaN count, value range, largest window and NetCDF variables of a raster',
    )
    .argument('<input>', "GeoTIFF, NetCDF or 'x y value' text file, or -")
    .option('--variable <name>', 'NetCDF: the variable to describe (default: the only 2-D one)')
    .option('--columns <x,y,value>', 'text grids: the columns of x, y and the value, from 1 (default 1,2,3)')
    .option('--json', 'print JSON')
    .action(async (input: string, options) => (await commands()).runInfo(input, options, context));

  curie
    .command('download')
    .description(
      'download a known dataset (curie download --list) or an http(s) URL, checking its digest; a file already there with the right digest is kept',
    )
    .argument('[dataset]', 'emag2-v3, emag2-v3-npz, li2017-curie-depth, or an http(s) URL')
    .option('--out <path>', "file or existing directory (default: the dataset's file name here)")
    .option('--sha256 <hex>', "expected SHA-256 (overrides the registry's digest)")
    .option('--md5 <hex>', 'expected MD5')
    .option('--list', 'list the known datasets')
    .option('--progress <mode>', 'bar or none (default: bar on a terminal)')
    .option('--quiet', 'no progress output')
    .action(async (dataset: string | undefined, options) =>
      (await import('./download.js')).runDownload(dataset, options, context),
    );

  curie
    .command('merge')
    .description('join the part files of a sharded map into the file a single run writes')
    .argument('<parts...>', 'the N part files OUT.part-I-of-N.ndjson')
    .requiredOption('--out <file>', 'output file: .csv, .ndjson, .json or .tif')
    .option('--format <name>', 'csv, ndjson, geotiff or json (default: from --out)')
    .action(async (parts: string[], options) => (await commands()).runMerge(parts, options, context));

  // --max-memory before or after the command's name; the command's own wins.
  for (const command of curie.commands) command.option('--max-memory <size>', MAX_MEMORY_HELP);
  curie.hook('preAction', (root, action) => {
    onCommand(action.name());
    const size = (action.opts().maxMemory ?? root.opts().maxMemory) as string | undefined;
    if (size !== undefined) setMaxMemory(parseMemorySize(size, '--max-memory'));
  });
  return curie;
}

/** The streams of a run of {@link main}, and who wants to know which command runs. */
export interface MainIo extends CliIo {
  /** Called with the command's name (`map`, `explore`…) once its arguments are parsed, before it runs. */
  onCommand?: (name: string) => void;
}

/**
 * Run the command line `argv` (the arguments after `curie`, e.g. `['map', 'grid.tif', '--window',
 * '50km']`) on `io`'s streams. Errors are one line on `io.stderr` (a stack trace follows with
 * `--debug`), warnings one line each.
 * @returns the exit code: 0 success (or the reader of standard output went away), 1 an error, 2 a usage error
 */
export async function main(argv: string[], io: MainIo): Promise<number> {
  const debug = argv.includes('--debug');
  showPhases(argv.includes('--trace') ? io.stderr : undefined);
  // Warnings (e.g. CURIE_DEGREES: a grid that looks like longitude/latitude) as one line each, in
  // place of Node's two-line "(node:PID) …" form; --debug adds where they came from.
  const onWarning = (warning: Error) => {
    io.stderr.write(`curie: warning: ${warning.message.split('\n')[0]}\n`);
    if (debug && warning.stack) io.stderr.write(`${warning.stack}\n`);
  };
  // A reader that goes away (`curie map … | head -n 3`) ends the command quietly.
  const controller = new AbortController();
  let readerGone = false;
  const onStdoutError = (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') {
      readerGone = true;
      controller.abort();
    }
  };
  process.on('warning', onWarning);
  io.stdout.on('error', onStdoutError);
  try {
    await program({ io, signal: controller.signal }, io.onCommand ?? (() => {})).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has already printed its one line (or the help text).
      if (error.exitCode === 0) return 0;
      if (debug && error.stack) io.stderr.write(`${error.stack}\n`);
      return 2;
    }
    // The reader of the output went away (`| head`, a closed FIFO): it took what it wanted, so
    // this is a quiet success, exit code 0, not SIGPIPE's 141 (which `set -o pipefail` would
    // turn into a failed pipeline).
    if (readerGone || (error instanceof OutputError && error.errno === 'EPIPE')) return 0;
    // Let pending warnings (emitted on the next tick) print first: they often explain the error.
    await new Promise((resolve) => setImmediate(resolve));
    const message =
      error instanceof CurieError
        ? error.message
        : error instanceof Error
          ? error.message.split('\n')[0]
          : String(error);
    io.stderr.write(`curie: ${message}\n`);
    if (debug && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return 1;
  } finally {
    // Warnings are emitted on a later tick: one raised as the command ended still prints.
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', onWarning);
    io.stdout.off('error', onStdoutError);
    showPhases(undefined);
  }
}
