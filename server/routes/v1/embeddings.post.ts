import { defineEventHandler } from 'h3'
import { handleEmbeddings } from '../../utils/endpoints/embeddings'

export default defineEventHandler(handleEmbeddings)
