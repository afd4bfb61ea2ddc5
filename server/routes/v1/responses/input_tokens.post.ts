import { defineEventHandler } from 'h3'
import { handleInputTokens } from '../../../utils/endpoints/input-tokens'

export default defineEventHandler(handleInputTokens)
