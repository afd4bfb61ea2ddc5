// Documented base URLs of common OpenAI-compatible servers, so that `{type: "openai-compatible",
// preset: "groq", apiKey}` is a whole connection. Self-hosted servers are given at their default
// port on this machine; set `baseUrl` where they run elsewhere.
export const PRESETS = {
  'ollama': 'http://localhost:11434/v1',
  'vllm': 'http://localhost:8000/v1',
  'llama.cpp': 'http://localhost:8080/v1',
  'lmstudio': 'http://localhost:1234/v1',
  'groq': 'https://api.groq.com/openai/v1',
  'deepseek': 'https://api.deepseek.com/v1',
  'mistral': 'https://api.mistral.ai/v1',
  'together': 'https://api.together.xyz/v1',
  'fireworks': 'https://api.fireworks.ai/inference/v1',
  'openrouter': 'https://openrouter.ai/api/v1',
  'xai': 'https://api.x.ai/v1',
} as const

export type Preset = keyof typeof PRESETS
export const PRESET_NAMES = Object.keys(PRESETS) as Preset[]
