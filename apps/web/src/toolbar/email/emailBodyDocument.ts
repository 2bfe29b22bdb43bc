/** What the frame's own policy lets in: inline styles and `data:` images, nothing else. */
const BLOCKED_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";
/** Once the agent asks for remote images: those too, over the web. */
const REMOTE_POLICY = "default-src 'none'; img-src data: https: http:; style-src 'unsafe-inline'";

const escapeAttribute = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

/**
 * The document a message's (already sanitised) HTML is shown in: a sandboxed frame's `srcdoc`
 * with its own Content Security Policy, so even a tag the sanitiser missed cannot run or fetch.
 */
export function emailBodyDocument(html: string, remoteImages: boolean): string {
  const policy = remoteImages ? REMOTE_POLICY : BLOCKED_POLICY;
  return [
    '<!doctype html><html><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(policy)}">`,
    // A link never loads in the frame; with no popups allowed, it opens nothing at all.
    '<base target="_blank">',
    '<style>body{font-family:system-ui,sans-serif;font-size:14px;line-height:1.45;margin:8px;color:#212529;word-wrap:break-word}img{max-width:100%;height:auto}</style>',
    '</head><body>',
    remoteImages ? revealRemoteImages(html) : html,
    '</body></html>',
  ].join('');
}

/**
 * The server holds remote images back as `data-remote-src`; once the agent asks, they get their
 * `src` again. Parsed in an inert document: nothing in it loads or runs here.
 */
export function revealRemoteImages(html: string): string {
  const parsed = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  for (const element of parsed.querySelectorAll('[data-remote-src]')) {
    const source = element.getAttribute('data-remote-src') ?? '';
    element.removeAttribute('data-remote-src');
    if (/^https?:\/\//i.test(source)) element.setAttribute('src', source);
  }
  return parsed.body.innerHTML;
}
