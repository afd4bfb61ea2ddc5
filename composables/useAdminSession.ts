// Who is signed in to the dashboard, and whether the one-time setup is still open.
import type { AdminAccountView } from '~/types/api'

interface SignedIn { user: AdminAccountView }

export function useAdminSession() {
  const user = useState<AdminAccountView | null>('admin-user', () => null)
  const setupRequired = useState('admin-setup-required', () => false)
  const loaded = useState('admin-session-loaded', () => false)
  const api = useApi()

  async function load() {
    if (loaded.value) return
    const me = await api<{ user: AdminAccountView | null }>('/api/auth/me')
    user.value = me.user
    setupRequired.value = !me.user && (await api<{ required: boolean }>('/api/auth/setup')).required
    loaded.value = true
  }

  async function signIn(credentials: { email: string, password: string }) {
    user.value = (await api<SignedIn>('/api/auth/login', { method: 'POST', body: credentials })).user
  }

  /** `token`: the set-up token printed at start, or the admin API key. */
  async function setUp(credentials: { token: string, email: string, password: string }) {
    user.value = (await api<SignedIn>('/api/auth/setup', { method: 'POST', body: credentials })).user
    setupRequired.value = false
  }

  async function signOut() {
    await api('/api/auth/logout', { method: 'POST' })
    user.value = null
    await navigateTo('/login')
  }

  return { user, setupRequired, load, signIn, setUp, signOut }
}
