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

/** A fake server's incoming request read whole: its path without the query, the raw text, and the JSON body (undefined when empty; `parsed` false when not JSON). */
export async function readJsonRequest(req: import('node:http').IncomingMessage): Promise<{ path: string, raw: string, body: any, parsed: boolean }> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  const raw = Buffer.concat(chunks).toString('utf8')
  const path = (req.url ?? '').split('?')[0]!
  try {
    return { path, raw, body: raw ? JSON.parse(raw) : undefined, parsed: true }
  }
  catch {
    return { path, raw, body: raw, parsed: false }
  }
}
