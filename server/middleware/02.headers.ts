// Security headers on every response, CORS for /v1 (CORS_ORIGINS) with preflight answered here.
// The admin API and dashboard are same-origin only: they get no CORS headers.
import { defineEventHandler } from 'h3'
import { config } from '../utils/core/config'

const DASHBOARD_CSP = [
  'default-src \'self\'',
  // Nuxt's server-rendered pages carry inline hydration scripts and styles.
  'script-src \'self\' \'unsafe-inline\'',
  'style-src \'self\' \'unsafe-inline\'',
  'img-src \'self\' data: blob:',
  'font-src \'self\' data:',
  'connect-src \'self\'',
  'object-src \'none\'',
  'base-uri \'self\'',
  'form-action \'self\'',
  'frame-ancestors \'none\'',
].join('; ')

function allowedOrigin(origin: string | undefined): string | undefined {
  const origins = config().corsOrigins
  if (origins.includes('*')) return '*'
  return origin && origins.includes(origin) ? origin : undefined
}

export default defineEventHandler((event) => {
  const { req, res } = event.node
  const url = req.url ?? ''
  res.setHeader('x-content-type-options', 'nosniff')
  res.setHeader('referrer-policy', 'no-referrer')
  res.setHeader('strict-transport-security', 'max-age=31536000; includeSubDomains')
  if (!url.startsWith('/v1/')) {
    if (!url.startsWith('/api/')) res.setHeader('content-security-policy', DASHBOARD_CSP)
    res.setHeader('x-frame-options', 'DENY')
    return
  }
  const origin = allowedOrigin(req.headers.origin)
  if (!origin) return
  res.setHeader('access-control-allow-origin', origin)
  if (origin !== '*') res.setHeader('vary', 'Origin')
  res.setHeader('access-control-expose-headers', 'x-request-id, x-gateway-provider, x-gateway-model, x-gateway-warning, x-gateway-overhead-ms, x-gateway-cost-usd, retry-after')
  if (req.method === 'OPTIONS') {
    res.writeHead(204, {
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'access-control-allow-headers': req.headers['access-control-request-headers'] ?? 'authorization, content-type',
      'access-control-max-age': '86400',
    })
    res.end()
  }
})
