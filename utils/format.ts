// Number, money and time formatting for the dashboard, in the viewer's locale and time zone.

const count = new Intl.NumberFormat()
const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 })
const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 })
const usdWhole = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 })
const usdCents = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 4 })
const usdTiny = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD', maximumSignificantDigits: 3 })
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' })
const date = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' })
/** Registry and usage days are UTC days: label them as such, whatever the viewer's zone. */
const utcDay = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' })
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' })

const RELATIVE_STEPS: [Intl.RelativeTimeFormatUnit, number][] = [['second', 60], ['minute', 60], ['hour', 24], ['day', 30], ['month', 12], ['year', Infinity]]

type Time = string | number | Date | null | undefined

const PICO_PER_USD = 10n ** 12n

/** The dashboard's formatters (`fmt.usd(0.0425)`, `fmt.relative(t)`): plain functions, auto-imported from utils/. */
export const fmt = {
  /** Whole numbers with thousands separators (requests, tokens). */
  count: (n: number) => count.format(n),
  compact: (n: number) => compact.format(n),
  percent: (ratio: number) => percent.format(ratio),
  /** USD with as many decimals as a tiny cost needs: $12.35, $0.0425, $0.000123. */
  usd(n: number) {
    const abs = Math.abs(n)
    return (abs === 0 || abs >= 1 ? usdWhole : abs >= 0.01 ? usdCents : usdTiny).format(n)
  },
  /** A registry price (USD per 1M tokens), or a dash when the model has none. */
  price: (n: number | undefined) => (n === undefined ? '—' : usdCents.format(n)),
  dateTime: (t: Time) => (t ? dateTime.format(new Date(t)) : '—'),
  date: (t: Time) => (t ? date.format(new Date(t)) : '—'),
  utcDay: (day: string) => utcDay.format(new Date(`${day}T00:00:00Z`)),
  /** "3 minutes ago", "in 2 days". */
  relative(t: Time) {
    if (!t) return 'never'
    let value = (new Date(t).getTime() - Date.now()) / 1000
    for (const [unit, size] of RELATIVE_STEPS) {
      if (Math.abs(value) < size) return relative.format(Math.round(value), unit)
      value /= size
    }
    return '—'
  },
  /** tokens × a price (USD per 1M) as the exact dollar amount, from whole pico-dollars ("$0.00018515"). */
  lineUsd(tokens: number, usdPerMillion: number) {
    const pico = BigInt(tokens) * BigInt(Math.round(usdPerMillion * 1e6))
    const fraction = (pico % PICO_PER_USD).toString().padStart(12, '0').replace(/0+$/, '')
    return `$${pico / PICO_PER_USD}${fraction ? `.${fraction}` : ''}`
  },
  duration: (ms: number | null | undefined) => (ms === null || ms === undefined ? '—' : ms < 1000 ? `${count.format(Math.round(ms))} ms` : `${(ms / 1000).toFixed(2)} s`),
}
