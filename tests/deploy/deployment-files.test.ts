// Deployment files: nginx config (checked by `nginx -t` on a scratch copy), docker-compose.yml,
// docker/Dockerfile, .dockerignore, .env.example and the GitHub workflows.
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { freePort } from '../helpers/net'

const root = fileURLToPath(new URL('../../', import.meta.url))
const read = (rel: string) => readFileSync(join(root, rel), 'utf8')
const yamlFile = (rel: string) => parse(read(rel), { merge: true })

// ---------------------------------------------------------------------------------------------------
// nginx config helpers

const stripComments = (conf: string) => conf.replace(/#[^\n]*/g, '')
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** The bodies of every `<header> { ... }` block at any depth (header matched word for word). */
function blocks(conf: string, header: string): string[] {
  const text = stripComments(conf)
  const re = new RegExp(`(?:^|[\\s;{}])${escapeRe(header).replace(/ /g, '\\s+')}\\s*\\{`, 'g')
  const found: string[] = []
  for (let m = re.exec(text); m; m = re.exec(text)) {
    let depth = 1
    let i = m.index + m[0].length
    const start = i
    for (; i < text.length && depth > 0; i++) {
      if (text[i] === '{') depth++
      else if (text[i] === '}') depth--
    }
    if (depth !== 0) throw new Error(`unbalanced braces after "${header}"`)
    found.push(text.slice(start, i - 1))
  }
  return found
}

/** The body of the first `<header> { ... }` block; throws (failing the test) when there is none. */
function block(conf: string, header: string): string {
  const found = blocks(conf, header)[0]
  if (found === undefined) throw new Error(`no "${header} { ... }" block`)
  return found
}

/** Whether a block contains the directive (whitespace-insensitive, terminated by `;`). */
function hasDirective(body: string, directive: string): boolean {
  const re = new RegExp(`(?:^|[\\s;{}])${escapeRe(directive).replace(/ /g, '\\s+')}\\s*;`)
  return re.test(stripComments(body))
}

/** A block's own directives, with nested blocks removed. */
function ownLevel(body: string): string {
  let out = ''
  let depth = 0
  for (const ch of body) {
    if (ch === '{') depth++
    if (depth === 0) out += ch
    if (ch === '}') depth--
  }
  return out
}

const mainConf = read('nginx/nginx.conf')
const template = read('nginx/templates/gateway.conf.template')
const upstreamSingle = read('nginx/upstream/single.conf')
const upstreamScale = read('nginx/upstream/scale.conf')

const servers = blocks(template, 'server')
const httpServer = servers.find(s => hasDirective(s, 'listen 80') && hasDirective(s, 'server_name ${GATEWAY_DOMAIN}'))
const httpsServer = servers.find(s => /listen\s+443\s+ssl\b/.test(s) && hasDirective(s, 'server_name ${GATEWAY_DOMAIN}'))

describe('nginx config text', () => {
  it('rate limits per client address at 100 requests a minute, answering 429', () => {
    const http = block(mainConf, 'http')
    expect(http).toBeDefined()
    expect(hasDirective(http, 'limit_req_zone $binary_remote_addr zone=perip:10m rate=100r/m')).toBe(true)
    expect(hasDirective(http, 'limit_req_status 429')).toBe(true)
  })

  it('main config is relocatable: relative includes, no pid/user/temp paths, standard log paths', () => {
    const text = stripComments(mainConf)
    expect(text).not.toMatch(/(^|\s)(pid|user|client_body_temp_path|proxy_temp_path)\s/m)
    expect(text).not.toMatch(/include\s+\//)
    expect(hasDirective(mainConf, 'include conf.d/gateway.conf')).toBe(true)
    const logs = [...text.matchAll(/(?:access_log|error_log)\s+([^\s;]+)/g)].map(m => m[1])
    expect(logs.length).toBeGreaterThan(0)
    for (const target of logs) expect(target).toMatch(/^(stderr|off|\/var\/log\/nginx\/[\w.-]+)$/)
  })

  it('upstream gateway_upstream: gateway:3000 alone, or with gateway-2:3000 in scale mode, with keepalive', () => {
    const single = block(upstreamSingle, 'upstream gateway_upstream')
    const scale = block(upstreamScale, 'upstream gateway_upstream')
    expect(single).toMatch(/server\s+gateway:3000\b/)
    expect(single).not.toMatch(/gateway-2/)
    expect(single).toMatch(/keepalive\s+\d+\s*;/)
    expect(scale).toMatch(/server\s+gateway:3000\b/)
    expect(scale).toMatch(/server\s+gateway-2:3000\b/)
    expect(scale).toMatch(/keepalive\s+\d+\s*;/)
    expect(hasDirective(template, 'include upstream/${GATEWAY_UPSTREAM}.conf')).toBe(true)
  })

  it('port 80 serves ACME challenges from the certbot webroot and redirects the rest to HTTPS', () => {
    expect(httpServer).toBeDefined()
    const acme = block(httpServer!, 'location ^~ /.well-known/acme-challenge/')
    expect(acme).toBeDefined()
    expect(hasDirective(acme, 'root /var/www/certbot')).toBe(true)
    const rest = block(httpServer!, 'location /')
    expect(rest).toMatch(/return\s+301\s+https:\/\//)
  })

  it('port 443 uses the Let\'s Encrypt certificate of ${GATEWAY_DOMAIN} with TLS 1.2/1.3 only', () => {
    expect(httpsServer).toBeDefined()
    const s = httpsServer!
    expect(hasDirective(s, 'ssl_certificate /etc/letsencrypt/live/${GATEWAY_DOMAIN}/fullchain.pem')).toBe(true)
    expect(hasDirective(s, 'ssl_certificate_key /etc/letsencrypt/live/${GATEWAY_DOMAIN}/privkey.pem')).toBe(true)
    expect(hasDirective(s, 'ssl_protocols TLSv1.2 TLSv1.3')).toBe(true)
    expect(hasDirective(s, 'client_max_body_size 20m')).toBe(true)
  })

  it('sends HSTS and the other security headers on every response (always), set at server level only', () => {
    const s = httpsServer!
    const hsts = /add_header\s+Strict-Transport-Security\s+"max-age=(\d+)[^"]*"\s+always\s*;/.exec(s)
    expect(hsts).not.toBeNull()
    expect(Number(hsts![1])).toBeGreaterThanOrEqual(15_552_000)
    expect(s).toMatch(/add_header\s+X-Content-Type-Options\s+"nosniff"\s+always\s*;/)
    expect(s).toMatch(/add_header\s+Referrer-Policy\s+"[a-z-]+"\s+always\s*;/)
    expect(s).toMatch(/add_header\s+(X-Frame-Options\s+"DENY"|Content-Security-Policy\s+"[^"]*frame-ancestors 'none'[^"]*")\s+always\s*;/)
    // add_header inside a location would silently drop all of the server-level headers there.
    for (const location of s.matchAll(/location\s+[^{]+\{([^}]*)\}/g)) expect(location[1]).not.toMatch(/add_header/)
  })

  it('proxies with HTTP/1.1 keep-alive and X-Forwarded-For/-Proto and X-Request-Id', () => {
    const level = ownLevel(httpsServer!)
    expect(hasDirective(level, 'proxy_http_version 1.1')).toBe(true)
    expect(hasDirective(level, 'proxy_set_header Connection ""')).toBe(true)
    expect(level).toMatch(/proxy_set_header\s+X-Forwarded-For\s+\$\S+;/)
    expect(hasDirective(level, 'proxy_set_header X-Forwarded-Proto $scheme')).toBe(true)
    expect(level).toMatch(/proxy_set_header\s+X-Request-Id\s+\$\S+;/)
    // A location with its own proxy_set_header would not inherit these.
    for (const m of httpsServer!.matchAll(/location\s+[^{]+\{([^}]*)\}/g)) expect(m[1]).not.toMatch(/proxy_set_header/)
  })

  it('/v1/ streams: no buffering either way, 600 s timeouts, rate limited with burst 20 nodelay', () => {
    const v1 = block(httpsServer!, 'location /v1/')
    expect(v1).toBeDefined()
    expect(hasDirective(v1, 'proxy_pass http://gateway_upstream')).toBe(true)
    expect(hasDirective(v1, 'proxy_buffering off')).toBe(true)
    expect(hasDirective(v1, 'proxy_request_buffering off')).toBe(true)
    expect(hasDirective(v1, 'proxy_read_timeout 600s')).toBe(true)
    expect(hasDirective(v1, 'proxy_send_timeout 600s')).toBe(true)
    expect(hasDirective(v1, 'limit_req zone=perip burst=20 nodelay')).toBe(true)
  })

  it('passes on the name of the server named ${GATEWAY_DOMAIN} as Host and X-Forwarded-Host, the name compose lets the gateway answer to', () => {
    const level = ownLevel(httpsServer!)
    expect(hasDirective(level, 'proxy_set_header Host $host')).toBe(true)
    expect(hasDirective(level, 'proxy_set_header X-Forwarded-Host $host')).toBe(true)
    // Any other name is dropped before it reaches the gateway (the default servers).
    expect(servers.filter(s => hasDirective(s, 'listen 443 ssl default_server')).map(s => hasDirective(s, 'ssl_reject_handshake on'))).toEqual([true])
    const compose = yamlFile('docker-compose.yml')
    for (const name of ['gateway', 'gateway-2']) expect(compose.services[name].environment.GATEWAY_DOMAIN, name).toMatch(/^\$\{GATEWAY_DOMAIN:\?/)
  })

  it('the template uses only variables that docker-compose.yml gives the nginx container', () => {
    const used = new Set([...template.matchAll(/\$\{([A-Z0-9_]+)\}/g)].map(m => m[1]))
    expect([...used].sort()).toEqual(['GATEWAY_DOMAIN', 'GATEWAY_UPSTREAM'])
    const nginxEnv = yamlFile('docker-compose.yml').services.nginx.environment
    for (const name of used) expect(Object.keys(nginxEnv)).toContain(name)
  })
})

// ---------------------------------------------------------------------------------------------------
// nginx -t on a scratch copy

const NGINX = '/usr/sbin/nginx'
const hasNginx = existsSync(NGINX)
const hasOpenssl = spawnSync('openssl', ['version']).status === 0
const canRunNginx = hasNginx && hasOpenssl
if (!canRunNginx) {
  console.warn(`[deploy] skipping nginx -t: ${hasNginx ? 'openssl' : NGINX} is not installed (apt-get install -y nginx openssl)`)
}

const DOMAIN = 'gateway.test.invalid'

/** Replaces every occurrence and fails when there is none, so a renamed path cannot slip through. */
function replaceAll(text: string, from: string | RegExp, to: string, what: string): string {
  const re = typeof from === 'string' ? new RegExp(escapeRe(from), 'g') : from
  expect(text.match(re), `expected ${what} in the config`).not.toBeNull()
  return text.replace(re, to)
}

describe.skipIf(!canRunNginx)(`nginx -t (${canRunNginx ? NGINX : 'skipped: nginx or openssl missing'})`, () => {
  let tmp = ''
  let version = ''
  let certDir = ''

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'gateway-nginx-'))
    certDir = join(tmp, 'certs')
    mkdirSync(certDir)
    const cert = spawnSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', join(certDir, 'privkey.pem'), '-out', join(certDir, 'fullchain.pem'),
      '-days', '2', '-subj', `/CN=${DOMAIN}`,
    ], { encoding: 'utf8' })
    expect(cert.status, cert.stderr).toBe(0)
    version = spawnSync(NGINX, ['-V'], { encoding: 'utf8' }).stderr
  })

  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true })
  })

  /** Lays the config out under `dir` as the nginx image would render it, pointed at local stand-ins. */
  async function render(dir: string, mode: 'single' | 'scale', certs: string) {
    mkdirSync(join(dir, 'conf.d'), { recursive: true })
    mkdirSync(join(dir, 'upstream'), { recursive: true })
    mkdirSync(join(dir, 'www'), { recursive: true })
    mkdirSync(join(dir, 'temp'), { recursive: true })

    // Temp directories inside the scratch prefix, so no system path has to be writable.
    const temps = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
      .filter(m => m === 'client_body' || m === 'proxy' || !version.includes(`--without-http_${m}_module`))
      .map(m => `    ${m}_temp_path ${join(dir, 'temp', m)};`)
      .join('\n')
    mkdirSync(join(dir, 'logs'), { recursive: true })
    let main = replaceAll(mainConf, /^http\s*\{/m, `http {\n${temps}`, 'an http block')
    main = main.replace(/\/var\/log\/nginx\//g, `${join(dir, 'logs')}/`)
    writeFileSync(join(dir, 'nginx.conf'), main)

    if (existsSync('/etc/nginx/mime.types')) copyFileSync('/etc/nginx/mime.types', join(dir, 'mime.types'))
    else writeFileSync(join(dir, 'mime.types'), 'types {\n    text/html html;\n    application/javascript js;\n}\n')

    for (const name of readdirSync(join(root, 'nginx/upstream'))) {
      let text = read(`nginx/upstream/${name}`)
      text = text.replace(/\bgateway-2:3000\b/g, '127.0.0.1:3001').replace(/\bgateway:3000\b/g, '127.0.0.1:3000')
      expect(text).not.toMatch(/server\s+[a-z]/i)
      writeFileSync(join(dir, 'upstream', name), text)
    }

    // What the image's entrypoint does with envsubst, then local ports, certificate and webroot.
    const [p80, p443] = [await freePort(), await freePort()]
    let conf = template.replace(/\$\{GATEWAY_DOMAIN\}/g, DOMAIN).replace(/\$\{GATEWAY_UPSTREAM\}/g, mode)
    expect(conf).not.toMatch(/\$\{/)
    conf = replaceAll(conf, `/etc/letsencrypt/live/${DOMAIN}/`, `${certs}/`, 'the Let\'s Encrypt live directory')
    conf = replaceAll(conf, '/var/www/certbot', join(dir, 'www'), 'the certbot webroot')
    conf = replaceAll(conf, /listen\s+80\b/g, `listen 127.0.0.1:${p80}`, 'listen 80')
    conf = replaceAll(conf, /listen\s+443\b/g, `listen 127.0.0.1:${p443}`, 'listen 443')
    writeFileSync(join(dir, 'conf.d', 'gateway.conf'), conf)
  }

  function nginxTest(dir: string) {
    const args = ['-t', '-p', `${dir}/`, '-c', join(dir, 'nginx.conf'), '-g', `pid ${join(dir, 'nginx.pid')};`]
    // -e (startup error log) exists from nginx 1.19.5; without it the compiled-in log path is tried.
    const m = /nginx\/(\d+)\.(\d+)\.(\d+)/.exec(version)
    const [major, minor, patch] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0]
    if (major > 1 || minor > 19 || (minor === 19 && patch >= 5)) args.push('-e', 'stderr')
    return spawnSync(NGINX, args, { encoding: 'utf8' })
  }

  for (const mode of ['single', 'scale'] as const) {
    it(`accepts the config with the ${mode} upstream`, async () => {
      const dir = join(tmp, mode)
      await render(dir, mode, certDir)
      const result = nginxTest(dir)
      expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0)
      expect(result.stderr).toMatch(/syntax is ok/)
      expect(result.stderr).toMatch(/test is successful/)
      expect(result.stderr).not.toMatch(/\[emerg\]/)
    }, 30_000)
  }

  it('fails when the certificate is missing (the check can fail)', async () => {
    const dir = join(tmp, 'no-cert')
    await render(dir, 'single', join(tmp, 'does-not-exist'))
    const result = nginxTest(dir)
    expect(result.status).not.toBe(0)
    expect(result.stderr).toMatch(/fullchain\.pem/)
  }, 30_000)
})

// ---------------------------------------------------------------------------------------------------
// docker-compose.yml

describe('docker-compose.yml', () => {
  const text = read('docker-compose.yml')
  const compose = yamlFile('docker-compose.yml')
  const services = compose.services as Record<string, any>

  it('runs gateway and nginx by default, postgres/redis/gateway-2 only with the scale profile', () => {
    const always = Object.keys(services).filter(name => !services[name].profiles)
    expect(always.sort()).toEqual(['gateway', 'nginx'])
    for (const name of ['postgres', 'redis', 'gateway-2']) {
      expect(services[name], name).toBeDefined()
      expect(services[name].profiles).toEqual(['scale'])
    }
  })

  it('gateway: built from docker/Dockerfile, port 3000, ./data volume, .env, restart policy, init, healthcheck', () => {
    const gw = services.gateway
    expect(gw.build).toMatchObject({ context: '.', dockerfile: 'docker/Dockerfile' })
    expect(gw.ports.some((p: string) => /(^|:)3000:3000$/.test(String(p)))).toBe(true)
    expect(gw.volumes).toContain('./data:/app/data')
    expect([gw.env_file].flat()).toContain('.env')
    expect(gw.restart).toBe('unless-stopped')
    expect(gw.init).toBe(true)
    expect(gw.healthcheck.test.join(' ')).toContain('/live')
    expect(gw.environment).toMatchObject({ PORT: '3000', DATA_DIR: '/app/data' })
  })

  it('gateway-2 shares the gateway definition (YAML anchor) and gets DATABASE_URL/REDIS_URL', () => {
    expect(text).toMatch(/<<:\s*\*gateway-base/)
    const gw2 = services['gateway-2']
    expect(gw2.build).toEqual(services.gateway.build)
    expect(gw2.image).toEqual(services.gateway.image)
    expect(gw2.volumes).toEqual(services.gateway.volumes)
    expect(gw2.healthcheck).toEqual(services.gateway.healthcheck)
    expect(gw2.environment.DATA_DIR).toBe('/app/data')
    expect(gw2.environment.DATABASE_URL).toMatch(/^postgres:\/\/[^@]+@postgres:5432\/\w+$/)
    expect(gw2.environment.REDIS_URL).toMatch(/^redis:\/\/redis:6379/)
    expect(gw2.ports ?? []).toEqual([])
    expect(gw2.depends_on.postgres.condition).toBe('service_healthy')
    expect(gw2.depends_on.redis.condition).toBe('service_healthy')
    // The first gateway must not be forced onto PostgreSQL/Redis outside scale mode.
    expect(services.gateway.environment.DATABASE_URL).toBeUndefined()
    expect(services.gateway.environment.REDIS_URL).toBeUndefined()
  })

  it('nginx: ports 80/443, config + templates + certificates mounted read-only, waits for a healthy gateway', () => {
    const ng = services.nginx
    expect(ng.image).toMatch(/^nginx:1\.\d+/)
    expect(ng.ports).toEqual(expect.arrayContaining(['80:80', '443:443']))
    expect(ng.volumes).toEqual(expect.arrayContaining([
      './nginx/nginx.conf:/etc/nginx/nginx.conf:ro',
      './nginx/templates:/etc/nginx/templates:ro',
      './nginx/upstream:/etc/nginx/upstream:ro',
      '/etc/letsencrypt:/etc/letsencrypt:ro',
    ]))
    expect(ng.volumes.some((v: string) => /:\/var\/www\/certbot(:ro)?$/.test(v))).toBe(true)
    expect(ng.depends_on.gateway.condition).toBe('service_healthy')
    expect(ng.restart).toBe('unless-stopped')
  })

  it('mounts only repository paths that exist', () => {
    for (const service of Object.values(services)) {
      for (const volume of (service.volumes ?? []) as string[]) {
        const [source = ''] = volume.split(':')
        if (source.startsWith('./nginx')) expect(existsSync(join(root, source)), source).toBe(true)
      }
    }
  })

  it('postgres 16 with a named volume and healthcheck; redis 7', () => {
    expect(services.postgres.image).toMatch(/^postgres:16/)
    const named = services.postgres.volumes.map((v: string) => v.split(':')[0]).filter((s: string) => !s.startsWith('.') && !s.startsWith('/'))
    expect(named.length).toBeGreaterThan(0)
    for (const name of named) expect(Object.keys(compose.volumes)).toContain(name)
    expect(services.postgres.healthcheck.test.join(' ')).toContain('pg_isready')
    expect(services.redis.image).toMatch(/^redis:7/)
  })
})

// ---------------------------------------------------------------------------------------------------
// docker/Dockerfile and .dockerignore

interface Stage { from: string, name?: string, lines: string[] }

function dockerStages(source: string): { args: Record<string, string>, stages: Stage[] } {
  const lines = source
    .replace(/\\\r?\n/g, ' ') // line continuations
    .split(/\r?\n/)
    .map(l => l.trim())
    .filter(l => l && !l.startsWith('#'))
  const args: Record<string, string> = {}
  const stages: Stage[] = []
  for (const line of lines) {
    const from = /^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(line)
    if (from) {
      const image = (from[1] ?? '').replace(/\$\{?(\w+)\}?/g, (_, n: string) => args[n] ?? '')
      stages.push({ from: image, name: from[2], lines: [] })
    }
    else if (!stages.length && /^ARG\s/i.test(line)) {
      const m = /^ARG\s+(\w+)=(\S+)/i.exec(line)
      if (m?.[1] && m[2]) args[m[1]] = m[2].replace(/^"|"$/g, '')
    }
    else stages.at(-1)?.lines.push(line)
  }
  return { args, stages }
}

describe('docker/Dockerfile', () => {
  const { stages } = dockerStages(read('docker/Dockerfile'))
  const build = stages[0] ?? { from: '(none)', lines: [] }
  const final = stages.at(-1) ?? build
  const finalText = final.lines.join('\n')

  it('has a build stage and a final stage on the same node 22 slim base', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2)
    expect(final.from).toMatch(/^node:22(\.\d+)*-(bookworm|trixie)-slim(@sha256:[0-9a-f]{64})?$/)
    expect(build.from).toBe(final.from)
  })

  it('build stage has the native toolchain and runs npm ci and npm run build', () => {
    const text = build.lines.join('\n')
    for (const pkg of ['python3', 'make', 'g++']) expect(text).toMatch(new RegExp(`apt-get install[^\\n]*\\s${escapeRe(pkg)}(\\s|$)`))
    expect(text).toMatch(/npm ci\b/)
    expect(text).toMatch(/npm run build\b/)
  })

  it('final stage copies only .output from the build stage', () => {
    const copies = final.lines.filter(l => /^(COPY|ADD)\s/i.test(l))
    expect(copies.length).toBeGreaterThan(0)
    for (const copy of copies) {
      expect(copy).toMatch(new RegExp(`--from=(${escapeRe(build.name ?? '0')}|0)\\b`))
      const parts = copy.split(/\s+/).filter(p => !p.startsWith('--')).slice(1)
      expect(parts.slice(0, -1)).toEqual(['/app/.output'])
    }
  })

  it('runs as a non-root user with /app/data as a volume, port 3000 and production env', () => {
    const users = final.lines.filter(l => /^USER\s/i.test(l)).map(l => l.split(/\s+/)[1])
    expect(users.length).toBeGreaterThan(0)
    expect(['root', '0', '0:0']).not.toContain(users.at(-1))
    expect(finalText).toMatch(/^VOLUME\s+(\["\/app\/data"\]|\/app\/data)\s*$/m)
    expect(finalText).toMatch(/^EXPOSE\s+3000\s*$/m)
    for (const env of ['NODE_ENV=production', 'PORT=3000', 'HOST=0.0.0.0', 'DATA_DIR=/app/data']) {
      expect(finalText).toMatch(new RegExp(`^ENV\\s.*\\b${escapeRe(env)}(\\s|$)`, 'm'))
    }
    // The data directory is created and handed to that user before VOLUME.
    expect(finalText).toMatch(new RegExp(`chown\\s+${escapeRe(users.at(-1)!)}(:\\S+)?\\s+/app/data`))
  })

  it('health-checks /live with node, runs the Nitro server under an init', () => {
    const hc = final.lines.find(l => /^HEALTHCHECK\s/i.test(l))
    expect(hc).toBeDefined()
    expect(hc).toMatch(/CMD\s+\["node"/)
    expect(hc).toContain('127.0.0.1:')
    expect(hc).toContain('/live')
    expect(finalText).toMatch(/^CMD\s+\["node",\s*"\.output\/server\/index\.mjs"\]\s*$/m)
    expect(finalText).toMatch(/^ENTRYPOINT\s+\["\/usr\/bin\/tini",[^\]]*"--"\]\s*$/m)
    expect(finalText).toMatch(/apt-get install[^\n]*\stini(\s|$)/)
  })
})

describe('.dockerignore', () => {
  const entries = read('.dockerignore').split(/\r?\n/).map(l => l.trim()).filter(l => l && !l.startsWith('#'))

  it('keeps dependencies, build output, runtime data and secrets out of the build context', () => {
    for (const entry of ['node_modules', '.output', '.nuxt', '.env', 'tests/.tmp', '.git']) expect(entries).toContain(entry)
    expect(entries.some(e => e === 'data' || e === 'data/*')).toBe(true)
    expect(entries).toContain('!.env.example')
    // Nothing the image build needs is excluded.
    for (const needed of ['package.json', 'package-lock.json', 'nuxt.config.ts', 'server', 'pages']) expect(entries).not.toContain(needed)
  })

  it('lets through the data/ files that server code imports at build time', () => {
    const imported = new Set<string>()
    const walk = (dir: string) => {
      for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
        const rel = `${dir}/${entry.name}`
        if (entry.isDirectory()) walk(rel)
        else if (/\.(ts|mts|js|mjs)$/.test(entry.name)) {
          for (const m of read(rel).matchAll(/from\s+['"](?:\.\.\/)+data\/([^'"]+)['"]/g)) imported.add(m[1]!)
        }
      }
    }
    if (existsSync(join(root, 'server'))) walk('server')
    for (const file of imported) {
      expect(existsSync(join(root, 'data', file)), `data/${file}`).toBe(true)
      if (entries.includes('data/*')) expect(entries, `data/${file}`).toContain(`!data/${file}`)
      else expect(entries).not.toContain('data')
    }
  })
})

// ---------------------------------------------------------------------------------------------------
// .env.example

const GATEWAY_ENV = [
  'PORT', 'HOST', 'DATA_DIR', 'DATABASE_URL', 'REDIS_URL', 'ADMIN_API_KEY', 'ENCRYPTION_KEY', 'SECRET_KEY',
  'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL', 'GEMINI_API_KEY', 'GEMINI_BASE_URL',
  'LOG_LEVEL', 'RATE_LIMIT_PER_MINUTE', 'TRUST_PROXY', 'CORS_ORIGINS', 'METRICS_TOKEN', 'MAX_BODY_BYTES',
  'UPSTREAM_TIMEOUT_MS', 'UPSTREAM_MAX_RETRIES', 'REGISTRY_CRON', 'REGISTRY_OPENAI_URL', 'REGISTRY_ANTHROPIC_URL',
  'REGISTRY_GOOGLE_URL', 'BACKUP_DIR', 'ADMIN_EMAIL', 'ADMIN_PASSWORD', 'PUBLIC_HOSTS', 'GATEWAY_DOMAIN',
  'MAX_JSON_DEPTH', 'MAX_JSON_VALUES', 'REQUEST_BODY_TIMEOUT_MS', 'HEADERS_TIMEOUT_MS', 'REQUEST_TIMEOUT_MS',
]

describe('.env.example', () => {
  const entries = read('.env.example').split(/\r?\n/)
    .map(l => /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map(m => [m[1]!, (m[2] ?? '').replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1')] as const)
  const env = Object.fromEntries(entries)

  it('lists every gateway variable, once each', () => {
    const names = entries.map(([name]) => name)
    expect(new Set(names).size).toBe(names.length)
    for (const name of GATEWAY_ENV) expect(names, name).toContain(name)
  })

  it('documents the defaults', () => {
    expect(env).toMatchObject({
      PORT: '3000',
      HOST: '0.0.0.0',
      DATA_DIR: './data',
      RATE_LIMIT_PER_MINUTE: '100',
      CORS_ORIGINS: '*',
      MAX_BODY_BYTES: '20971520',
      MAX_JSON_DEPTH: '64',
      MAX_JSON_VALUES: '500000',
      REQUEST_BODY_TIMEOUT_MS: '15000',
      HEADERS_TIMEOUT_MS: '10000',
      REQUEST_TIMEOUT_MS: '120000',
      UPSTREAM_TIMEOUT_MS: '60000',
      UPSTREAM_MAX_RETRIES: '2',
      REGISTRY_CRON: '0 3 * * *',
      LOG_LEVEL: 'info',
    })
    // Optional databases stay off by default (DATABASE_URL set means PostgreSQL).
    expect(env.DATABASE_URL).toBe('')
    expect(env.REDIS_URL).toBe('')
  })

  it('ships no usable secret: keys are empty (generated on first start) or obviously placeholders', () => {
    for (const name of ['ADMIN_API_KEY', 'ENCRYPTION_KEY', 'SECRET_KEY', 'METRICS_TOKEN', 'ADMIN_PASSWORD', 'OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'GEMINI_API_KEY']) {
      expect(env[name], name).toBe('')
    }
  })

  it('defines every ${VAR} that docker-compose.yml interpolates', () => {
    const yamlWithoutComments = read('docker-compose.yml').replace(/(^|\s)#.*$/gm, '')
    const used = new Set([...yamlWithoutComments.matchAll(/\$\{([A-Z0-9_]+)(?::?[-?][^}]*)?\}/g)].map(m => m[1]))
    expect(used.size).toBeGreaterThan(0)
    for (const name of used) expect(Object.keys(env), name).toContain(name)
  })
})

// ---------------------------------------------------------------------------------------------------
// GitHub workflows

describe('GitHub workflows', () => {
  const ci = yamlFile('.github/workflows/ci.yml')
  const security = yamlFile('.github/workflows/security.yml')
  const release = yamlFile('.github/workflows/release.yml')
  const runs = (job: any) => (job.steps as any[]).map(s => s.run ?? '').join('\n')
  const uses = (job: any) => (job.steps as any[]).map(s => s.uses ?? '').filter(Boolean) as string[]

  it('all parse as workflows with jobs and triggers', () => {
    for (const wf of [ci, security, release]) {
      expect(wf.on).toBeDefined()
      expect(Object.keys(wf.jobs).length).toBeGreaterThan(0)
    }
  })

  it('CI: Node 20/22 matrix, postgres 16 + redis 7, chromium + nginx, install/typecheck/test/build', () => {
    expect(Object.keys(ci.on)).toEqual(expect.arrayContaining(['push', 'pull_request']))
    const test = ci.jobs.test
    expect(test.strategy.matrix.node.map(String).sort()).toEqual(['20', '22'])
    expect(JSON.stringify(test)).toContain('${{ matrix.node }}')
    expect(test.services.postgres.image).toBe('postgres:16')
    expect(test.services.redis.image).toBe('redis:7')
    const script = runs(test)
    expect(script).toMatch(/apt-get install -y[^\n]*\bchromium\b[^\n]*\bnginx\b/)
    const order = ['npm ci', 'npm run typecheck', 'npm test', 'npm run build'].map(cmd => script.indexOf(cmd))
    expect(order.every(i => i >= 0)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
  })

  it('Security: npm audit (high, production dependencies) and CodeQL for javascript-typescript, on push, PR and weekly', () => {
    expect(Object.keys(security.on)).toEqual(expect.arrayContaining(['push', 'pull_request', 'schedule']))
    expect(security.on.schedule[0].cron.split(/\s+/)).toHaveLength(5)
    const all = Object.values(security.jobs) as any[]
    expect(all.map(runs).join('\n')).toContain('npm audit --omit=dev --audit-level=high')
    const init = all.flatMap(j => j.steps as any[]).find(s => String(s.uses).startsWith('github/codeql-action/init@'))
    expect(init.with.languages).toBe('javascript-typescript')
    expect(all.flatMap(uses).some(u => u.startsWith('github/codeql-action/analyze@'))).toBe(true)
    const codeql = all.find(j => uses(j).some(u => u.startsWith('github/codeql-action/')))
    expect(codeql.permissions['security-events']).toBe('write')
  })

  it('Release: on v* tags, builds docker/Dockerfile with buildx and pushes to ghcr.io with metadata tags', () => {
    expect(release.on.push.tags).toContain('v*')
    expect(release.permissions.packages).toBe('write')
    const job = Object.values(release.jobs)[0] as any
    const steps = job.steps as any[]
    expect(uses(job).some(u => u.startsWith('docker/setup-buildx-action@'))).toBe(true)
    const meta = steps.find(s => String(s.uses).startsWith('docker/metadata-action@'))
    expect(meta.with.images).toMatch(/^ghcr\.io\//)
    const push = steps.find(s => String(s.uses).startsWith('docker/build-push-action@'))
    expect(push.with).toMatchObject({ context: '.', file: 'docker/Dockerfile', push: true })
    expect(push.with.tags).toBe(`\${{ steps.${meta.id}.outputs.tags }}`)
    const login = steps.find(s => String(s.uses).startsWith('docker/login-action@'))
    expect(login.with.registry).toBe('ghcr.io')
  })
})
