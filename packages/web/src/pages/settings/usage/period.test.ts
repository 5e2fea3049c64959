import { describe, expect, it } from 'vitest'
import { addDays, daysBetween, paramsFor, periodOf } from './period.ts'

const today = '2030-03-01'
const period = (query: string) => periodOf(new URLSearchParams(query), today)

describe('usage period', () => {
  it('is the last 30 days by default, or a preset, ending today (UTC)', () => {
    expect(period('')).toEqual({ choice: '30d', from: '2030-01-31', to: today })
    expect(period('period=7d')).toEqual({ choice: '7d', from: '2030-02-23', to: today })
    expect(period('period=90d')).toEqual({ choice: '90d', from: '2029-12-02', to: today })
    expect(period('period=nonsense').choice).toBe('30d')
  })

  it('takes a custom period from the URL and says what is wrong with a bad one', () => {
    expect(period('from=2030-01-01&to=2030-01-31')).toEqual({ choice: 'custom', from: '2030-01-01', to: '2030-01-31' })
    expect(period('from=2030-01-01').problem).toBe('Pick both days.')
    expect(period('from=2030-02-02&to=2030-02-01').problem).toMatch(/ends before/)
    expect(period('from=2029-01-01&to=2030-01-02').problem).toMatch(/366/)
    expect(period('from=2029-01-02&to=2030-01-02').problem).toBeUndefined()
  })

  it('counts days with both ends included, across months and leap days', () => {
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(3)
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29')
    expect(daysBetween('2030-01-01', 'x')).toBeNaN()
  })

  it('turns a choice into search params, a custom one starting from the period shown', () => {
    const shown = period('period=7d')
    expect(paramsFor('30d', shown).toString()).toBe('')
    expect(paramsFor('90d', shown).toString()).toBe('period=90d')
    expect(paramsFor('custom', shown).toString()).toBe('from=2030-02-23&to=2030-03-01')
  })
})
