export { freePort } from '../../scripts/free-port.mjs'

/** Starts `server` on a random loopback port; returns its base URL and a close that ends open connections. */
export async function listenOnLoopback(server: import('node:http').Server): Promise<{ url: string, close: () => Promise<void> }> {
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  }
}
