import { useEffect, useState } from 'react'

/** The time on `clock`, re-read every second while mounted and at every render, for countdowns. */
export function useNow(clock: () => number): number {
  const [, setTick] = useState(0)
  useEffect(() => {
    const timer = setInterval(() => setTick((tick) => tick + 1), 1000)
    return () => clearInterval(timer)
  }, [])
  // read at render: a session renewed under a moved clock is counted on that clock at once
  return clock()
}
