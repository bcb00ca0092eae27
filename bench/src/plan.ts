// How much each scenario does: the full run behind RESULTS.md, or `--quick`, the CI
// smoke test that runs every scenario small and writes nothing.
export const quick = process.argv.includes('--quick')

export const plan = quick
  ? {
      overhead: { rounds: 40, perRound: 25, delayedRounds: 6, delayedPerRound: 5 },
      burst: 100,
      queue: [100, 1_000],
      abortRepeats: 1,
      hourSeconds: 5 * 60,
      cycle: { rounds: 30, perRound: 10 },
    }
  : {
      overhead: { rounds: 60, perRound: 250, delayedRounds: 20, delayedPerRound: 25 },
      burst: 1_000,
      queue: [1_000, 10_000, 100_000],
      abortRepeats: 7,
      hourSeconds: 60 * 60,
      cycle: { rounds: 40, perRound: 100 },
    }

export type Plan = typeof plan
