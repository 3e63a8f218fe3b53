#!/usr/bin/env node
/**
 * Run every notebook in notebooks/ on the tslab TypeScript kernel, as a user of the package would:
 * `npm run notebooks -- [--out DIR]` (from the project root, after `npm run build`).
 *
 * 1. installs notebooks/package.json (the package itself as "file:..", tslab, Node's types);
 * 2. writes a tslab kernelspec into a temporary JUPYTER_PATH (nothing is installed for the user:
 *    the kernel runs this folder's tslab with this Node, by absolute paths);
 * 3. executes each notebook with nbconvert (a cell that throws fails the run) and writes the
 *    executed copy to DIR (default: a new temporary folder; never over the sources).
 * Needs a Python with nbconvert and ipykernel's Jupyter client (Debian: python3-nbconvert,
 * python3-ipykernel, jupyter-client): CURIE_PYTHON, else /usr/bin/python3, else python3.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const fail = (message) => {
  process.stderr.write(`notebooks: ${message}\n`);
  process.exit(1);
};

const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
if (outAt >= 0 && !args[outAt + 1]) fail('--out needs a folder');
const out = resolve(outAt >= 0 ? args[outAt + 1] : mkdtempSync(join(tmpdir(), 'curie-notebooks-')));
if (out === here) fail('--out must not be the notebooks folder: the sources stay without outputs');
const only = args.filter((a, i) => a.endsWith('.ipynb') && i !== outAt + 1);

if (!existsSync(join(here, '..', 'dist', 'index.js'))) fail('the package is not built: run npm run build first');

const python = [process.env.CURIE_PYTHON, '/usr/bin/python3', 'python3'].find(
  (candidate) =>
    candidate &&
    spawnSync(candidate, ['-c', 'import nbconvert, jupyter_client, ipykernel'], { stdio: 'ignore' }).status === 0,
);
if (!python)
  fail(
    'no Python with nbconvert, jupyter_client and ipykernel (Debian: apt-get install python3-nbconvert python3-ipykernel jupyter-client)',
  );

execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: here, stdio: 'inherit' });

// The kernelspec, in a JUPYTER_PATH of this run's own.
const jupyterPath = mkdtempSync(join(tmpdir(), 'curie-jupyter-'));
const kernelDir = join(jupyterPath, 'kernels', 'tslab');
mkdirSync(kernelDir, { recursive: true });
const tslab = join(here, 'node_modules', 'tslab', 'bin', 'tslab');
writeFileSync(
  join(kernelDir, 'kernel.json'),
  JSON.stringify({
    argv: [process.execPath, tslab, 'kernel', '--config-path', '{connection_file}'],
    display_name: 'TypeScript',
    language: 'typescript',
  }),
);

mkdirSync(out, { recursive: true });
const notebooks = readdirSync(here)
  .filter((f) => f.endsWith('.ipynb') && (only.length === 0 || only.includes(f)))
  .sort();
if (notebooks.length === 0) fail('no notebook to run');
/** nbconvert on one notebook, executed copy to `dir`. */
function nbconvert(notebook, dir, allowErrors) {
  const options = [
    '-m',
    'nbconvert',
    '--to',
    'notebook',
    '--execute',
    ...(allowErrors ? ['--allow-errors'] : []),
    '--ExecutePreprocessor.kernel_name=tslab',
    '--ExecutePreprocessor.timeout=900',
    '--output-dir',
    dir,
    '--output',
    notebook,
    join(here, notebook),
  ];
  return spawnSync(python, options, {
    cwd: here,
    env: { ...process.env, JUPYTER_PATH: jupyterPath },
    encoding: 'utf8',
  });
}

/**
 * Why a notebook failed. tslab reports a cell's exception (or type error) on the cell's stderr and
 * answers with an error that has neither name nor value, so nbconvert's message is only "<Error>:"
 * after the cell's source: the notebook is run once more with errors allowed, and what that cell
 * printed is read back from the copy.
 */
function explain(notebook, stderr) {
  const lines = `${stderr ?? ''}`.trim().split('\n');
  const marks = lines.flatMap((line, i) => (/^-{10,}$/.test(line) ? [i] : []));
  const source = marks.length >= 2 ? lines.slice(marks[0] + 1, marks[1]).join('\n') : undefined;
  let printed = '';
  if (source !== undefined) {
    const scratch = mkdtempSync(join(tmpdir(), 'curie-notebook-failure-'));
    nbconvert(notebook, scratch, true);
    const copy = join(scratch, notebook);
    if (existsSync(copy)) {
      const cell = JSON.parse(readFileSync(copy, 'utf8')).cells.find((c) => [].concat(c.source).join('') === source);
      printed = (cell?.outputs ?? [])
        .map((o) =>
          o.output_type === 'stream'
            ? [].concat(o.text).join('')
            : o.output_type === 'error'
              ? `${o.ename}: ${o.evalue}`
              : '',
        )
        .join('');
    }
  }
  return source === undefined
    ? lines.slice(-15).join('\n')
    : `in the cell:\n${source}\n--- it printed:\n${printed.trim().split('\n').slice(0, 30).join('\n')}`;
}

const failed = [];
for (const notebook of notebooks) {
  const started = Date.now();
  const run = nbconvert(notebook, out, false);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (run.status === 0) process.stdout.write(`ok     ${notebook} (${seconds} s)\n`);
  else {
    failed.push(notebook);
    process.stdout.write(`FAILED ${notebook} (${seconds} s) ${explain(notebook, run.stderr)}\n`);
  }
}
process.stdout.write(
  `${notebooks.length - failed.length} passed, ${failed.length} failed (executed copies in ${out})\n`,
);
process.exit(failed.length > 0 ? 1 : 0);
