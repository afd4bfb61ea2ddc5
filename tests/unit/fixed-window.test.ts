// The per-minute counters in memory (no REDIS_URL), on an injected clock: a limit per id within a
// fixed window, the seconds until it resets, amounts added, a reset, a bounded number of ids, and a
// refund (a negative add) that lands after its window ended, which must not disturb the window in progress.
import { describe, expect, it, vi } from 'vitest'
import { minuteCounter, windowCounter } from '../../server/utils/shared/fixed-window'

vi.stubEnv('REDIS_URL', '')

/** The start of a window of one minute and of fifteen, so that tests can step through them. */
const W = 15 * 60_000 * 2_000_000

describe('minute counter in memory', () => {
  it('counts hits up to the limit, then refuses with the seconds left in the window', async () => {
    const c = minuteCounter('unit-hits')
    expect(await c.hit('a', 2, W)).toBeUndefined()
    expect(await c.hit('a', 2, W + 1)).toBeUndefined()
    expect(await c.hit('a', 2, W + 1)).toBe(60)
    expect(await c.hit('a', 2, W + 30_000)).toBe(30)
    expect(await c.hit('a', 2, W + 59_999)).toBe(1)
    // The refused hits were not counted.
    expect(await c.exceeded('a', 3, W + 59_999)).toBeUndefined()
    // Another id, and the next window, start from zero.
    expect(await c.hit('b', 2, W + 59_999)).toBeUndefined()
    expect(await c.hit('a', 2, W + 60_000)).toBeUndefined()
    expect(await c.hit('a', 2, W + 60_000)).toBeUndefined()
    expect(await c.hit('a', 2, W + 60_000)).toBe(60)
  })

  it('says whether a limit is used without counting', async () => {
    const c = minuteCounter('unit-exceeded')
    expect(await c.exceeded('a', 1, W)).toBeUndefined()
    expect(await c.exceeded('a', 1, W)).toBeUndefined()
    await c.hit('a', 1, W)
    expect(await c.exceeded('a', 1, W + 45_500)).toBe(15)
    expect(await c.exceeded('a', 2, W + 45_500)).toBeUndefined()
  })

  it('adds amounts (tokens) that a limit is then checked against', async () => {
    const c = minuteCounter('unit-tokens')
    await c.add('k', 700, W)
    expect(await c.exceeded('k', 1000, W)).toBeUndefined()
    await c.add('k', 300, W + 1000)
    expect(await c.exceeded('k', 1000, W + 1000)).toBe(59)
    expect(await c.exceeded('k', 1000, W + 60_000)).toBeUndefined()
  })

  it('forgets an id on reset', async () => {
    const c = minuteCounter('unit-reset')
    await c.hit('a', 1, W)
    expect(await c.hit('a', 1, W)).toBe(60)
    await c.reset('a', W)
    expect(await c.hit('a', 1, W)).toBeUndefined()
  })

  it('keeps each scope apart, and windows of another length', async () => {
    const [one, two] = [minuteCounter('unit-scope-1'), minuteCounter('unit-scope-2')]
    await one.hit('a', 1, W)
    expect(await two.hit('a', 1, W)).toBeUndefined()
    const quarter = windowCounter('unit-quarter', 15 * 60_000)
    expect(await quarter.hit('a', 1, W)).toBeUndefined()
    expect(await quarter.hit('a', 1, W + 14 * 60_000)).toBe(60)
    expect(await quarter.hit('a', 1, W + 15 * 60_000)).toBeUndefined()
  })

  it('tracks at most 100 000 ids, dropping the oldest first', async () => {
    const c = minuteCounter('unit-flood')
    await c.hit('first', 1, W)
    await c.hit('second', 1, W)
    for (let i = 0; i < 99_999; i++) await c.add(`flood-${i}`, 1, W)
    // 'first' made room for the last flood id; 'second' is still counted.
    expect(await c.hit('second', 1, W)).toBe(60)
    expect(await c.hit('first', 1, W)).toBeUndefined()
  })

  it('ignores a refund for a window that has ended, keeping the current window\'s counts', async () => {
    const counter = windowCounter('refund-after-the-window', 1000)
    expect(await counter.hit('early', 10, 1_500)).toBeUndefined()
    expect(await counter.hit('current', 2, 2_100)).toBeUndefined()
    expect(await counter.hit('current', 2, 2_200)).toBeUndefined()
    // The attempt reserved at 1.5 s is given back at 2.3 s, in the window it was taken in.
    await counter.add('early', -1, 1_500)
    expect(await counter.exceeded('current', 2, 2_300)).toBe(1)
    expect(await counter.hit('current', 2, 2_300)).toBe(1)
  })
})
