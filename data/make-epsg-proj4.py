#!/usr/bin/env python3
"""Write data/epsg-proj4.json: a PROJ string for every EPSG projected and geographic 2-D CRS.

The table is generated from PROJ's own database on this machine (the `proj.db` GDAL and pyproj
use), so curie-depth knows every code offline, with the same EPSG dataset as the PROJ it is
compared with. Run with a Python that has pyproj and GDAL's osgeo bindings:

    /usr/bin/python3 data/make-epsg-proj4.py

For each code GDAL's `AddGuessedTOWGS84` adds the datum's +towgs84 Helmert shift when PROJ's
database has a single one to WGS84 (what `gdalsrsinfo -o proj4` and epsg.io give); codes whose
method proj4 strings cannot express (e.g. some engineering or vertical-axis CRSs) are skipped.
Axis order is always x = easting/longitude, y = northing/latitude (the traditional GIS order).
"""
import json
import os
import sys

import pyproj
from osgeo import gdal, osr
from pyproj.database import query_crs_info
from pyproj.enums import PJType

gdal.UseExceptions()
infos = query_crs_info(auth_name="EPSG", pj_types=[PJType.PROJECTED_CRS, PJType.GEOGRAPHIC_2D_CRS], allow_deprecated=True)
table = {}
skipped = []
for info in sorted(infos, key=lambda i: int(i.code)):
    srs = osr.SpatialReference()
    try:
        srs.ImportFromEPSG(int(info.code))
        srs.AddGuessedTOWGS84()
        text = srs.ExportToProj4().strip()
    except Exception:  # noqa: BLE001 — a CRS proj4 strings cannot express
        skipped.append(info.code)
        continue
    if not text.startswith("+proj="):
        skipped.append(info.code)
        continue
    table[info.code] = text

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "epsg-proj4.json")
with open(out + ".tmp", "w") as f:
    f.write("{\n")
    f.write(f'"_source":"PROJ {pyproj.proj_version_str} database (EPSG {pyproj.database.get_database_metadata("EPSG.VERSION")}), GDAL {gdal.__version__}",\n')
    f.write(",\n".join(f"{json.dumps(code)}:{json.dumps(text)}" for code, text in table.items()))
    f.write("\n}\n")
os.replace(out + ".tmp", out)
print(f"{len(table)} codes written, {len(skipped)} skipped: {' '.join(skipped[:40])}", file=sys.stderr)
