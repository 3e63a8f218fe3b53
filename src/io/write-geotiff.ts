import type { GeotiffWriterMetadata } from 'geotiff';
import { geotiffLibrary } from './geotiff-library.js';
import { CurieError, fmt } from '../errors.js';
import type { Raster } from './raster.js';

// GeoTIFF export of Curie-depth maps with geotiff's own writer (`writeArrayBuffer`): one Float64
// band per quantity, pixel-interleaved in a single uncompressed strip, big-endian.
//
// Our rasters have row 0 = south (ymin) and node (cell-centre) coordinates; a GeoTIFF is north-up
// with PixelIsArea corner georeferencing. So rows are written north first and the tie point is the
// north-west *corner*, half a pixel outside the north-west node: the inverse of `readGeoTiff`.
//
// GDAL-specific tags: GDAL_METADATA (42112) holds the band descriptions, GDAL_NODATA (42113) the
// nodata value. geotiff's writer knows 42113's type but not 42112's, so 42112 is registered as
// ASCII in `globals.fieldTagTypes` (the table only the writer reads). Bands after the first are
// declared ExtraSamples (unspecified), otherwise libtiff/GDAL warn that a min-is-black image
// has more samples than colour channels.

/** Bands of a Bouligand (2009) map, in file order: Curie depth, z_t, Δz (km), β, C, misfit. */
export const BOULIGAND_BANDS = [
  'curie_depth',
  'zt',
  'dz',
  'beta',
  'C',
  'misfit',
  'curie_depth_low',
  'curie_depth_high',
  'verdict',
  'status',
] as const;

/** Bands of a Tanaka (1999) map, in file order: Curie depth, its error, Ztr, Zor (all km). */
export const TANAKA_BANDS = ['curie_depth', 'curie_depth_error', 'Ztr', 'Zor'] as const;

/** One band to write: its description (printable ASCII) and its values. */
export interface GeoTiffBand {
  /** Band description, shown by GDAL (`gdalinfo`) and QGIS, e.g. `'curie_depth'`. */
  name: string;
  /** `cols × rows` values, row-major, row 0 = southern row (ymin); NaN = no value. */
  values: Float64Array;
}

/** Where the nodes of a map lie: a regular lattice `xmin + i·spacingX`, `ymin + j·spacingY`. */
export interface GeoTiffLattice {
  /** Number of columns (nodes along x). */
  cols: number;
  /** Number of rows (nodes along y). */
  rows: number;
  /** x of the western column's nodes (cell centres), in CRS units (metres when projected). */
  xmin: number;
  /** y of the southern row's nodes (cell centres), in CRS units (metres when projected). */
  ymin: number;
  /** Distance between columns = pixel width, in CRS units (metres when projected); > 0. */
  spacingX: number;
  /** Distance between rows = pixel height, in CRS units (metres when projected); > 0. */
  spacingY: number;
}

/** What {@link writeGeoTiff} writes. */
export interface WriteGeoTiffOptions extends GeoTiffLattice {
  /** One or more bands, each `cols × rows` values. */
  bands: readonly GeoTiffBand[];
  /**
   * `'EPSG:NNNN'` (1 ≤ NNNN ≤ 32766), as `readGeoTiff` reports it. Absent: the file has no CRS
   * (no GeoKeys at all; geotiff's writer would otherwise make up EPSG:4326).
   */
  crs?: string;
  /**
   * Nodata value (GDAL_NODATA) for every band. Default NaN (written `nan`, as GDAL does): NaN values
   * are stored as they are. A finite value replaces NaN values with it, and then no real value may
   * equal it (an error otherwise, since readers would take that value for a hole).
   */
  nodata?: number;
}

/** First and last code of each run of EPSG geographic (2D and 3D) CRS codes, from PROJ's proj.db (EPSG v10.076). */
const GEOGRAPHIC_EPSG =
  '3819 3821 3823-3824 3888-3889 3906 4001-4025 4027-4036 4040-4047 4052-4055 4074-4075 4080-4081 ' +
  '4120-4176 4178-4185 4188-4216 4218-4289 4291-4304 4306-4319 4322 4324 4326-4327 4329 4339 4341 ' +
  '4343 4345 4347 4349 4351 4353 4355 4357 4359 4361 4363 4365 4367 4369 4371 4373 4375 4377 4379 ' +
  '4381 4383 4386 4388 4463 4466 4469-4470 4472 4475 4480 4482-4483 4490 4555 4557-4558 4600-4646 ' +
  '4657-4765 4801-4811 4813-4821 4823-4824 4883 4885 4887 4889 4891 4893 4895 4898 4900-4904 4907 ' +
  '4909 4921 4923 4925 4927 4929 4931 4933 4935 4937 4939 4941 4943 4945 4947 4949 4951 4953 4955 ' +
  '4957 4959 4961 4963 4965 4967 4969 4971 4973 4975 4977 4979 4981 4983 4985 4987 4989 4991 4993 ' +
  '4995 4997 4999 5012-5013 5132 5228-5229 5233 5245-5246 5251-5252 5263-5264 5323-5324 5340 5342 ' +
  '5353-5354 5359-5360 5364-5365 5370-5373 5380-5381 5392-5393 5451 5464 5467 5488-5489 5524 5527 ' +
  '5545-5546 5560-5561 5592-5593 5681 5830 5885-5886 6134-6135 6207 6310-6311 6318-6319 6321-6322 ' +
  '6324-6325 6364-6365 6667-6668 6705-6706 6782-6783 6881-6883 6892 6894 6979-6980 6982-6983 ' +
  '6986-6987 6989-6990 7034-7042 7072-7073 7084-7088 7133 7135-7136 7138-7139 7372-7373 7657 7659 ' +
  '7661 7663 7665 7678 7680 7682-7683 7685-7686 7797-7798 7816 7843-7844 7880-7881 7885-7886 ' +
  '7900-7912 7915 7917 7919 7921 7923 7925 7927 7929 7931 8042-8043 8085-8086 8231-8232 8235 8237 ' +
  '8239-8240 8244 8246 8248-8249 8251-8252 8254-8255 8351 8399 8403 8426-8428 8430-8431 8449 8542 ' +
  '8544-8545 8684-8685 8694 8698-8699 8817-8818 8860 8888 8899-8902 8906-8907 8916 8918 8920 8922 ' +
  '8924 8926 8928 8930 8932 8934 8936 8938 8940 8942 8944 8946 8948-8949 8972-9000 9002-9003 ' +
  '9005-9006 9008-9009 9011-9014 9016-9019 9053-9057 9059-9069 9071-9072 9074-9075 9139-9140 ' +
  '9147-9148 9152-9153 9183-9184 9248 9251 9253 9267 9293-9294 9299 9308-9309 9332-9333 9364 9372 ' +
  '9379-9380 9384 9403 9453 9469-9470 9474-9475 9546-9547 9695-9696 9701-9702 9739 9754-9755 9758 ' +
  '9763 9776-9779 9781-9784 9866 9871 9893 9939 9964 9969 9974 9989-9990 20033 20040-20041 ';

let geographicCodes: Set<number> | undefined;

/**
 * Whether EPSG `code` is a geographic (latitude/longitude, 2D or 3D) CRS, to be written as
 * GeographicTypeGeoKey; every other code is taken as projected (ProjectedCSTypeGeoKey). Decided from a
 * table of the EPSG registry's geographic CRS codes (PROJ's proj.db, EPSG v10.076, deprecated codes
 * included): the 4000–4999 range alone would be wrong both ways (EPSG:4499 is a projected
 * Gauss-Krüger zone, EPSG:7844 GDA2020 is geographic). A code newer than the table is taken as projected.
 */
export function isGeographicEpsg(code: number): boolean {
  if (geographicCodes === undefined) {
    geographicCodes = new Set();
    for (const run of GEOGRAPHIC_EPSG.trim().split(/\s+/)) {
      const [first, last = first] = run.split('-').map(Number);
      for (let c = first; c <= last; c++) geographicCodes.add(c);
    }
  }
  return geographicCodes.has(code);
}

/** The EPSG code of `'EPSG:NNNN'` (case-insensitive), or an `E_ARGUMENT` error naming `crs`. */
export function epsgCode(crs: string): number {
  const match = /^\s*EPSG:(\d{1,5})\s*$/i.exec(crs);
  const code = match ? Number(match[1]) : NaN;
  if (!(code >= 1 && code <= 32766)) {
    throw new CurieError(
      'E_ARGUMENT',
      `CRS ${JSON.stringify(crs)} cannot be written to a GeoTIFF: give it as 'EPSG:<code>' with a code from 1 to 32766`,
    );
  }
  return code;
}

// GeoKey values (GeoTIFF 1.0 section 6.3.1).
const MODEL_PROJECTED = 1;
const MODEL_GEOGRAPHIC = 2;
const RASTER_PIXEL_IS_AREA = 1;
const PHOTOMETRIC_MIN_IS_BLACK = 1;
const SAMPLE_FORMAT_FLOAT = 3;
const EXTRA_SAMPLE_UNSPECIFIED = 0;
const GDAL_METADATA_TAG = 42112;

/**
 * Encode a map as a GeoTIFF: one Float64 band per entry of `bands`, named in GDAL_METADATA
 * (`gdalinfo` shows them as band descriptions), nodata in GDAL_NODATA, georeferenced on the lattice
 * of nodes (pixel size = spacing, in metres for a projected CRS), with the CRS `crs` or none.
 *
 * `values` are row-major with row 0 = south (ymin) and (xmin, ymin) the centre of the south-west
 * cell; the file is north-up (first row = north) with PixelIsArea georeferencing, so its origin is the
 * north-west corner `(xmin − spacingX/2, ymin + (rows − ½)·spacingY)`. `readGeoTiff` on the result
 * gives back the first band, the extent and the CRS.
 *
 * @returns the whole file (big-endian TIFF, one uncompressed strip).
 * @throws CurieError `E_ARGUMENT` for no bands, a band of the wrong length, a non-positive or
 *   non-finite spacing, a non-ASCII band name, a CRS other than `EPSG:<code>`, a finite `nodata`
 *   that occurs in the data, or band names too long for geotiff's 1000-byte header.
 */
export function writeGeoTiff(options: WriteGeoTiffOptions): Uint8Array {
  const { bands, cols, rows, xmin, ymin, spacingX, spacingY, crs } = options;
  const nodata = options.nodata ?? NaN;
  checkLattice(options);
  if (bands.length === 0) throw new CurieError('E_ARGUMENT', 'writeGeoTiff needs at least one band');
  if (!Number.isNaN(nodata) && !Number.isFinite(nodata)) {
    throw new CurieError('E_ARGUMENT', `nodata ${nodata} cannot be written: use NaN or a finite number such as -9999`);
  }
  for (const band of bands) {
    if (band.values.length !== cols * rows) {
      throw new CurieError(
        'E_ARGUMENT',
        `band ${JSON.stringify(band.name)} has ${band.values.length} values but a ${rows} × ${cols} map needs ${cols * rows}`,
      );
    }
    if (!/^[\x20-\x7e]*$/.test(band.name)) {
      throw new CurieError(
        'E_ARGUMENT',
        `band name ${JSON.stringify(band.name)} must be printable ASCII (a TIFF ASCII tag holds it)`,
      );
    }
  }

  const nb = bands.length;
  const pixels = interleaveNorthUp(bands, cols, rows, nodata);
  const ymax = ymin + (rows - 1) * spacingY;
  const metadata: GeotiffWriterMetadata & Record<string, unknown> = {
    width: cols,
    height: rows,
    BitsPerSample: new Array<number>(nb).fill(64),
    SampleFormat: new Array<number>(nb).fill(SAMPLE_FORMAT_FLOAT),
    // Explicit: the writer would make a 3-band image RGB.
    PhotometricInterpretation: PHOTOMETRIC_MIN_IS_BLACK,
    PlanarConfiguration: 1,
    ModelPixelScale: [spacingX, spacingY, 0],
    ModelTiepoint: [0, 0, 0, xmin - spacingX / 2, ymax + spacingY / 2, 0],
    // A 3-character placeholder fits inside its IFD entry; the XML is appended after the pixels
    // (see appendGdalMetadata), so band names do not compete for the writer's 1000-byte header.
    GDAL_METADATA: 'XML',
    GDAL_NODATA: Number.isNaN(nodata) ? 'nan' : String(nodata),
    ...geoKeys(crs),
  };
  if (nb > 1) metadata.ExtraSamples = new Array<number>(nb - 1).fill(EXTRA_SAMPLE_UNSPECIFIED);
  registerGdalMetadataTag();
  const bytes = new Uint8Array(geotiffLibrary().writeArrayBuffer(pixels, metadata));
  checkHeaderFits(bytes);
  return appendGdalMetadata(bytes, gdalMetadataXml(bands.map((b) => b.name)));
}

/**
 * The lattice of window centres listed y outer, x inner (as `createCentroidList` makes them):
 * `xc[j·cols + i] = xmin + i·spacingX`, `yc[j·cols + i] = ymin + j·spacingY`, each within 1e-6 of a
 * spacing. Values computed for the centres in that order are then row-major with row 0 = south,
 * as {@link writeGeoTiff} takes them.
 *
 * @param xc centres' x coordinates (metres when projected), in centroid order.
 * @param yc centres' y coordinates (metres when projected), in centroid order.
 * @param fallback spacings (metres) for a lattice of a single column or row, where they cannot be
 *   inferred (e.g. the spacing asked of `createCentroidList`, or the grid's).
 * @throws CurieError `E_LATTICE` when the centres are not such a lattice (shuffled, missing, uneven),
 *   or have a single column/row and no fallback spacing.
 */
export function centroidLattice(
  xc: ArrayLike<number>,
  yc: ArrayLike<number>,
  fallback: { spacingX?: number; spacingY?: number } = {},
): GeoTiffLattice {
  const n = xc.length;
  if (n === 0 || yc.length !== n) {
    throw new CurieError(
      'E_LATTICE',
      `window centres must be two lists of the same non-zero length (got ${xc.length} x and ${yc.length} y)`,
    );
  }
  let cols = 1;
  while (cols < n && xc[cols] > xc[cols - 1]) cols++;
  const rows = n / cols;
  if (!Number.isInteger(rows)) {
    throw new CurieError(
      'E_LATTICE',
      `${n} window centres with ${cols} in the first row do not form full rows (centres must be listed y outer, x inner)`,
    );
  }
  const spacingX = cols > 1 ? (xc[cols - 1] - xc[0]) / (cols - 1) : fallback.spacingX;
  const spacingY = rows > 1 ? (yc[(rows - 1) * cols] - yc[0]) / (rows - 1) : fallback.spacingY;
  for (const [axis, spacing] of [
    ['x', spacingX],
    ['y', spacingY],
  ] as const) {
    if (spacing === undefined) {
      throw new CurieError(
        'E_LATTICE',
        `the window centres have a single ${axis === 'x' ? 'column' : 'row'}: give the ${axis} spacing to georeference them`,
      );
    }
    if (!(spacing > 0 && Number.isFinite(spacing))) {
      throw new CurieError(
        'E_LATTICE',
        `the window centres' ${axis} spacing ${fmt(spacing)} is not positive: centres must be listed y outer, x inner, both ascending`,
      );
    }
  }
  const sx = spacingX as number;
  const sy = spacingY as number;
  const [x0, y0] = [xc[0], yc[0]];
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < cols; i++) {
      const k = j * cols + i;
      if (Math.abs(xc[k] - (x0 + i * sx)) > 1e-6 * sx || Math.abs(yc[k] - (y0 + j * sy)) > 1e-6 * sy) {
        throw new CurieError(
          'E_LATTICE',
          `window centre ${k} (${fmt(xc[k])}, ${fmt(yc[k])}) is not on the lattice x = ${fmt(x0)} + i·${fmt(sx)}, y = ${fmt(y0)} + j·${fmt(sy)} (expected i = ${i}, j = ${j})`,
        );
      }
    }
  }
  return { cols, rows, xmin: x0, ymin: y0, spacingX: sx, spacingY: sy };
}

function checkLattice({ cols, rows, xmin, ymin, spacingX, spacingY }: GeoTiffLattice): void {
  if (!(Number.isInteger(cols) && cols >= 1 && Number.isInteger(rows) && rows >= 1 && cols < 65536 && rows < 65536)) {
    throw new CurieError('E_ARGUMENT', `a GeoTIFF needs 1 to 65535 columns and rows (got ${cols} × ${rows})`);
  }
  if (!(Number.isFinite(xmin) && Number.isFinite(ymin))) {
    throw new CurieError('E_ARGUMENT', `the map origin (${xmin}, ${ymin}) must be finite`);
  }
  if (!(spacingX > 0 && spacingY > 0 && Number.isFinite(spacingX) && Number.isFinite(spacingY))) {
    throw new CurieError('E_ARGUMENT', `the pixel size ${spacingX} × ${spacingY} must be positive and finite`);
  }
}

/** Pixel-interleaved samples, first row = north; NaN → `nodata` when that is finite. */
function interleaveNorthUp(bands: readonly GeoTiffBand[], cols: number, rows: number, nodata: number): Float64Array {
  const nb = bands.length;
  const out = new Float64Array(cols * rows * nb);
  const replace = !Number.isNaN(nodata);
  for (let b = 0; b < nb; b++) {
    const values = bands[b].values;
    for (let r = 0; r < rows; r++) {
      const south = (rows - 1 - r) * cols;
      for (let c = 0; c < cols; c++) {
        let v = values[south + c];
        if (replace) {
          if (v === nodata) {
            throw new CurieError(
              'E_ARGUMENT',
              `band ${JSON.stringify(bands[b].name)} holds the nodata value ${fmt(nodata)} at row ${rows - 1 - r}, column ${c}: choose another nodata value (or NaN)`,
            );
          }
          if (Number.isNaN(v)) v = nodata;
        }
        out[(r * cols + c) * nb + b] = v;
      }
    }
  }
  return out;
}

/** GeoKeys for `crs`; none at all without a CRS (GDAL then reports no coordinate system). */
function geoKeys(crs: string | undefined): Partial<GeotiffWriterMetadata> {
  // `GeographicTypeGeoKey: undefined` stops the writer from adding EPSG:4326 and is itself skipped.
  if (crs === undefined) return { GeographicTypeGeoKey: undefined };
  const code = epsgCode(crs);
  return isGeographicEpsg(code)
    ? { GTModelTypeGeoKey: MODEL_GEOGRAPHIC, GTRasterTypeGeoKey: RASTER_PIXEL_IS_AREA, GeographicTypeGeoKey: code }
    : { GTModelTypeGeoKey: MODEL_PROJECTED, GTRasterTypeGeoKey: RASTER_PIXEL_IS_AREA, ProjectedCSTypeGeoKey: code };
}

/** GDAL's band descriptions: `<GDALMetadata><Item name="DESCRIPTION" sample="0" role="description">…`. */
function gdalMetadataXml(names: readonly string[]): string {
  const items = names.map(
    (name, i) => `<Item name="DESCRIPTION" sample="${i}" role="description">${escapeXml(name)}</Item>`,
  );
  return `<GDALMetadata>${items.join('')}</GDALMetadata>`;
}

function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[ch] as string,
  );
}

/** Tell geotiff's writer that tag 42112 (GDAL_METADATA) is ASCII; it knows 42113 (GDAL_NODATA) already. */
function registerGdalMetadataTag(): void {
  (geotiffLibrary().globals.fieldTagTypes as Record<number, string>)[GDAL_METADATA_TAG] = 'ASCII';
}

/**
 * The file with `xml` (NUL-terminated) appended at the end and the GDAL_METADATA entry pointed at
 * it: TIFF lets a tag's value live anywhere in the file, and geotiff's writer has room for only
 * about seven band names in its fixed header block.
 */
function appendGdalMetadata(bytes: Uint8Array, xml: string): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ifd = view.getUint32(4);
  const count = view.getUint16(ifd);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + 12 * i;
    if (view.getUint16(entry) !== GDAL_METADATA_TAG) continue;
    const offset = bytes.length + (bytes.length % 2); // word-aligned, as TIFF asks
    const out = new Uint8Array(offset + xml.length + 1);
    out.set(bytes);
    for (let c = 0; c < xml.length; c++) out[offset + c] = xml.charCodeAt(c);
    const patched = new DataView(out.buffer);
    patched.setUint32(entry + 4, xml.length + 1);
    patched.setUint32(entry + 8, offset);
    return out;
  }
  throw new CurieError('E_ARGUMENT', 'internal error: the GeoTIFF writer dropped the GDAL_METADATA tag');
}

/** Byte size of each TIFF field type, by type number. */
const FIELD_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 12: 8 };

/**
 * geotiff's writer puts the header in a fixed 1000-byte block before the strip and silently drops
 * whatever does not fit: check that every tag's value ends before the strip starts.
 */
function checkHeaderFits(bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ifd = view.getUint32(4);
  const count = view.getUint16(ifd);
  let dataStart = bytes.length;
  let end = ifd + 2 + 12 * count + 4;
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + 12 * i;
    const tag = view.getUint16(entry);
    const size = (FIELD_SIZE[view.getUint16(entry + 2)] ?? 0) * view.getUint32(entry + 4);
    if (tag === 273) dataStart = view.getUint32(entry + 8); // StripOffsets (one strip, value inline)
    if (size > 4) end = Math.max(end, view.getUint32(entry + 8) + size);
  }
  if (end > dataStart) {
    throw new CurieError(
      'E_ARGUMENT',
      `the GeoTIFF header needs ${end} bytes but geotiff's writer has room for ${dataStart}: use fewer or shorter band names`,
    );
  }
}

/**
 * A one-band GeoTIFF of a raster (Float64, NaN nodata, its CRS when it has one): what `curie synth`
 * and `curie grid` write. Node spacing must be equal along x and y (checked by writeGeoTiff).
 * @param raster the raster (node extent, metres when projected).
 * @param bandName the band's description, e.g. `'anomaly'`.
 */
export function rasterGeoTiff(raster: Raster, bandName: string): Uint8Array {
  const [rows, cols] = raster.data.shape;
  const spacingX = (raster.xmax - raster.xmin) / (cols - 1);
  const dy = (raster.ymax - raster.ymin) / (rows - 1);
  // one pixel size when the two agree to rounding (a square-celled grid stays square in the file)
  const spacingY = Math.abs(dy - spacingX) <= 1e-9 * spacingX ? spacingX : dy;
  const values = Float64Array.from({ length: rows * cols }, (_, i) => raster.data.get(Math.floor(i / cols), i % cols));
  return writeGeoTiff({
    cols,
    rows,
    xmin: raster.xmin,
    ymin: raster.ymin,
    spacingX,
    spacingY,
    crs: raster.crs,
    bands: [{ name: bandName, values }],
  });
}
