import { handleEmbeddings } from '../../utils/endpoints/embeddings'

export default defineEventHandler(handleEmbeddings)
