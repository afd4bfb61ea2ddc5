import { handleMessages } from '../../utils/endpoints/messages'

export default defineEventHandler(handleMessages)
