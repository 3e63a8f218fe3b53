import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/**
 * A temporary directory for a test file (made before its tests, removed after them) and
 * `emptyDir(name)`: a fresh empty directory inside it.
 */
export function useTempDir(prefix: string): { emptyDir: (name: string) => Promise<string>; root: () => string } {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  return {
    root: () => dir,
    async emptyDir(name: string): Promise<string> {
      const path = join(dir, name);
      await rm(path, { recursive: true, force: true });
      await mkdir(path);
      return path;
    },
  };
}
