import sanitizeHtml from 'sanitize-html';

export interface SanitizeOptions {
  /** Where the platform serves the inline attachment with this Content-ID; null drops the image. */
  cidUrl?: (contentId: string) => string | null;
}

export interface SanitizedHtml {
  html: string;
  /** Remote images blocked (or still blocked), for the toolbar's "load images" button. */
  remoteImages: number;
}

// What a mail client shows. No form controls, no frames, no SVG/MathML (script and
// animated URLs live there), no <style> (its rules would restyle the whole toolbar page).
const ALLOWED_TAGS = [
  ...['a', 'abbr', 'address', 'b', 'big', 'blockquote', 'br', 'center', 'cite', 'code', 'del', 'div'],
  ...['em', 'font', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'ins', 'kbd', 'mark', 'p'],
  ...['pre', 'q', 's', 'small', 'span', 'strike', 'strong', 'sub', 'sup', 'tt', 'u', 'wbr'],
  ...['ul', 'ol', 'li', 'dl', 'dt', 'dd', 'figure', 'figcaption', 'article', 'section', 'header'],
  ...['footer', 'main', 'table', 'caption', 'colgroup', 'col', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td'],
];

// Dropped with everything inside them, not only the tag.
const DROPPED_WITH_CONTENT = [
  ...['script', 'style', 'textarea', 'option', 'select', 'xmp', 'noscript', 'template', 'title', 'head'],
  ...['svg', 'math', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'noembed', 'noframes'],
];

// No id, class or name: they would let a mail clobber or restyle the page around it.
const BACKGROUND_TAGS = new Set(['table', 'tr', 'td', 'th']);
const CELL = [
  ...['colspan', 'rowspan', 'width', 'height', 'bgcolor', 'align', 'valign', 'nowrap'],
  'data-remote-background',
];
const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  '*': ['style', 'align', 'dir', 'lang', 'title'],
  a: ['href', 'target', 'rel'],
  img: ['src', 'alt', 'width', 'height', 'border', 'data-remote-src'],
  font: ['color', 'face', 'size'],
  table: [
    'border',
    'cellpadding',
    'cellspacing',
    'width',
    'height',
    'bgcolor',
    'align',
    'data-remote-background',
  ],
  tr: ['bgcolor', 'align', 'valign', 'height', 'data-remote-background'],
  td: CELL,
  th: CELL,
  col: ['span', 'width'],
  colgroup: ['span', 'width'],
  ol: ['start', 'type'],
  ul: ['type'],
  li: ['value'],
  div: ['align'],
  p: ['align'],
};

// CSS values: words, numbers, units, colours, rgb()/hsl(). No url(), expression(), no colon,
// no quotes, no backslash escapes, so nothing loads and nothing runs.
const CSS_VALUE = /^(?:[#\w\s.,%+/!-]|rgba?\([\d\s.,%/]*\)|hsla?\([\d\s.,%/deg]*\))+$/i;
// Font names may be quoted.
const CSS_FONT = /^[\w\s,'"-]+$/;
// No negative margins or sizes that pull the mail over the toolbar around it.
const CSS_NON_NEGATIVE = /^(?:[#\w\s.,%+!]|rgba?\([\d\s.,%/]*\))+$/i;

const CSS_PROPERTIES: Record<string, RegExp> = {
  ...Object.fromEntries(
    [
      ...['color', 'background-color', 'background', 'font-size', 'font-weight', 'font-style', 'font'],
      ...['font-variant', 'text-decoration', 'text-align', 'text-indent', 'text-transform', 'line-height'],
      ...['letter-spacing', 'word-spacing', 'white-space', 'vertical-align', 'direction', 'float', 'clear'],
      ...['border', 'border-top', 'border-right', 'border-bottom', 'border-left', 'border-color'],
      ...['border-width', 'border-style', 'border-collapse', 'border-spacing', 'border-radius'],
      ...['list-style-type', 'table-layout', 'word-break', 'word-wrap', 'overflow-wrap'],
    ].map((property) => [property, CSS_VALUE]),
  ),
  ...Object.fromEntries(
    [
      ...['margin', 'margin-top', 'margin-right', 'margin-bottom', 'margin-left', 'padding', 'padding-top'],
      ...['padding-right', 'padding-bottom', 'padding-left', 'width', 'height', 'max-width', 'min-width'],
      ...['min-height'],
    ].map((property) => [property, CSS_NON_NEGATIVE]),
  ),
  'font-family': CSS_FONT,
};

const RASTER_DATA_URL = /^data:image\/(?:png|jpeg|gif|webp)[;,]/i;
const REMOTE_URL = /^(?:https?:)?\/\//i;
const LINK_URL = /^(?:https?:|mailto:|tel:)/i;
const LINK_REL = 'noopener noreferrer nofollow';

/** A URL as a browser reads it: entities are already decoded, but browsers skip control characters. */
function normaliseUrl(value: string | undefined): string {
  return (value ?? '').replace(/[\p{Cc}\s]+/gu, '').trim();
}

/**
 * Email HTML made safe to put in the toolbar: what a mail client would show, nothing that runs,
 * and no request leaves the agent's browser until they allow remote images.
 */
export function sanitizeEmailHtml(html: string, opts: SanitizeOptions = {}): SanitizedHtml {
  let remoteImages = 0;

  const img: sanitizeHtml.Transformer = (tagName, attribs) => {
    const { src: rawSrc, 'data-remote-src': rawBlocked, srcset: _srcset, ...rest } = attribs;
    const src = normaliseUrl(rawSrc);
    const blocked = normaliseUrl(rawBlocked) || (REMOTE_URL.test(src) ? src : '');
    const kept: Record<string, string> = { ...rest };
    if (blocked) {
      // Tracking pixels and "read" receipts: nothing is fetched until the agent asks.
      if (REMOTE_URL.test(blocked)) {
        kept['data-remote-src'] = absolute(blocked);
        remoteImages++;
      }
    } else if (/^cid:/i.test(src)) {
      const url = opts.cidUrl?.(decodeCid(src.slice(4)));
      if (url) kept.src = url;
    } else if (RASTER_DATA_URL.test(src)) {
      kept.src = src;
    }
    return { tagName, attribs: kept };
  };

  const link: sanitizeHtml.Transformer = (tagName, attribs) => {
    const href = normaliseUrl(attribs.href);
    const kept: Record<string, string> = attribs.title ? { title: attribs.title } : {};
    if (LINK_URL.test(href)) Object.assign(kept, { href, target: '_blank', rel: LINK_REL });
    return { tagName, attribs: kept };
  };

  // The old background="" attribute of tables and cells is a remote image too, kept aside the same way.
  const anyTag: sanitizeHtml.Transformer = (tagName, attribs) => {
    const { background, 'data-remote-background': blocked, ...rest } = attribs;
    const url = normaliseUrl(blocked) || normaliseUrl(background);
    if (!REMOTE_URL.test(url) || !BACKGROUND_TAGS.has(tagName)) return { tagName, attribs: rest };
    remoteImages++;
    return { tagName, attribs: { ...rest, 'data-remote-background': absolute(url) } };
  };

  const clean = sanitizeHtml(html, {
    allowedTags: ALLOWED_TAGS,
    nonTextTags: DROPPED_WITH_CONTENT,
    allowedAttributes: ALLOWED_ATTRIBUTES,
    allowedStyles: { '*': Object.fromEntries(Object.entries(CSS_PROPERTIES).map(([p, re]) => [p, [re]])) },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['data', 'http', 'https', 'cid'] },
    allowProtocolRelative: false,
    transformTags: { img, a: link, '*': anyTag },
    // An <img> with nothing left to show is only noise.
    exclusiveFilter: (frame) =>
      frame.tag === 'img' && !frame.attribs.src && !frame.attribs['data-remote-src'],
  });
  return { html: clean, remoteImages };
}

/**
 * Shows the remote images sanitizeEmailHtml blocked, once the agent allows them. Its input is
 * sanitizeEmailHtml's output (it changes only the blocked images); it restores only http(s) URLs.
 */
export function allowRemoteImages(html: string): string {
  const restore = (attribs: sanitizeHtml.Attributes, from: string, to: string) => {
    const { [from]: blocked, ...rest } = attribs;
    const url = normaliseUrl(blocked);
    return /^https?:\/\//i.test(url) ? { ...rest, [to]: url } : attribs;
  };
  return sanitizeHtml(html, {
    allowedTags: false,
    allowedAttributes: false,
    allowVulnerableTags: true,
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['data', 'http', 'https', 'cid'] },
    transformTags: {
      '*': (tagName, attribs) => ({
        tagName,
        attribs:
          tagName === 'img'
            ? restore(attribs, 'data-remote-src', 'src')
            : restore(attribs, 'data-remote-background', 'background'),
      }),
    },
  });
}

/** Protocol-relative URLs would follow the toolbar's own scheme: mail images are fetched over https. */
function absolute(url: string): string {
  return url.startsWith('//') ? `https:${url}` : url;
}

function decodeCid(value: string): string {
  try {
    return decodeURIComponent(value).replace(/^<|>$/g, '');
  } catch {
    return value;
  }
}

const BLOCK_END =
  /<\/(?:p|div|h[1-6]|blockquote|pre|table|ul|ol|dl|address|section|article|header|footer)>/gi;

/**
 * Readable plain text from email HTML, for previews and the text part of replies: paragraphs
 * and line breaks kept, lists as "- item", links as "text (url)".
 */
export function htmlToText(html: string): string {
  // Reduced first to a few well-formed tags, so the simple replacements below are reliable.
  const simple = sanitizeHtml(html, {
    allowedTags: [...ALLOWED_TAGS.filter((tag) => tag !== 'img'), 'pre'],
    allowedAttributes: { a: ['href'] },
    nonTextTags: DROPPED_WITH_CONTENT,
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    textFilter: (text, tag) => (tag === 'pre' ? text : text.replace(/[ \t\r\n\f]+/g, ' ')),
  });
  const text = simple
    .replace(/<a href="([^"]*)">([\s\S]*?)<\/a>/gi, (_m, href: string, label: string) => {
      const url = decodeEntities(href);
      const shown = decodeEntities(label.replace(/<[^>]*>/g, '')).trim();
      const bare = url.replace(/^mailto:/i, '');
      return !shown || shown === url || shown === bare ? label.trim() || href : `${label} (${href})`;
    })
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li>/gi, '\n- ')
    .replace(/<\/t[dh]>/gi, '\t')
    .replace(/<\/(?:tr|dt|dd|caption)>/gi, '\n')
    .replace(/<hr\s*\/?>/gi, '\n----\n')
    .replace(BLOCK_END, '\n\n')
    .replace(/<[^>]*>/g, '');
  return decodeEntities(text)
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[\da-f]+|#\d+|[a-z]+);/gi, (entity, body: string) => {
    if (body[0] !== '#') return NAMED_ENTITIES[body.toLowerCase()] ?? entity;
    const code =
      body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}
