/**
 * Parsers of option values that several commands share: numbers, whole numbers, lists of numbers,
 * a choice among words, the taper, the interval level and the worker count. Each names the option
 * and the text as typed in its one-line error, and says what to write instead.
 */
import { CurieError } from '../errors.js';
import { checkLevel } from '../inversion/global-fit.js';
import { MAX_MULTITAPER, type Taper } from '../spectrum/taper.js';

/**
 * A finite number (`--beta 3`, `--power 0.5`), or undefined when the option is absent.
 * @throws CurieError `E_ARGUMENT` for empty text or anything but a finite number
 */
export function parseNumber(text: string | undefined, what: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value))
    throw new CurieError('E_ARGUMENT', `${what} '${text}' must be a number`);
  return value;
}

/**
 * A whole number (`--rows 305`).
 * @throws CurieError `E_ARGUMENT` when `Number(text)` is not an integer
 */
export function parseInteger(text: string, what: string): number {
  const value = Number(text);
  if (!Number.isInteger(value)) throw new CurieError('E_ARGUMENT', `${what} '${text}' must be a whole number`);
  return value;
}

/**
 * One of `choices` (`--method tanaka`); the error lists them in the order given.
 * @throws CurieError `E_ARGUMENT` for any other word
 */
export function parseChoice<C extends string>(text: string, what: string, choices: readonly C[]): C {
  if ((choices as readonly string[]).includes(text)) return text as C;
  const list = choices.length > 1 ? `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}` : choices.join('');
  throw new CurieError('E_ARGUMENT', `${what} '${text}' must be ${list}`);
}

/**
 * `count` comma-separated finite numbers (`--at 1000,2000`), or undefined when the text is not that:
 * the caller's error says what the numbers mean. An empty item reads as 0, as `Number('')` does.
 */
export function numberList(text: string, count: number): number[] | undefined {
  const values = text.split(',').map((part) => Number(part));
  return values.length === count && values.every(Number.isFinite) ? values : undefined;
}

/**
 * `--kmin-range LOW,HIGH` (cycles/km), or undefined when absent.
 * @throws CurieError `E_ARGUMENT` unless two numbers with LOW < HIGH
 */
export function parseRange(text: string | undefined, what: string): [number, number] | undefined {
  if (text === undefined) return undefined;
  const bounds = numberList(text, 2);
  if (!bounds || !(bounds[0] < bounds[1]))
    throw new CurieError('E_ARGUMENT', `${what} '${text}' must be LOW,HIGH in cycles/km with LOW < HIGH`);
  return [bounds[0], bounds[1]];
}

/**
 * `--columns 2,3,5` → the 1-based columns of x, y and the value in a text file.
 * @throws CurieError `E_ARGUMENT` unless three whole numbers ≥ 1
 */
export function parseColumns(text: string): [number, number, number] {
  const columns = numberList(text, 3);
  if (!columns || !columns.every((c) => Number.isInteger(c) && c >= 1))
    throw new CurieError(
      'E_ARGUMENT',
      `--columns '${text}' must be three column numbers from 1 (x, y, value), e.g. 1,2,3`,
    );
  return columns as [number, number, number];
}

/**
 * `--taper`: `multitaper:K` (1 ≤ K ≤ 4), hanning, hamming, none or `tukey:ALPHA` with 0 ≤ ALPHA ≤ 1;
 * undefined when absent (the convention's default taper).
 * @throws CurieError `E_ARGUMENT` for anything else
 */
export function parseTaper(text: string | undefined): Taper | undefined {
  if (text === undefined) return undefined;
  if (text === 'hanning' || text === 'hamming' || text === 'none') return text;
  const tukey = /^tukey:([0-9.eE+-]+)$/.exec(text);
  if (tukey && Number.isFinite(Number(tukey[1])) && Number(tukey[1]) >= 0 && Number(tukey[1]) <= 1)
    return { tukey: Number(tukey[1]) };
  const multitaper = /^multitaper:([0-9]+)$/.exec(text);
  if (multitaper && Number(multitaper[1]) >= 1 && Number(multitaper[1]) <= MAX_MULTITAPER)
    return { multitaper: Number(multitaper[1]) };
  throw new CurieError(
    'E_ARGUMENT',
    `--taper '${text}' must be multitaper:K with 1 ≤ K ≤ ${MAX_MULTITAPER}, hanning, hamming, none or tukey:ALPHA with 0 ≤ ALPHA ≤ 1`,
  );
}

/**
 * `--level`: the probability of each Curie-depth interval, in (0, 1); 0.9 when absent.
 * @throws CurieError `E_ARGUMENT` for text that is not a number, or one outside (0, 1)
 */
export function parseLevel(text: string | undefined): number {
  return checkLevel(parseNumber(text, '--level') ?? 0.9);
}

/**
 * `--workers`: worker threads, a whole number ≥ 0 (0 = the calling thread), or undefined when
 * absent (one per core). Checked here, before any input is read or output opened.
 * @throws CurieError `E_ARGUMENT` for anything else
 */
export function parseWorkers(text: string | undefined): number | undefined {
  const workers = parseNumber(text, '--workers');
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 0))
    throw new CurieError('E_ARGUMENT', `--workers '${text}' must be a whole number ≥ 0`);
  return workers;
}
