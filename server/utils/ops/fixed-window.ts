// A fixed one-minute window counter per id, in memory: the shape every per-minute limit uses
// (requests per IP and per key, tokens per key).
export class MinuteCounter {
  private windows = new Map<string, { minute: number, count: number }>()
  private sweptMinute = 0

  /** Counts one hit; returns seconds until the window resets when `id` is over `limit`, else undefined. */
  hit(id: string, limit: number, now = Date.now()): number | undefined {
    const retryAfter = this.exceeded(id, limit, now)
    if (retryAfter === undefined) this.window(id, now).count++
    return retryAfter
  }

  /** Seconds until the window resets when `id` has used `limit` or more this minute, else undefined. */
  exceeded(id: string, limit: number, now = Date.now()): number | undefined {
    if (this.window(id, now).count < limit) return undefined
    return Math.max(1, Math.ceil((Math.floor(now / 60_000 + 1) * 60_000 - now) / 1000))
  }

  /** Adds `amount` (tokens, say) to this minute's count. */
  add(id: string, amount: number, now = Date.now()): void {
    this.window(id, now).count += amount
  }

  private window(id: string, now: number) {
    const minute = Math.floor(now / 60_000)
    if (minute !== this.sweptMinute) {
      // Old windows go once a minute, so the map stays the size of the active set.
      for (const [k, w] of this.windows) if (w.minute !== minute) this.windows.delete(k)
      this.sweptMinute = minute
    }
    let w = this.windows.get(id)
    if (!w || w.minute !== minute) {
      w = { minute, count: 0 }
      this.windows.set(id, w)
    }
    return w
  }
}
