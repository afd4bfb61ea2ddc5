import { handleListModels } from '../../../utils/gateway/models'

export default defineEventHandler(handleListModels)
