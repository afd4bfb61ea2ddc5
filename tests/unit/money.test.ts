import { describe, expect, it } from 'vitest'
import { nanoToUsdText } from '../../server/utils/core/money'

describe('nanoToUsdText', () => {
  it('writes nano-dollars as an exact decimal, without float rounding or trailing zeros', () => {
    expect(nanoToUsdText(0)).toBe('0')
    expect(nanoToUsdText(1)).toBe('0.000000001')
    expect(nanoToUsdText(1_234_567)).toBe('0.001234567')
    expect(nanoToUsdText(1_500_000_000)).toBe('1.5')
    expect(nanoToUsdText(3_000_000_000)).toBe('3')
    // 0.1 + 0.2 in floats is not 0.3; in nano-dollars it is.
    expect(nanoToUsdText(100_000_000 + 200_000_000)).toBe('0.3')
    expect(nanoToUsdText(9_007_199_254_740_991)).toBe('9007199.254740991')
    expect(nanoToUsdText(-2_500_000)).toBe('-0.0025')
  })
})
