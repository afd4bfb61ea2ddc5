import { defineEventHandler } from 'h3'
import { handleEmbeddings } from '../../utils/gateway/pipeline'

export default defineEventHandler(handleEmbeddings)
