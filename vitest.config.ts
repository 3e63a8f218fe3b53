import { defineConfig } from 'vitest/config';

// Three suites: `unit` is self-contained, `parity` reads ../shared/reference/ (PyCurious fixtures),
// `interop` drives real external tools (GDAL, Open MPI, Jupyter) installed by .ci/run; `calibration`
// checks the intervals' coverage by Monte Carlo.
export default defineConfig({
  test: {
    projects: [
      // Generous per-test bounds: child processes and worker threads run slower on a loaded 2-core CI machine.
      // One test file per core (vitest's default keeps a core free, which leaves one file at a time on 2
      // cores): much of the suite waits on child processes and worker threads rather than computing.
      // Files share their process (isolate: false), so the package is loaded and its fits compiled once per
      // process, not once per file: a file that changes the process (working directory, environment,
      // memory budget, listeners) puts it back, and spies are restored before each test.
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 30_000,
          maxWorkers: '100%',
          isolate: false,
          restoreMocks: true,
        },
      },
      { extends: true, test: { name: 'parity', include: ['test/parity/**/*.test.ts'], testTimeout: 60_000 } },
      { extends: true, test: { name: 'interop', include: ['test/interop/**/*.test.ts'], testTimeout: 120_000 } },
      // Monte-Carlo coverage of the intervals: minutes of fits, so apart from the fast unit suite.
      {
        extends: true,
        test: {
          name: 'calibration',
          include: ['test/calibration/**/*.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
