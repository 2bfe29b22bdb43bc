import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { allowRemoteImages, htmlToText, sanitizeEmailHtml } from './sanitize.js';

const clean = (html: string) => sanitizeEmailHtml(html).html;

describe('sanitizeEmailHtml: what a mail client shows stays', () => {
  test('tables, lists, quotes, fonts and colours keep their look', () => {
    const html = [
      '<table border="0" cellpadding="4" width="600" bgcolor="#ffffff"><tr>',
      '<td align="center" valign="top" style="color: #333333; font-family: \'Segoe UI\', Arial, sans-serif; padding: 8px">Order 1234</td>',
      '<td colspan="2"><font color="red" face="Verdana" size="2">Shipped</font></td></tr></table>',
      '<ul><li>one</li><li><b>two</b></li></ul><ol start="3"><li>three</li></ol>',
      '<blockquote style="border-left: 2px solid #ccc; margin: 0 0 0 8px">On Monday Jane wrote:<br>Where is it?</blockquote>',
      '<p style="text-align: right; background-color: rgb(255, 255, 0)"><span style="font-size: 14px">Thanks</span></p>',
    ].join('');
    // sanitize-html writes styles compactly (`color:#333333;padding:8px`); nothing else changes.
    const compact = html.replace('<br>', '<br />').replace(/: /g, ':').replace(/; /g, ';');
    assert.equal(clean(html), compact);
  });

  test('!important and shorthand fonts, common in mail, are kept', () => {
    assert.equal(
      clean('<p style="color: #333 !important; font: bold 12px/1.5 Arial">x</p>'),
      '<p style="color:#333 !important;font:bold 12px/1.5 Arial">x</p>',
    );
  });

  test('embedded raster images (data:image/png and friends) are kept', () => {
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    assert.equal(clean(`<img src="${png}" alt="logo">`), `<img alt="logo" src="${png}" />`);
    assert.equal(clean('<img src="data:image/svg+xml;base64,PHN2Zz4=">'), '');
  });

  test('links open in a new tab without handing over the page', () => {
    assert.equal(
      clean('<a href="https://example.com/track?id=1&amp;x=2" target="_self">Track</a>'),
      '<a href="https://example.com/track?id=1&amp;x=2" target="_blank" rel="noopener noreferrer nofollow">Track</a>',
    );
    assert.match(clean('<a href="mailto:jane@example.net">Jane</a>'), /href="mailto:jane@example.net"/);
  });
});

describe('sanitizeEmailHtml: a hostile mail', () => {
  test('scripts, frames, forms, SVG and document-level tags are gone, their text mostly too', () => {
    const out = clean(
      [
        '<html><head><meta http-equiv="refresh" content="0;url=https://evil.example">',
        '<base href="https://evil.example/"><link rel="stylesheet" href="https://evil.example/a.css">',
        '<title>Invoice</title></head><body>',
        '<script>steal(document.cookie)</script>',
        '<iframe src="https://evil.example">frame</iframe>',
        '<svg onload="alert(1)"><text>svg text</text></svg>',
        '<object data="x.swf">object</object><embed src="x.swf">',
        '<form action="https://evil.example/login">Password <input type="password" name="pw"><button>Log in</button></form>',
        '<p>Real content</p></body></html>',
      ].join(''),
    );
    assert.equal(out, 'Password Log in<p>Real content</p>');
  });

  test('event handlers go, whatever the element', () => {
    const out = clean(
      '<p onclick="a()" onmouseover="b()">Hi</p><img src="x" onerror="c()"><body onload="d()"><div ONFOCUS="e()">x</div>',
    );
    assert.doesNotMatch(out, /on\w+=/i);
    assert.match(out, /<p>Hi<\/p>/);
  });

  test('javascript:, vbscript: and data: links lose their target, even disguised', () => {
    for (const href of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      ' javascript:alert(1)',
      'java&#x09;script:alert(1)',
      'java\nscript:alert(1)',
      'vbscript:msgbox(1)',
      'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    ]) {
      const out = clean(`<a href="${href}">click</a>`);
      assert.equal(out, '<a>click</a>', href);
    }
  });

  test('<style> blocks are dropped and inline styles keep only safe properties, never url() or expression()', () => {
    const out = clean(
      [
        '<style>body { background: url(javascript:alert(1)) } .x { width: expression(alert(2)) }</style>',
        '<p style="color: red; background-image: url(https://tracker.example/p.png); width: expression(alert(3))">A</p>',
        '<p style="background: url(&quot;javascript:alert(4)&quot;); font-weight: bold">B</p>',
        '<div style="position: fixed; top: 0; left: 0; z-index: 9999; margin-top: -500px">C</div>',
        '<span style="behavior: url(x.htc); -moz-binding: url(x.xml#y)">D</span>',
      ].join(''),
    );
    assert.equal(
      out,
      '<p style="color:red">A</p><p style="font-weight:bold">B</p><div>C</div><span>D</span>',
    );
  });

  test('remote images are not fetched: moved to data-remote-src and counted', () => {
    const result = sanitizeEmailHtml(
      [
        '<img src="http://tracker.example/open.gif?id=42" width="1" height="1">',
        '<img src="https://cdn.example/logo.png" alt="Logo">',
        '<img src="//cdn.example/banner.png">',
        '<table background="https://cdn.example/bg.jpg"><tr><td background="http://x.example/bg.gif">cell</td></tr></table>',
      ].join(''),
    );
    assert.equal(result.remoteImages, 5);
    assert.doesNotMatch(result.html, /\s(?:src|background)=/);
    assert.match(result.html, /data-remote-src="http:\/\/tracker.example\/open.gif\?id=42"/);
    assert.match(result.html, /data-remote-src="https:\/\/cdn.example\/banner.png"/);
    assert.match(result.html, /<td data-remote-background="http:\/\/x.example\/bg.gif">cell<\/td>/);
  });

  test('a remote image smuggled in data-remote-src is still only a blocked image', () => {
    const result = sanitizeEmailHtml(
      '<img data-remote-src="javascript:alert(1)"><img data-remote-src="https://x.example/a.png">',
    );
    assert.equal(result.html, '<img data-remote-src="https://x.example/a.png" />');
    assert.equal(result.remoteImages, 1);
  });

  test('no id, class or name to restyle or clobber the toolbar page', () => {
    assert.equal(clean('<div id="app" class="modal" name="x">Hi</div>'), '<div>Hi</div>');
  });
});

describe('cid: images and allowing remote images', () => {
  test('cid: images point at the platform when it says where, else are dropped', () => {
    const html = '<img src="cid:logo@acme" alt="Acme"><img src="cid:%3Cphoto@acme%3E">';
    const cidUrl = (id: string) =>
      id === 'logo@acme' || id === 'photo@acme' ? `/api/email/inline/${id}` : null;
    assert.equal(
      sanitizeEmailHtml(html, { cidUrl }).html,
      '<img alt="Acme" src="/api/email/inline/logo@acme" /><img src="/api/email/inline/photo@acme" />',
    );
    assert.equal(sanitizeEmailHtml(html).html, '');
  });

  test('allowRemoteImages shows the blocked images and leaves the rest alone', () => {
    const { html } = sanitizeEmailHtml(
      [
        '<p>Hi</p><img src="https://cdn.example/logo.png" alt="Logo"><img src="data:image/gif;base64,R0lGOD=">',
        '<table background="https://cdn.example/bg.jpg"><tr><td>x</td></tr></table>',
      ].join(''),
    );
    assert.equal(
      allowRemoteImages(html),
      [
        '<p>Hi</p><img alt="Logo" src="https://cdn.example/logo.png" /><img src="data:image/gif;base64,R0lGOD=" />',
        '<table background="https://cdn.example/bg.jpg"><tr><td>x</td></tr></table>',
      ].join(''),
    );
  });
});

describe('htmlToText', () => {
  test('paragraphs, line breaks, lists and links read well as plain text', () => {
    const text = htmlToText(
      [
        '<html><head><style>p { color: red }</style><title>x</title></head><body>',
        '<p>Dear   Jane,</p><p>your order\n ships <b>today</b>.<br>Track it <a href="https://t.example/1?a=1&amp;b=2">here</a>.</p>',
        '<ul><li>Box</li><li>Cable</li></ul>',
        '<p>Mail <a href="mailto:help@example.com">help@example.com</a> &amp; see <a href="https://example.com">https://example.com</a></p>',
        '<script>ignored()</script></body></html>',
      ].join(''),
    );
    assert.equal(
      text,
      [
        'Dear Jane,',
        '',
        'your order ships today.',
        'Track it here (https://t.example/1?a=1&b=2).',
        '',
        '- Box',
        '- Cable',
        '',
        'Mail help@example.com & see https://example.com',
      ].join('\n'),
    );
  });

  test('entities and non-breaking spaces come out as characters', () => {
    assert.equal(htmlToText('<p>5&nbsp;&lt;&nbsp;6 &#8364;10 &eacute;</p>'), '5 < 6 €10 é');
  });
});
