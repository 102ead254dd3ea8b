// Every Markdown file here is a post: the post layout, the `posts` collection,
// and a URL from `slug:` or the file name.
export default {
  layout: 'layouts/post.njk',
  tags: ['posts'],
  permalink: (data) => `/${data.slug || data.page.fileSlug}/`,
}
