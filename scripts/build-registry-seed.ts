// Regenerates data/models.json from saved copies of the OpenAI, Anthropic and Gemini pricing pages.
// Usage: npx tsx scripts/build-registry-seed.ts [pages-dir]
// pages-dir holds openai-pricing.md, anthropic-pricing.md and google-pricing.md.txt; it defaults to
// ../shared/fixtures/pricing next to the repository.
import { writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildSeedRegistry, readSavedPages } from '../server/utils/registry/seed'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const pagesDir = process.argv[2] ? resolve(process.argv[2]) : resolve(root, '../shared/fixtures/pricing')
const registry = buildSeedRegistry(readSavedPages(pagesDir), new Date().toISOString())
const out = resolve(root, 'data/models.json')
writeFileSync(out, `${JSON.stringify(registry, null, 2)}\n`)
console.log(`${out}: ${registry.models.length} models from ${pagesDir}`)
