import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, createReadStream, openSync } from 'node:fs';
import { link, lstat, mkdir, readdir, readFile, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/temp-dir.js';
import { CurieError } from '../../src/errors.js';
import { openAtomicStream, writeFileAtomic } from '../../src/io/atomic-write.js';
import { openOutput } from '../../src/io/output.js';
import { classifyOutput, OutputError, refuseInputAsOutput } from '../../src/io/output-target.js';

// What sits at an output path decides how it is written: regular files and absent names are
// replaced atomically, symbolic links followed, FIFOs and devices written in place, directories
// refused; an output that is an input is refused; write errors are one line naming the output.

const { emptyDir } = useTempDir('curie-output-');

async function rejection(promise: Promise<unknown>): Promise<CurieError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CurieError);
  expect((error as CurieError).message).not.toContain('\n');
  return error as CurieError;
}

describe('classifyOutput', () => {
  it('replaces absent names and regular files, writes FIFOs and character devices in place', async () => {
    const out = await emptyDir('classify');
    await writeFile(join(out, 'old.csv'), 'old');
    execFileSync('mkfifo', [join(out, 'pipe')]);
    expect(await classifyOutput(join(out, 'new.csv'))).toMatchObject({ kind: 'replace', file: join(out, 'new.csv') });
    expect(await classifyOutput(join(out, 'old.csv'))).toMatchObject({ kind: 'replace', file: join(out, 'old.csv') });
    expect(await classifyOutput(join(out, 'pipe'))).toMatchObject({ kind: 'direct' });
    for (const device of ['/dev/null', '/dev/full']) expect((await classifyOutput(device)).kind).toBe('direct');
  });

  it('follows symbolic links, also to a target that does not exist yet', async () => {
    const out = await emptyDir('links');
    await mkdir(join(out, 'real'));
    await writeFile(join(out, 'real', 'map.csv'), 'old');
    await symlink(join('real', 'map.csv'), join(out, 'link.csv'));
    await symlink('link.csv', join(out, 'link2.csv'));
    await symlink(join('real', 'later.csv'), join(out, 'dangling.csv'));
    expect((await classifyOutput(join(out, 'link2.csv'))).file).toBe(join(out, 'real', 'map.csv'));
    expect(await classifyOutput(join(out, 'dangling.csv'))).toMatchObject({
      kind: 'replace',
      file: join(out, 'real', 'later.csv'),
    });
  });

  it('refuses a directory (before anything is written) and a loop of links, naming the path', async () => {
    const out = await emptyDir('refuse');
    await mkdir(join(out, 'maps'));
    const error = await rejection(writeFileAtomic(join(out, 'maps'), 'x'));
    expect(error.code).toBe('E_ARGUMENT');
    expect(error.message).toBe(
      `output ${join(out, 'maps')} is a directory; give the name of a file to write, e.g. ${join(out, 'maps', 'map.csv')}`,
    );
    await rejection(openAtomicStream(join(out, 'maps')));
    await symlink('b', join(out, 'a'));
    await symlink('a', join(out, 'b'));
    expect((await rejection(classifyOutput(join(out, 'a')))).message).toContain('loop of symbolic links');
    expect(await readdir(join(out, 'maps'))).toEqual([]);
  });
});

describe('writing through links and into FIFOs', () => {
  it('replaces the target of a symbolic link and keeps the link', async () => {
    const out = await emptyDir('write-link');
    await writeFile(join(out, 'target.csv'), 'old\n');
    await symlink('target.csv', join(out, 'link.csv'));
    await writeFileAtomic(join(out, 'link.csv'), 'new\n');
    expect((await lstat(join(out, 'link.csv'))).isSymbolicLink()).toBe(true);
    expect(await readlink(join(out, 'link.csv'))).toBe('target.csv');
    expect(await readFile(join(out, 'target.csv'), 'utf8')).toBe('new\n');
    const stream = await openOutput(join(out, 'link.csv'));
    await stream.write('streamed\n');
    await stream.commit();
    expect((await lstat(join(out, 'link.csv'))).isSymbolicLink()).toBe(true);
    expect(await readFile(join(out, 'target.csv'), 'utf8')).toBe('streamed\n');
    expect((await readdir(out)).sort()).toEqual(['link.csv', 'target.csv']);
  });

  it('writes a FIFO in place: the reader gets the bytes and the FIFO stays a FIFO', async () => {
    const out = await emptyDir('write-fifo');
    const fifo = join(out, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const read = new Promise<string>((done, fail) => {
      let text = '';
      createReadStream(fifo, 'utf8')
        .on('data', (chunk) => (text += String(chunk)))
        .on('end', () => done(text))
        .on('error', fail);
    });
    const output = await openOutput(fifo);
    await output.write('x,y\n');
    await output.write('1,2\n');
    await output.commit();
    expect(await read).toBe('x,y\n1,2\n');
    expect((await stat(fifo)).isFIFO()).toBe(true);
    expect(await readdir(out)).toEqual(['pipe']);
  });
});

describe('a file behind an open descriptor (`--out /dev/stdout >> log`)', () => {
  it('is appended to in place, never replaced (the caller opened it, maybe for appending)', async () => {
    const out = await emptyDir('descriptor');
    const log = join(out, 'log.ndjson');
    await writeFile(log, 'line0\n');
    const fd = openSync(log, 'a');
    try {
      expect(await classifyOutput(`/proc/self/fd/${fd}`)).toMatchObject({ kind: 'direct', append: true });
      await writeFileAtomic(`/dev/fd/${fd}`, 'line1\n');
    } finally {
      closeSync(fd);
    }
    expect(await readFile(log, 'utf8')).toBe('line0\nline1\n');
    expect(await readdir(out)).toEqual(['log.ndjson']);
  });

  it('an empty name is refused', async () => {
    expect((await rejection(classifyOutput(''))).message).toBe("output '' is empty; give the name of a file to write");
  });
});

describe('write errors', () => {
  it('a full disk is one line naming the output, with its errno; no temporary file is left', async () => {
    const whole = await rejection(writeFileAtomic('/dev/full', 'x'));
    expect(whole).toBeInstanceOf(OutputError);
    expect(whole.message).toBe('cannot write /dev/full: no space left on device (ENOSPC)');
    const output = await openOutput('/dev/full');
    // The failure arrives asynchronously: a later write or the commit reports it.
    const streamed = await rejection(
      (async () => {
        for (let i = 0; i < 100; i++) await output.write('x'.repeat(1000));
        await output.commit();
      })(),
    );
    expect((streamed as OutputError).errno).toBe('ENOSPC');
    expect(streamed.message).toBe('cannot write /dev/full: no space left on device (ENOSPC)');
  });

  it('standard output that fails (> /dev/full) fails the command with one line', () => {
    const script = `import { openOutput } from ${JSON.stringify(new URL('../../dist/io/output.js', import.meta.url).href)};
      const out = await openOutput(undefined);
      try { await out.write('hello\\n'); await out.commit(); console.error('no error'); } catch (e) { console.error(e.message); process.exitCode = 1; }`;
    const full = openSync('/dev/full', 'w');
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      stdio: ['ignore', full, 'pipe'],
    });
    closeSync(full);
    expect(child.stderr).toBe('cannot write standard output: no space left on device (ENOSPC)\n');
    expect(child.status).toBe(1);
  });
});

describe('refuseInputAsOutput', () => {
  it('refuses the input under another name (symbolic link, hard link, ./ prefix), naming both', async () => {
    const out = await emptyDir('same');
    const input = join(out, 'grid.tif');
    await writeFile(input, 'grid');
    await symlink('grid.tif', join(out, 'soft.tif'));
    await link(input, join(out, 'hard.tif'));
    for (const name of [input, join(out, 'soft.tif'), join(out, 'hard.tif'), join(out, '.', 'grid.tif')]) {
      const error = await rejection(refuseInputAsOutput(name, [join(out, 'other.tif'), input]));
      expect(error.code).toBe('E_ARGUMENT');
      expect(error.message).toBe(
        `--out ${name} is the same file as the input ${input}: writing it would destroy the input; choose another output name`,
      );
    }
    await refuseInputAsOutput(join(out, 'map.tif'), [input]);
    await writeFile(join(out, 'copy.tif'), 'grid');
    await refuseInputAsOutput(join(out, 'copy.tif'), [input]);
    expect(await readFile(input, 'utf8')).toBe('grid');
  });
});
