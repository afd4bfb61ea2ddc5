// A fixed one-minute window counter per id, in memory: the shape every per-minute limit uses.
export class MinuteCounter {
  private windows = new Map<string, { minute: number, count: number }>()
  private sweptMinute = 0

  /** Counts one hit; returns seconds until the window resets when `id` is over `limit`, else undefined. */
  hit(id: string, limit: number, now = Date.now()): number | undefined {
    const minute = Math.floor(now / 60_000)
    if (minute !== this.sweptMinute) {
      // Old windows go once a minute, so the map stays the size of the active set.
      for (const [k, w] of this.windows) if (w.minute !== minute) this.windows.delete(k)
      this.sweptMinute = minute
    }
    let w = this.windows.get(id)
    if (!w) {
      w = { minute, count: 0 }
      this.windows.set(id, w)
    }
    if (w.count >= limit) return Math.max(1, Math.ceil(((minute + 1) * 60_000 - now) / 1000))
    w.count++
    return undefined
  }
}
