/**
 * The GeoTIFF `curie synth` writes: a synthetic anomaly encoded as one band.
 */
import { writeGeoTiff } from '../io/write-geotiff.js';
import { synthesiseAnomaly, type SynthesiseOptions } from '../synthetic/synthesise.js';

/** The bytes of a GeoTIFF of `synthesiseAnomaly(options)` (one `anomaly` band; same options, same bytes). */
export function syntheticGeoTiff(options: SynthesiseOptions): Uint8Array {
  const raster = synthesiseAnomaly(options);
  const [rows, cols] = raster.data.shape;
  const spacing = (raster.xmax - raster.xmin) / (cols - 1);
  return writeGeoTiff({
    cols,
    rows,
    xmin: raster.xmin,
    ymin: raster.ymin,
    spacingX: spacing,
    spacingY: spacing,
    crs: raster.crs,
    bands: [{ name: 'anomaly', values: Float64Array.from(raster.data.data) }],
  });
}
