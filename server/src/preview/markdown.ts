import MarkdownIt from 'markdown-it';

// The portal renders "additional resources" as Markdown. markdown-it with raw HTML off escapes
// everything it does not understand; links are kept only to https URLs.
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });
markdown.validateLink = (url: string): boolean => /^https:\/\//i.test(url.trim());

const defaultLinkOpen = markdown.renderer.rules.link_open;
markdown.renderer.rules.link_open = (tokens, index, options, env, self) => {
  tokens[index].attrSet('rel', 'noopener noreferrer');
  tokens[index].attrSet('class', 'link');
  return defaultLinkOpen
    ? defaultLinkOpen(tokens, index, options, env, self)
    : self.renderToken(tokens, index, options);
};

/** Markdown to safe HTML: no raw HTML, no images from anywhere, links to https only. */
export function renderMarkdown(text: string): string {
  const tokens = markdown.parse(text, {});
  return markdown.renderer.render(withoutImages(tokens), markdown.options, {});
}

type Token = ReturnType<MarkdownIt['parse']>[number];

/** Images would load remote resources (the CSP blocks them anyway): show their alt text instead. */
function withoutImages(tokens: Token[]): Token[] {
  for (const token of tokens) {
    if (!token.children) continue;
    token.children = token.children.map((child) => {
      if (child.type !== 'image') return child;
      const text = new (child.constructor as new (type: string, tag: string, nesting: number) => Token)('text', '', 0);
      text.content = child.content;
      return text;
    });
  }
  return tokens;
}
