import { defineEventHandler, getRouterParam } from 'h3'
import { handleGetConversationItem } from '../../../../../utils/endpoints/conversations'

export default defineEventHandler(event => handleGetConversationItem(event, getRouterParam(event, 'id', { decode: true }) ?? '', getRouterParam(event, 'item_id', { decode: true }) ?? ''))
