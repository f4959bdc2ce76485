"""A real OpenID Connect provider on 127.0.0.1 for the tests: panva's certified `oidc-provider`
(Node, tests/oidc_provider/server.mjs), never mocked HTTP responses. Kept with the tests, out of
the product package.

    with running_provider(clients=[...], accounts={...}) as provider:
        provider.issuer, provider.discovery_url
        sign_in_without_browser(provider, "st", "secret", redirect_uri, "ada")
        # or, to keep the provider's sign-in and sign out again:
        web = WebSession()
        signed_in = sign_in_without_browser(..., session=web)
        sign_out_without_browser(provider, web, id_token_hint=signed_in["tokens"]["id_token"])

Sign-in is the provider's development login page: any login that is a key of `accounts` signs
in (the password is not checked); another login comes back as error=access_denied. The first
sign-in of an account to a client also asks for consent, which is given.

Tokens to test a relying party's checks with, all real and signed by the provider:
- wrong audience: register a second client and sign in with it;
- expired ID token: sign in with the client "short-lived" (1-second ID tokens), or give any client
  "id_token_ttl" (seconds), or start the provider with `id_token_ttl`; then wait past the
  relying party's leeway;
- another nonce: pass `nonce=` to `sign_in_without_browser`.
"""

from __future__ import annotations

import base64
import contextlib
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, quote, urlencode, urljoin, urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROVIDER_DIR = ROOT / "tests" / "oidc_provider"
SERVER = PROVIDER_DIR / "server.mjs"
# Node.js 20 from the npm registry, put here by scripts/ensure_node.sh when the system's node is
# older: used before the PATH's, so a plain `pytest` finds it as `make test` does.
LOCAL_NODE_BIN = ROOT / ".cache" / "node" / "node_modules" / ".bin"
READY = re.compile(r"OIDC provider ready at (http://127\.0\.0\.1:\d+)")
START_TIMEOUT = 20.0  # it is ready in about 0.5 s
DEFAULT_SCOPE = "openid email profile groups"


class ProviderError(RuntimeError):
    pass


@dataclass
class Provider:
    """A running provider; `stop()` ends it (the context manager and fixture do that)."""

    issuer: str
    process: subprocess.Popen
    log_dir: Path
    clients: list[dict] = field(default_factory=list)
    accounts: dict = field(default_factory=dict)

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def discovery(self) -> dict:
        response = WebSession().get(self.discovery_url)
        if response.status != 200:
            raise ProviderError(f"Discovery answered {response.status}: {response.text[:2000]}")
        return response.json()

    def output(self) -> str:
        """What the provider wrote to stdout and stderr so far (its errors are logged there)."""
        return "\n".join(
            (self.log_dir / name).read_text(errors="replace") for name in ("stdout", "stderr")
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        if self.process.stdin:
            self.process.stdin.close()
        shutil.rmtree(self.log_dir, ignore_errors=True)


def start_provider(
    clients: list[dict], accounts: dict, id_token_ttl: int | None = None
) -> Provider:
    """Start the provider (see _start); a start that is not ready in time is tried once more,
    as a first start on a busy machine was seen to hang. Both failures are in the error."""
    try:
        return _start(clients, accounts, id_token_ttl)
    except ProviderError as first:
        if "was not ready in time" not in str(first):
            raise
        try:
            return _start(clients, accounts, id_token_ttl)
        except ProviderError as second:
            raise ProviderError(f"{second}\nThe first try: {first}") from None


def node_binary() -> str | None:
    path = os.environ.get("PATH", os.defpath)
    return shutil.which("node", path=f"{LOCAL_NODE_BIN}{os.pathsep}{path}")


def _start(clients: list[dict], accounts: dict, id_token_ttl: int | None = None) -> Provider:
    """Start the provider on a free port of 127.0.0.1 and wait until it is listening.

    `clients`: client metadata (client_id, client_secret, redirect_uris, ...; "id_token_ttl" in
    seconds is a test-only extra). `accounts`: account id -> claims (email, email_verified, name,
    groups). `id_token_ttl`: seconds, for every client without its own (default 3600).
    """
    node = node_binary()
    if node is None:
        raise ProviderError("The OIDC provider needs Node.js (node on the PATH); it is not found.")
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        raise ProviderError(
            "The OIDC provider's packages are not installed: run "
            "`npm ci --prefix tests/oidc_provider` (make test does)."
        )
    env = os.environ | {
        "OIDC_PORT": "0",  # the server picks a free port and says which
        "OIDC_CLIENTS_JSON": json.dumps(clients),
        "OIDC_ACCOUNTS_JSON": json.dumps(accounts),
        # The server stops when this process ends and its stdin closes: no provider outlives
        # a test run, even one that is killed.
        "OIDC_EXIT_WITH_STDIN": "1",
    }
    if id_token_ttl is not None:
        env["OIDC_ID_TOKEN_TTL"] = str(id_token_ttl)
    log_dir = Path(tempfile.mkdtemp(prefix="oidc-provider-"))
    with open(log_dir / "stdout", "wb") as out, open(log_dir / "stderr", "wb") as err:
        process = subprocess.Popen(
            [node, str(SERVER)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=out,
            stderr=err,
            start_new_session=True,
        )
    provider = Provider("", process, log_dir, clients, accounts)
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        found = READY.search((log_dir / "stdout").read_text(errors="replace"))
        if found:
            provider.issuer = found.group(1)
            return provider
        exited = process.poll()
        if exited is not None or time.monotonic() > deadline:
            stderr = (log_dir / "stderr").read_text(errors="replace")
            stdout = (log_dir / "stdout").read_text(errors="replace")
            provider.stop()
            why = f"exited with {exited}" if exited is not None else "was not ready in time"
            raise ProviderError(
                f"The OIDC provider {why}. Its stderr:\n{stderr}\nIts stdout:\n{stdout}"
            )
        time.sleep(0.05)


@contextlib.contextmanager
def running_provider(
    clients: list[dict], accounts: dict, id_token_ttl: int | None = None
) -> Iterator[Provider]:
    provider = start_provider(clients, accounts, id_token_ttl)
    try:
        yield provider
    finally:
        provider.stop()


@pytest.fixture
def oidc_provider() -> Iterator:
    """A factory: `oidc_provider(clients, accounts, id_token_ttl=None)` starts a provider,
    stopped when the test ends. Import it into a test module or conftest to use it."""
    started: list[Provider] = []

    def start(clients: list[dict], accounts: dict, id_token_ttl: int | None = None) -> Provider:
        provider = start_provider(clients, accounts, id_token_ttl)
        started.append(provider)
        return provider

    yield start
    for provider in started:
        provider.stop()


@dataclass
class Response:
    status: int
    url: str
    headers: dict[str, str]
    text: str

    @property
    def is_redirect(self) -> bool:
        return self.status in (301, 302, 303, 307, 308) and "location" in self.headers

    @property
    def location(self) -> str:
        """The redirect's target, made absolute."""
        return urljoin(self.url, self.headers["location"])

    def json(self):
        return json.loads(self.text)


class _DoNotFollow(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class WebSession:
    """Plain HTTP (the standard library) with a cookie jar, never following redirects: the steps
    a browser takes, one at a time. Keep one to keep the provider's sign-in (its cookies)."""

    def __init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _DoNotFollow()
        )

    def get(self, url: str, params: dict | None = None, headers: dict | None = None) -> Response:
        if params:
            url = f"{url}{'&' if urlsplit(url).query else '?'}{urlencode(params)}"
        return self._open(urllib.request.Request(url, headers=headers or {}))

    def post(self, url: str, data: dict, headers: dict | None = None) -> Response:
        body = urlencode(data).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"} | (headers or {})
        return self._open(urllib.request.Request(url, data=body, headers=headers, method="POST"))

    def _open(self, request: urllib.request.Request) -> Response:
        try:
            with self._opener.open(request, timeout=10) as answer:
                return self._response(request, answer.status, answer.headers, answer.read())
        except urllib.error.HTTPError as answer:  # 3xx (not followed), 4xx, 5xx
            with answer:
                return self._response(request, answer.code, answer.headers, answer.read())

    @staticmethod
    def _response(request, status, headers, body: bytes) -> Response:
        return Response(
            status=status,
            url=request.full_url,
            headers={k.lower(): v for k, v in headers.items()},
            text=body.decode(headers.get_content_charset() or "utf-8", errors="replace"),
        )


class _Forms(HTMLParser):
    """The forms of a page: action, method and the inputs' names and values."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(
                {
                    "action": attrs.get("action") or "",
                    "method": (attrs.get("method") or "get").lower(),
                    "fields": {},
                }
            )
        elif tag == "input" and self.forms and attrs.get("name"):
            self.forms[-1]["fields"][attrs["name"]] = attrs.get("value") or ""


def _form(html: str) -> dict:
    parser = _Forms()
    parser.feed(html)
    if not parser.forms:
        raise ProviderError(f"Expected a form from the provider; got:\n{html[:2000]}")
    return parser.forms[0]


def sign_in_without_browser(
    provider: Provider,
    client_id: str,
    client_secret: str,
    redirect_uri: str,
    login: str,
    *,
    scope: str = DEFAULT_SCOPE,
    nonce: str | None = None,
    state: str | None = None,
    exchange: bool = True,
    token_endpoint_auth_method: str = "client_secret_basic",
    extra_params: dict | None = None,
    session: WebSession | None = None,
) -> dict:
    """The authorization code flow with plain HTTP and a cookie jar, as a browser would do it:
    the authorization request, the login form, the consent form, then the redirect to
    `redirect_uri` (not followed: its query is read). With `exchange`, the code is swapped for
    tokens at the token endpoint with the client's secret.

    Returns {"code", "state", "nonce", "iss", "redirect" (the full callback URL), "params" (its
    query), and "error"/"error_description" when the provider refused, "tokens" when exchanged}.
    Pass the same `session` again to reuse the provider's sign-in (no login form the second time).
    """
    browser = session or WebSession()
    discovery = provider.discovery()
    state = state if state is not None else secrets.token_urlsafe(16)
    nonce = nonce if nonce is not None else secrets.token_urlsafe(16)
    params = {
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "response_type": "code",
        "scope": scope,
        "state": state,
        "nonce": nonce,
    } | (extra_params or {})
    response = browser.get(discovery["authorization_endpoint"], params)
    for _ in range(10):
        if response.is_redirect:
            location = response.location
            if location.startswith(redirect_uri):
                break
            response = browser.get(location)
            continue
        if response.status != 200:
            raise ProviderError(
                f"The provider answered {response.status} at {response.url}:\n"
                f"{response.text[:2000]}"
            )
        form = _form(response.text)
        fields = form["fields"]
        if fields.get("prompt") == "login":
            fields |= {"login": login, "password": "any"}
        action = urljoin(response.url, form["action"])
        if form["method"] == "post":
            response = browser.post(action, fields)
        else:
            response = browser.get(action, fields)
    else:
        raise ProviderError("The sign-in did not come back to the redirect_uri.")

    query = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
    result = {
        "code": query.get("code"),
        "state": query.get("state"),
        "nonce": nonce,
        "iss": query.get("iss"),
        "redirect": location,
        "params": query,
    }
    if "error" in query:
        result |= {"error": query["error"], "error_description": query.get("error_description")}
    if exchange and result["code"]:
        result["tokens"] = exchange_code(
            provider,
            client_id,
            client_secret,
            redirect_uri,
            result["code"],
            token_endpoint_auth_method=token_endpoint_auth_method,
        )
    return result


def sign_out_without_browser(
    provider: Provider,
    session: WebSession,
    *,
    id_token_hint: str | None = None,
    post_logout_redirect_uri: str | None = None,
    client_id: str | None = None,
    state: str | None = None,
) -> dict:
    """RP-initiated logout with the cookie jar of a `sign_in_without_browser(session=...)`:
    the end_session request, then "Yes, sign me out" on the provider's confirmation page.

    Returns {"redirect": the post-logout URL the provider sent back to (None when it showed its
    own "Sign-out Success" page), "params": its query}.
    """
    params = {
        "id_token_hint": id_token_hint,
        "post_logout_redirect_uri": post_logout_redirect_uri,
        "client_id": client_id,
        "state": state,
    }
    response = session.get(
        provider.discovery()["end_session_endpoint"],
        {k: v for k, v in params.items() if v is not None},
    )
    if response.status != 200:
        raise ProviderError(f"end_session answered {response.status}:\n{response.text[:2000]}")
    form = _form(response.text)
    response = session.post(
        urljoin(response.url, form["action"]), form["fields"] | {"logout": "yes"}
    )
    for _ in range(5):
        if not response.is_redirect:
            break
        location = response.location
        if post_logout_redirect_uri and location.startswith(post_logout_redirect_uri):
            query = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
            return {"redirect": location, "params": query}
        response = session.get(location)
    if response.status != 200:
        raise ProviderError(f"The sign-out answered {response.status}:\n{response.text[:2000]}")
    return {"redirect": None, "params": {}}


def exchange_code(
    provider: Provider,
    client_id: str,
    client_secret: str,
    redirect_uri: str,
    code: str,
    *,
    token_endpoint_auth_method: str = "client_secret_basic",
) -> dict:
    """The token response for an authorization code (raises if the provider refuses it)."""
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    headers = {}
    if token_endpoint_auth_method == "client_secret_post":
        data |= {"client_id": client_id, "client_secret": client_secret}
    else:
        # RFC 6749 2.3.1: both are form-encoded before they go into the Basic header.
        pair = f"{quote(client_id, safe='')}:{quote(client_secret, safe='')}"
        headers["Authorization"] = f"Basic {base64.b64encode(pair.encode()).decode()}"
    response = WebSession().post(provider.discovery()["token_endpoint"], data, headers)
    if response.status != 200:
        raise ProviderError(f"The token endpoint answered {response.status}: {response.text}")
    return response.json()


def jwt_claims(token: str) -> dict:
    """A JWT's payload, not verified (for looking at what the provider issued)."""
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
