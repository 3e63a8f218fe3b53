#!/usr/bin/env node
/**
 * Bundles the explorer page (src/web/) into dist/web/ with esbuild: the page, its map worker, the
 * HTML and CSS. The library's own modules go in unchanged; the three that need Node have browser
 * versions in src/web/shims/ (geotiff through a static import, module references refused, os'
 * memory, zlib's bounded inflate on pako, netCDF-4 refused, fs without the EPSG table), `process` is injected, and any other `node:` import fails the build, so nothing
 * Node-only can slip onto the page's path. Everything is local: the page works offline.
 */
import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const web = path.join(root, 'src/web');
const out = path.join(root, 'dist/web');

/** Library modules (by their path under src/) → their browser versions. */
const SWAPS = {
  'io/geotiff-library.ts': 'web/shims/geotiff-library.ts',
  'parallel/module-ref.ts': 'web/shims/module-ref.ts',
  'io/hdf5-read.ts': 'web/shims/hdf5-read.ts',
};

const browserPlugin = {
  name: 'curie-browser',
  setup(b) {
    b.onResolve({ filter: /^node:(os|zlib|fs)$/ }, (args) => ({
      path: path.join(web, `shims/${args.path.slice(5)}.ts`),
    }));
    b.onResolve({ filter: /^node:/ }, (args) => ({
      errors: [{ text: `${args.path} imported by ${path.relative(root, args.importer)} cannot run in the browser` }],
    }));
    b.onResolve({ filter: /\.js$/ }, (args) => {
      if (!args.path.startsWith('.')) return undefined;
      const target = path
        .relative(path.join(root, 'src'), path.resolve(args.resolveDir, args.path))
        .replace(/\.js$/, '.ts');
      const swap = SWAPS[target];
      // Swapped modules: unless the importer is the shim itself.
      if (swap && path.resolve(args.importer) !== path.join(root, 'src', swap))
        return { path: path.join(root, 'src', swap) };
      return undefined;
    });
  },
};

await mkdir(out, { recursive: true });
await build({
  entryPoints: { explorer: path.join(web, 'main.ts'), 'map-worker': path.join(web, 'map-worker.ts') },
  outdir: out,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: false,
  inject: [path.join(web, 'shims/process.ts')],
  plugins: [browserPlugin],
  logLevel: 'warning',
});
await Promise.all(['index.html', 'explorer.css'].map((name) => copyFile(path.join(web, name), path.join(out, name))));
