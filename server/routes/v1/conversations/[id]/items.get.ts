import { defineEventHandler, getRouterParam } from 'h3'
import { handleListConversationItems } from '../../../../utils/endpoints/conversations'

export default defineEventHandler(event => handleListConversationItems(event, getRouterParam(event, 'id', { decode: true }) ?? ''))
