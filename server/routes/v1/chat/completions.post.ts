import { defineEventHandler } from 'h3'
import { handleChatCompletions } from '../../../utils/gateway/pipeline'

export default defineEventHandler(handleChatCompletions)
