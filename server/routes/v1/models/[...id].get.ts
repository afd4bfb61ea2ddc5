import { defineEventHandler, getRouterParam } from 'h3'
import { handleGetModel } from '../../../utils/endpoints/models'

export default defineEventHandler(event => handleGetModel(event, getRouterParam(event, 'id', { decode: true }) ?? ''))
