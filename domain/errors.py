"""The one exception tree of Sitrep. Every error we raise on purpose is one of these.

SitrepError
├── InputError              an input we cannot use; the reason is for a human
│   ├── EmptyInput
│   ├── BinaryInput
│   ├── UndecodableInput
│   ├── InvalidEnvelope     JSON that is not an article envelope
│   ├── InputTooLarge
│   ├── UnsupportedLanguage
│   ├── UnknownSchemaVersion
│   └── FetchError          a URL we could not turn into an article
│       ├── AddressRefused  not http(s), or resolves to a private/loopback/metadata address
│       ├── FetchFailed     timeout, connection error, HTTP error status (maybe transient)
│       ├── UnsupportedContent  a content type that is not a page (or not a feed)
│       ├── NoArticleText   a page with no article text in it
│       └── FeedUnreadable  a feed that is not RSS or Atom XML
├── ReferenceDataError      gazetteer or actor registry missing or malformed
├── ConfigurationError      settings that cannot work together
└── InfrastructureError     broker, network, subprocess
    ├── BrokerUnavailable
    ├── BrokerStartFailed
    └── ProcessorBehind     the live view is not caught up yet (replay --verify)
"""


class SitrepError(Exception):
    """Root of every error Sitrep raises on purpose."""


class InputError(SitrepError):
    """An input that cannot be used. ``str(err)`` is a one-line reason."""


class EmptyInput(InputError):
    pass


class BinaryInput(InputError):
    pass


class UndecodableInput(InputError):
    pass


class InvalidEnvelope(InputError):
    pass


class InputTooLarge(InputError):
    pass


class UnsupportedLanguage(InputError):
    pass


class UnknownSchemaVersion(InputError):
    pass


class FetchError(InputError):
    """A URL that could not be turned into an article or a feed."""


class AddressRefused(FetchError):
    pass


class FetchFailed(FetchError):
    """The server did not give us the resource. ``transient`` failures (a
    timeout, a 5xx, a 429) are worth trying again later, ``retry_after``
    seconds from now when the server said so."""

    def __init__(self, message: str, *, transient: bool, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.transient = transient
        self.retry_after = retry_after


class UnsupportedContent(FetchError):
    pass


class NoArticleText(FetchError):
    pass


class FeedUnreadable(FetchError):
    pass


class ReferenceDataError(SitrepError):
    pass


class ConfigurationError(SitrepError):
    pass


class InfrastructureError(SitrepError):
    pass


class BrokerUnavailable(InfrastructureError):
    pass


class BrokerStartFailed(InfrastructureError):
    pass


class ProcessorBehind(InfrastructureError):
    """The live view cannot be checked yet: the processor has events left to fold."""


class FoldProcessFailed(InfrastructureError):
    """A processor worker's fold process could not fold a batch, or is gone."""
