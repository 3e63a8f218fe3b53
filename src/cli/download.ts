/**
 * `curie download`: fetch a known dataset (or any http(s) URL) into a file, checking its digest; a
 * file already there with the right digest is kept without touching the network.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import cliProgress from 'cli-progress';
import { CurieError } from '../errors.js';
import type { CommandContext } from './context.js';
import { KNOWN_DATASETS, knownDataset } from '../io/datasets.js';
import { downloadCachedFile, type DownloadOptions } from '../io/download.js';
import { progressMode } from './progress.js';

/** Options of `curie download`. */
export interface DownloadCommandOptions {
  out?: string;
  sha256?: string;
  md5?: string;
  progress?: string;
  quiet?: boolean;
}

/** `curie download --list`: the datasets the registry knows. */
export function listDatasets(): string {
  return KNOWN_DATASETS.map(
    (d) =>
      `${d.name}\n  ${d.description}\n  ${d.url}\n  ${d.approximateSize}; ${d.md5 ? `md5 ${d.md5}` : d.sha256 ? `sha256 ${d.sha256}` : 'no digest'} (${d.digestSource})\n  ${d.usage}\n`,
  ).join('\n');
}

/** `curie download NAME|URL --out FILE`. */
export async function runDownload(
  what: string | undefined,
  options: DownloadCommandOptions & { list?: boolean },
  context: CommandContext,
): Promise<void> {
  const { signal, io } = context;
  if (options.list || what === undefined) {
    io.stdout.write(listDatasets());
    return;
  }
  const dataset = knownDataset(what);
  const isUrl = /^[a-z][a-z0-9+.-]*:/i.test(what);
  if (dataset === undefined && !isUrl) {
    throw new CurieError(
      'E_ARGUMENT',
      `unknown dataset '${what}': known are ${KNOWN_DATASETS.map((d) => d.name).join(', ')} (curie download --list), or give an http(s) URL`,
    );
  }
  const url = dataset?.url ?? what;
  const fileName =
    dataset?.fileName ?? (decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '') || 'download');
  const out =
    options.out === undefined
      ? fileName
      : (await stat(options.out).then(
            (s) => s.isDirectory(),
            () => false,
          ))
        ? join(options.out, fileName)
        : options.out;
  const digest: Pick<DownloadOptions, 'sha256' | 'md5'> =
    options.sha256 !== undefined || options.md5 !== undefined
      ? {
          ...(options.sha256 !== undefined ? { sha256: options.sha256 } : {}),
          ...(options.md5 !== undefined ? { md5: options.md5 } : {}),
        }
      : {
          ...(dataset?.sha256 !== undefined ? { sha256: dataset.sha256 } : {}),
          ...(dataset?.md5 !== undefined ? { md5: dataset.md5 } : {}),
        };
  const mode = progressMode(options.progress, options.quiet === true, io.stderr);
  const bar =
    mode === 'bar'
      ? new cliProgress.SingleBar(
          {
            format: 'download [{bar}] {percentage}% | {value}/{total} MB | ETA {eta_formatted}',
            stream: io.stderr,
            hideCursor: true,
          },
          cliProgress.Presets.shades_classic,
        )
      : undefined;
  let started = false;
  const megabytes = (n: number) => Math.round(n / 1e5) / 10;
  try {
    const result = await downloadCachedFile(url, out, {
      ...digest,
      signal,
      onProgress: (received, total) => {
        if (bar === undefined) return;
        if (!started) bar.start(total === undefined ? 0 : megabytes(total), 0);
        started = true;
        bar.update(megabytes(received));
      },
    });
    if (started) bar?.stop();
    if (mode !== 'none') {
      const verified =
        digest.sha256 !== undefined
          ? 'sha256 verified'
          : digest.md5 !== undefined
            ? 'md5 verified'
            : 'not verified: no digest known';
      io.stderr.write(
        `${result.downloaded ? 'downloaded' : 'cached'} ${out} (${result.bytes} bytes, ${verified}; sha256 ${result.sha256})\n`,
      );
    }
  } catch (error) {
    if (started) bar?.stop();
    throw error;
  }
}
