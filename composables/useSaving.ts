// A form's save: the `saving` flag its buttons show, and a failure toast when the action throws.
export function useSaving() {
  const notify = useNotify()
  const saving = ref(false)
  async function run(failure: string, action: () => Promise<void>): Promise<void> {
    saving.value = true
    try {
      await action()
    }
    catch (error) {
      notify.failure(failure, error)
    }
    finally {
      saving.value = false
    }
  }
  return { saving, run }
}
