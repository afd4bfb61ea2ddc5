// Calls to the gateway's own API from the dashboard: the session cookie goes along, every request
// carries the dashboard's CSRF header, and a 401 (session expired or ended) leads to /login.
import type { FetchContext, FetchError } from 'ofetch'
import type { AsyncData, NuxtApp, UseFetchOptions } from '#app'

const DASHBOARD_HEADERS = { 'x-requested-with': 'gateway-dashboard' }

/** The response hook that sends the viewer to /login when the session is no longer valid. */
function signInAgainOn401(nuxtApp: NuxtApp) {
  return async ({ request, response }: FetchContext) => {
    if (response?.status !== 401 || String(request).startsWith('/api/auth/')) return
    await nuxtApp.runWithContext(() => {
      useAdminSession().user.value = null
      return navigateTo('/login')
    })
  }
}

let instance: typeof $fetch | undefined

export function useApi(): typeof $fetch {
  instance ??= $fetch.create({ headers: DASHBOARD_HEADERS, onResponseError: signInAgainOn401(useNuxtApp()) }) as typeof $fetch
  return instance
}

type ApiFetchOptions<T> = Omit<UseFetchOptions<T>, '$fetch' | 'default' | 'onResponseError'>
type ApiData<T> = AsyncData<T, FetchError | undefined>

/**
 * useFetch through useApi(); a failed load shows a toast (the page shows its error state). With a
 * `default`, the data is never undefined. Give a `key` when several components share the data.
 */
export function useApiFetch<T>(url: string | (() => string), options: ApiFetchOptions<T> & { default: () => T }): ApiData<T>
export function useApiFetch<T>(url: string | (() => string), options?: ApiFetchOptions<T>): ApiData<T | undefined>
export function useApiFetch<T>(url: string | (() => string), options: ApiFetchOptions<T> & { default?: () => T } = {}) {
  const notify = useNotify()
  const on401 = signInAgainOn401(useNuxtApp())
  return useFetch(url, {
    ...options,
    $fetch: useApi(),
    // Replaces the instance's hook (ofetch does not chain them), so it handles the 401 too.
    async onResponseError(context: FetchContext) {
      if (context.response?.status === 401) return on401(context)
      notify.failure('Could not load data', { data: context.response?._data })
    },
  } as UseFetchOptions<T>) as unknown as ApiData<T | undefined>
}
