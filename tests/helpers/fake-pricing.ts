// Serves pricing pages on loopback, as the providers' sites would, with pages and statuses the test
// can change between registry updates.
import { createServer } from 'node:http'

export interface FakePricingSite {
  url: string
  /** Body served at a path (e.g. `/openai/pricing.md`), or a status to fail with. */
  pages: Map<string, string | number>
  hits: string[]
  close: () => Promise<void>
}

export async function startFakePricingSite(): Promise<FakePricingSite> {
  const pages = new Map<string, string | number>()
  const hits: string[] = []
  const server = createServer((req, res) => {
    const path = req.url ?? ''
    hits.push(path)
    const page = pages.get(path)
    if (page === undefined || typeof page === 'number') {
      res.writeHead(typeof page === 'number' ? page : 404, { 'content-type': 'text/plain' })
      res.end('not available')
      return
    }
    res.writeHead(200, { 'content-type': path.endsWith('.md') || path.endsWith('.txt') ? 'text/markdown; charset=utf-8' : 'text/html; charset=utf-8' })
    res.end(page)
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return { url: `http://127.0.0.1:${port}`, pages, hits, close: () => new Promise(resolve => server.close(() => resolve())) }
}
