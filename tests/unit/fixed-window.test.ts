// The in-memory fixed-window counter with an injected clock: a refund (a negative add) that lands
// after its window ended must not disturb the window in progress.
import { describe, expect, it } from 'vitest'
import { windowCounter } from '../../server/utils/ops/fixed-window'

describe('in-memory window counter', () => {
  // Without REDIS_URL the counter lives in memory (config is read at first use).
  delete process.env.REDIS_URL

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
