"""The one exception tree of Sitrep. Every error we raise on purpose is one of these.

SitrepError
├── InputError              an input we cannot use; the reason is for a human
│   ├── EmptyInput
│   ├── BinaryInput
│   ├── UndecodableInput
│   ├── InvalidEnvelope     JSON that is not an article envelope
│   ├── InputTooLarge
│   ├── UnsupportedLanguage
│   └── UnknownSchemaVersion
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
