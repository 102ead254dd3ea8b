/**
 * Liquid's and Nunjucks' syntax: a tag, an output or a (Nunjucks) comment.
 * Text holding any is what a template engine rewrites before anyone runs it.
 */
export const TEMPLATE_SYNTAX = /\{%[\s\S]*?%\}|\{\{[\s\S]*?\}\}|\{#[\s\S]*?#\}/g

// Without the global flag: a test keeps no position between calls.
const ANY_TEMPLATE_SYNTAX = new RegExp(TEMPLATE_SYNTAX.source)

export const holdsTemplateSyntax = (text: string): boolean => ANY_TEMPLATE_SYNTAX.test(text)
