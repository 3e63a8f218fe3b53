/**
 * Distances on the command line: `200km`, `10 km`, `2500m`, `2500` (bare numbers are metres).
 */
import { CurieError } from '../errors.js';

const UNITS: Record<string, number> = { m: 1, km: 1000 };

/**
 * Parse a distance into metres. `what` names the option in the error message.
 * @throws CurieError `E_ARGUMENT` for anything but a positive number with an optional `m` or `km`
 */
export function parseDistance(text: string, what: string, defaultUnit: 'm' | 'km' = 'm'): number {
  const match = /^\s*([+]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = match?.[2].toLowerCase() || defaultUnit;
  if (!match || !(unit in UNITS))
    throw new CurieError(
      'E_ARGUMENT',
      `${what} '${text}' is not a distance; write a number with m or km, e.g. 200km (a bare number is in ${defaultUnit === 'm' ? 'metres' : 'km'})`,
    );
  const value = Number(match[1]) * UNITS[unit];
  if (!(value > 0) || !Number.isFinite(value))
    throw new CurieError('E_ARGUMENT', `${what} '${text}' must be a positive distance`);
  return value;
}
