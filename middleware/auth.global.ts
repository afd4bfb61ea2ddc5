// Every page but /login and /setup needs a signed-in administrator; /setup is open only while no
// administrator exists, and then it is the only page.
export default defineNuxtRouteMiddleware(async (to) => {
  const session = useAdminSession()
  await session.load()
  if (session.setupRequired.value) return to.path === '/setup' ? undefined : navigateTo('/setup')
  if (!session.user.value) {
    if (to.path === '/login') return
    return navigateTo({ path: '/login', query: to.path === '/' ? {} : { redirect: to.fullPath } })
  }
  if (to.path === '/login' || to.path === '/setup') return navigateTo('/')
})
