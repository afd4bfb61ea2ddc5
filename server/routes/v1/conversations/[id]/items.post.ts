import { defineEventHandler, getRouterParam } from 'h3'
import { handleAddConversationItems } from '../../../../utils/endpoints/conversations'

export default defineEventHandler(event => handleAddConversationItems(event, getRouterParam(event, 'id', { decode: true }) ?? ''))
