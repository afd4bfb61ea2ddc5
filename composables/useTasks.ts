// The gateway's Nitro tasks (/api/admin/tasks) and running one on demand.
import type { TaskInfo } from '~/types/api'

export function useTasks() {
  const tasks = useApiFetch<{ data: TaskInfo[] }>('/api/admin/tasks', { key: 'tasks', default: () => ({ data: [] }) })
  const api = useApi()
  const notify = useNotify()
  const running = useState<string | null>('task-running', () => null)

  async function run(name: string) {
    running.value = name
    try {
      const { result } = await api<{ task: string, result: unknown }>(`/api/admin/tasks/${encodeURIComponent(name)}`, { method: 'POST' })
      const text = result === undefined ? undefined : JSON.stringify(result)
      notify.success(`Task ${name} finished`, text && text.length > 240 ? `${text.slice(0, 240)}…` : text)
    }
    catch (error) {
      notify.failure(`Task ${name} failed`, error)
    }
    finally {
      running.value = null
    }
  }

  return { tasks, running, run }
}
