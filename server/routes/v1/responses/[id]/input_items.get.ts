import { defineEventHandler, getRouterParam } from 'h3'
import { handleListInputItems } from '../../../../utils/endpoints/stored-responses'

export default defineEventHandler(event => handleListInputItems(event, getRouterParam(event, 'id', { decode: true }) ?? ''))
