// Toasts for the outcome of an admin action (with Nuxt UI's own success and error icons).
export function useNotify() {
  const toast = useToast()
  const { icons } = useAppConfig().ui
  return {
    success: (title: string, description?: string) => toast.add({ title, description, color: 'success', icon: icons.success }),
    failure: (title: string, error: unknown) => toast.add({ title, description: apiErrorMessage(error), color: 'error', icon: icons.error }),
  }
}
