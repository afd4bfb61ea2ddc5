import { defineEventHandler } from 'h3'
import { handleChatCompletions } from '../../../utils/endpoints/chat-completions'

export default defineEventHandler(handleChatCompletions)
