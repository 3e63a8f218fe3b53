import { spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/temp-dir.js';
import { CurieError } from '../../src/errors.js';
import { openAtomicStream, tempPathFor, writeFileAtomic } from '../../src/io/atomic-write.js';

const { emptyDir, root } = useTempDir('curie-atomic-');

async function expectNotFound(promise: Promise<unknown>, ...fragments: string[]): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CurieError);
  expect((error as CurieError).code).toBe('E_NOT_FOUND');
  expect((error as CurieError).message).not.toContain('\n');
  for (const fragment of fragments) expect((error as CurieError).message).toContain(fragment);
}

describe('tempPathFor', () => {
  it('is a hidden, unique name in the same directory', () => {
    const path = join(root(), 'map.tif');
    const a = tempPathFor(path);
    const b = tempPathFor(path);
    expect(dirname(a)).toBe(root());
    expect(basename(a)).toMatch(new RegExp(`^\\.map\\.tif\\.${process.pid}\\.[0-9a-f]{12}\\.tmp$`));
    expect(a).not.toBe(b);
  });
});

describe('writeFileAtomic', () => {
  it('writes bytes and strings, replacing an existing file, and leaves no temporary file', async () => {
    const out = await emptyDir('write');
    const path = join(out, 'map.csv');
    await writeFileAtomic(path, 'old\n');
    await writeFileAtomic(path, 'x,y\n1,2\n');
    expect(await readFile(path, 'utf8')).toBe('x,y\n1,2\n');
    await writeFileAtomic(join(out, 'map.tif'), Uint8Array.of(0x4d, 0x4d, 0, 42), { fsync: true });
    expect([...(await readFile(join(out, 'map.tif')))]).toEqual([0x4d, 0x4d, 0, 42]);
    expect((await readdir(out)).sort()).toEqual(['map.csv', 'map.tif']);
  });

  it('names a missing output directory', async () => {
    const missing = join(root(), 'no-such-dir');
    await expectNotFound(
      writeFileAtomic(join(missing, 'map.tif'), 'x'),
      `output directory ${missing} does not exist`,
      'map.tif',
    );
    await expectNotFound(writeFileAtomic(join(missing, 'deeper', 'map.tif'), 'x'), join(missing, 'deeper'));
  });

  it('names an output "directory" that is a file', async () => {
    const out = await emptyDir('notdir');
    await writeFile(join(out, 'file'), 'x');
    await expectNotFound(writeFileAtomic(join(out, 'file', 'map.tif'), 'x'), `${join(out, 'file')} is not a directory`);
  });

  it('leaves neither a partial file nor a temporary one when the rename fails', async () => {
    const out = await emptyDir('rename-fails');
    await mkdir(join(out, 'taken')); // a directory where the file should go
    await expect(writeFileAtomic(join(out, 'taken'), 'data')).rejects.toThrow();
    expect(await readdir(out)).toEqual(['taken']);
    expect(await readdir(join(out, 'taken'))).toEqual([]);
  });
});

describe('openAtomicStream', () => {
  it('writes under a temporary name and renames on commit', async () => {
    const out = await emptyDir('stream');
    const path = join(out, 'map.ndjson');
    await writeFile(path, 'previous\n');
    const output = await openAtomicStream(path);
    expect(dirname(output.tempPath!)).toBe(out);
    for (let i = 0; i < 1000; i++) output.stream.write(`{"i":${i}}\n`);
    expect(await readFile(path, 'utf8')).toBe('previous\n'); // untouched until commit
    await output.commit();
    await output.commit(); // idempotent
    const lines = (await readFile(path, 'utf8')).split('\n');
    expect(lines).toHaveLength(1001);
    expect(lines[999]).toBe('{"i":999}');
    expect(await readdir(out)).toEqual(['map.ndjson']);
  });

  it('commits a stream the caller already ended, with fsync', async () => {
    const out = await emptyDir('ended');
    const output = await openAtomicStream(join(out, 'map.csv'), { fsync: true });
    output.stream.end('x,y\n');
    await output.commit();
    expect(await readFile(join(out, 'map.csv'), 'utf8')).toBe('x,y\n');
    expect(await readdir(out)).toEqual(['map.csv']);
  });

  it('abort removes the temporary file and leaves the requested name alone', async () => {
    const out = await emptyDir('abort');
    const output = await openAtomicStream(join(out, 'map.csv'), { fsync: true });
    output.stream.write('x,y\n1,');
    expect(await readdir(out)).toEqual([basename(output.tempPath!)]);
    await output.abort();
    await output.abort();
    expect(await readdir(out)).toEqual([]);
    await expect(output.commit()).rejects.toThrow(/aborted/);
    expect(await readdir(out)).toEqual([]);
  });

  it('commit reports a write error and removes the temporary file', async () => {
    const out = await emptyDir('write-error');
    const output = await openAtomicStream(join(out, 'map.csv'));
    output.stream.write('x,y\n');
    output.stream.destroy(new Error('disk full (simulated)'));
    await expect(output.commit()).rejects.toThrow('disk full (simulated)');
    expect(await readdir(out)).toEqual([]);
  });

  it('names a missing output directory', async () => {
    const missing = join(root(), 'missing-for-stream');
    await expectNotFound(openAtomicStream(join(missing, 'map.csv')), `output directory ${missing} does not exist`);
  });

  for (const [how, ending, status] of [
    [
      'exits (e.g. process.exit in a Ctrl-C handler)',
      `process.on('SIGINT', () => process.exit(130));
      process.kill(process.pid, 'SIGINT');`,
      130,
    ],
    ['crashes (an uncaught exception)', `setImmediate(() => { throw new Error('a bug'); });`, 1],
  ] as const)
    it(`removes pending temporary files when the process ${how}`, async () => {
      // The child runs plain JavaScript: transpile the module and its dependencies next to each other.
      const js = await emptyDir('exit-js');
      for (const name of ['io/atomic-write', 'io/output-target', 'errors']) {
        const source = await readFile(new URL(`../../src/${name}.ts`, import.meta.url), 'utf8');
        const output = ts.transpileModule(source, {
          compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
        }).outputText;
        await mkdir(dirname(join(js, `${name}.js`)), { recursive: true });
        await writeFile(join(js, `${name}.js`), output);
      }
      await writeFile(join(js, 'package.json'), '{"type":"module"}');
      const out = await emptyDir('exit');
      const script = `
      import { readdirSync } from 'node:fs';
      import { openAtomicStream } from './io/atomic-write.js';
      const output = await openAtomicStream(${JSON.stringify(join(out, 'map.csv'))});
      output.stream.write('x,y\\n1,');
      await new Promise((r) => output.stream.write('', r));
      console.log(readdirSync(${JSON.stringify(out)}).join(' '));
      ${ending}
      setTimeout(() => {}, 5000);
    `;
      await writeFile(join(js, 'child.mjs'), script);
      const child = spawnSync(process.execPath, [join(js, 'child.mjs')], { encoding: 'utf8' });
      if (status === 130) expect(child.stderr).toBe('');
      else expect(child.stderr).toContain('Error: a bug');
      expect(child.status).toBe(status);
      expect(child.stdout.trim()).toMatch(/^\.map\.csv\.\d+\.[0-9a-f]{12}\.tmp$/); // the temporary file existed
      expect(await readdir(out)).toEqual([]); // and is gone, with no map.csv
    });
});
