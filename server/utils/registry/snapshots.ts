// Snapshot ids: a model id pinned to a dated release. The providers document their naming: OpenAI
// appends the release date as `-YYYY-MM-DD` (gpt-4.1-2025-04-14), Anthropic as `-YYYYMMDD`
// (claude-opus-4-6-20260205), Gemini a stable version number `-NNN` (gemini-2.0-flash-001). A
// snapshot its provider's page prices by name has its own registry entry; any other is priced as its
// family, the id without that suffix (or the family's `-latest` entry, as Anthropic names older
// models). Fine-tuning rows never price a snapshot: the parsers read standard tables only.
import type { ModelEntry, ProviderId } from './schema'

const SNAPSHOT_SUFFIX: Record<ProviderId, RegExp> = {
  openai: /^(.+)-(\d{4})-(\d{2})-(\d{2})$/,
  anthropic: /^(.+)-(\d{4})(\d{2})(\d{2})$/,
  google: /^(.+)-(\d{3})$/,
}

/** The provider's snapshot of `family` that `id` names, or undefined when `id` is no snapshot id of that provider. */
function familyOf(id: string, provider: ProviderId): string | undefined {
  return SNAPSHOT_SUFFIX[provider].exec(id)?.[1]
}

/**
 * The registry entry that prices snapshot `id`: its family's, when `id` follows the naming of the
 * family's own provider. `find` looks an id or alias up in the registry.
 */
export function snapshotEntry(id: string, find: (idOrAlias: string) => ModelEntry | undefined): ModelEntry | undefined {
  for (const provider of Object.keys(SNAPSHOT_SUFFIX) as ProviderId[]) {
    const family = familyOf(id, provider)
    if (!family) continue
    const entry = find(family) ?? find(`${family}-latest`)
    if (entry?.provider === provider) return entry
  }
  return undefined
}
