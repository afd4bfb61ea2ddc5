// Serves pricing pages (and a provider's model list) on loopback, as the providers' sites would, with
// pages and statuses the test can change between registry updates.
import { createServer } from 'node:http'
import { listenOnLoopback } from './net'

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
    const type = page.startsWith('{') ? 'application/json' : path.endsWith('.md') || path.endsWith('.txt') ? 'text/markdown; charset=utf-8' : 'text/html; charset=utf-8'
    res.writeHead(200, { 'content-type': type })
    res.end(page)
  })
  const { url, close } = await listenOnLoopback(server)
  return { url, pages, hits, close }
}
