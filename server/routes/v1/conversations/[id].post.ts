import { defineEventHandler, getRouterParam } from 'h3'
import { handleUpdateConversation } from '../../../utils/endpoints/conversations'

export default defineEventHandler(event => handleUpdateConversation(event, getRouterParam(event, 'id', { decode: true }) ?? ''))
