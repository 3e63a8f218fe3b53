/**
 * Normal priors as the command line (`--prior`) and the explorer page take them: `NAME=MEAN,SD`.
 */
import { CurieError } from '../errors.js';
import type { ParameterName } from '../inversion/objective.js';

/** `--prior beta=3,0.5` (repeatable) → normal priors `[mean, sd]`. */
export function parsePriors(texts: string[], what = '--prior'): Partial<Record<ParameterName, [number, number]>> {
  const priors: Partial<Record<ParameterName, [number, number]>> = {};
  for (const text of texts) {
    const match = /^(beta|zt|dz|C)=([^,]+),([^,]+)$/.exec(text.trim());
    const mean = Number(match?.[2]),
      sd = Number(match?.[3]);
    if (!match || !Number.isFinite(mean) || !(sd > 0))
      throw new CurieError(
        'E_ARGUMENT',
        `${what} '${text}' must be NAME=MEAN,SD with NAME beta, zt, dz or C and SD > 0`,
      );
    priors[match[1] as ParameterName] = [mean, sd];
  }
  return priors;
}
