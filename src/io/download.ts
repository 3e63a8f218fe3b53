import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { CurieError } from '../errors.js';
import { openAtomicStream } from './atomic-write.js';

/** Options of {@link downloadCachedFile}: the expected digest (one of them), size and a progress callback. */
export interface DownloadOptions {
  /** Expected SHA-256 of the file, 64 hexadecimal digits. */
  sha256?: string;
  /** Expected MD5 of the file, 32 hexadecimal digits (what PyCurious records). */
  md5?: string;
  /** Expected size in bytes; a transfer of another length is an error. */
  size?: number;
  /** Called as bytes arrive: bytes so far, and the total when the server says it (else undefined). */
  onProgress?: (received: number, total: number | undefined) => void;
  /** Stops the transfer (the temporary file is removed). */
  signal?: AbortSignal;
}

/** What {@link downloadCachedFile} did. */
export interface DownloadResult {
  /** The file's path (as given). */
  path: string;
  /** False when a cached file with the right digest was used and the network was not touched. */
  downloaded: boolean;
  /** Size in bytes. */
  bytes: number;
  /** The file's SHA-256 and MD5, lower-case hexadecimal (to pin a dataset that publishes no digest). */
  sha256: string;
  md5: string;
}

/**
 * Download `url` to `path` unless `path` already holds the file (PyCurious's
 * `download_cached_file`), checking its digest.
 *
 * - A file already at `path` whose digest matches is kept: nothing is fetched. Without a digest an
 *   existing file is kept when its size is `size` (or any size when `size` is not given). A file
 *   with another digest is replaced.
 * - The body is streamed to a temporary file beside `path`, hashed on the way, and renamed to
 *   `path` only when it is complete and its digest matches; on any failure nothing is left (and a
 *   previous file at `path` is untouched). Redirects are followed (at most 20, http and https only).
 *
 * @param url an `http:` or `https:` address.
 * @param path where the file goes; its directory must exist.
 * @returns the path, whether it was downloaded, its size and digests.
 * @throws CurieError `E_ARGUMENT` for a URL that is not http(s), a digest of the wrong length or
 *   not hexadecimal, both digests at once, or a negative size; `E_DOWNLOAD` when the server cannot
 *   be reached, answers with an HTTP error, or the transfer ends early (fewer bytes than
 *   Content-Length or `size`); `E_CHECKSUM` when the bytes do not have the expected digest;
 *   `E_NOT_FOUND` when the directory of `path` does not exist.
 */
export async function downloadCachedFile(
  url: string,
  path: string,
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  const expected = checkOptions(url, options);
  const cached = await existingFile(path);
  if (cached !== undefined) {
    const sizeOk = options.size === undefined || cached.bytes === options.size;
    const digestOk = expected === undefined || cached[expected.algorithm] === expected.digest;
    if (sizeOk && digestOk) return { path, downloaded: false, ...cached };
  }
  return fetchToFile(url, path, options, expected);
}

interface ExpectedDigest {
  algorithm: 'sha256' | 'md5';
  digest: string;
}

function checkOptions(url: string, options: DownloadOptions): ExpectedDigest | undefined {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new CurieError('E_ARGUMENT', `'${url}' is not a URL: give an http:// or https:// address`);
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new CurieError(
      'E_ARGUMENT',
      `cannot download ${url}: only http:// and https:// addresses are supported (for a local file, use its path)`,
    );
  }
  if (options.sha256 !== undefined && options.md5 !== undefined) {
    throw new CurieError('E_ARGUMENT', 'give one digest, sha256 or md5, not both');
  }
  if (options.size !== undefined && !(Number.isInteger(options.size) && options.size >= 0)) {
    throw new CurieError('E_ARGUMENT', `size ${String(options.size)} must be a whole number of bytes ≥ 0`);
  }
  for (const [algorithm, length] of [
    ['sha256', 64],
    ['md5', 32],
  ] as const) {
    const digest = options[algorithm];
    if (digest === undefined) continue;
    if (!new RegExp(`^[0-9a-fA-F]{${length}}$`).test(digest)) {
      throw new CurieError(
        'E_ARGUMENT',
        `${algorithm} '${digest}' must be ${length} hexadecimal digits (it has ${digest.length} characters)`,
      );
    }
    return { algorithm, digest: digest.toLowerCase() };
  }
  return undefined;
}

/** Size and digests of the file at `path`, or undefined when there is no regular file there. */
async function existingFile(path: string): Promise<Omit<DownloadResult, 'path' | 'downloaded'> | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  const sha256 = createHash('sha256');
  const md5 = createHash('md5');
  for await (const chunk of createReadStream(path)) {
    sha256.update(chunk as Buffer);
    md5.update(chunk as Buffer);
  }
  return { bytes: info.size, sha256: sha256.digest('hex'), md5: md5.digest('hex') };
}

async function fetchToFile(
  url: string,
  path: string,
  options: DownloadOptions,
  expected: ExpectedDigest | undefined,
): Promise<DownloadResult> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow', ...(options.signal ? { signal: options.signal } : {}) });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new CurieError('E_DOWNLOAD', `cannot download ${url}: ${reason(error)}`, { cause: error });
  }
  if (!response.ok || response.body === null) {
    await response.body?.cancel().catch(() => undefined);
    throw new CurieError(
      'E_DOWNLOAD',
      `cannot download ${url}: the server answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
    );
  }
  const header = response.headers.get('content-length');
  const total =
    header !== null && /^\d+$/.test(header) && response.headers.get('content-encoding') === null
      ? Number(header)
      : undefined;
  const out = await openAtomicStream(path);
  const sha256 = createHash('sha256');
  const md5 = createHash('md5');
  let received = 0;
  try {
    try {
      for await (const piece of response.body) {
        const chunk = piece as Uint8Array;
        sha256.update(chunk);
        md5.update(chunk);
        received += chunk.length;
        if (!out.stream.write(chunk)) await new Promise<void>((resolve) => out.stream.once('drain', resolve));
        options.onProgress?.(received, total ?? options.size);
      }
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new CurieError(
        'E_DOWNLOAD',
        `download of ${url} was cut off after ${received} bytes${total !== undefined ? ` of ${total}` : ''} (${reason(error)}); try again`,
        { cause: error },
      );
    }
    const wanted = total ?? options.size;
    if (wanted !== undefined && received !== wanted) {
      throw new CurieError(
        'E_DOWNLOAD',
        `download of ${url} was cut off: ${received} bytes received, ${wanted} expected; try again`,
      );
    }
    if (options.size !== undefined && received !== options.size) {
      throw new CurieError(
        'E_DOWNLOAD',
        `${url} is ${received} bytes, not the ${options.size} expected: the file on the server has changed or the size is wrong`,
      );
    }
    const digests = { sha256: sha256.digest('hex'), md5: md5.digest('hex') };
    if (expected !== undefined && digests[expected.algorithm] !== expected.digest) {
      throw new CurieError(
        'E_CHECKSUM',
        `${url} has ${expected.algorithm} ${digests[expected.algorithm]}, not the expected ${expected.digest}: the download is corrupt or the file has changed; nothing was written to ${path}`,
      );
    }
    await out.commit();
    return { path, downloaded: true, bytes: received, ...digests };
  } catch (error) {
    await out.abort();
    await response.body.cancel().catch(() => undefined);
    throw error;
  }
}

function reason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const text = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return text.split('\n')[0];
}
