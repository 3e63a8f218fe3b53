import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ndarray from 'ndarray';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transformCoordinates } from '../../src/io/crs.js';
import { loadGrid } from '../../src/io/load.js';
import type { Raster } from '../../src/io/raster.js';
import { projToWkt } from '../../src/io/proj-wkt.js';
import { saveGrid } from '../../src/io/save.js';

// NetCDF files written by real GDAL (gdal_translate's netCDF driver, Debian's gdal-bin) and by the
// netCDF library's ncgen (GMT layouts, Debian's netcdf-bin) are read by loadGrid; files written by
// saveGrid are read by GDAL and ncdump. Without those tools these tests fail: never skipped.

const COLS = 7;
const ROWS = 5;
const NODATA = -9999;
const HOLE = [1, 2]; // [row from the top, col]

/** Source values, row 0 = north, as an ASCII grid lists them: not representable in float32. */
const north = Array.from({ length: ROWS }, (_, r) =>
  Array.from({ length: COLS }, (_, c) =>
    r === HOLE[0] && c === HOLE[1] ? NODATA : Math.cos(0.3 * r + 0.7 * c) * 321.123456789 + r,
  ),
);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'curie-netcdf-interop-'));
  const body = north.map((row) => row.map((v) => (v === NODATA ? String(v) : v.toPrecision(17))).join(' '));
  // UTM 23S, 1 km cells, lower-left corner 500000, 9500000; and a lon/lat one, 0.25° cells.
  writeFileSync(
    join(dir, 'utm.asc'),
    [
      `ncols ${COLS}`,
      `nrows ${ROWS}`,
      'xllcorner 500000',
      'yllcorner 9500000',
      'cellsize 1000',
      `NODATA_value ${NODATA}`,
      ...body,
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'lonlat.asc'),
    [
      `ncols ${COLS}`,
      `nrows ${ROWS}`,
      'xllcorner -46',
      'yllcorner -5',
      'cellsize 0.25',
      `NODATA_value ${NODATA}`,
      ...body,
      '',
    ].join('\n'),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function gdal(name: string, source: string, args: string[]): string {
  const output = join(dir, name);
  execFileSync('gdal_translate', ['-q', '-of', 'netCDF', ...args, join(dir, source), output], { stdio: 'pipe' });
  return output;
}

/** Row 0 south: ours[r][c] = north[ROWS-1-r][c], the hole as NaN; values as `round` stores them. */
function expectValues(raster: Raster, round: (v: number) => number = (v) => v): void {
  expect(raster.data.shape).toEqual([ROWS, COLS]);
  for (let r = 0; r < ROWS; r++) {
    for (let c = 0; c < COLS; c++) {
      const want = north[ROWS - 1 - r][c];
      const got = raster.data.data[r * COLS + c];
      if (want === NODATA) expect(got, `node ${r},${c}`).toBeNaN();
      else expect(got, `node ${r},${c}`).toBe(round(want));
    }
  }
}

const UTM_NODES = [500_500, 500_500 + (COLS - 1) * 1000, 9_500_500, 9_500_500 + (ROWS - 1) * 1000];
const LONLAT_NODES = [-45.875, -45.875 + (COLS - 1) * 0.25, -4.875, -4.875 + (ROWS - 1) * 0.25];
const extent = (r: Raster) => [r.xmin, r.xmax, r.ymin, r.ymax];

describe('NetCDF written by GDAL', () => {
  const variants: Array<[string, string[]]> = [
    ['classic', []],
    ['64-bit offset (NC2)', ['-co', 'FORMAT=NC2']],
    ['netCDF-4 (NC4)', ['-co', 'FORMAT=NC4']],
    ['netCDF-4 classic model, deflate', ['-co', 'FORMAT=NC4C', '-co', 'COMPRESS=DEFLATE']],
    ['north row first (WRITE_BOTTOMUP=NO)', ['-co', 'WRITE_BOTTOMUP=NO']],
    ['with 2-D lon/lat (WRITE_LONLAT=YES)', ['-co', 'WRITE_LONLAT=YES']],
  ];
  for (const [label, args] of variants) {
    it(`UTM grid, ${label}: values, node extent, EPSG:32723`, async () => {
      const raster = await loadGrid(
        gdal(`utm-${label.replace(/\W+/g, '-')}.nc`, 'utm.asc', [
          '-a_srs',
          'EPSG:32723',
          '--config',
          'AAIGRID_DATATYPE',
          'Float64',
          '-ot',
          'Float64',
          ...args,
        ]),
      );
      expectValues(raster);
      expect(extent(raster)).toEqual(UTM_NODES);
      expect(raster.crs).toBe('EPSG:32723');
    });
  }

  it('lon/lat grid as float32, NC4 and classic: degrees, EPSG:4326', async () => {
    for (const args of [[], ['-co', 'FORMAT=NC4']]) {
      const raster = await loadGrid(
        gdal(`lonlat-${args.length}.nc`, 'lonlat.asc', ['-a_srs', 'EPSG:4326', '-ot', 'Float32', ...args]),
      );
      expectValues(raster, Math.fround);
      expect(extent(raster)).toEqual(LONLAT_NODES);
      expect(raster.crs).toBe('EPSG:4326');
    }
  });

  it('a CRS without EPSG code (custom Albers) comes back as a PROJ string that projects as GDAL does', async () => {
    const custom =
      '+proj=aea +lat_1=-10 +lat_2=-30 +lat_0=-20 +lon_0=-50 +x_0=1000 +y_0=2000 +datum=WGS84 +units=m +no_defs';
    const raster = await loadGrid(gdal('custom.nc', 'utm.asc', ['-a_srs', custom]));
    expect(raster.crs).toMatch(/^\+proj=aea /);
    const ours = transformCoordinates([-47.5], [-12.25], 'EPSG:4326', raster.crs!);
    const theirs = execFileSync(
      'gdaltransform',
      ['-s_srs', '+proj=longlat +datum=WGS84 +no_defs', '-t_srs', custom, '-output_xy'],
      { input: '-47.5 -12.25\n', encoding: 'utf8' },
    )
      .trim()
      .split(/\s+/)
      .map(Number);
    expect(Math.abs(ours.x[0] - theirs[0])).toBeLessThan(1e-3);
    expect(Math.abs(ours.y[0] - theirs[1])).toBeLessThan(1e-3);
  });

  it('packed Int16 with scale_factor/add_offset (gdal_translate -a_scale -a_offset)', async () => {
    const raster = await loadGrid(
      gdal('packed.nc', 'utm.asc', [
        '-a_srs',
        'EPSG:32723',
        '-ot',
        'Int16',
        '-a_scale',
        '0.5',
        '-a_offset',
        '100',
        '-a_nodata',
        String(NODATA),
      ]),
    );
    // gdal_translate stores the source numbers rounded to integers; the scale applies on reading.
    expectValues(raster, (v) => Math.round(v) * 0.5 + 100);
  });
});

describe('GMT grids (made with ncgen from CDL)', () => {
  function ncgen(name: string, cdl: string): string {
    writeFileSync(join(dir, `${name}.cdl`), cdl);
    const output = join(dir, name);
    execFileSync('ncgen', ['-b', '-o', output, join(dir, `${name}.cdl`)], { stdio: 'pipe' });
    return output;
  }
  const southFirst = north
    .toReversed()
    .flat()
    .map((v) => (v === NODATA ? 'NaN' : v.toPrecision(17)));
  const northFirst = north.flat().map((v) => (v === NODATA ? 'NaN' : v.toPrecision(17)));

  it('GMT 5 netCDF (x, y, z; pixel registration: x/y are still nodes)', async () => {
    const grid = ncgen(
      'gmt5.grd',
      `netcdf gmt5 {
dimensions: x = ${COLS} ; y = ${ROWS} ;
variables:
  double x(x) ; x:long_name = "x" ; x:actual_range = 500000., ${500000 + COLS * 1000}. ;
  double y(y) ; y:long_name = "y" ; y:actual_range = 9500000., ${9500000 + ROWS * 1000}. ;
  double z(y, x) ; z:long_name = "z" ; z:_FillValue = NaN ;
  :Conventions = "CF-1.7" ; :title = "" ; :node_offset = 1 ;
data:
  x = ${UTM_NODES[0]}, ${Array.from({ length: COLS - 1 }, (_, i) => UTM_NODES[0] + (i + 1) * 1000).join(', ')} ;
  y = ${UTM_NODES[2]}, ${Array.from({ length: ROWS - 1 }, (_, i) => UTM_NODES[2] + (i + 1) * 1000).join(', ')} ;
  z = ${southFirst.join(', ')} ;
}`,
    );
    const raster = await loadGrid(grid);
    expectValues(raster);
    expect(extent(raster)).toEqual(UTM_NODES);
  });

  it("GMT 3's legacy layout (x_range, dimension, 1-D z north row first), pixel registered", async () => {
    const grid = ncgen(
      'legacy.grd',
      `netcdf legacy {
dimensions: side = 2 ; xysize = ${ROWS * COLS} ;
variables:
  double x_range(side) ; x_range:units = "m" ;
  double y_range(side) ; y_range:units = "m" ;
  double z_range(side) ;
  double spacing(side) ;
  int dimension(side) ;
  double z(xysize) ; z:scale_factor = 1. ; z:add_offset = 0. ; z:node_offset = 1 ;
  :title = "" ; :source = "grdmath" ;
data:
  x_range = 500000, ${500000 + COLS * 1000} ;
  y_range = 9500000, ${9500000 + ROWS * 1000} ;
  z_range = -400, 400 ;
  spacing = 1000, 1000 ;
  dimension = ${COLS}, ${ROWS} ;
  z = ${northFirst.join(', ')} ;
}`,
    );
    const raster = await loadGrid(grid);
    expectValues(raster);
    expect(extent(raster)).toEqual(UTM_NODES);
  });
});

describe('NetCDF written by saveGrid, read by GDAL and ncdump', () => {
  const values = Float64Array.from({ length: ROWS * COLS }, (_, i) => (i === 9 ? NaN : Math.sin(i) * 1000.123456789));
  const source = (crs: string, e: number[]): Raster => ({
    data: ndarray(values, [ROWS, COLS]),
    xmin: e[0],
    xmax: e[1],
    ymin: e[2],
    ymax: e[3],
    crs,
  });

  for (const [crs, nodes, code] of [
    ['EPSG:32723', UTM_NODES, 32723],
    ['EPSG:4326', LONLAT_NODES, 4326],
  ] as const) {
    it(`${crs}: GDAL sees the values, the extent and the CRS`, async () => {
      const path = join(dir, `saved-${code}.nc`);
      await saveGrid(source(crs, [...nodes]), path);
      const info = JSON.parse(execFileSync('gdalinfo', ['-json', path], { encoding: 'utf8' })) as {
        size: number[];
        geoTransform: number[];
        coordinateSystem: { wkt: string };
      };
      expect(info.size).toEqual([COLS, ROWS]);
      const dx = (nodes[1] - nodes[0]) / (COLS - 1);
      const [x0, gdx, , y0, , gdy] = info.geoTransform;
      expect(x0).toBeCloseTo(nodes[0] - dx / 2, 9);
      expect(y0).toBeCloseTo(nodes[3] + dx / 2, 9);
      expect([gdx, gdy]).toEqual([dx, -dx]);
      expect(info.coordinateSystem.wkt).toMatch(new RegExp(`ID\\["EPSG",${code}\\]\\]$`));
      // GDAL's ASCII grid export at full precision (its XYZ export rounds to float32): north row first.
      const ascii = execFileSync(
        'gdal_translate',
        ['-q', '-of', 'AAIGrid', '-co', 'DECIMAL_PRECISION=17', path, '/vsistdout/'],
        { encoding: 'utf8' },
      );
      const lines = ascii
        .trim()
        .split('\n')
        .filter((l) => !/^[a-zA-Z]/.test(l.trim()));
      expect(lines).toHaveLength(ROWS);
      lines.forEach((line, k) => {
        const r = ROWS - 1 - k;
        line
          .trim()
          .split(/\s+/)
          .map(Number)
          .forEach((v, c) => {
            const want = values[r * COLS + c];
            if (Number.isNaN(want)) expect(v).toBeNaN();
            else expect(v).toBeCloseTo(want, 12);
          });
      });
    });
  }

  it('ncdump reads the header and the data (CF names, NaN fill shown as _)', async () => {
    const path = join(dir, 'saved-dump.nc');
    await saveGrid(source('EPSG:32723', [...UTM_NODES]), path);
    const dump = execFileSync('ncdump', [path], { encoding: 'utf8' });
    expect(dump).toContain('double z(y, x) ;');
    expect(dump).toContain('z:grid_mapping = "crs" ;');
    expect(dump).toContain('x:standard_name = "projection_x_coordinate" ;');
    expect(dump).toMatch(/x = 500500, 501500, 502500, 503500, 504500, 505500, 506500 ;/);
    expect(dump).toMatch(/z =\s+0, 841\.5/);
    expect((dump.match(/_,/g) ?? []).length).toBe(1);
  });
});

describe('CRSs written as WKT from PROJ strings', () => {
  // PROJ definitions as EPSG gives them (proj4's epsg-style strings); GDAL must project a point
  // through our WKT exactly as through the EPSG code.
  const cases: Array<[number, string, [number, number]]> = [
    [3031, '+proj=stere +lat_0=-90 +lat_ts=-71 +lon_0=0 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs', [10, -75]],
    [3413, '+proj=stere +lat_0=90 +lat_ts=70 +lon_0=-45 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs', [-40, 75]],
    [
      32761,
      '+proj=stere +lat_0=-90 +lon_0=0 +k=0.994 +x_0=2000000 +y_0=2000000 +datum=WGS84 +units=m +no_defs',
      [20, -80],
    ],
    [
      3577,
      '+proj=aea +lat_0=0 +lon_0=132 +lat_1=-18 +lat_2=-36 +x_0=0 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs',
      [140, -25],
    ],
    [
      2157,
      '+proj=tmerc +lat_0=53.5 +lon_0=-8 +k=0.99982 +x_0=600000 +y_0=750000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs',
      [-7, 53],
    ],
    [
      3035,
      '+proj=laea +lat_0=52 +lon_0=10 +x_0=4321000 +y_0=3210000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs',
      [5, 45],
    ],
    [3395, '+proj=merc +lon_0=0 +k=1 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs', [30, 40]],
    [
      2154,
      '+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs',
      [2, 47],
    ],
  ];
  const project = (srs: string, [lon, lat]: [number, number]) =>
    execFileSync('gdaltransform', ['-s_srs', '+proj=longlat +datum=WGS84 +no_defs', '-t_srs', srs, '-output_xy'], {
      input: `${lon} ${lat}\n`,
      encoding: 'utf8',
    })
      .trim()
      .split(/\s+/)
      .map(Number);

  it('GDAL projects through projToWkt(definition, code) as through EPSG:code, to the millimetre', () => {
    for (const [code, definition, point] of cases) {
      const wkt = projToWkt(definition, code);
      expect(wkt, `EPSG:${code}`).toMatch(new RegExp(`AUTHORITY\\["EPSG","${code}"\\]\\]$`));
      const [x, y] = project(wkt!, point);
      const [ex, ey] = project(`EPSG:${code}`, point);
      expect(Math.abs(x - ex), `EPSG:${code} x`).toBeLessThan(1e-3);
      expect(Math.abs(y - ey), `EPSG:${code} y`).toBeLessThan(1e-3);
    }
  });

  it('a raster whose CRS is a PROJ string is saved with WKT that GDAL reads', async () => {
    const [, definition, point] = cases[0];
    const path = join(dir, 'polar.nc');
    await saveGrid(
      { data: ndarray(new Float64Array(4), [2, 2]), xmin: 0, xmax: 1000, ymin: 0, ymax: 1000, crs: definition },
      path,
    );
    const wkt = execFileSync('gdalsrsinfo', ['-o', 'wkt1', path], { encoding: 'utf8' }).trim();
    expect(wkt).toContain('Polar_Stereographic');
    const [x, y] = project(wkt, point);
    const [ex, ey] = project('EPSG:3031', point);
    expect(Math.abs(x - ex) + Math.abs(y - ey)).toBeLessThan(1e-3);
  });
});
