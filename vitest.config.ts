import { defineConfig } from 'vitest/config';

// Three suites: `unit` is self-contained, `parity` reads ../shared/reference/ (PyCurious fixtures),
// `interop` drives real external tools (GDAL, Open MPI, Jupyter) installed by .ci/run; `calibration`
// checks the intervals' coverage by Monte Carlo.
export default defineConfig({
  test: {
    projects: [
      // Generous per-test bounds: child processes and worker threads run slower on a loaded 2-core CI machine.
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 30_000 } },
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
