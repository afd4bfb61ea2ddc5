import { handleMessages } from '../../utils/gateway/messages'

export default defineEventHandler(handleMessages)
