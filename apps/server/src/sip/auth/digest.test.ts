import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  answerChallenge,
  createChallenge,
  DigestError,
  ha1,
  parseAuthorization,
  parseChallenge,
  verifyDigest,
} from './digest.js';

const RFC2617_CHALLENGE =
  'Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"';
const always = () => true;

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof DigestError, `expected DigestError, got ${String(err)}`);
    return err.code;
  }
  assert.fail('expected a DigestError');
}

test('RFC 2617 §3.5 worked example', () => {
  const ch = parseChallenge(RFC2617_CHALLENGE);
  assert.deepEqual(ch.qop, ['auth', 'auth-int']);
  assert.equal(ch.algorithm, 'MD5');
  const header = answerChallenge(ch, {
    username: 'Mufasa',
    password: 'Circle Of Life',
    method: 'GET',
    uri: '/dir/index.html',
    cnonce: '0a4f113b',
    nc: 1,
  });
  const creds = parseAuthorization(header);
  assert.equal(creds.response, '6629fae49393a05397450978507c4ef1');
  assert.equal(creds.nc, '00000001');
  assert.equal(creds.qop, 'auth');
  assert.equal(creds.opaque, '5ccc069c403ebaf9f0171e9517f40e41');
  assert.equal(
    verifyDigest(creds, {
      method: 'GET',
      password: 'Circle Of Life',
      expectedRealm: 'testrealm@host.com',
      isNonceValid: always,
    }),
    'ok',
  );
});

test('RFC 2617 Authorization header as printed parses and verifies, also with a stored HA1', () => {
  const creds = parseAuthorization(
    `Digest username="Mufasa",
                 realm="testrealm@host.com",
                 nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093",
                 uri="/dir/index.html",
                 qop=auth,
                 nc=00000001,
                 cnonce="0a4f113b",
                 response="6629fae49393a05397450978507c4ef1",
                 opaque="5ccc069c403ebaf9f0171e9517f40e41"`.replace(/\n\s*/g, ' '),
  );
  const stored = ha1('Mufasa', 'testrealm@host.com', 'Circle Of Life');
  assert.equal(
    verifyDigest(creds, {
      method: 'GET',
      ha1: stored,
      expectedRealm: 'testrealm@host.com',
      isNonceValid: always,
    }),
    'ok',
  );
  assert.equal(
    verifyDigest(creds, {
      method: 'POST',
      ha1: stored,
      expectedRealm: 'testrealm@host.com',
      isNonceValid: always,
    }),
    'bad',
  );
});

test('RFC 7616 §3.9.1 SHA-256 and MD5 examples', () => {
  const ch = parseChallenge(
    'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
  );
  const o = { username: 'Mufasa', password: 'Circle of Life', method: 'GET', uri: '/dir/index.html', nc: 1 };
  const cnonce = 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ';
  const sha = parseAuthorization(answerChallenge(ch, { ...o, cnonce }));
  assert.equal(sha.algorithm, 'SHA-256');
  assert.equal(sha.response, '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
  const md5 = parseAuthorization(answerChallenge({ ...ch, algorithm: 'MD5' }, { ...o, cnonce }));
  assert.equal(md5.response, '8ca523f5e9506fed4657c9700eebdbec');
});

for (const algorithm of ['MD5', 'SHA-256'] as const) {
  test(`${algorithm} round trip: challenge → answer → parse → verify`, () => {
    const { header, nonce } = createChallenge({ realm: 'parley.example', algorithm, opaque: 'op"aque' });
    const ch = parseChallenge(header);
    assert.deepEqual(ch, {
      realm: 'parley.example',
      nonce,
      algorithm,
      qop: ['auth'],
      opaque: 'op"aque',
      stale: false,
    });
    const answer = answerChallenge(ch, {
      username: 'agent "7", desk',
      password: 's3cret',
      method: 'REGISTER',
      uri: 'sip:parley.example',
    });
    const creds = parseAuthorization(answer);
    assert.equal(creds.username, 'agent "7", desk');
    const opts = {
      method: 'REGISTER',
      password: 's3cret',
      expectedRealm: 'parley.example',
      isNonceValid: (n: string) => n === nonce,
    };
    assert.equal(verifyDigest(creds, opts), 'ok');
    assert.equal(verifyDigest(creds, { ...opts, password: 'wrong' }), 'bad');
    assert.equal(verifyDigest(creds, { ...opts, isNonceValid: () => false }), 'stale');
    assert.equal(verifyDigest(creds, { ...opts, password: 'wrong', isNonceValid: () => false }), 'bad');
    assert.equal(verifyDigest(creds, { ...opts, expectedRealm: 'other' }), 'bad');
    assert.equal(verifyDigest(creds, { ...opts, password: undefined }), 'bad');
    assert.equal(
      verifyDigest(creds, {
        ...opts,
        password: undefined,
        ha1: ha1('agent "7", desk', 'parley.example', 's3cret', algorithm),
      }),
      'ok',
    );
    assert.equal(verifyDigest({ ...creds, uri: 'sip:evil.example' }, opts), 'bad');
  });
}

test('no-qop (RFC 2069), -sess and auth-int variants round trip', () => {
  const body = new TextEncoder().encode('v=0\r\n');
  for (const header of [
    'Digest realm="r", nonce="n"',
    'Digest realm="r", nonce="n", algorithm=MD5-sess, qop="auth"',
    'Digest realm="r", nonce="n", algorithm=sha-256-sess',
    'Digest realm="r", nonce="n", qop="auth-int"',
  ]) {
    const ch = parseChallenge(header);
    const creds = parseAuthorization(
      answerChallenge(ch, { username: 'u', password: 'p', method: 'INVITE', uri: 'sip:x@r', body, nc: 3 }),
    );
    const opts = { method: 'INVITE', password: 'p', expectedRealm: 'r', isNonceValid: always, body };
    assert.equal(verifyDigest(creds, opts), 'ok', header);
    if (creds.qop === 'auth-int')
      assert.equal(verifyDigest(creds, { ...opts, body: new Uint8Array() }), 'bad');
  }
  assert.equal(
    parseAuthorization(
      answerChallenge(parseChallenge('Digest realm="r", nonce="n"'), {
        username: 'u',
        password: 'p',
        method: 'A',
        uri: 'b',
      }),
    ).qop,
    undefined,
  );
});

test('parser: any order, case-insensitive keys, escapes, commas in quotes, stale', () => {
  const c = parseAuthorization(
    'digest RESPONSE="6629FAE49393A05397450978507C4EF1" ,Uri="sip:a,b@x", NONCE="a\\"b", Realm = "r\\\\1",username="u, v",algorithm=md5',
  );
  assert.deepEqual(c, {
    username: 'u, v',
    realm: 'r\\1',
    nonce: 'a"b',
    uri: 'sip:a,b@x',
    response: '6629fae49393a05397450978507c4ef1',
    algorithm: 'MD5',
  });
  assert.equal(parseChallenge('Digest realm="r", nonce="n", stale=TRUE').stale, true);
  assert.equal(
    code(() =>
      answerChallenge(parseChallenge('Digest realm="r", nonce="n", qop="auth-conf"'), {
        username: 'u',
        password: 'p',
        method: 'A',
        uri: 'b',
      }),
    ),
    'UNSUPPORTED_QOP',
  );
});

test('parser error codes', () => {
  const ok = 'username="u", realm="r", nonce="n", uri="sip:r", response="6629fae49393a05397450978507c4ef1"';
  assert.equal(
    code(() => parseAuthorization(`Basic dTpw`)),
    'BAD_HEADER',
  );
  assert.equal(
    code(() => parseAuthorization(`Digest ${ok}, qop=auth`)),
    'MISSING_FIELD',
  );
  assert.equal(
    code(() => parseAuthorization(`Digest ${ok}, qop=auth, cnonce="c", nc=1`)),
    'BAD_HEADER',
  );
  assert.equal(
    code(() => parseAuthorization(`Digest ${ok}, algorithm=SHA-512-256`)),
    'UNSUPPORTED_ALGORITHM',
  );
  assert.equal(
    code(() => parseAuthorization(`Digest ${ok}, algorithm=SHA-256`)),
    'BAD_HEADER',
  );
  assert.equal(
    code(() => parseAuthorization(`Digest ${ok}, realm="again"`)),
    'BAD_HEADER',
  );
  assert.equal(
    code(() => parseAuthorization(`Digest ${ok.replace('uri="sip:r", ', '')}`)),
    'MISSING_FIELD',
  );
  assert.equal(
    code(() => parseAuthorization(`Digest ${ok.replace('"u"', '"u')}`)),
    'BAD_HEADER',
  );
  assert.equal(
    code(() => parseAuthorization(`Digest ${ok},`)),
    'BAD_HEADER',
  );
  assert.equal(
    code(() => parseAuthorization(`Digest ${ok.replace('"u"', '"u\r\nX: y"')}`)),
    'BAD_HEADER',
  );
  assert.equal(
    code(() => parseChallenge('Digest nonce="n"')),
    'MISSING_FIELD',
  );
  assert.equal(
    code(() => createChallenge({ realm: 'a\r\nb' })),
    'BAD_HEADER',
  );
});

test('fuzz: garbage and mutated headers only ever throw DigestError', () => {
  const seeds = [
    RFC2617_CHALLENGE,
    answerChallenge(parseChallenge(RFC2617_CHALLENGE), {
      username: 'u',
      password: 'p',
      method: 'GET',
      uri: '/',
    }),
  ];
  const mutated = fc
    .tuple(fc.constantFrom(...seeds), fc.nat(), fc.nat(20), fc.string({ maxLength: 6 }))
    .map(([s, at, del, ins]) => {
      const i = at % (s.length + 1);
      return s.slice(0, i) + ins + s.slice(i + del);
    });
  const input = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.string({ maxLength: 100 }).map((s) => `Digest ${s}`),
    mutated,
  );
  fc.assert(
    fc.property(input, (s) => {
      for (const fn of [parseAuthorization, parseChallenge]) {
        try {
          const r = fn(s);
          assert.equal(typeof r.realm, 'string');
        } catch (err) {
          if (!(err instanceof DigestError)) throw err;
        }
      }
      try {
        verifyDigest(parseAuthorization(s), {
          method: 'GET',
          password: 'p',
          expectedRealm: 'testrealm@host.com',
          isNonceValid: always,
        });
      } catch (err) {
        if (!(err instanceof DigestError)) throw err;
      }
    }),
    { numRuns: 3000 },
  );
});
