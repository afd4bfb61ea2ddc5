// Sanity checks on a provider's parsed page before anything is written. A page that fails any of
// them is refused as a whole, with the reason; the registry keeps what it had.
import { flattenPricing } from './diff'
import { Pricing, type ModelEntry, type ParsedModel, type ProviderId } from './schema'

/** A page listing less than this share of the models currently seen is taken to be broken. */
const MIN_SHARE_OF_KNOWN = 0.5
/** Any price (any class, tier, schedule, fee) moving by more than this factor in one update is taken to be a parse error. */
const MAX_PRICE_FACTOR = 20

export function refuseReason(provider: ProviderId, parsed: ParsedModel[], current: ModelEntry[]): string | undefined {
  if (parsed.length === 0) return 'the page yielded no models'
  for (const p of parsed) {
    const check = Pricing.safeParse(p.pricing)
    if (!check.success) return `implausible price for ${p.id}: ${check.error.issues[0]!.path.join('.')} ${check.error.issues[0]!.message}`
  }
  const known = current.filter(m => m.provider === provider && !m.notSeenSince && m.status !== 'retired')
  if (parsed.length < Math.ceil(known.length * MIN_SHARE_OF_KNOWN)) {
    return `the page lists ${parsed.length} models where the registry has ${known.length}: most models are missing`
  }
  for (const p of parsed) {
    const before = known.find(m => m.id === p.id)
    if (!before) continue
    const was = flattenPricing(before.source === 'manual' ? before.scrapedPricing ?? before.pricing : before.pricing)
    for (const [field, b] of flattenPricing(p.pricing)) {
      const a = was.get(field)
      if (a !== undefined && a > 0 && b > 0 && Math.max(a / b, b / a) > MAX_PRICE_FACTOR) {
        return `implausible change for ${p.id}: ${field} from ${a} to ${b} (more than ${MAX_PRICE_FACTOR}×); not applied`
      }
    }
  }
  return undefined
}
