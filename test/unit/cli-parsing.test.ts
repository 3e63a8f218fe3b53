import { describe, expect, it } from 'vitest';
import { parseDistance } from '../../src/cli/distance.js';
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
    expect(shardFromEnvironment({ OMPI_COMM_WORLD_RANK: '1', OMPI_COMM_WORLD_SIZE: '2', PMI_RANK: '0', PMI_SIZE: '3' })).toMatchObject({ index: 1, count: 2, source: 'Open MPI' });
    expect(shardFromEnvironment({ PMI_RANK: '2', PMI_SIZE: '3', SLURM_PROCID: '0', SLURM_NTASKS: '4' })).toMatchObject({ index: 2, count: 3 });
    expect(shardFromEnvironment({ SLURM_PROCID: '3', SLURM_NTASKS: '4' })).toMatchObject({ index: 3, count: 4, source: 'Slurm srun' });
    // srun with one task is not a shard: fall through to the job array.
    expect(shardFromEnvironment({ SLURM_PROCID: '0', SLURM_NTASKS: '1', SLURM_ARRAY_TASK_ID: '7', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_STEP: '3', SLURM_ARRAY_TASK_COUNT: '3' })).toMatchObject({ index: 2, count: 3, source: 'Slurm job array' });
    expect(shardFromEnvironment({ SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_MIN: '5', SLURM_ARRAY_TASK_COUNT: '2' })).toMatchObject({ index: 0, count: 2 });
  });

  it('asks for --shard I/N when the job array ids do not fit, or no launcher is found', () => {
    expectCurieError(() => shardFromEnvironment({ SLURM_ARRAY_TASK_ID: '6', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_STEP: '3', SLURM_ARRAY_TASK_COUNT: '3' }), 'E_ARGUMENT', 'use --shard I/N');
    expectCurieError(() => shardFromEnvironment({}), 'E_ARGUMENT', 'found no launcher');
  });
});
