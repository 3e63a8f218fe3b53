/**
 * Which part of a map this process computes: `--shard I/N` or `--shard auto`, where the launcher
 * (Open MPI, MPICH/Hydra, Slurm srun or a Slurm job array) says I and N through the environment.
 */
import { CurieError } from '../errors.js';

/** Shard I of N (I from 0): this process computes the windows i with i mod N = I. */
export interface Shard {
  index: number;
  count: number;
  /** Where I and N came from, for messages. */
  source: string;
}

function integer(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d+\s*$/.test(value)) return undefined;
  return Number(value);
}

/**
 * I and N from the launcher's variables, first found wins: Open MPI (`OMPI_COMM_WORLD_RANK/SIZE`),
 * MPICH/Hydra (`PMI_RANK/SIZE`), Slurm srun (`SLURM_PROCID/SLURM_NTASKS` when NTASKS > 1), Slurm job
 * arrays (`(SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN)/SLURM_ARRAY_TASK_STEP` of
 * `SLURM_ARRAY_TASK_COUNT`).
 * @throws CurieError `E_ARGUMENT` when none is found, or a job array's ids do not fit that pattern
 */
export function shardFromEnvironment(env: NodeJS.ProcessEnv = process.env): Shard {
  const pairs: Array<[string, string, string]> = [
    ['OMPI_COMM_WORLD_RANK', 'OMPI_COMM_WORLD_SIZE', 'Open MPI'],
    ['PMI_RANK', 'PMI_SIZE', 'MPICH/Hydra'],
  ];
  for (const [rankName, sizeName, source] of pairs) {
    const index = integer(env[rankName]),
      count = integer(env[sizeName]);
    if (index !== undefined && count !== undefined) return checked({ index, count, source });
  }
  const procid = integer(env.SLURM_PROCID),
    ntasks = integer(env.SLURM_NTASKS);
  if (procid !== undefined && ntasks !== undefined && ntasks > 1)
    return checked({ index: procid, count: ntasks, source: 'Slurm srun' });
  if (env.SLURM_ARRAY_TASK_ID !== undefined) {
    const id = integer(env.SLURM_ARRAY_TASK_ID),
      min = integer(env.SLURM_ARRAY_TASK_MIN),
      count = integer(env.SLURM_ARRAY_TASK_COUNT);
    const step = env.SLURM_ARRAY_TASK_STEP === undefined ? 1 : integer(env.SLURM_ARRAY_TASK_STEP);
    const offset = id !== undefined && min !== undefined ? id - min : undefined;
    if (
      offset === undefined ||
      count === undefined ||
      step === undefined ||
      step < 1 ||
      offset < 0 ||
      offset % step !== 0 ||
      offset / step >= count
    )
      throw new CurieError(
        'E_ARGUMENT',
        `Slurm job array ids (task ${env.SLURM_ARRAY_TASK_ID}, min ${env.SLURM_ARRAY_TASK_MIN}, step ${env.SLURM_ARRAY_TASK_STEP ?? 1}, count ${env.SLURM_ARRAY_TASK_COUNT}) do not form 0…N−1 evenly; use --shard I/N`,
      );
    return checked({ index: offset / step, count, source: 'Slurm job array' });
  }
  throw new CurieError(
    'E_ARGUMENT',
    '--shard auto found no launcher (Open MPI, MPICH, Slurm) in the environment; use --shard I/N',
  );
}

function checked(shard: Shard): Shard {
  if (!(shard.count >= 1) || !(shard.index >= 0 && shard.index < shard.count))
    throw new CurieError('E_ARGUMENT', `shard ${shard.index}/${shard.count} (from ${shard.source}) needs 0 ≤ I < N`);
  return shard;
}

/** Parse `--shard`: `auto` or `I/N`. */
export function parseShard(text: string, env: NodeJS.ProcessEnv = process.env): Shard {
  if (text.trim() === 'auto') return shardFromEnvironment(env);
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) throw new CurieError('E_ARGUMENT', `--shard '${text}' must be I/N (I from 0) or auto`);
  return checked({ index: Number(match[1]), count: Number(match[2]), source: '--shard' });
}
