import { defineEventHandler, getRouterParam } from 'h3'
import { handleDeleteConversation } from '../../../utils/endpoints/conversations'

export default defineEventHandler(event => handleDeleteConversation(event, getRouterParam(event, 'id', { decode: true }) ?? ''))
