import ndarray from 'ndarray';
import type { GeoTIFFImage, TypedArray } from 'geotiff';
import { CurieError, fmt } from '../errors.js';
import { type Raster, sharedFloat64 } from './raster.js';
import { geotiffLibrary } from './geotiff-library.js';
import { useBoundedDecoders } from './tiff-decoders.js';
import { checkAllocation } from '../memory-budget.js';

// GeoTIFF keys and values used here (GeoTIFF 1.0 spec, section 6).
const RASTER_PIXEL_IS_POINT = 2;
const USER_DEFINED = 32767;
const SAMPLE_FORMAT_FLOAT = 3;

/**
 * Whether `bytes` start with a TIFF signature: classic (`II*\0`, `MM\0*`) or BigTIFF (`II+\0`,
 * `MM\0+`).
 */
export function isTiff(bytes: Uint8Array): boolean {
  if (bytes.length < 4) return false;
  const [a, b, c, d] = bytes;
  if (a === 0x49 && b === 0x49) return d === 0 && (c === 42 || c === 43);
  if (a === 0x4d && b === 0x4d) return c === 0 && (d === 42 || d === 43);
  return false;
}

/**
 * Read one band of a GeoTIFF (the first unless `options.band` names another: 1-based index, or its
 * description as GDAL writes and shows it, e.g. `'curie_depth_high'` in a map of `curie map`) (stripped or tiled; uncompressed, DEFLATE, LZW, … with any
 * predictor; any integer or float sample type) into a {@link Raster}.
 *
 * - Row 0 of the result is the southern edge: north-up files (y decreasing down the rows) are
 *   flipped, and so are files whose x decreases along a row.
 * - The extent is in node (cell-centre) coordinates, in the file's units (metres for projected
 *   CRSs): PixelIsArea files (the default) have their corner georeferencing moved half a cell
 *   inward, PixelIsPoint files are taken as nodes already.
 * - The GDAL_NODATA value becomes NaN, and so does every pixel an internal mask or an alpha sample
 *   marks as missing (0), as GDAL reads them.
 * - `crs` is `'EPSG:<code>'` from ProjectedCSTypeGeoKey, else GeographicTypeGeoKey; absent when
 *   the CRS is user-defined (32767) or not given.
 * - A file without georeferencing uses pixel indices as coordinates: x = column index, y = row
 *   index (`xmin = ymin = 0`, spacing 1) and keeps the file's row order, as GDAL's default
 *   geotransform (y growing down the rows) implies.
 *
 * @param buffer the whole file.
 * @param source name of the file for error messages (default `'GeoTIFF buffer'`).
 * @throws CurieError `E_FORMAT` for an empty, truncated or corrupt file, a file that is not a
 *   TIFF, or a rotated/sheared georeferencing.
 */
export async function readGeoTiff(
  buffer: ArrayBuffer | Uint8Array,
  source = 'GeoTIFF buffer',
  options: { band?: number | string } = {},
): Promise<Raster> {
  const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
  if (bytes.length === 0) throw formatError(source, 'is empty');
  if (!isTiff(bytes)) throw formatError(source, `is not a TIFF file (it starts with bytes ${hexBytes(bytes)})`);
  try {
    useBoundedDecoders(); // a corrupt block must not inflate past its size (or abort the process)
    const tiff = await geotiffLibrary().fromArrayBuffer(ownArrayBuffer(bytes));
    const image = await tiff.getImage(0);
    await checkBlocksInside(image, bytes.length, source);
    checkImageMemory(image, source);
    const layout = georeference(image, source);
    const [band] = (await image.readRasters({
      samples: [await bandIndex(image, options.band, source)],
    })) as TypedArray[];
    const values = toNodeGrid(
      band,
      image.getWidth(),
      image.getHeight(),
      layout,
      noDataValue(image),
      await validityMask(tiff, image),
    );
    const raster: Raster = {
      data: ndarray(values, [image.getHeight(), image.getWidth()]),
      xmin: layout.xmin,
      xmax: layout.xmax,
      ymin: layout.ymin,
      ymax: layout.ymax,
    };
    const crs = crsOf(image);
    if (crs !== undefined) raster.crs = crs;
    return raster;
  } catch (error) {
    if (error instanceof CurieError) throw error;
    // geotiff reports corrupt input as plain Error/TypeError/RangeError: wrap them (one line).
    const reason = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').slice(0, 200);
    throw formatError(source, `is truncated or not a readable GeoTIFF (${reason})`, error);
  }
}

/** Band descriptions from GDAL's metadata (`<Item name="DESCRIPTION" sample="i" role="description">`), by sample. */
async function bandNames(image: GeoTIFFImage): Promise<Map<number, string>> {
  const xml = (await image.getFileDirectory().loadValue('GDAL_METADATA')) as string | undefined;
  const names = new Map<number, string>();
  const item = /<Item\s+name="DESCRIPTION"\s+sample="(\d+)"\s+role="description"\s*>([^<]*)<\/Item>/g;
  const unescape = (text: string) =>
    text
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&');
  for (const match of (xml ?? '').matchAll(item)) names.set(Number(match[1]), unescape(match[2]));
  return names;
}

/** The 0-based sample of `band` (1-based number or description); the first when undefined. */
async function bandIndex(image: GeoTIFFImage, band: number | string | undefined, source: string): Promise<number> {
  const count = image.getSamplesPerPixel();
  if (band === undefined) return 0;
  if (typeof band === 'number') {
    if (!Number.isInteger(band) || band < 1 || band > count)
      throw new CurieError('E_ARGUMENT', `band ${band} of ${source} does not exist: it has bands 1 to ${count}`);
    return band - 1;
  }
  const names = await bandNames(image);
  for (const [sample, name] of names) if (name === band && sample < count) return sample;
  const known = [...names.values()];
  throw new CurieError(
    'E_ARGUMENT',
    `${source} has no band named '${band}'; its bands are ${known.length > 0 ? known.join(', ') : `unnamed (1 to ${count})`}`,
  );
}

/** Node extent of the result and whether file rows/columns must be reversed to reach it. */
interface Layout {
  xmin: number;
  xmax: number;
  ymin: number;
  ymax: number;
  flipRows: boolean;
  flipCols: boolean;
}

/**
 * Work out the node extent from ModelPixelScale + ModelTiepoint, or ModelTransformation.
 * Both say where raster point (col, row) lands: `x = tie.x + (col − tie.col)·step.x`, same for y.
 * For PixelIsArea the centre of pixel c is raster point c + ½; for PixelIsPoint it is c.
 */
function georeference(image: GeoTIFFImage, source: string): Layout {
  const directory = image.getFileDirectory();
  const scale = directory.getValue('ModelPixelScale') as ArrayLike<number> | undefined;
  const tiepoint = directory.getValue('ModelTiepoint') as ArrayLike<number> | undefined;
  const transformation = directory.getValue('ModelTransformation') as ArrayLike<number> | undefined;
  const cols = image.getWidth();
  const rows = image.getHeight();

  let tie: { col: number; row: number; x: number; y: number };
  let step: { x: number; y: number };
  if (scale && tiepoint && tiepoint.length >= 6) {
    tie = { col: tiepoint[0], row: tiepoint[1], x: tiepoint[3], y: tiepoint[4] };
    // ModelPixelScale holds the y spacing as a positive number for north-up files (y falls as row rises).
    step = { x: scale[0], y: -scale[1] };
  } else if (transformation && transformation.length >= 8) {
    const [a, b, , d, e, f, , h] = Array.from(transformation);
    if (b !== 0 || e !== 0) {
      throw formatError(
        source,
        `has a rotated or sheared ModelTransformation (terms ${fmt(b)}, ${fmt(e)}); only north-up or south-up grids are supported`,
      );
    }
    tie = { col: 0, row: 0, x: d, y: h };
    step = { x: a, y: f };
  } else if (scale || tiepoint || transformation) {
    throw formatError(
      source,
      'has incomplete georeferencing (needs ModelPixelScale with ModelTiepoint, or ModelTransformation)',
    );
  } else {
    return { xmin: 0, xmax: cols - 1, ymin: 0, ymax: rows - 1, flipRows: false, flipCols: false };
  }
  if (![tie.x, tie.y, tie.col, tie.row, step.x, step.y].every(Number.isFinite) || step.x === 0 || step.y === 0) {
    throw formatError(source, `has degenerate georeferencing (pixel size ${fmt(step.x)} × ${fmt(step.y)})`);
  }

  const half = image.getGeoKeys()?.GTRasterTypeGeoKey === RASTER_PIXEL_IS_POINT ? 0 : 0.5;
  const nodeX = (col: number) => tie.x + (col + half - tie.col) * step.x;
  const nodeY = (row: number) => tie.y + (row + half - tie.row) * step.y;
  const [x0, x1, y0, y1] = [nodeX(0), nodeX(cols - 1), nodeY(0), nodeY(rows - 1)];
  return {
    xmin: Math.min(x0, x1),
    xmax: Math.max(x0, x1),
    ymin: Math.min(y0, y1),
    ymax: Math.max(y0, y1),
    flipCols: step.x < 0,
    flipRows: step.y < 0,
  };
}

/** Copy the band into a Float64Array in geographic order (row 0 south); nodata, and 0 in the mask, → NaN. */
function toNodeGrid(
  band: TypedArray,
  cols: number,
  rows: number,
  layout: Layout,
  noData: number | undefined,
  mask: ArrayLike<number> | undefined,
): Float64Array {
  const out = sharedFloat64(cols * rows);
  for (let r = 0; r < rows; r++) {
    const fileRow = layout.flipRows ? rows - 1 - r : r;
    for (let c = 0; c < cols; c++) {
      const at = fileRow * cols + (layout.flipCols ? cols - 1 - c : c);
      const v = band[at];
      out[r * cols + c] = v === noData || (mask !== undefined && mask[at] === 0) ? NaN : v;
    }
  }
  return out;
}

// TIFF values (TIFF 6.0: NewSubfileType bit 2 = transparency mask; ExtraSamples 1 = associated
// alpha, 2 = unassociated alpha).
const SUBFILE_MASK = 4;
const ALPHA_SAMPLES = [1, 2];
/** Colour samples before any extra ones, by PhotometricInterpretation (0, 1 grey; 2 RGB; 5 CMYK; 6 YCbCr). */
const BASE_SAMPLES: Record<number, number> = { 0: 1, 1: 1, 2: 3, 5: 4, 6: 3 };

/**
 * Where GDAL would call the data missing besides the nodata value: an internal transparency mask
 * (an IFD flagged as a mask, the image's size, as `GDAL_TIFF_INTERNAL_MASK` writes) or else an
 * alpha sample (`gdalwarp -dstalpha`). 0 in it means missing; undefined when the file has neither.
 * Missing data must be NaN whatever the layout: a warp's empty corners are 0 in the band itself.
 */
async function validityMask(
  tiff: Awaited<ReturnType<ReturnType<typeof geotiffLibrary>['fromArrayBuffer']>>,
  image: GeoTIFFImage,
): Promise<ArrayLike<number> | undefined> {
  const width = image.getWidth(),
    height = image.getHeight();
  const count = await tiff.getImageCount();
  for (let i = 1; i < count; i++) {
    const candidate = await tiff.getImage(i);
    const subfile = Number(candidate.getFileDirectory().getValue('NewSubfileType') ?? 0);
    if ((subfile & SUBFILE_MASK) !== 0 && candidate.getWidth() === width && candidate.getHeight() === height)
      return ((await candidate.readRasters({ samples: [0] })) as TypedArray[])[0];
  }
  const directory = image.getFileDirectory();
  const extra = directory.getValue('ExtraSamples') as ArrayLike<number> | undefined;
  if (!extra) return undefined;
  const base = BASE_SAMPLES[Number(directory.getValue('PhotometricInterpretation') ?? 1)] ?? 1;
  for (let k = 0; k < extra.length; k++)
    if (ALPHA_SAMPLES.includes(Number(extra[k])) && base + k < image.getSamplesPerPixel())
      return ((await image.readRasters({ samples: [base + k] })) as TypedArray[])[0];
  return undefined;
}

/** The GDAL_NODATA tag as the number stored in the file's sample type (NaN needs no replacing). */
function noDataValue(image: GeoTIFFImage): number | undefined {
  const text = image.getFileDirectory().getValue('GDAL_NODATA');
  if (text === undefined) return undefined;
  const value = Number(text.replace(/\0/g, '').trim());
  if (Number.isNaN(value)) return undefined;
  // A Float32 file stores fround(nodata): "-9999.9" is not exactly representable.
  const isFloat32 = image.getSampleFormat(0) === SAMPLE_FORMAT_FLOAT && image.getBitsPerSample(0) === 32;
  return isFloat32 ? Math.fround(value) : value;
}

/** `'EPSG:NNNN'` from the projected, else geographic, CRS key; undefined if user-defined/absent. */
function crsOf(image: GeoTIFFImage): string | undefined {
  const keys = image.getGeoKeys();
  const isCode = (code: unknown): code is number =>
    typeof code === 'number' && Number.isInteger(code) && code > 0 && code !== USER_DEFINED;
  const code = [keys?.ProjectedCSTypeGeoKey, keys?.GeographicTypeGeoKey].find(isCode);
  return code === undefined ? undefined : `EPSG:${code}`;
}

/**
 * geotiff reads past the end of a buffer as short/empty blocks without complaint, so a truncated
 * file would decode to garbage: check the file lists every strip or tile its size implies, and
 * that each lies inside the file.
 */
async function checkBlocksInside(image: GeoTIFFImage, fileBytes: number, source: string): Promise<void> {
  const directory = image.getFileDirectory();
  const [offsetsTag, countsTag] = image.isTiled
    ? (['TileOffsets', 'TileByteCounts'] as const)
    : (['StripOffsets', 'StripByteCounts'] as const);
  const offsets = (await directory.loadValue(offsetsTag)) as ArrayLike<number | bigint> | undefined;
  const counts = (await directory.loadValue(countsTag)) as ArrayLike<number | bigint> | undefined;
  if (!offsets || !counts || offsets.length !== counts.length) {
    throw formatError(source, `is not a readable GeoTIFF (missing or inconsistent ${offsetsTag}/${countsTag})`);
  }
  // Number(): a corrupt file can hold arrays where sizes belong (then NaN, and refused).
  const [width, height, blockWidth, blockHeight] = [
    image.getWidth(),
    image.getHeight(),
    image.getTileWidth(),
    image.getTileHeight(),
  ].map(Number);
  if (!(width > 0 && height > 0 && blockWidth > 0 && blockHeight > 0)) {
    throw formatError(
      source,
      `is not a readable GeoTIFF (image ${width} × ${height}, blocks ${blockWidth} × ${blockHeight})`,
    );
  }
  const planes = image.planarConfiguration === 2 ? image.getSamplesPerPixel() : 1;
  const blocksNeeded = Math.ceil(width / blockWidth) * Math.ceil(height / blockHeight) * planes;
  if (offsets.length < blocksNeeded) {
    throw formatError(
      source,
      `is corrupt: a ${width} × ${height} image needs ${blocksNeeded} blocks but ${offsetsTag} lists ${offsets.length}`,
    );
  }
  for (let i = 0; i < offsets.length; i++) {
    const end = Number(offsets[i]) + Number(counts[i]);
    if (end > fileBytes) {
      throw formatError(source, `is truncated: block ${i} ends at byte ${end} but the file has ${fileBytes} bytes`);
    }
  }
}

/**
 * The header can claim any size: check what reading band 1 allocates against the memory budget
 * first: the band in its sample type, the Float64 result and one decoded block (all its bands).
 */
function checkImageMemory(image: GeoTIFFImage, source: string): void {
  const [width, height, blockWidth, blockHeight] = [
    image.getWidth(),
    image.getHeight(),
    image.getTileWidth(),
    image.getTileHeight(),
  ];
  const samples = image.getSamplesPerPixel();
  const bitsPerPixel = Array.from({ length: samples }, (_, s) => image.getBitsPerSample(s)).reduce(
    (sum, b) => sum + b,
    0,
  );
  const blockBits = image.planarConfiguration === 2 ? image.getBitsPerSample(0) : bitsPerPixel;
  const bytes =
    width * height * (8 + Math.ceil(image.getBitsPerSample(0) / 8)) +
    Math.ceil((blockWidth * blockBits) / 8) * blockHeight;
  checkAllocation(
    `reading the ${width} × ${height} raster of ${source} (blocks ${blockWidth} × ${blockHeight}, ${samples} band${samples === 1 ? '' : 's'})`,
    bytes,
    'crop it first (e.g. gdal_translate -srcwin)',
  );
}

/** An ArrayBuffer holding exactly `bytes` (a Node Buffer is often a view into a shared pool). */
function ownArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  // Uint8Array's slice copies; a Buffer's own slice() would be a view of the same shared pool.
  return whole && bytes.buffer instanceof ArrayBuffer ? bytes.buffer : Uint8Array.prototype.slice.call(bytes).buffer;
}

function hexBytes(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

function formatError(source: string, what: string, cause?: unknown): CurieError {
  return new CurieError('E_FORMAT', `${source} ${what}`, cause === undefined ? undefined : { cause });
}
