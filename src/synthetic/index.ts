/**
 * Synthetic magnetic anomalies with a known Curie depth: {@link synthesiseAnomaly} and the two
 * generators behind it. Units: spacings of rasters in metres, depths in km, wavenumbers in rad/km.
 */
export { synthesiseAnomaly, type SynthesiseOptions, type SyntheticMethod } from './synthesise.js';
export { DEFAULT_SPECTRAL_C, spectralField, spectralPower, type BouligandParameters } from './spectral.js';
export {
  LAYERED_CM,
  LAYERED_MAGNETISATION_SD,
  layeredAnomalyPower,
  layeredAnomalySpectrum,
  layeredField,
  layeredLayout,
  type LayeredLayout,
  type LayeredParameters,
  type NoiseColumn,
} from './layered.js';
