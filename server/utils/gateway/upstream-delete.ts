// Deleting a response OpenAI also holds (one the gateway sent it with store on), so that DELETE
// /v1/responses/{id} removes it there too. Best effort: the gateway's own copy is gone either way;
// a failure is logged (status only) and the response stays deleted for the client.
import { consola } from 'consola'
import { errorMessage } from '../core/error-message'
import { openaiApi } from '../providers/openai/api'
import { providerAccess } from './connections'

const TIMEOUT_MS = 10_000

/** Deletes response `id` at the OpenAI connection `connection` that holds it (if it is still one). */
export async function deleteAtOpenAI(connection: string, id: string): Promise<void> {
  const access = providerAccess(connection)
  if (access?.type !== 'openai') return
  const { url, headers } = openaiApi.responses!(access)
  try {
    const res = await fetch(`${url}/${encodeURIComponent(id)}`, { method: 'DELETE', headers, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) })
    await res.body?.cancel()
    if (!res.ok && res.status !== 404) consola.warn(`[gateway] OpenAI answered HTTP ${res.status} when deleting a stored response`)
  }
  catch (error) {
    consola.warn('[gateway] deleting a stored response at OpenAI failed:', errorMessage(error))
  }
}
