import { defineEventHandler, getRouterParam } from 'h3'
import { handleGetResponse } from '../../../utils/endpoints/stored-responses'

export default defineEventHandler(event => handleGetResponse(event, getRouterParam(event, 'id', { decode: true }) ?? ''))
