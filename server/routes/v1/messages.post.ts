import { defineEventHandler } from 'h3'
import { handleMessages } from '../../utils/gateway/messages'

export default defineEventHandler(handleMessages)
