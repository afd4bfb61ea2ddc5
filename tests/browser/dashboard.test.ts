// The admin dashboard in a real browser (Debian's Chromium driven by playwright-core) against the
// built server and a fake OpenAI upstream: sign-in, every page, the numbers it shows against the API,
// secrets never in the page, no console errors. Screenshots of every page go to tests/screenshots/.
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import OpenAI from 'openai'
import { type Browser, type ConsoleMessage, chromium, type Locator, type Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type FakeOpenAI, startFakeOpenAI } from '../helpers/fake-openai'
import { startFakeCompatible } from '../helpers/fake-openai-compatible'
import { type FakePricingSite, startFakePricingSite } from '../helpers/fake-pricing'
import { type GatewayProcess, removeDir, startGateway } from '../helpers/gateway'

const CHROMIUM = '/usr/bin/chromium'
const SCREENSHOTS = join(import.meta.dirname, '..', 'screenshots')
const ADMIN = { email: 'admin@example.com', password: 'correct horse battery staple' }
const ENV = { RATE_LIMIT_PER_MINUTE: '100000', REGISTRY_CRON: 'off', BACKUP_CRON: 'off' }

const haveChromium = existsSync(CHROMIUM)
if (!haveChromium) console.warn(`[dashboard] ${CHROMIUM} is missing: the browser tests are skipped (apt-get install -y chromium).`)

let fake: FakeOpenAI
let pricing: FakePricingSite
let gw: GatewayProcess
/** Every gateway started here, so a failing step can show what the servers logged. */
const servers: GatewayProcess[] = []
let browser: Browser
let page: Page
/** Console errors and page errors since the last check; `allowed` lists the ones a step expects. */
let problems: string[] = []
let allowed: RegExp[] = []

async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
}

async function newPage(b: Browser): Promise<Page> {
  // A zone other than UTC, so that times are shown in the viewer's zone.
  const context = await b.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', timezoneId: 'America/New_York' })
  const p = await context.newPage()
  const record = (text: string) => {
    if (!allowed.some(re => re.test(text))) problems.push(`${p.url()}: ${text}`)
  }
  p.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error') record(`${m.text()} (${m.location().url})`)
  })
  p.on('pageerror', e => record(`page error: ${e.message}`))
  return p
}

/**
 * A screenshot once transitions have finished. A page is shot as tall as the dashboard panel's
 * scrolled content (the panel scrolls inside the viewport, so a plain full-page shot would cut it);
 * a dialog (`dialog: true`) as the viewport shows it.
 */
async function shot(name: string, opts: { page?: Page, dialog?: boolean } = {}) {
  const p = opts.page ?? page
  // Transitions (dialogs opening), not the toasts' countdown bars.
  await p.waitForFunction(() => document.getAnimations().every(a =>
    a.playState !== 'running' || ((a.effect as KeyframeEffect | null)?.target as Element | null)?.closest('[role="region"]')))
  const viewport = p.viewportSize()!
  const height = opts.dialog ? viewport.height : await p.evaluate(() => Math.max(window.innerHeight, ...Array.from(document.querySelectorAll('body *'), e =>
    e.scrollHeight > e.clientHeight + 1 && getComputedStyle(e).overflowY !== 'visible' ? e.scrollHeight + e.getBoundingClientRect().top : 0)))
  await p.setViewportSize({ width: viewport.width, height: Math.ceil(height) })
  await p.screenshot({ path: join(SCREENSHOTS, `${name}.png`) })
  await p.setViewportSize(viewport)
}

/** Waits until the page's loading indicators are gone. */
async function settled(p: Page = page) {
  await p.waitForLoadState('networkidle')
  await p.locator('[data-loading="true"], .animate-pulse').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => {})
}

async function visit(path: string, heading: string) {
  await page.goto(`${gw.url}${path}`)
  await page.getByRole('heading', { name: heading, exact: true }).first().waitFor()
  await settled()
}

/** For expect.poll: the element's text as shown. */
const textOf = (l: Locator) => () => l.innerText()

const number = (text: string) => Number(text.replace(/[^0-9.]/g, ''))

const usage = async (from: string, to: string) => (await gw.admin('GET', `/api/admin/usage?from=${from}&to=${to}`)).body.totals
const utcDay = (daysAgo = 0) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10)

describe.skipIf(!haveChromium)('admin dashboard in a browser', { timeout: 90_000 }, () => {
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true })
    browser = await launch()
  })

  afterAll(() => browser?.close())

  afterEach((ctx) => {
    // The server's own account of what went wrong, for a failing step.
    if (ctx.task.result?.state === 'fail') for (const g of servers) console.error(g.output().split('\n').slice(-40).join('\n'))
    const seen = problems
    problems = []
    allowed = []
    expect(seen, 'console errors').toEqual([])
  })

  describe('signed in as the administrator from the environment', () => {
    let appKey: { id: string, key: string }

    beforeAll(async () => {
      fake = await startFakeOpenAI()
      // Pricing pages on loopback that are all unavailable: "Update now" must report the failures.
      pricing = await startFakePricingSite()
      gw = await startGateway({
        ...ENV,
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        OPENAI_API_KEY: fake.apiKey,
        OPENAI_BASE_URL: fake.url,
        REGISTRY_OPENAI_URL: `${pricing.url}/openai/pricing.md`,
        REGISTRY_ANTHROPIC_URL: `${pricing.url}/anthropic/pricing.md`,
        REGISTRY_GOOGLE_URL: `${pricing.url}/google/pricing.md.txt`,
      })
      servers.push(gw)
      page = await newPage(browser)

      // Traffic the pages must show: chat (plain and streamed) and embeddings through the openai SDK.
      appKey = (await gw.admin('POST', '/api/admin/keys', { name: 'checkout-service', budgetUsd: 10, rpm: 600 })).body
      const client = new OpenAI({ apiKey: appKey.key, baseURL: `${gw.url}/v1`, maxRetries: 0 })
      const messages = [{ role: 'user' as const, content: 'summarise the quarterly numbers please' }]
      for (let i = 0; i < 3; i++) await client.chat.completions.create({ model: 'gpt-4o-mini', messages })
      for await (const _ of await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true })) { /* drain */ }
      await client.embeddings.create({ model: 'text-embedding-3-small', input: 'quarterly numbers' })
    })

    afterAll(async () => {
      await page?.context().close()
      await gw?.stop()
      await Promise.all([fake?.close(), pricing?.close()])
      if (gw) removeDir(gw.dataDir)
    })

    it('sends an anonymous visitor to /login', async () => {
      await page.goto(`${gw.url}/keys`)
      await page.waitForURL(/\/login\?redirect=/)
      await page.getByLabel('Email', { exact: true }).waitFor()
      await page.getByLabel('Password', { exact: true }).waitFor()
      await page.getByRole('button', { name: 'Sign in' }).waitFor()
      await shot('login')
    })

    it('refuses a wrong password', async () => {
      // The browser logs the refused request (401) itself; nothing else may be logged.
      allowed = [/status of 401 .*\/api\/auth\/login/]
      await page.getByLabel('Email', { exact: true }).fill(ADMIN.email)
      await page.getByLabel('Password', { exact: true }).fill('not the password')
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.getByRole('alert').filter({ hasText: 'Invalid email or password' }).waitFor()
      expect(page.url()).toMatch(/\/login/)
      await shot('login-refused')
    })

    it('signs in and returns to the page asked for', async () => {
      await page.getByLabel('Password', { exact: true }).fill(ADMIN.password)
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.waitForURL(`${gw.url}/keys`)
      await page.getByText('checkout-service').waitFor()
    })

    it('shows on the overview the numbers of the request log', async () => {
      await visit('/', 'Overview')
      const today = await usage(utcDay(), utcDay())
      const month = await usage(utcDay(29), utcDay())
      expect(month.requests).toBe(5)
      for (const [id, totals] of [['today', today], ['30d', month]] as const) {
        const card = page.getByTestId(`totals-${id}`)
        await expect.poll(textOf(card.locator('[data-metric="requests"]'))).toBe(totals.requests.toLocaleString('en-US'))
        const spend = number(await card.locator('[data-metric="value"]').innerText())
        expect(spend).toBeGreaterThan(0)
        // Shown with three significant digits.
        expect(Math.abs(spend - totals.costUsd) / totals.costUsd).toBeLessThan(0.005)
        await expect.poll(textOf(card.locator('[data-metric="tokens"]'))).toBe((totals.promptTokens + totals.completionTokens).toLocaleString('en-US'))
      }
      await expect.poll(textOf(page.getByTestId('error-rate').locator('[data-metric="value"]'))).toBe('0%')
      await expect.poll(textOf(page.getByTestId('latency-p50').locator('[data-metric="value"]'))).toMatch(/\d+ ms|\d\.\d\d s/)
      // The charts and the top lists.
      await page.locator('.usage-chart svg').first().waitFor()
      await page.getByRole('cell', { name: 'checkout-service' }).waitFor()
      await page.getByRole('cell', { name: 'gpt-4o-mini' }).waitFor()
      await shot('overview')

      await page.getByRole('button', { name: 'Switch to dark mode' }).click()
      await expect.poll(async () => await page.locator('html').getAttribute('class')).toMatch(/dark/)
      await shot('overview-dark')
      await page.getByRole('button', { name: 'Switch to light mode' }).click()
    })

    it('creates a key whose secret works once shown, and then never appears again', async () => {
      await visit('/keys', 'Keys')
      await page.getByRole('button', { name: 'New key' }).click()
      const dialog = page.getByRole('dialog')
      await dialog.getByLabel('Name', { exact: true }).fill('ui-created')
      await dialog.getByLabel('Budget (USD)', { exact: true }).fill('5')
      await dialog.getByLabel('Requests per minute', { exact: true }).fill('120')
      await shot('keys-new', { dialog: true })
      await dialog.getByRole('button', { name: 'Create key' }).click()

      const secretInput = page.getByTestId('new-key-secret')
      await expect.poll(() => secretInput.inputValue()).toMatch(/^sk-gw-/)
      const secret = await secretInput.inputValue()
      await shot('keys-secret', { dialog: true })
      await page.getByRole('button', { name: 'I have stored the key' }).click()

      const client = new OpenAI({ apiKey: secret, baseURL: `${gw.url}/v1`, maxRetries: 0 })
      const res = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello from the new key' }] })
      expect(res.choices[0]!.message.content).toContain('echo:')

      await page.reload()
      await settled()
      const row = page.getByRole('row').filter({ hasText: 'ui-created' })
      await expect.poll(textOf(row)).toContain(`sk-gw-…${secret.slice(-4)}`)
      await expect.poll(textOf(row)).toContain('120 rpm')
      expect(await page.content()).not.toContain(secret)
      await shot('keys')

      // Edit the limits (PATCH), then revoke with the confirmation: the key stops working.
      await row.getByRole('button', { name: 'Actions for ui-created' }).click()
      await page.getByRole('menuitem', { name: 'Edit limits' }).click()
      await page.getByRole('dialog').getByLabel('Requests per minute', { exact: true }).fill('240')
      await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click()
      await expect.poll(textOf(row)).toContain('240 rpm')
      const listed = (await gw.admin('GET', '/api/admin/keys')).body.data.find((k: { name: string }) => k.name === 'ui-created')
      expect(listed).toMatchObject({ rpm: 240, budgetUsd: 5, status: 'active' })

      await row.getByRole('button', { name: 'Actions for ui-created' }).click()
      await page.getByRole('menuitem', { name: 'Revoke' }).click()
      await shot('keys-revoke', { dialog: true })
      await page.getByRole('dialog').getByRole('button', { name: 'Revoke key' }).click()
      await expect.poll(textOf(row)).toMatch(/revoked/i)
      await expect(client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'again' }] })).rejects.toMatchObject({ status: 401 })
    })

    it('lists the registry with its prices, sets a manual price and shows the price history', async () => {
      await visit('/models', 'Models')
      await expect.poll(textOf(page.getByTestId('source-openai'))).toContain('OpenAI')
      const search = page.getByLabel('Search models', { exact: true })
      await search.fill('gpt-4o-mini')
      const row = page.getByRole('row').filter({ has: page.getByText('gpt-4o-mini', { exact: true }) })
      await expect.poll(textOf(row)).toContain('$0.15')
      await expect.poll(textOf(row)).toContain('$0.075')
      await expect.poll(textOf(row)).toContain('$0.60')
      await expect.poll(textOf(row)).toContain('128,000')
      await shot('models')
      await search.fill('')
      await expect.poll(() => page.locator('tbody tr').count()).toBeGreaterThan(50)

      // A manual price, recorded in the history, then cleared again.
      await search.fill('gpt-4o-mini')
      await row.getByRole('button', { name: 'Actions for gpt-4o-mini' }).click()
      await page.getByRole('menuitem', { name: 'Set manual price' }).click()
      await page.getByRole('dialog').getByLabel('Input', { exact: true }).fill('0.2')
      await shot('models-price', { dialog: true })
      await page.getByRole('dialog').getByRole('button', { name: 'Save price' }).click()
      await expect.poll(textOf(row)).toContain('$0.20')
      await expect.poll(textOf(row)).toMatch(/manual/i)
      const entry = (await gw.admin('GET', '/api/admin/models')).body.models.find((m: { id: string }) => m.id === 'gpt-4o-mini')
      expect(entry).toMatchObject({ source: 'manual', pricing: { input: 0.2, cachedInput: 0.075, output: 0.6 } })

      await row.getByRole('button', { name: 'Actions for gpt-4o-mini' }).click()
      await page.getByRole('menuitem', { name: 'Price history' }).click()
      const drawer = page.getByRole('dialog')
      await expect.poll(textOf(drawer)).toContain('Price history · gpt-4o-mini')
      await expect.poll(textOf(drawer)).toContain('$0.15 → $0.20')
      await shot('models-history', { dialog: true })
      await page.keyboard.press('Escape')
      await drawer.waitFor({ state: 'detached' })

      await row.getByRole('button', { name: 'Actions for gpt-4o-mini' }).click()
      await page.getByRole('menuitem', { name: 'Edit or clear manual price' }).click()
      await page.getByRole('dialog').getByRole('button', { name: 'Clear manual price' }).click()
      await expect.poll(textOf(row)).toContain('$0.15')
    })

    it('updates the registry on demand and reports the providers that failed', async () => {
      await visit('/models', 'Models')
      await page.getByRole('button', { name: 'Update now' }).click()
      const summary = page.getByRole('dialog')
      await expect.poll(textOf(summary), { timeout: 30_000 }).toContain('Registry updated')
      for (const name of ['OpenAI', 'Anthropic', 'Google Gemini']) await expect.poll(textOf(summary)).toContain(`${name}: not updated`)
      expect(pricing.hits).toContain('/openai/pricing.md')
      await shot('models-update', { dialog: true })
      await summary.getByRole('button', { name: 'Done' }).click()
      await expect.poll(textOf(page.getByTestId('source-openai'))).toContain('Last update failed')
      // The prices in force are untouched.
      await page.getByLabel('Search models', { exact: true }).fill('gpt-4o-mini')
      await expect.poll(textOf(page.getByRole('row').filter({ has: page.getByText('gpt-4o-mini', { exact: true }) }))).toContain('$0.15')
    })

    it('shows the traffic in the request log, with costs and a detail drawer', async () => {
      await visit('/requests', 'Requests')
      const { body } = await gw.admin('GET', '/api/admin/requests?limit=100')
      const rows = page.locator('tbody tr')
      await expect.poll(() => rows.count()).toBe(body.data.length)
      await page.getByRole('cell', { name: /text-embedding-3-small/ }).waitFor()
      const newest = body.data[0]
      await expect.poll(textOf(rows.first())).toContain(newest.model)
      await shot('requests')

      await page.getByRole('button', { name: `Details of request ${newest.id}` }).click()
      const drawer = page.getByRole('dialog')
      await expect.poll(textOf(drawer)).toContain(`Request ${newest.id}`)
      await expect.poll(textOf(drawer)).toContain(newest.promptTokens.toLocaleString('en-US'))
      // The price breakdown: the registry version and every line the cost was billed, as the API has them.
      expect(newest.costLines.length).toBeGreaterThan(0)
      const breakdown = drawer.getByTestId('cost-breakdown')
      await expect.poll(textOf(breakdown)).toMatch(new RegExp(`Registry version\\s+${newest.registryVersion}\\b`))
      for (const line of newest.costLines) await expect.poll(textOf(breakdown)).toContain(`${line.tokens.toLocaleString('en-US')} × $${line.usdPerMillion}/1M`)
      await expect.poll(textOf(breakdown)).toContain(`(${newest.costNanoUsd.toLocaleString('en-US')} nano-dollars)`)
      await shot('requests-detail', { dialog: true })
      await page.keyboard.press('Escape')
      await drawer.waitFor({ state: 'detached' })

      // The status filter: no error was logged.
      await page.getByLabel('Status', { exact: true }).click()
      await page.getByRole('option', { name: 'Errors' }).click()
      await page.getByText('No request matches the filters.').waitFor()
    })

    it('shows each provider without its secret, and tests the connection', async () => {
      await visit('/providers', 'Providers')
      const openai = page.getByTestId('provider-openai')
      await expect.poll(textOf(openai)).toContain('From the environment')
      await expect.poll(textOf(openai)).toContain(`…${fake.apiKey.slice(-4)}`)
      await expect.poll(textOf(openai)).toContain(fake.url)
      await expect.poll(textOf(page.getByTestId('provider-anthropic'))).toContain('Not configured')
      await openai.getByRole('button', { name: 'Test connection' }).click()
      // The fake upstream has no model list: the provider's answer is reported as it is.
      await expect.poll(textOf(openai.getByTestId('connection-test'))).toContain('HTTP 404')
      expect(fake.requests.some(r => r.method === 'GET' && r.path === '/v1/models')).toBe(true)
      const html = await page.content()
      expect(html).not.toContain(fake.apiKey)
      expect(await page.locator('body').innerText()).not.toContain(fake.apiKey)
      await shot('providers')
    })

    it('adds a connection from a preset, tests it and discovers its models', async () => {
      const ollama = await startFakeCompatible({ behaviour: 'ollama' })
      try {
        await visit('/providers', 'Providers')
        await page.getByRole('button', { name: 'Add connection' }).click()
        const dialog = page.getByRole('dialog')
        await dialog.getByLabel('Name', { exact: true }).fill('local-ollama')
        await dialog.getByLabel('Base URL', { exact: true }).fill(ollama.url)
        await expect.poll(textOf(dialog)).toContain('http://localhost:11434/v1')
        await shot('providers-add-connection', { dialog: true })
        await dialog.getByRole('button', { name: 'Add connection' }).click()
        await dialog.waitFor({ state: 'detached' })
        const card = page.getByTestId('provider-local-ollama')
        await expect.poll(textOf(card)).toContain('openai-compatible (ollama)')
        await expect.poll(textOf(card)).toContain(ollama.url)
        await card.getByRole('button', { name: 'Test connection' }).click()
        await expect.poll(textOf(card.getByTestId('connection-test'))).toContain('HTTP 200')
        await card.getByRole('button', { name: 'Discover models' }).click()
        await expect.poll(textOf(card.getByTestId('discovered'))).toContain('local-ollama/llama3.3')
        expect(ollama.requests.some(r => r.method === 'GET' && r.path === '/api/tags')).toBe(true)
        const { body } = await gw.admin('GET', '/api/admin/providers')
        expect(body.data.find((p: any) => p.provider === 'local-ollama')).toMatchObject({ type: 'openai-compatible', preset: 'ollama', baseUrl: ollama.url })
        await shot('providers-connection')
      }
      finally {
        await gw.admin('DELETE', '/api/admin/providers/local-ollama')
        await ollama.close()
      }
    })

    it('manages administrators and shows tasks and backups in the settings', async () => {
      await visit('/settings', 'Settings')
      await expect.poll(textOf(page.getByRole('row').filter({ hasText: ADMIN.email }))).toContain('You')
      await page.getByText('registry:update').waitFor()
      await page.getByText('db:migrate').waitFor()
      await page.getByTestId('backup-task').or(page.getByTestId('no-backup-task')).waitFor()

      await page.getByRole('button', { name: 'Add administrator' }).click()
      const dialog = page.getByRole('dialog')
      await dialog.getByLabel('Email', { exact: true }).fill('second@example.com')
      await dialog.getByLabel('Password', { exact: true }).fill('a second long password')
      await dialog.getByLabel('Confirm password', { exact: true }).fill('a second long password')
      await dialog.getByRole('button', { name: 'Add administrator' }).click()
      const added = page.getByRole('row').filter({ hasText: 'second@example.com' })
      await added.waitFor()
      await shot('settings')

      await added.getByRole('button', { name: 'Remove second@example.com' }).click()
      await page.getByRole('dialog').getByRole('button', { name: 'Remove administrator' }).click()
      await expect.poll(() => added.count()).toBe(0)
    })

    it('works on a phone-sized screen, with the sidebar as a menu', async () => {
      await page.setViewportSize({ width: 390, height: 844 })
      await visit('/', 'Overview')
      await shot('overview-mobile')
      await page.setViewportSize({ width: 1440, height: 900 })
    })

    it('sends the viewer to /login when the session is ended elsewhere', async () => {
      // Signing out anywhere ends every session of the administrator, this browser's included.
      const headers = { 'x-requested-with': 'gateway-dashboard', 'content-type': 'application/json' }
      const login = await fetch(`${gw.url}/api/auth/login`, { method: 'POST', headers, body: JSON.stringify(ADMIN) })
      const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!
      expect((await fetch(`${gw.url}/api/auth/logout`, { method: 'POST', headers: { ...headers, cookie } })).status).toBe(200)

      allowed = [/status of 401 .*\/api\/admin\//]
      await page.getByRole('button', { name: 'Refresh' }).click()
      await page.waitForURL(/\/login$/)
      await page.getByLabel('Email', { exact: true }).fill(ADMIN.email)
      await page.getByLabel('Password', { exact: true }).fill(ADMIN.password)
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.getByRole('heading', { name: 'Overview', exact: true }).first().waitFor()
    })

    it('signs out from the user menu, back to /login', async () => {
      await visit('/', 'Overview')
      await page.getByRole('button', { name: 'Account menu' }).click()
      await page.getByRole('menuitem', { name: 'Sign out' }).click()
      await page.waitForURL(/\/login$/)
      await page.goto(`${gw.url}/requests`)
      await page.waitForURL(/\/login\?redirect=/)
    })
  })

  describe('first start without an administrator', () => {
    let fresh: GatewayProcess
    let p: Page

    beforeAll(async () => {
      fresh = await startGateway(ENV)
      servers.push(fresh)
      p = await newPage(browser)
    })

    afterAll(async () => {
      await p?.context().close()
      await fresh?.stop()
      if (fresh) removeDir(fresh.dataDir)
    })

    it('sends every visitor to /setup, which wants the set-up token from the log, creates the first administrator and signs them in', async () => {
      await p.goto(`${fresh.url}/`)
      await p.waitForURL(/\/setup$/)
      await shot('setup', { page: p })
      await p.getByLabel('Email', { exact: true }).fill('first@example.com')
      await p.getByLabel('Password', { exact: true }).fill('the first admin password')
      await p.getByLabel('Confirm password', { exact: true }).fill('the first admin password')

      // A wrong token is refused with the API's message, and nothing is created.
      allowed = [/status of 401 .*\/api\/auth\/setup/]
      await p.getByLabel('Set-up token', { exact: true }).fill('gw-setup-not-the-printed-one')
      await p.getByRole('button', { name: 'Create administrator' }).click()
      await p.getByRole('alert').filter({ hasText: 'Invalid set-up token' }).waitFor()
      expect((await (await fetch(`${fresh.url}/api/auth/setup`)).json()).required).toBe(true)

      expect(fresh.setupToken).toMatch(/^gw-setup-/)
      await p.getByLabel('Set-up token', { exact: true }).fill(fresh.setupToken)
      await p.getByRole('button', { name: 'Create administrator' }).click()
      await p.waitForURL(`${fresh.url}/`)
      await p.getByRole('heading', { name: 'Overview' }).first().waitFor()
      expect((await (await fetch(`${fresh.url}/api/auth/setup`)).json()).required).toBe(false)
      await settled(p)
    })
  })
})
