// Shutdown state: once SIGTERM arrives the gateway finishes what is in flight and refuses new work.
let draining = false

export function startDraining(): void {
  draining = true
}

export function isDraining(): boolean {
  return draining
}
