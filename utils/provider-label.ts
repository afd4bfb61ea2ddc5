// How the dashboard names each provider (ProviderIcon shows its icon).
const LABELS: Record<string, string> = { openai: 'OpenAI', anthropic: 'Anthropic', google: 'Google Gemini' }

/** The providers whose connection is their own type, configured with a key (and the environment). */
export const OFFICIAL_PROVIDERS: readonly string[] = ['openai', 'anthropic', 'google']

export const providerLabel = (id: string | null | undefined) => (id && LABELS[id]) || id || 'Unknown'
