import { CurieError, fmt } from '../errors.js';
import { readSource } from './load.js';
import { readPointsFromBytes } from './text.js';

/** Scattered points read from a `longitude latitude value` file (degrees, degrees, file units). */
export interface LonLatPoints {
  /** Longitudes in degrees (east positive). */
  x: Float64Array;
  /** Latitudes in degrees (north positive). */
  y: Float64Array;
  /** Values (e.g. anomaly in nT); `nan` in the file becomes NaN. */
  values: Float64Array;
}

/**
 * Read a 3-column `longitude latitude value` text file (such as the EMAG2 subset in `data/`) into
 * scattered points, in file order, ready for {@link transformCoordinates} and {@link gridScattered}.
 *
 * Format as {@link parseXYZ} (columns separated by spaces, tabs or commas; `#` comments, blank
 * lines and a header line skipped; `nan` values allowed) but the points need not form a lattice.
 *
 * @param path a file path, a `file:` URL, or the file's bytes.
 * @returns longitudes (degrees), latitudes (degrees) and values as Float64Arrays.
 * @throws CurieError `E_NOT_FOUND` when the file cannot be read; `E_FORMAT` naming the line for a
 *   line that is not three numbers or a latitude outside −90…90° or a longitude outside −180…360°
 *   (a file in metres, not degrees).
 */
export async function loadLonLatPoints(path: string | URL | Uint8Array): Promise<LonLatPoints> {
  const { bytes, source } = await readSource(path);
  const points = readPointsFromBytes(bytes, source);
  const n = points.count;
  for (let i = 0; i < n; i++) {
    const lon = points.x[i];
    const lat = points.y[i];
    if (lat < -90 || lat > 90 || lon < -180 || lon > 360) {
      throw new CurieError(
        'E_FORMAT',
        `${source}: line ${points.line[i]}: longitude ${fmt(lon)}, latitude ${fmt(lat)} are not degrees (latitude −90…90, longitude −180…360); is the file projected?`,
      );
    }
  }
  return { x: points.x.slice(0, n), y: points.y.slice(0, n), values: points.value.slice(0, n) };
}
