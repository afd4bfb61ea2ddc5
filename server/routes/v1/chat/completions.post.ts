import { handleChatCompletions } from '../../../utils/gateway/pipeline'

export default defineEventHandler(handleChatCompletions)
