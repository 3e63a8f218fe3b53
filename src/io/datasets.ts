/**
 * Public datasets `curie download NAME` knows. None is bundled or was fetched while building
 * curie-depth (its build machines have no internet access): the addresses and digests below are the
 * ones their publishers or PyCurious give, not checked here against the files.
 */

/** One downloadable dataset. */
export interface KnownDataset {
  /** Name given to `curie download`. */
  name: string;
  /** What it is, with its reference. */
  description: string;
  /** Where it is downloaded from (http or https). */
  url: string;
  /** File name used when `--out` is a directory or not given. */
  fileName: string;
  /** Expected MD5 (32 hex digits), where one is published. */
  md5?: string;
  /** Expected SHA-256 (64 hex digits), where one is published. */
  sha256?: string;
  /** Where the digest comes from, or why there is none. */
  digestSource: string;
  /** Approximate size for the user (the download does not check it). */
  approximateSize: string;
  /** How to use it with curie-depth. */
  usage: string;
}

/** The registry: EMAG2 v3 (as NOAA publishes it and as PyCurious repackaged it) and Li et al. (2017). */
export const KNOWN_DATASETS: readonly KnownDataset[] = [
  {
    name: 'emag2-v3',
    description:
      'EMAG2 v3 Earth Magnetic Anomaly Grid at sea level, 2 arc-minutes, lon/lat GeoTIFF (Meyer, Saltus & Chulliat 2017, NOAA NCEI, doi:10.7289/V5H70CVX)',
    url: 'https://www.ngdc.noaa.gov/geomag/data/EMAG2/EMAG2_V3_20170530/EMAG2_V3_20170530_Sealevel.tif',
    fileName: 'EMAG2_V3_20170530_Sealevel.tif',
    digestSource:
      'NOAA publishes no checksum for this file: the download is not verified; curie download prints its SHA-256 so that you can pin it with --sha256',
    approximateSize: 'a few hundred MB',
    usage: 'a lon/lat grid: project it to metres before computing spectra (curie grid --to EPSG:…)',
  },
  {
    name: 'emag2-v3-npz',
    description:
      "EMAG2 v3 as PyCurious's EMAG2 notebook uses it: the CSV's columns in a NumPy .npz archive (Zenodo record 3245551)",
    url: 'https://zenodo.org/record/3245551/files/EMAG2_V3_20170530.npz?download=1',
    fileName: 'EMAG2_V3_20170530.npz',
    md5: 'c0898b6a91efb3f13783873a8b67380c',
    digestSource: "MD5 as PyCurious's download module and EMAG2 notebook record it",
    approximateSize: 'about 500 MB',
    usage: 'for PyCurious; curie-depth does not read .npz archives (use emag2-v3)',
  },
  {
    name: 'li2017-curie-depth',
    description:
      'Global Curie-point depths of Li, Lu & Wang (2017), Scientific Reports 7:45129, supplementary data: longitude latitude depth (km) text with a header line',
    url: 'https://media.nature.com/original/nature-assets/srep/2017/170321/srep45129/extref/srep45129-s1.txt?download=1',
    fileName: 'Li_et_al_2017.txt',
    md5: '5f0ea0af3e27c6c21cd7b776c979aa80',
    digestSource: "MD5 as PyCurious's EMAG2 notebook records it (the journal publishes none)",
    approximateSize: 'about 15 MB',
    usage: 'scattered lon/lat points (loadLonLatPoints), to compare a Curie-depth map with',
  },
];

/** The dataset called `name`, or undefined. */
export function knownDataset(name: string): KnownDataset | undefined {
  return KNOWN_DATASETS.find((d) => d.name === name.toLowerCase());
}
