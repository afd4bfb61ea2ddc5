import { handleListModels } from '../../../utils/endpoints/models'

export default defineEventHandler(handleListModels)
