import { defineEventHandler } from 'h3'
import { handleMessages } from '../../utils/endpoints/messages'

export default defineEventHandler(handleMessages)
