/**
 * Parallel efficiency of the map engine on PyCurious's reference grid (1764 windows of 200 km
 * every 2.5 km), as ratios measured side by side in one run, each map in a fresh process (start-up
 * excluded, warm-up included, as a user's map pays it):
 *
 * - the machine's ceiling: two independent in-thread maps (`workers: 0`) side by side vs one alone;
 * - 2 worker threads vs one in-thread map alone: the speed-up, and its share of the ceiling (issue
 *   14's goal ≥ 85 %); and vs two processes each mapping half the windows side by side (the same
 *   work split the same way, without threads);
 * - where the CPU goes: the main thread, the worker threads, V8's helper threads (background JIT,
 *   GC; Linux /proc), the warm-up of one thread (a cold map's CPU less a warm one's), and the stages
 *   of one window (CPU profile of an in-thread map), with what a faster FFT would buy;
 * - a paper simulation of today's batching on N cores from those measurements: queue order, tail,
 *   per-worker start and warm-up, the main thread's share.
 *
 * Rounds alternate the configurations (the order rotates), and figures are medians of per-round
 * ratios: the machine is shared, and a ratio of runs made at the same time holds better than times.
 * Usage: node bench/map-parallel.mjs [rounds ≥ 3]   (children: --child <mode> …)
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { CurieOptimiser, loadGrid } from '../dist/index.js';
import { MAX_BATCH, planBatches } from '../dist/parallel/batches.js';

const GRID = fileURLToPath(new URL('../../shared/reference/pycurious/test_mag_data.txt', import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const WINDOW = 200e3;
const SPACING = 2500;
/** The in-thread batch size (run-in-thread.ts): per-window costs are read per batch of that many. */
const CALLING_THREAD_BATCH = 8;
const median = (values) => [...values].sort((a, b) => a - b)[(values.length - 1) >> 1];
const sum = (values) => values.reduce((a, b) => a + b, 0);
const pct = (x) => `${(100 * x).toFixed(0)} %`;

async function centroids() {
  const optimiser = CurieOptimiser.fromRaster(await loadGrid(GRID));
  return { optimiser, ...optimiser.createCentroidList(WINDOW, { spacingX: SPACING, spacingY: SPACING }) };
}

/** CPU ms of each thread of this process (Linux), by thread id. */
function threadCpu() {
  const out = new Map();
  if (!existsSync('/proc/self/task')) return out;
  for (const tid of readdirSync('/proc/self/task'))
    try {
      out.set(tid, Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1e6);
    } catch {
      // The thread ended between the listing and the read.
    }
  return out;
}

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/**
 * Child: map windows [part·n/parts, (part+1)·n/parts) `repeat` times with `workers`; print one JSON
 * line: each map's wall and CPU ms (and the main thread's), the first map's CPU by thread kind, the last map's per-window
 * CPU costs (in-thread maps only, from the time between batches).
 */
async function childMap(workers, part, parts, repeat) {
  const { optimiser, xc: allX, yc: allY } = await centroids();
  const from = Math.floor((part * allX.length) / parts),
    to = Math.floor(((part + 1) * allX.length) / parts);
  const xc = allX.slice(from, to),
    yc = allY.slice(from, to);
  const maps = [];
  let threads, windowMs;
  for (let r = 0; r < repeat; r++) {
    const before = threadCpu();
    const ticks = [];
    const elu = performance.eventLoopUtilization();
    const cpu0 = cpuMs(),
      t0 = performance.now();
    await optimiser.optimiseRoutine(WINDOW, xc, yc, {
      workers,
      onProgress: ({ done }) => ticks.push([done, performance.now()]),
    });
    // Idle workers live on for a second after the map: their threads can still be read.
    const last = threadCpu();
    const main = String(process.pid);
    maps.push({
      wallMs: performance.now() - t0,
      cpuMs: cpuMs() - cpu0,
      mainActiveMs: performance.eventLoopUtilization(elu).active,
      mainCpuMs: last.has(main) ? last.get(main) - before.get(main) : undefined,
    });
    if (r === 0 && workers > 0 && before.size > 0) {
      threads = { main: 0, workers: 0, helpers: 0 };
      for (const [tid, ms] of last) {
        const spent = ms - (before.get(tid) ?? 0);
        if (tid === main) threads.main += spent;
        else if (before.has(tid)) threads.helpers += spent;
        else threads.workers += spent;
      }
    }
    if (r === repeat - 1 && workers === 0) {
      // In-thread batches run one after the other in plan order: a batch's time is spread over its windows.
      windowMs = new Array(xc.length).fill(0);
      const plan = planBatches(xc.length, 1, xc, CALLING_THREAD_BATCH);
      // Wall time between batches, scaled to the map's CPU: the machine's load inflates the former.
      const scale = maps[r].cpuMs / maps[r].wallMs;
      ticks.forEach(([, t], b) => {
        const spent = t - (b === 0 ? t0 : ticks[b - 1][1]);
        for (const i of plan[b]) windowMs[i] = (scale * spent) / plan[b].length;
      });
    }
  }
  await optimiser.close();
  console.log(
    JSON.stringify({ maps, threads, windowMs, batches: planBatches(xc.length, Math.max(workers, 1), xc).length }),
  );
}

/**
 * Child: CPU profile of an in-thread map (after a warm-up map), by stage; and the time a worker
 * thread takes to start and load the worker's modules.
 */
async function childProfile() {
  const { Session } = await import('node:inspector/promises');
  const { Worker } = await import('node:worker_threads');
  const workerUrl = new URL('../dist/parallel/worker.js', import.meta.url).href;
  const starts = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const worker = new Worker(
      `import(${JSON.stringify(workerUrl)}).then(() => require('node:worker_threads').parentPort.postMessage(0))`,
      { eval: true },
    );
    await new Promise((resolve) => worker.once('message', resolve));
    starts.push(performance.now() - t0);
    await worker.terminate();
  }
  const { optimiser, xc, yc } = await centroids();
  await optimiser.optimiseRoutine(WINDOW, xc.slice(0, 400), yc.slice(0, 400), { workers: 0 });
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  const windows = 800;
  await optimiser.optimiseRoutine(WINDOW, xc.slice(400, 400 + windows), yc.slice(400, 400 + windows), { workers: 0 });
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  console.log(JSON.stringify({ windows, workerStartMs: median(starts), stages: stagesOf(profile) }));
}

/** Inclusive ms of the functions that mark each stage, and the profile's total (idle excluded). */
function stagesOf(profile) {
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  // Functions of the built package (dist/) whose inclusive time is a stage, by name.
  const marks = {
    spectrum: 'windowSpectra',
    fft: 'transform',
    fitProblem: 'windowProblem',
    scan: 'scanLattice',
    basins: 'basins',
    polish: 'polish',
    fit: 'fitGlobal',
  };
  const inclusive = Object.fromEntries(Object.keys(marks).map((key) => [key, 0]));
  let total = 0,
    gc = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (node.callFrame.functionName === '(idle)') continue;
    total += us;
    if (node.callFrame.functionName === '(garbage collector)') gc += us;
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at).callFrame;
      if (!frame.url.includes('/dist/')) continue;
      for (const [key, name] of Object.entries(marks))
        if (frame.functionName === name && !seen.has(key)) {
          seen.add(key);
          inclusive[key] += us;
        }
    }
  }
  const ms = (us) => us / 1000;
  const { spectrum, fft, fitProblem, scan, basins, polish, fit } = inclusive;
  return {
    totalMs: ms(total),
    spectrumMs: ms(spectrum),
    fftMs: ms(fft),
    scanMs: ms(scan + basins),
    polishMs: ms(polish),
    intervalMs: ms(fit - fitProblem - scan - basins - polish),
    setupMs: ms(fitProblem),
    gcMs: ms(gc),
  };
}

/** Run this file as a child with `args`; resolves with its JSON line and its whole-process wall ms. */
function child(args) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [SELF, '--child', ...args.map(String)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.on('data', (chunk) => (out += chunk));
    proc.on('error', reject);
    proc.on('exit', (code) =>
      code === 0
        ? resolve({ ...JSON.parse(out.trim().split('\n').pop()), processMs: performance.now() - started })
        : reject(new Error(`bench child ${args.join(' ')} exited with ${code}`)),
    );
  });
}

/** One configuration of a round: its children, started together. */
const CONFIGS = {
  alone: () => Promise.all([child(['map', 0, 0, 1, 2])]),
  pair: () => Promise.all([child(['map', 0, 0, 1, 1]), child(['map', 0, 0, 1, 1])]),
  threads: () => Promise.all([child(['map', 2, 0, 1, 2])]),
  halves: () => Promise.all([child(['map', 0, 0, 2, 1]), child(['map', 0, 1, 2, 1])]),
};

/**
 * Makespan (ms) of a map of windows costing `windowMs` (ms each) on `workers` threads with today's
 * batching: one queue in plan order; a worker starts after `startMs`, pays `warmupMs` on its first
 * batch, and after each batch waits for the main thread to take the result (`mainMs` of work per
 * batch, one batch at a time) and hand it the next.
 */
export function simulate(windowMs, xc, workers, { startMs, warmupMs, mainMs }) {
  const plan = planBatches(windowMs.length, workers, xc);
  const free = new Array(workers).fill(startMs);
  const warm = new Array(workers).fill(false);
  let mainFree = 0,
    mainBusy = 0;
  for (const batch of plan) {
    let w = 0;
    for (let j = 1; j < workers; j++) if (free[j] < free[w]) w = j;
    let spent = sum(batch.map((i) => windowMs[i]));
    if (!warm[w]) ((spent += warmupMs), (warm[w] = true));
    const finished = free[w] + spent;
    mainFree = Math.max(mainFree, finished) + mainMs;
    mainBusy += mainMs;
    free[w] = mainFree;
  }
  const makespan = Math.max(...free);
  const ideal = sum(windowMs) / workers;
  return {
    batches: plan.length,
    size: Math.max(...plan.map((b) => b.length)),
    makespan,
    efficiency: ideal / makespan,
    tail: makespan - sum(free) / workers,
    mainShare: mainBusy / makespan,
    warmupShare: warmupMs / makespan,
  };
}

export async function benchParallel(rounds = 3) {
  if (!existsSync(GRID))
    return console.log('# parallel efficiency: skipped (no ../shared/reference beside the project)');
  console.log(
    `# parallel efficiency (child processes; ${rounds} alternating rounds, medians; ${os.availableParallelism()} cores, load average ${os.loadavg()[0].toFixed(1)} at start)`,
  );
  const names = Object.keys(CONFIGS);
  const perRound = [];
  for (let r = 0; r < rounds; r++) {
    const got = {};
    for (let c = 0; c < names.length; c++) {
      const name = names[(r + c) % names.length];
      got[name] = await CONFIGS[name]();
    }
    const alone = got.alone[0].maps[0].wallMs;
    const pair = Math.max(...got.pair.map((p) => p.maps[0].wallMs));
    const threads = got.threads[0].maps[0].wallMs;
    const halves = Math.max(...got.halves.map((p) => p.maps[0].wallMs));
    perRound.push({
      alone,
      warmAlone: got.alone[0].maps[1].wallMs,
      warmSpeedup: got.alone[0].maps[1].wallMs / got.threads[0].maps[1].wallMs,
      ceiling: (2 * alone) / pair,
      speedup: alone / threads,
      efficiency: alone / threads / ((2 * alone) / pair),
      halvesOverThreads: halves / threads,
      cpuThreadsOverAlone: got.threads[0].maps[0].cpuMs / got.alone[0].maps[0].cpuMs,
      cpuPairOverAlone: sum(got.pair.map((p) => p.maps[0].cpuMs)) / (2 * got.alone[0].maps[0].cpuMs),
      cpuThreadsOverHalves: got.threads[0].maps[0].cpuMs / sum(got.halves.map((p) => p.maps[0].cpuMs)),
      warmupCpu: got.alone[0].maps[0].cpuMs - got.alone[0].maps[1].cpuMs,
      coldCpu: got.alone[0].maps[0].cpuMs,
      threadsCpu: got.threads[0].maps[0].cpuMs,
      threadKinds: got.threads[0].threads,
      mainPerBatch: (got.threads[0].maps[1].mainCpuMs ?? got.threads[0].maps[1].mainActiveMs) / got.threads[0].batches,
      windowMs: got.alone[0].windowMs,
      processAlone: got.alone[0].processMs,
      processThreads: got.threads[0].processMs,
    });
    const last = perRound.at(-1);
    console.log(
      `  round ${r + 1}: one map alone ${(alone / 1000).toFixed(2)} s, ceiling ${last.ceiling.toFixed(2)}×, 2 workers ${last.speedup.toFixed(2)}× = ${pct(last.efficiency)} of it (load ${os.loadavg()[0].toFixed(1)})`,
    );
  }
  const m = (key) => median(perRound.map((round) => round[key]));
  console.log(
    `  one in-thread map alone (1764 windows)               median ${(m('alone') / 1000).toFixed(2)} s (warm, same process: ${(m('warmAlone') / 1000).toFixed(2)} s); whole process ${(m('processAlone') / 1000).toFixed(2)} s`,
  );
  console.log(
    `  ceiling: two in-thread maps side by side vs one      median ${m('ceiling').toFixed(2)}× (rounds ${perRound.map((x) => x.ceiling.toFixed(2)).join(', ')}); CPU of each ${m('cpuPairOverAlone').toFixed(2)}× alone`,
  );
  console.log(
    `  2 worker threads vs one map alone                    median ${m('speedup').toFixed(2)}× = ${pct(m('efficiency'))} of the ceiling (rounds ${perRound.map((x) => pct(x.efficiency)).join(', ')}; goal ≥ 85 %); whole process ${(m('processThreads') / 1000).toFixed(2)} s`,
  );
  console.log(
    `  the same, warm (second map of the same processes)    median ${m('warmSpeedup').toFixed(2)}× (rounds ${perRound.map((x) => x.warmSpeedup.toFixed(2)).join(', ')})`,
  );
  console.log(
    `  2 threads vs 2 processes of half the map each        processes' time / threads' ${m('halvesOverThreads').toFixed(2)}; CPU threads / processes ${m('cpuThreadsOverHalves').toFixed(2)}`,
  );
  console.log(
    `  CPU of the 2-worker map vs one map alone             ${m('cpuThreadsOverAlone').toFixed(2)}× (${(m('threadsCpu') / 1000).toFixed(2)} s vs ${(m('coldCpu') / 1000).toFixed(2)} s)`,
  );
  const kinds = perRound.map((round) => round.threadKinds).filter(Boolean);
  if (kinds.length > 0) {
    const kind = (key) => median(kinds.map((k) => k[key]));
    console.log(
      `    by thread: workers ${(kind('workers') / 1000).toFixed(2)} s, main ${(kind('main') / 1000).toFixed(2)} s, V8 helpers (background JIT, GC) ${(kind('helpers') / 1000).toFixed(2)} s`,
    );
  }
  console.log(
    `    warm-up of one thread (cold map's CPU − warm map's) ${(m('warmupCpu') / 1000).toFixed(2)} s CPU = ${pct(m('warmupCpu') / m('coldCpu'))} of a cold map; main thread per batch of a warm 2-worker map ${m('mainPerBatch').toFixed(2)} ms CPU`,
  );

  const profiled = await child(['profile']);
  const s = profiled.stages;
  const per = (ms) => `${((ms / profiled.windows) * 1000).toFixed(0)} µs`;
  console.log(
    `  per window (CPU profile of ${profiled.windows} in-thread windows, warm)      ${per(s.totalMs)}: spectrum ${per(s.spectrumMs)} (${pct(s.spectrumMs / s.totalMs)}), lattice scan ${per(s.scanMs)} (${pct(s.scanMs / s.totalMs)}), polish ${per(s.polishMs)} (${pct(s.polishMs / s.totalMs)}), interval ${per(s.intervalMs)} (${pct(s.intervalMs / s.totalMs)}), set-up ${per(s.setupMs)}; GC ${per(s.gcMs)} (${pct(s.gcMs / s.totalMs)}, apart from the stages)`,
  );
  const fftShare = s.fftMs / s.totalMs;
  console.log(
    `    FFT (row and column transforms) ${per(s.fftMs)} = ${pct(fftShare)} of a window: an exact-size FFT 2× faster saves ${pct(fftShare / 2)}, 5× faster ${pct(fftShare * 0.8)}, free ${pct(fftShare)}`,
  );

  // Paper simulation: the median round's per-window costs, this run's start, warm-up and main-thread cost.
  const { xc } = await centroids();
  const windowMs = perRound.map((round) => round.windowMs).find(Boolean);
  const params = { startMs: profiled.workerStartMs, warmupMs: m('warmupCpu'), mainMs: m('mainPerBatch') };
  console.log(
    `  simulation of today's batching (warm window ${(sum(windowMs) / windowMs.length).toFixed(2)} ms, worker start ${params.startMs.toFixed(0)} ms, warm-up ${params.warmupMs.toFixed(0)} ms CPU, main thread ${params.mainMs.toFixed(2)} ms a batch; batches ≤ ${MAX_BATCH}):`,
  );
  const bigX = Float64Array.from(
    { length: 10 * xc.length },
    (_, i) => xc[i % xc.length] + 1e7 * Math.floor(i / xc.length),
  );
  const bigCosts = Array.from({ length: bigX.length }, (_, i) => windowMs[i % windowMs.length]);
  for (const [label, costs, centres] of [
    ['1764 windows', windowMs, xc],
    ['17 640 windows', bigCosts, bigX],
  ])
    for (const n of [1, 2, 4, 8, 16, 64]) {
      const sim = simulate(costs, centres, n, params);
      console.log(
        `    ${label.padEnd(15)} ${String(n).padStart(2)} cores: ${String(sim.batches).padStart(4)} batches of ≤ ${String(sim.size).padStart(2)}, ${(sim.makespan / 1000).toFixed(2).padStart(6)} s, efficiency ${pct(sim.efficiency).padStart(5)} (warm-up ${pct(sim.warmupShare)}, tail ${sim.tail.toFixed(0)} ms, main thread busy ${pct(sim.mainShare)})`,
      );
    }
  console.log(
    `  load average at end ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
}

if (process.argv[2] === '--child') {
  const [mode, ...args] = process.argv.slice(3);
  if (mode === 'map') await childMap(...args.map(Number));
  else await childProfile();
} else if (process.argv[1] === SELF) await benchParallel(Math.max(3, Number(process.argv[2] ?? 3)));
