// A free loopback port, for the tests and the benchmark (plain JavaScript so that both can import it).
import { createServer } from 'node:net'

/** Binds port 0 on 127.0.0.1, lets it go and resolves with the port the system chose. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}
