// GET /v1/models and /v1/models/{id}: the registry's models that this key may call and whose provider is configured.
import type { H3Event } from 'h3'
import { currentRegistry, findModel } from '../registry/store'
import type { ModelEntry } from '../registry/schema'
import { authenticate } from '../gateway/auth'
import { providerAccess } from '../gateway/connections'
import { GatewayError } from '../core/errors'
import { sendFailure, sendJsonText } from '../gateway/respond'

const toOpenAIModel = (m: ModelEntry) => ({
  id: m.id,
  object: 'model',
  created: Math.floor(Date.parse(m.updatedAt) / 1000),
  owned_by: m.provider,
})

async function listFor(event: H3Event, pick: (models: ModelEntry[]) => unknown) {
  try {
    const key = await authenticate(event)
    const visible = (currentRegistry()?.models ?? []).filter(m =>
      m.status !== 'retired' && providerAccess(m.provider) && (!key.models || key.models.includes(m.id)))
    sendJsonText(event, 200, JSON.stringify(pick(visible)))
  }
  catch (error) {
    sendFailure(event, error, `[gateway] ${event.context.requestId}`)
  }
}

export const handleListModels = (event: H3Event) => listFor(event, models => ({ object: 'list', data: models.map(toOpenAIModel) }))

export const handleGetModel = (event: H3Event, id: string) => listFor(event, (models) => {
  const entry = findModel(id)
  if (!entry || !models.includes(entry)) {
    throw new GatewayError(404, `The model '${id}' does not exist or you do not have access to it.`, 'not_found_error', 'model_not_found', 'model')
  }
  return toOpenAIModel(entry)
})
