// How the dashboard names each provider (ProviderIcon shows its icon).
const LABELS: Record<string, string> = { openai: 'OpenAI', anthropic: 'Anthropic', google: 'Google Gemini' }

export const providerLabel = (id: string | null | undefined) => (id && LABELS[id]) || id || 'Unknown'
