// Money as integers. Every amount the gateway stores, sums or compares is an integer of nano-dollars
// (1e-9 USD): request costs, rollups, key spend, budgets and reservations. Dollars appear only at the
// edges (admin API answers, logs, metrics), converted here.

/** Nano-dollars in one US dollar. */
export const NANO_PER_USD = 1_000_000_000

/** A dollar amount from outside (an admin's budget) as whole nano-dollars. */
export function usdToNano(usd: number): number {
  return Math.round(usd * NANO_PER_USD)
}

/** Nano-dollars as an exact decimal dollar string (no float rounding): 1234567 → "0.001234567". */
export function nanoToUsdText(nano: number): string {
  const sign = nano < 0 ? '-' : ''
  const abs = Math.abs(nano)
  const fraction = String(abs % NANO_PER_USD).padStart(9, '0').replace(/0+$/, '')
  return `${sign}${Math.floor(abs / NANO_PER_USD)}${fraction ? `.${fraction}` : ''}`
}

/** Nano-dollars as dollars, for display and the admin API. */
export function nanoToUsd(nano: number): number {
  return nano / NANO_PER_USD
}
