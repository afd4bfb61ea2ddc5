import { defineEventHandler } from 'h3'
import { handleListModels } from '../../../utils/endpoints/models'

export default defineEventHandler(handleListModels)
