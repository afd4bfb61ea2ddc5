import { defineEventHandler, getRouterParam } from 'h3'
import { handleDeleteResponse } from '../../../utils/endpoints/stored-responses'

export default defineEventHandler(event => handleDeleteResponse(event, getRouterParam(event, 'id', { decode: true }) ?? ''))
