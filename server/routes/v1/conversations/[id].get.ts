import { defineEventHandler, getRouterParam } from 'h3'
import { handleGetConversation } from '../../../utils/endpoints/conversations'

export default defineEventHandler(event => handleGetConversation(event, getRouterParam(event, 'id', { decode: true }) ?? ''))
