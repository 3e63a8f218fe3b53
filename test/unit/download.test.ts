import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CurieError } from '../../src/errors.js';
import { KNOWN_DATASETS } from '../../src/io/datasets.js';
import { downloadCachedFile } from '../../src/io/download.js';

// A local HTTP server on 127.0.0.1 stands for the data centre: whole files, a redirect, a 404,
// and a body cut short (Content-Length larger than what is sent before the connection closes).

const BODY = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 251));
const SHA256 = createHash('sha256').update(BODY).digest('hex');
const MD5 = createHash('md5').update(BODY).digest('hex');

let dir: string;
let server: Server;
let base: string;
let requests = 0;

function startServer(): Promise<void> {
  server = createServer((request, response) => {
    requests++;
    if (request.url === '/grid.bin') {
      response.writeHead(200, { 'Content-Length': BODY.length });
      response.end(BODY);
    } else if (request.url === '/moved') {
      response.writeHead(302, { Location: '/grid.bin' });
      response.end();
    } else if (request.url === '/truncated') {
      response.writeHead(200, { 'Content-Length': BODY.length });
      response.write(BODY.subarray(0, 50_000), () => response.destroy());
    } else {
      response.writeHead(404);
      response.end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'curie-download-'));
  await startServer();
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>, code: string, ...fragments: string[]): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected a CurieError ${code}`).toBeInstanceOf(CurieError);
  expect((error as CurieError).code).toBe(code);
  expect((error as CurieError).message).not.toContain('\n');
  for (const fragment of fragments) expect((error as CurieError).message).toContain(fragment);
}

/** Files in the download directory other than those named (no temporary file may remain). */
const leftovers = (...expected: string[]) => readdirSync(dir).filter((f) => !expected.includes(f));

describe('downloadCachedFile', () => {
  it('downloads, checks the digest, reports progress; a redirect is followed', async () => {
    const path = join(dir, 'grid.bin');
    const progress: Array<[number, number | undefined]> = [];
    const result = await downloadCachedFile(`${base}/grid.bin`, path, {
      sha256: SHA256,
      onProgress: (r, t) => progress.push([r, t]),
    });
    expect(result).toEqual({ path, downloaded: true, bytes: BODY.length, sha256: SHA256, md5: MD5 });
    expect(readFileSync(path).equals(BODY)).toBe(true);
    expect(progress.at(-1)).toEqual([BODY.length, BODY.length]);
    const moved = await downloadCachedFile(`${base}/moved`, join(dir, 'moved.bin'), { md5: MD5.toUpperCase() });
    expect(moved.downloaded).toBe(true);
    expect(readFileSync(join(dir, 'moved.bin')).equals(BODY)).toBe(true);
    expect(leftovers('grid.bin', 'moved.bin')).toEqual([]);
  });

  it('a checksum mismatch is E_CHECKSUM and leaves nothing, not even over a previous file', async () => {
    const path = join(dir, 'bad.bin');
    await rejection(
      downloadCachedFile(`${base}/grid.bin`, path, { md5: '0'.repeat(32) }),
      'E_CHECKSUM',
      `md5 ${MD5}`,
      'nothing was written',
    );
    expect(existsSync(path)).toBe(false);
    writeFileSync(path, 'old');
    await rejection(downloadCachedFile(`${base}/grid.bin`, path, { sha256: 'f'.repeat(64) }), 'E_CHECKSUM');
    expect(readFileSync(path, 'utf8')).toBe('old');
    rmSync(path);
    expect(leftovers('grid.bin', 'moved.bin')).toEqual([]);
  });

  it('a body shorter than its Content-Length, an HTTP error or an unreachable server is E_DOWNLOAD', async () => {
    await rejection(
      downloadCachedFile(`${base}/truncated`, join(dir, 'cut.bin'), { sha256: SHA256 }),
      'E_DOWNLOAD',
      'cut off',
      `of ${BODY.length}`,
    );
    await rejection(downloadCachedFile(`${base}/missing`, join(dir, 'cut.bin')), 'E_DOWNLOAD', 'HTTP 404');
    // A size that disagrees with what the server sends.
    await rejection(
      downloadCachedFile(`${base}/grid.bin`, join(dir, 'cut.bin'), { size: BODY.length + 1 }),
      'E_DOWNLOAD',
      `${BODY.length} bytes`,
    );
    expect(leftovers('grid.bin', 'moved.bin')).toEqual([]);
  });

  it('reuses a cached file with the right digest without the network; replaces a wrong one', async () => {
    const path = join(dir, 'grid.bin');
    const before = requests;
    const cached = await downloadCachedFile(`${base}/grid.bin`, path, { sha256: SHA256 });
    expect(cached).toMatchObject({ downloaded: false, sha256: SHA256, bytes: BODY.length });
    expect(requests).toBe(before);
    // With the server stopped, the cached file is still returned; a missing one cannot be fetched.
    await new Promise<void>((resolve) => server.close(() => resolve()));
    try {
      expect((await downloadCachedFile(`${base}/grid.bin`, path, { md5: MD5 })).downloaded).toBe(false);
      await rejection(
        downloadCachedFile(`${base}/grid.bin`, join(dir, 'other.bin'), { md5: MD5 }),
        'E_DOWNLOAD',
        'cannot download',
      );
    } finally {
      await new Promise<void>((resolve) => server.listen(Number(new URL(base).port), '127.0.0.1', () => resolve()));
    }
    writeFileSync(path, 'corrupt');
    const again = await downloadCachedFile(`${base}/grid.bin`, path, { sha256: SHA256 });
    expect(again.downloaded).toBe(true);
    expect(readFileSync(path).equals(BODY)).toBe(true);
  });

  it('a URL that is not http(s) or a digest of the wrong length is E_ARGUMENT before any request', async () => {
    const before = requests;
    await rejection(
      downloadCachedFile('ftp://example.org/emag2.tif', join(dir, 'x')),
      'E_ARGUMENT',
      'only http:// and https://',
    );
    await rejection(downloadCachedFile('file:///etc/passwd', join(dir, 'x')), 'E_ARGUMENT', 'file:///etc/passwd');
    await rejection(
      downloadCachedFile(`${base}/grid.bin`, join(dir, 'x'), { sha256: MD5 }),
      'E_ARGUMENT',
      'sha256',
      '64 hexadecimal digits',
      '32 characters',
    );
    await rejection(
      downloadCachedFile(`${base}/grid.bin`, join(dir, 'x'), { md5: 'xyz' }),
      'E_ARGUMENT',
      'md5',
      '32 hexadecimal',
    );
    expect(requests).toBe(before);
  });
});

describe('the dataset registry', () => {
  it('names EMAG2 v3 and Li et al. (2017), each with http(s) addresses, well-formed digests or the reason there is none', () => {
    expect(KNOWN_DATASETS.map((d) => d.name)).toEqual(expect.arrayContaining(['emag2-v3', 'li2017-curie-depth']));
    for (const d of KNOWN_DATASETS) {
      expect(new URL(d.url).protocol).toMatch(/^https?:$/);
      if (d.md5 !== undefined) expect(d.md5).toMatch(/^[0-9a-f]{32}$/);
      if (d.sha256 !== undefined) expect(d.sha256).toMatch(/^[0-9a-f]{64}$/);
      if (d.md5 === undefined && d.sha256 === undefined) expect(d.digestSource).toMatch(/no checksum/);
    }
  });
});
