import { describe, expect, it } from 'vitest';
import { parseDistance } from '../../src/cli/distance.js';
import {
  numberList,
  parseChoice,
  parseColumns,
  parseInteger,
  parseLevel,
  parseNumber,
  parseRange,
  parseWorkers,
} from '../../src/cli/options.js';
import { parseShard, shardFromEnvironment } from '../../src/cli/shard.js';
import { expectCurieError } from '../helpers/errors.js';

describe('parseDistance', () => {
  it('reads m and km, bare numbers as metres (or the given default unit)', () => {
    expect(parseDistance('200km', '--window')).toBe(200_000);
    expect(parseDistance('2.5 km', '--window')).toBe(2500);
    expect(parseDistance('2500m', '--spacing')).toBe(2500);
    expect(parseDistance('2500', '--spacing')).toBe(2500);
    expect(parseDistance('1e3', '--spacing')).toBe(1000);
    expect(parseDistance('10', '--dz', 'km')).toBe(10_000);
    expect(parseDistance('300m', '--zt', 'km')).toBe(300);
  });

  it('rejects bad syntax, naming the option and the text', () => {
    expectCurieError(() => parseDistance('20kmm', '--window'), 'E_ARGUMENT', "--window '20kmm' is not a distance");
    expectCurieError(() => parseDistance('km', '--window'), 'E_ARGUMENT', "'km'");
    expectCurieError(() => parseDistance('-5km', '--window'), 'E_ARGUMENT', "'-5km'");
    expectCurieError(() => parseDistance('0', '--spacing'), 'E_ARGUMENT', 'must be a positive distance');
  });
});

describe('shards', () => {
  it('parses I/N and rejects I ≥ N or other text', () => {
    expect(parseShard('1/4')).toEqual({ index: 1, count: 4, source: '--shard' });
    expectCurieError(() => parseShard('4/4'), 'E_ARGUMENT', '0 ≤ I < N');
    expectCurieError(() => parseShard('one/two'), 'E_ARGUMENT', "--shard 'one/two' must be I/N");
  });

  it('takes I and N from the launcher, first found wins', () => {
    expect(
      shardFromEnvironment({ OMPI_COMM_WORLD_RANK: '1', OMPI_COMM_WORLD_SIZE: '2', PMI_RANK: '0', PMI_SIZE: '3' }),
    ).toMatchObject({ index: 1, count: 2, source: 'Open MPI' });
    expect(shardFromEnvironment({ PMI_RANK: '2', PMI_SIZE: '3', SLURM_PROCID: '0', SLURM_NTASKS: '4' })).toMatchObject({
      index: 2,
      count: 3,
    });
    expect(shardFromEnvironment({ SLURM_PROCID: '3', SLURM_NTASKS: '4' })).toMatchObject({
      index: 3,
      count: 4,
      source: 'Slurm srun',
    });
    // srun with one task is not a shard: fall through to the job array.
    expect(
      shardFromEnvironment({
        SLURM_PROCID: '0',
        SLURM_NTASKS: '1',
        SLURM_ARRAY_TASK_ID: '7',
        SLURM_ARRAY_TASK_MIN: '1',
        SLURM_ARRAY_TASK_STEP: '3',
        SLURM_ARRAY_TASK_COUNT: '3',
      }),
    ).toMatchObject({ index: 2, count: 3, source: 'Slurm job array' });
    expect(
      shardFromEnvironment({ SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_MIN: '5', SLURM_ARRAY_TASK_COUNT: '2' }),
    ).toMatchObject({ index: 0, count: 2 });
  });

  it('asks for --shard I/N when the job array ids do not fit, or no launcher is found', () => {
    expectCurieError(
      () =>
        shardFromEnvironment({
          SLURM_ARRAY_TASK_ID: '6',
          SLURM_ARRAY_TASK_MIN: '1',
          SLURM_ARRAY_TASK_STEP: '3',
          SLURM_ARRAY_TASK_COUNT: '3',
        }),
      'E_ARGUMENT',
      'use --shard I/N',
    );
    expectCurieError(() => shardFromEnvironment({}), 'E_ARGUMENT', 'found no launcher');
  });
});

describe('option values (options.ts)', () => {
  it('reads numbers, whole numbers and lists of numbers; absent options stay undefined', () => {
    expect(parseNumber('-2.5e3', '--zt')).toBe(-2500);
    expect(parseNumber(undefined, '--zt')).toBeUndefined();
    expectCurieError(() => parseNumber(' ', '--zt'), 'E_ARGUMENT', "--zt ' ' must be a number");
    expectCurieError(() => parseNumber('Infinity', '--beta'), 'E_ARGUMENT', "--beta 'Infinity' must be a number");
    expect(parseInteger('305', '--rows')).toBe(305);
    expectCurieError(() => parseInteger('30.5', '--rows'), 'E_ARGUMENT', "--rows '30.5' must be a whole number");
    expect(numberList('1,-2.5', 2)).toEqual([1, -2.5]);
    expect(numberList('1,2,3', 2)).toBeUndefined();
    expect(numberList('1,x', 2)).toBeUndefined();
    expect(parseColumns('3,4,2')).toEqual([3, 4, 2]);
    expectCurieError(
      () => parseColumns('0,1,2'),
      'E_ARGUMENT',
      "--columns '0,1,2' must be three column numbers from 1",
    );
  });

  it('names the choices in the order given', () => {
    expect(parseChoice('tanaka', '--method', ['bouligand', 'tanaka'])).toBe('tanaka');
    expectCurieError(
      () => parseChoice('loud', '--progress', ['bar', 'lines', 'none']),
      'E_ARGUMENT',
      "--progress 'loud' must be bar, lines or none",
    );
    expectCurieError(
      () => parseChoice('x', '--amplitudes', ['random', 'exact']),
      'E_ARGUMENT',
      "--amplitudes 'x' must be random or exact",
    );
  });

  it('checks ranges, the level and the worker count', () => {
    expect(parseRange('0.03,0.25', '--kmin-range')).toEqual([0.03, 0.25]);
    expect(parseRange(undefined, '--kmin-range')).toBeUndefined();
    expectCurieError(
      () => parseRange('0.2,0.05', '--kmax-range'),
      'E_ARGUMENT',
      "--kmax-range '0.2,0.05' must be LOW,HIGH in cycles/km with LOW < HIGH",
    );
    expect(parseLevel(undefined)).toBe(0.9);
    expect(parseLevel('0.68')).toBe(0.68);
    expectCurieError(() => parseLevel('1'), 'E_ARGUMENT', 'level 1 must be a probability strictly between 0 and 1');
    expect(parseWorkers('0')).toBe(0);
    expect(parseWorkers(undefined)).toBeUndefined();
    expectCurieError(() => parseWorkers('1.5'), 'E_ARGUMENT', "--workers '1.5' must be a whole number ≥ 0");
    expectCurieError(() => parseWorkers('-1'), 'E_ARGUMENT', "--workers '-1' must be a whole number ≥ 0");
    expectCurieError(() => parseWorkers('many'), 'E_ARGUMENT', "--workers 'many' must be a number");
  });
});
