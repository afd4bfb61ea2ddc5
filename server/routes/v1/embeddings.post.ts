import { handleEmbeddings } from '../../utils/gateway/pipeline'

export default defineEventHandler(handleEmbeddings)
