"""Who may write, which host names the atlas answers to, and the headers every answer carries.

Writes (``POST /upload``) need either the page's CSRF token in ``X-CSRF-Token`` plus a same-origin request, or
``Authorization: Bearer <SCA_UPLOAD_TOKEN>``. Every request must name an allowed host (DNS rebinding: a page
whose name is made to point at 127.0.0.1 would otherwise be "same origin" with the atlas and could read its
upload token). Security headers (CSP, nosniff, frame protection) come from Flask-Talisman with a policy the Dash
page works under (tests/browser/test_upload_security.py); answers that carry the token or the store's rows are
never cached.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import re
import secrets
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import flask
from flask_talisman import Talisman
from itsdangerous import BadData, URLSafeTimedSerializer

if TYPE_CHECKING:
    from dashboard.settings import Settings

CSRF_HEADER = "X-CSRF-Token"
CSRF_SALT = "sca-upload"
# A page's token is good for this long; an older page asks the user to reload.
CSRF_MAX_AGE_S = 24 * 3600

# Dash's renderer and our clientside functions are same-origin scripts; Dash inlines one small bootstrap script
# (allowed by its hash, see csp_for). Plotly sets inline styles, MapLibre runs its workers from blob: URLs and
# draws images from data:/blob: URLs. Nothing is ever loaded from another origin: the atlas works offline.
BASE_CSP: dict[str, str | list[str]] = {
    "default-src": "'self'",
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'", "blob:"],
    "child-src": ["'self'", "blob:"],
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


# Host names every server answers to: a browser on this machine reaches it by these.
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
# Paths (ends of paths, under any prefix) whose answers must never be stored by a browser or proxy: the layout
# carries the page's 24-hour upload token, exports and uploads' answers carry the store's rows and ids.
NO_STORE_ENDINGS = ("/_dash-layout", "/export.csv", "/export.geojson", "/upload")
NO_STORE_PREFIXES = ("/upload/",)
# The longest Host value echoed back in a refusal.
SHOWN_HOST_CHARS = 80
_HOST = re.compile(r"^(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<name>[A-Za-z0-9._-]+))(?::(?P<port>[0-9]{1,5}))?$")


def host_name(value: str | None) -> str | None:
    """The name part of a ``Host`` header (``name``, ``name:port``, ``[v6]:port``), lower-cased, without brackets
    or a trailing dot; None when it is not a well-formed host."""
    match = _HOST.match((value or "").strip())
    if not match:
        return None
    name = match.group("v6") or match.group("name")
    return name.lower().rstrip(".") or None


def allowed_hosts(settings: Settings, listening: str | None = None) -> frozenset[str]:
    """The host names a request may name: the loopback names, the address the server listens on (``settings.host``
    and ``listening``, the listener a request arrived on) and every name in ``SCA_ALLOWED_HOSTS``."""
    names = {*LOOPBACK_NAMES, *settings.allowed_host_names(), _bare(settings.host)}
    # The listener (SERVER_NAME) counts only as an IP address: a TCP socket's own address always is one, while
    # gunicorn on a unix socket copies SERVER_NAME from the request's own Host header.
    if _is_ip(_bare(listening)):
        names.add(_bare(listening))
    return frozenset(names - {""})


def _bare(address: str | None) -> str:
    """An address as a host name: "[::1]" -> "::1", "Atlas.lan." -> "atlas.lan"."""
    return (address or "").strip().strip("[]").lower().rstrip(".")


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def host_refusal(settings: Settings, environ: Mapping[str, object]) -> str | None:
    """Why a request's ``Host`` is refused (None when it is allowed). A request without one (HTTP/1.0) is for
    the listener itself; browsers always send one."""
    given = environ.get("HTTP_HOST")
    if given is None:
        return None
    listening = str(environ.get("SERVER_NAME") or "")
    name = host_name(str(given))
    if name is not None and name in allowed_hosts(settings, listening):
        return None
    shown = str(given)[:SHOWN_HOST_CHARS]
    return (f"This atlas does not answer to the host {shown!r}. It answers to localhost, its loopback addresses, "
            "the address it listens on, and the names in SCA_ALLOWED_HOSTS (comma-separated) set where it runs.")


def check_hosts(server: flask.Flask, settings: Settings) -> None:
    """Answer 400 to any request naming a host not allowed (before any other hook or route runs: pages,
    ``/_dash-layout``, exports, uploads, assets), and mark the answers that must not be cached ``no-store``."""

    def refuse_foreign_host() -> flask.Response | None:
        refusal = host_refusal(settings, flask.request.environ)
        if refusal is None:
            return None
        response = flask.Response(refusal + "\n", status=400, content_type="text/plain; charset=utf-8")
        response.cache_control.no_store = True
        return response

    def no_store(response: flask.Response) -> flask.Response:
        path = flask.request.path
        if path.endswith(NO_STORE_ENDINGS) or any(p in path for p in NO_STORE_PREFIXES):
            response.cache_control.no_store = True
            response.cache_control.public = False
            response.cache_control.max_age = None
        return response

    server.before_request_funcs.setdefault(None, []).insert(0, refuse_foreign_host)
    server.after_request(no_store)


def is_loopback(host: str | None) -> bool:
    """Whether ``host`` (an address or name a server listens on) is only reachable from this machine."""
    host = (host or "").strip().strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def uploads_mode(settings: Settings) -> str:
    """"off" when uploads can never be on (SCA_UPLOADS=off or a limit of 0 MB), else "on" or "auto"."""
    if settings.uploads == "off" or settings.upload_limit_mb <= 0:
        return "off"
    return settings.uploads


def uploads_enabled(settings: Settings, environ: Mapping[str, object] | None = None) -> bool:
    """Whether this request may see the form and use the route: "auto" allows it on a loopback listener, or
    anywhere once a token is set. The listener is read from the request (``SERVER_NAME`` is the address the
    server is bound to under both Werkzeug and gunicorn), so gunicorn's ``--bind`` counts, not just SCA_HOST."""
    mode = uploads_mode(settings)
    if mode != "auto":
        return mode == "on"
    if settings.upload_token:
        return True
    listening = settings.host if environ is None else str(environ.get("SERVER_NAME") or settings.host)
    return is_loopback(listening)


def host_secret(folder: Path | None = None) -> str:
    """A random secret shared by every worker process of this user on this host (gunicorn with or without
    ``--preload``), kept in a private file in the temporary folder; a fresh one per process when that file cannot
    be trusted (not ours, or readable by others)."""
    path = Path(folder or tempfile.gettempdir()) / f"sca-secret-{os.getuid()}"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    except FileExistsError:
        pass
    except OSError:
        return secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        with os.fdopen(fd) as handle:
            info = os.fstat(handle.fileno())
            value = handle.read().strip()
    except OSError:
        return secrets.token_hex(32)
    if info.st_uid != os.getuid() or info.st_mode & 0o077 or len(value) < 32:
        return secrets.token_hex(32)
    return value


class Guard:
    """Issues the page's CSRF tokens and decides whether an upload request may write."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        secret = settings.secret_key or host_secret()
        self._serializer = URLSafeTimedSerializer(secret, salt=CSRF_SALT)

    def new_token(self) -> str:
        """A fresh signed token for one page load."""
        return self._serializer.dumps(secrets.token_hex(8))

    def valid_token(self, token: str | None) -> bool:
        if not token or len(token) > 512:
            return False
        try:
            self._serializer.loads(token, max_age=CSRF_MAX_AGE_S)
        except BadData:
            return False
        return True

    def bearer_ok(self, request: flask.Request) -> bool:
        expected = self.settings.upload_token
        given = request.headers.get("Authorization", "")
        if not expected or not given.startswith("Bearer "):
            return False
        return hmac.compare_digest(given[len("Bearer "):].strip().encode(), expected.encode())

    def refusal(self, request: flask.Request) -> str | None:
        """Why ``request`` may not write (None when it may): a script's bearer token, or the page's CSRF token
        from the same origin."""
        if self.bearer_ok(request):
            return None
        if request.headers.get("Authorization"):
            return "The upload token is wrong; nothing was imported."
        if not same_origin(request):
            return "Uploads are accepted only from this atlas's own page; nothing was imported."
        if not self.valid_token(request.headers.get(CSRF_HEADER)):
            return "The page's upload permission is missing or has expired: reload the page and try again."
        return None


def same_origin(request: flask.Request) -> bool:
    """The browser says the request comes from our own page: ``Origin`` (when sent) names this host, and
    ``Sec-Fetch-Site`` (when sent) is same-origin. A reverse proxy must pass the original ``Host`` header."""
    origin = request.headers.get("Origin")
    if origin is not None:
        if origin == "null" or urlsplit(origin).netloc.lower() != request.host.lower():
            return False
    site = request.headers.get("Sec-Fetch-Site")
    return site is None or site in ("same-origin", "none")


def protect(server: flask.Flask, inline_script_hashes: list[str]) -> Talisman:
    """Security headers on every answer: the CSP, nosniff, no framing, no referrer leaks; no HTTPS redirect
    (a reverse proxy terminates TLS, and the dev server has none)."""
    policy = {**BASE_CSP, "script-src": ["'self'", *inline_script_hashes]}
    return Talisman(
        server,
        force_https=False,
        strict_transport_security=False,
        session_cookie_secure=False,
        content_security_policy=policy,
        frame_options="DENY",
        referrer_policy="same-origin",
        x_content_type_options=True,
    )
