/**
 * Prior distributions on the fit parameters. `logpdf` is the log density up to an additive
 * constant: the misfit adds −logpdf, which for a normal prior is PyCurious's `½((x−μ)/σ)²`.
 */
import { CurieError, fmt } from '../errors.js';
import type { RandomSource } from '../rng.js';

/** A prior: any object with a log density (up to a constant) and a sampler. */
export interface Distribution {
  /** Log density at x, up to an additive constant (−∞ where impossible). */
  logpdf(x: number): number;
  /** One draw, using only the given random source (so that seeded runs repeat). */
  sample(rng: RandomSource): number;
  /** d logpdf / dx, when known (the optimiser falls back to finite differences otherwise). */
  dlogpdf?(x: number): number;
}

function checkPositive(value: number, name: string, what: string): void {
  if (!(value > 0) || !Number.isFinite(value))
    throw new CurieError('E_ARGUMENT', `${what} ${name} = ${value} must be a positive finite number`);
}

function checkFinite(value: number, name: string, what: string): void {
  if (!Number.isFinite(value)) throw new CurieError('E_ARGUMENT', `${what} ${name} = ${value} must be a finite number`);
}

/** Which factory made a distribution, and with what arguments (PyCurious's `prior` dictionary shows them). */
interface Provenance {
  kind: 'normal' | 'uniform' | 'lognormal';
  args: [number, number];
}
const provenance = new WeakMap<Distribution, Provenance>();

function register(d: Distribution, kind: Provenance['kind'], args: [number, number]): Distribution {
  provenance.set(d, { kind, args });
  return d;
}

/** `{ mean, sd }` when `d` was made by {@link normal} (its misfit term is then a squared residual). */
export function asNormal(d: Distribution | undefined): { mean: number; sd: number } | undefined {
  const p = d && provenance.get(d);
  return p?.kind === 'normal' ? { mean: p.args[0], sd: p.args[1] } : undefined;
}

/**
 * A built-in distribution as plain data (its factory and arguments: `[mean, sd]`, `[lower, upper]`,
 * `[mu, sigma]`), to show it or rebuild it in another thread; null for other distributions.
 */
export function describePrior(
  d: Distribution,
): { kind: 'normal' | 'uniform' | 'lognormal'; args: [number, number] } | null {
  const p = provenance.get(d);
  return p ? { kind: p.kind, args: [...p.args] } : null;
}

/** Rebuild a distribution from {@link describePrior}'s data. */
export function priorFromDescription(description: {
  kind: 'normal' | 'uniform' | 'lognormal';
  args: [number, number];
}): Distribution {
  const factory = { normal, uniform, lognormal }[description.kind];
  return factory(...description.args);
}

/**
 * The prior moved to a new centre, as PyCurious's sensitivity analysis moves each prior to a draw
 * from itself: a normal keeps its sd, a log-normal its sigma (mu = ln value), a uniform its width.
 * Other distributions are returned unchanged.
 */
export function recentre(d: Distribution, value: number): Distribution {
  const p = provenance.get(d);
  if (!p) return d;
  if (p.kind === 'normal') return normal(value, p.args[1]);
  if (p.kind === 'lognormal') return lognormal(Math.log(value), p.args[1]);
  const half = 0.5 * (p.args[1] - p.args[0]);
  return uniform(value - half, value + half);
}

/** Normal prior N(mean, sd²): misfit term ½((x − mean)/sd)². */
export function normal(mean: number, sd: number): Distribution {
  checkFinite(mean, 'mean', 'normal prior');
  checkPositive(sd, 'sd', 'normal prior');
  return register(
    {
      logpdf: (x) => -0.5 * ((x - mean) / sd) ** 2,
      dlogpdf: (x) => -(x - mean) / (sd * sd),
      sample: (rng) => mean + sd * rng.normal(),
    },
    'normal',
    [mean, sd],
  );
}

/** Uniform prior on [lower, upper]: no misfit inside, +∞ outside. */
export function uniform(lower: number, upper: number): Distribution {
  checkFinite(lower, 'lower', 'uniform prior');
  checkFinite(upper, 'upper', 'uniform prior');
  if (!(lower < upper))
    throw new CurieError('E_ARGUMENT', `uniform prior lower ${fmt(lower)} must be below upper ${fmt(upper)}`);
  return register(
    {
      logpdf: (x) => (x >= lower && x <= upper ? 0 : -Infinity),
      dlogpdf: () => 0,
      sample: (rng) => lower + (upper - lower) * rng.uniform(),
    },
    'uniform',
    [lower, upper],
  );
}

/** Log-normal prior: ln x ~ N(mu, sigma²); misfit term ½((ln x − mu)/sigma)² + ln x. */
export function lognormal(mu: number, sigma: number): Distribution {
  checkFinite(mu, 'mu', 'lognormal prior');
  checkPositive(sigma, 'sigma', 'lognormal prior');
  return register(
    {
      logpdf: (x) => (x > 0 ? -0.5 * ((Math.log(x) - mu) / sigma) ** 2 - Math.log(x) : -Infinity),
      dlogpdf: (x) => (x > 0 ? -(Math.log(x) - mu) / (sigma * sigma * x) - 1 / x : 0),
      sample: (rng) => Math.exp(mu + sigma * rng.normal()),
    },
    'lognormal',
    [mu, sigma],
  );
}

/** A prior as the API accepts it: a distribution, or `[mean, sd]` for a normal prior. */
export type PriorSpec = Distribution | readonly [number, number];

/** Turn a {@link PriorSpec} into a distribution; `E_ARGUMENT` when it is neither. */
export function toDistribution(spec: PriorSpec, name: string): Distribution {
  if (Array.isArray(spec)) {
    if (spec.length !== 2)
      throw new CurieError(
        'E_ARGUMENT',
        `prior for ${name} ${JSON.stringify(spec)} must be [mean, sd] or a distribution`,
      );
    const [mean, sd] = spec as readonly [number, number];
    return normal(mean, sd);
  }
  const d = spec as Distribution;
  if (!d || typeof d.logpdf !== 'function' || typeof d.sample !== 'function')
    throw new CurieError(
      'E_ARGUMENT',
      `prior for ${name} is not a distribution: give [mean, sd], normal(…), uniform(…), lognormal(…) or an object with logpdf(x) and sample(rng)`,
    );
  return d;
}
