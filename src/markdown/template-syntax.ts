/**
 * Liquid's and Nunjucks' syntax: a tag, an output or a (Nunjucks) comment.
 * Text holding any is what a template engine rewrites before anyone runs it.
 */
export const TEMPLATE_SYNTAX = /\{%[\s\S]*?%\}|\{\{[\s\S]*?\}\}|\{#[\s\S]*?#\}/g

export const holdsTemplateSyntax = (text: string): boolean => new RegExp(TEMPLATE_SYNTAX.source).test(text)
