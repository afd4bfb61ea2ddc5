import { defineEventHandler } from 'h3'
import { handleCreateResponse } from '../../utils/endpoints/responses'

export default defineEventHandler(handleCreateResponse)
