/**
 * curie-depth: Curie depth from magnetic-anomaly rasters, a TypeScript port of PyCurious.
 *
 * Units throughout: coordinates, spacings, windows and heights in metres; wavenumbers in rad/km;
 * depths in km; angles in degrees.
 */
export { CurieGrid, type GridInput } from './CurieGrid.js';
export { CurieError, type CurieErrorCode, type CurieWarningCode } from './errors.js';
export { maxMemory, parseMemorySize, setMaxMemory } from './memory-budget.js';

export { loadGrid, type LoadGridOptions } from './io/load.js';
export { saveGrid, type SaveGridOptions } from './io/save.js';
export { downloadCachedFile, type DownloadOptions, type DownloadResult } from './io/download.js';
export { KNOWN_DATASETS, knownDataset, type KnownDataset } from './io/datasets.js';
export { readGeoTiff } from './io/geotiff.js';
export {
  readNetcdf,
  listNetcdfVariables,
  isNetcdf,
  type ReadNetcdfOptions,
  type NetcdfVariableInfo,
} from './io/netcdf.js';
export { projToWkt } from './io/proj-wkt.js';
export { cfGridMappingToProj } from './io/cf-grid-mapping.js';
export {
  encodeNetcdf3,
  encodeNetcdfGrid,
  type NcType,
  type NcWriteAttribute,
  type NcWriteVariable,
  type NcWriteFile,
  type NetcdfGridOptions,
} from './io/write-netcdf.js';
export { parseXYZ, parseXYZBytes } from './io/text.js';
export type { Raster } from './io/raster.js';

export { gridGeometry, type GridGeometry } from './grid/geometry.js';
export { subgrid, createCentroidList, type CentroidOptions } from './grid/windows.js';

export { fft1d, fft2d } from './spectrum/fft.js';
export { rfft2dHalf } from './spectrum/fft-engine.js';
export { taperWeights, type Taper, type TaperFunction } from './spectrum/taper.js';
export { radialSpectrum, wavenumberStep, type RadialSpectrum, type RadialSpectrumOptions } from './spectrum/radial.js';
export { azimuthalSpectrum, type AzimuthalSpectrum, type AzimuthalSpectrumOptions } from './spectrum/azimuthal.js';

export {
  CurieOptimiser,
  isWindowFailure,
  type RoutineResults,
  type CurieOptimiserOptions,
  type OptimiseRoutineOptions,
  type OptimiseRoutineResult,
  type OptimiseRoutineRow,
  type ParalleliseOptions,
  type WindowFailure,
  type BoundsInput,
  type OptimiseOptions,
  type MetropolisHastingsOptions,
  type SensitivityOptions,
  type StartingValues,
  type SpectrumOptions,
} from './CurieOptimiser.js';

export { besselK, besselKScaled, gamma, lnGamma } from './models/special.js';
export { bouligand2009, maus1995 } from './models/bouligand.js';
export { computeTanaka, tanaka1999, type TanakaFit } from './models/tanaka.js';

export { normal, uniform, lognormal, type Distribution, type PriorSpec } from './inversion/priors.js';
export { createRng, type RandomSource } from './rng.js';
export { windowSeed } from './parallel/run-batch.js';
export type { ModuleRef } from './parallel/module-ref.js';
export type { MapProgress, MapRunOptions } from './parallel/pool.js';
export type { RoutineName } from './parallel/protocol.js';
export type { Bounds } from './inversion/bounds.js';
export type { FitResult } from './inversion/fit.js';
export type { ChainOptions } from './inversion/mcmc.js';
export type { ParameterSamples, SampleSummary } from './inversion/summary.js';

export { synthesiseAnomaly, type SynthesiseOptions, type SyntheticMethod } from './synthetic/index.js';

export { removeTrendLinear } from './filters/detrend.js';
export { reduceToPole, type ReduceToPoleOptions } from './filters/reduce-to-pole.js';
export { upwardContinuation } from './filters/upward-continuation.js';
export {
  transformCoordinates,
  coordinateTransformer,
  isGeographic,
  toLonLat,
  type CrsInput,
  type TransformedCoordinates,
} from './io/crs.js';
export { convertExtent, type Extent, type ConvertExtentOptions } from './io/extent.js';
export { trim } from './grid/trim.js';
export { ungrid, type UngridOptions } from './grid/ungrid.js';
export { reproject, type ReprojectOptions } from './grid/reproject.js';
export {
  gridScattered,
  type ScatteredPoints,
  type GridTarget,
  type GridExtent,
  type GridScatteredOptions,
  type GridMethod,
} from './grid/scattered.js';
export type { LatticeSpec } from './grid/lattice.js';
export { loadLonLatPoints, type LonLatPoints } from './io/lonlat.js';

export { spectrumChart, type SpectrumChartOptions, type ModelParameters } from './plot/spectrum-chart.js';
export { mapChart, type MapChartOptions } from './plot/map-chart.js';
export { intervalMapChart, type IntervalMapChartOptions } from './plot/interval-map-chart.js';
export { misfitSurfaceChart, type MisfitSurfaceChartOptions } from './plot/misfit-surface-chart.js';
export { posteriorChart, type PosteriorChartOptions } from './plot/posterior-chart.js';
export { renderSvg, renderPng, type RenderPngOptions } from './plot/render.js';
export { display, type DisplayOptions } from './plot/display.js';
export type { VegaLiteSpec } from './plot/spec.js';
export { misfitSurface, type MisfitSurface } from './inversion/global-fit.js';
export { resolutionBound, type ResolutionBound, type ResolutionBoundOptions } from './inversion/resolution.js';
export { loadPoints, type PointColumns, type LoadPointsOptions } from './io/points.js';

// Types the signatures above name, so that users can name them too (and the API reference shows them);
// PARAMETERS is the order of a parameter vector [β, z_t, Δz, C], which defines ParameterName.
export type { CurieGridOptions } from './CurieGrid.js';
export type { Convention } from './spectrum/convention.js';
export type { VerdictName } from './inversion/verdict.js';
export type { TanakaResult } from './inversion/window-routines.js';
export { PARAMETERS, type ParameterName } from './inversion/objective.js';
export type { Wavenumbers } from './models/bouligand.js';
export type { NcAttribute } from './io/netcdf-dataset.js';
export type { SpectrumWithErrors } from './inversion/global-fit.js';
export type { TextGridOptions } from './io/text.js';
