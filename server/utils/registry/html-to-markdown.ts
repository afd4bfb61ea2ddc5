// Fallback for when a provider's Markdown twin is unavailable: the HTML page's headings and tables
// rewritten as Markdown, so the same Markdown parser reads them.
import { load } from 'cheerio'

const cell = (text: string) => text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim()

export function htmlToMarkdown(html: string): string {
  const $ = load(html)
  $('script, style, noscript, svg, nav, footer').remove()
  const out: string[] = []
  $('h1, h2, h3, h4, h5, h6, table, p, li').each((_, el) => {
    const node = $(el)
    if (el.tagName === 'table') {
      const rows = node.find('tr').toArray().map(tr => $(tr).children('th, td').toArray().map(c => cell($(c).text())))
      if (!rows.length) return
      const width = Math.max(...rows.map(r => r.length))
      const pad = (r: string[]) => `| ${[...r, ...Array(width - r.length).fill('')].join(' | ')} |`
      out.push('', pad(rows[0]!), `|${' --- |'.repeat(width)}`, ...rows.slice(1).map(pad), '')
    }
    else if (el.tagName.startsWith('h')) {
      out.push('', `${'#'.repeat(Number(el.tagName[1]))} ${cell(node.text())}`, '')
    }
    else if (!node.parents('table').length) {
      out.push(cell(node.text()))
    }
  })
  return out.join('\n')
}
