"""Fetching pages and feeds over HTTP, safely.

Every request names the project in its User-Agent, has connect and read
timeouts and a deadline for the whole fetch, follows at most a few redirects
(each one checked again), reads at most ``fetch_max_bytes`` of the body, and
connects only to addresses ``AddressPolicy`` allows: the check is made on the
address the socket is opened to, in the transport, not on a separate lookup.
Failures are ``FetchError``s whose message is the reason a dead letter keeps.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from types import TracebackType
from urllib.parse import urljoin

import httpcore
import httpx

from domain.errors import AddressRefused, FetchFailed, InputTooLarge
from services.ingest.addresses import AddressPolicy
from services.shared.settings import IngestSettings

REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Worth trying again later: the server is busy, overloaded or briefly broken.
TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, resolving the host itself and connecting
    only to an address the policy allows (so DNS rebinding cannot slip a
    private address in between a check and the connection)."""

    def __init__(self, policy: AddressPolicy) -> None:
        self.policy = policy
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as err:
            raise FetchFailed(f"cannot resolve {host}: {err.strerror}", transient=True) from err
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        refused: AddressRefused | None = None
        for address in addresses:
            try:
                self.policy.check_address(host, address)
            except AddressRefused as err:
                refused = refused or err
                continue
            return await self.inner.connect_tcp(address, port, timeout, local_address, socket_options)
        raise refused or FetchFailed(f"{host} resolves to no address", transient=True)

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport over ``GuardedBackend``; no proxies from the
    environment (a proxy would be the address checked, not the site)."""

    def __init__(self, policy: AddressPolicy, limits: httpx.Limits) -> None:
        super().__init__(trust_env=False, limits=limits)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(policy),
        )


@dataclass(frozen=True)
class Fetched:
    url: str  # where the body came from, after redirects
    status: int  # 200-299, or 304 (not modified)
    body: bytes
    media_type: str  # "text/html"; "" when the server named none
    charset: str | None
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def retry_after_seconds(value: str | None, now: float) -> float | None:
    """``Retry-After`` as seconds from now: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(parsedate_to_datetime(value).timestamp() - now, 0.0)
    except (TypeError, ValueError, IndexError):
        return None


class Fetcher:
    """One HTTP client for a worker: a connection pool, the policy, the limits."""

    def __init__(self, settings: IngestSettings) -> None:
        self.settings = settings
        self.policy = AddressPolicy(allow_private=settings.fetch_allow_private_addresses)
        limits = httpx.Limits(max_connections=max(settings.fetch_concurrency * 2, 10))
        self.client = httpx.AsyncClient(
            transport=GuardedTransport(self.policy, limits),
            timeout=httpx.Timeout(
                connect=settings.fetch_connect_timeout_s,
                read=settings.fetch_read_timeout_s,
                write=settings.fetch_read_timeout_s,
                pool=settings.fetch_total_timeout_s,
            ),
            follow_redirects=False,  # followed here, each hop checked
            headers={"User-Agent": settings.fetch_user_agent},
            trust_env=False,
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.client.aclose()

    async def get(
        self, url: str, *, accept: str, etag: str | None = None, last_modified: str | None = None
    ) -> Fetched:
        """GET ``url``; with ``etag``/``last_modified`` a conditional request
        whose 304 comes back as ``Fetched.not_modified``."""
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        limit = self.settings.fetch_total_timeout_s
        try:
            async with asyncio.timeout(limit):
                return await self._follow(url, headers)
        except TimeoutError as err:
            raise FetchFailed(f"no complete answer within {limit:g} s", transient=True) from err
        except httpx.TimeoutException as err:
            raise FetchFailed(f"timed out ({type(err).__name__})", transient=True) from err
        except httpx.HTTPError as err:
            raise FetchFailed(f"{type(err).__name__}: {err}", transient=True) from err

    async def _follow(self, url: str, headers: dict[str, str]) -> Fetched:
        for _ in range(self.settings.fetch_max_redirects + 1):
            self.policy.check_url(url)
            response = await self.client.send(
                self.client.build_request("GET", url, headers=headers), stream=True
            )
            try:
                location = response.headers.get("location")
                if response.status_code in REDIRECTS and location:
                    url = urljoin(url, location)
                    continue
                return await self._answer(url, response)
            finally:
                await response.aclose()
        raise FetchFailed(
            f"more than {self.settings.fetch_max_redirects} redirects (last to {url})", transient=False
        )

    async def _answer(self, url: str, response: httpx.Response) -> Fetched:
        status = response.status_code
        if status in TRANSIENT_STATUSES:
            wait = retry_after_seconds(response.headers.get("retry-after"), time.time())
            raise FetchFailed(f"HTTP {status} from {url}", transient=True, retry_after=wait)
        if status >= 400 or (status >= 300 and status != 304):
            raise FetchFailed(f"HTTP {status} from {url}", transient=False)
        limit = self.settings.fetch_max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise InputTooLarge(f"{url} is {int(declared):,} bytes; the limit is {limit:,} (not read)")
        # Counted after decompression, chunk by chunk: a small gzip bomb is cut
        # off at the limit like a large page.
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > limit:
                raise InputTooLarge(f"{url} is larger than the limit of {limit:,} bytes; cut off there")
            chunks.append(chunk)
        body = b"".join(chunks)
        media_type, _, params = response.headers.get("content-type", "").partition(";")
        charset = None
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.lower() == "charset" and value:
                charset = value.strip().strip('"').lower()
        return Fetched(
            url=url,
            status=status,
            body=body,
            media_type=media_type.strip().lower(),
            charset=charset,
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
        )
