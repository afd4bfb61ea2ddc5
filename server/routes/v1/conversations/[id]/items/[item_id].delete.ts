import { defineEventHandler, getRouterParam } from 'h3'
import { handleDeleteConversationItem } from '../../../../../utils/endpoints/conversations'

export default defineEventHandler(event => handleDeleteConversationItem(event, getRouterParam(event, 'id', { decode: true }) ?? '', getRouterParam(event, 'item_id', { decode: true }) ?? ''))
