import { defineEventHandler, getRouterParam } from 'h3'
import { handleCancelResponse } from '../../../../utils/endpoints/stored-responses'

export default defineEventHandler(event => handleCancelResponse(event, getRouterParam(event, 'id', { decode: true }) ?? ''))
