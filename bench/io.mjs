/** Loading benchmark: parsing PyCurious's 3.8 MB text grid (when ../shared/reference is beside the project). */
import { existsSync, readFileSync } from 'node:fs';
import { parseXYZ } from '../dist/index.js';
import { measure } from './harness.mjs';

export function benchIo() {
  const path = new URL('../../shared/reference/pycurious/test_mag_data.txt', import.meta.url);
  if (!existsSync(path)) return console.log('# io: skipped (no ../shared/reference beside the project)');
  console.log('# io (one core)');
  const text = readFileSync(path, 'utf8');
  measure('parseXYZ test_mag_data.txt (93 025 points)', () => parseXYZ(text), { batches: 11 });
}
