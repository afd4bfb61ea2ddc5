// Nuxt config. The Nitro server is the gateway; pages are the admin dashboard.
// Nothing here may fetch from the network at build or run time (fonts off, local icons).
export default defineNuxtConfig({
  compatibilityDate: '2026-11-01',
  // Top-level pages/ and components/ (the project layout), not Nuxt 4's app/ folder.
  srcDir: '.',
  serverDir: 'server',
  // The admin dashboard renders in the browser: it is behind a sign-in, shows times in the viewer's
  // zone and numbers in the viewer's locale, which a server render could not match.
  ssr: false,
  modules: ['@nuxt/ui'],
  css: ['~/assets/css/main.css'],
  ui: { fonts: false },
  icon: {
    provider: 'none',
    clientBundle: { scan: true, includeCustomCollections: true },
    serverBundle: 'local',
  },
  devtools: { enabled: false },
  telemetry: false,
  nitro: {
    // No auto-imports on the server: every server file imports what it uses, so the providers' same-named
    // functions (chatRequest, chatStream, ...) do not shadow each other and no server name becomes global
    // (the server's useRegistry would clash with the dashboard's). The dashboard keeps Nuxt's auto-imports.
    imports: false,
    // Tasks (registry scrape, backups, migrations) run from scheduledTasks and the admin task API.
    experimental: { tasks: true },
    // Node 20 runs ES2022 as written: class fields and #private fields stay native instead of being
    // lowered to defineProperty calls and WeakMaps, which showed on the hot path's per-request objects.
    esbuild: { options: { target: 'es2022' } },
  },
  $development: {
    // Nuxt 4.4.5's dev server crashes at start with ssr: false ("No entry found in rollupOptions.input",
    // nuxt/nuxt#35072) unless it uses Vite's environment API; `nuxt build` is not affected.
    experimental: { viteEnvironmentApi: true },
  },
  $production: {
    nitro: {
      // Nitro's hooks (hookable) wrap every hook call in console.createTask, an async stack tag that
      // only a debugger reads: on /v1 that is three task objects per request. The production server
      // does without it (`nuxt dev` keeps it).
      replace: { 'console.createTask': 'undefined' },
    },
  },
})
