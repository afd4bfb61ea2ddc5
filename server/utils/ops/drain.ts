// Shutdown state: once SIGTERM arrives the gateway finishes what is in flight and refuses new work.
let drainingSince: number | undefined

export function startDraining(): void {
  drainingSince ??= Date.now()
}

export function isDraining(): boolean {
  return drainingSince !== undefined
}

/** When the drain began (epoch ms), or now when the process stops without a signal. */
export function drainStartedAt(): number {
  return drainingSince ?? Date.now()
}
