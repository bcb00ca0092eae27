import { useSyncExternalStore } from 'react'

/** What the demo's tabs say to each other (not retoken's own channel: this is the demo's). */
type Message =
  | { type: 'hello' | 'here' | 'bye'; from: string }
  | { type: 'burst'; from: string; run: string; count: number }
  | { type: 'burst-done'; from: string; run: string; text: string }

const id = crypto.randomUUID()
const channel = new BroadcastChannel('retoken.demo.tabs')
const peers = new Set<string>()
const listeners = new Set<() => void>()
let peerCount = 0
const notify = () => {
  peerCount = peers.size
  for (const listener of listeners) listener()
}
const post = (message: Message) => channel.postMessage(message)

let onBurst: ((count: number) => Promise<string>) | null = null
const waiting = new Map<string, (text: string) => void>()

channel.onmessage = ({ data }: MessageEvent<Message>) => {
  if (data.type === 'hello') post({ type: 'here', from: id })
  if (data.type === 'hello' || data.type === 'here') peers.add(data.from)
  if (data.type === 'bye') peers.delete(data.from)
  if (data.type === 'burst' && onBurst) {
    void onBurst(data.count).then((text) =>
      post({ type: 'burst-done', from: id, run: data.run, text }),
    )
  }
  if (data.type === 'burst-done') waiting.get(data.run)?.(data.text)
  notify()
}
post({ type: 'hello', from: id })
window.addEventListener('pagehide', () => post({ type: 'bye', from: id }))

/** How many other tabs of the demo are open (they answer on a BroadcastChannel). */
export function useOtherTabs(): number {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    () => peerCount,
    () => 0,
  )
}

/** What this tab does when another tab asks it to burst; returns its one-line result. */
export function answerBursts(run: (count: number) => Promise<string>): void {
  onBurst = run
}

/** Asks every other tab to burst now; resolves with their results, or says who did not answer. */
export function burstInOtherTabs(count: number, timeoutMs = 15_000): Promise<string[]> {
  const run = crypto.randomUUID()
  const expected = peers.size
  const results: string[] = []
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      waiting.delete(run)
      resolve([...results, `${expected - results.length} tab(s) did not answer`])
    }, timeoutMs)
    waiting.set(run, (text) => {
      results.push(text)
      if (results.length < expected) return
      clearTimeout(timer)
      waiting.delete(run)
      resolve(results)
    })
    post({ type: 'burst', from: id, run, count })
  })
}
