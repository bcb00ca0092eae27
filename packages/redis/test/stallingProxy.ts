import { createServer, type Server, Socket } from 'node:net'

/**
 * A TCP proxy in front of redis-server that can stall: while stalled it forwards
 * nothing either way, as a congested network or a frozen VM would. What was sent
 * meanwhile arrives when it resumes.
 */
export async function startStallingProxy(targetPort: number) {
  const sockets = new Set<Socket>()
  let stalled = false
  const server: Server = createServer((client) => {
    const upstream = new Socket()
    upstream.connect(targetPort, '127.0.0.1')
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('error', () => {})
      socket.on('close', () => sockets.delete(socket))
      if (stalled) socket.pause()
    }
    client.pipe(upstream)
    upstream.pipe(client)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    url: `redis://127.0.0.1:${port}`,
    stall() {
      stalled = true
      for (const socket of sockets) socket.pause()
    },
    resume() {
      stalled = false
      for (const socket of sockets) socket.resume()
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
