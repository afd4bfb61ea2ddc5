import { defineEventHandler } from 'h3'
import { handleCreateConversation } from '../../utils/endpoints/conversations'

export default defineEventHandler(handleCreateConversation)
