// Unknown admin API paths, and known ones asked with a method they do not take: a JSON 404 in the
// admin API's error shape, never the dashboard's HTML (which a script would take for success).
import { unknownUrlHandler } from '../utils/gateway/unknown-url'

export default unknownUrlHandler()
