import { defineEventHandler } from 'h3'
import { handleListModels } from '../../../utils/gateway/models'

export default defineEventHandler(handleListModels)
