"""Exceptions wirewatch raises; everything derives from `WirewatchError`."""


class WirewatchError(Exception):
    """Base class of every error wirewatch raises on purpose."""


class InputError(WirewatchError):
    """An input file or record cannot be used; the message names it and says why."""

    def __init__(self, path: str, reason: str, line: int | None = None):
        self.path, self.reason, self.line = path, reason, line
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {reason}")


class StoreError(WirewatchError):
    """The store cannot be opened, read or written."""


class StoreBusyError(StoreError):
    """Another process holds the store's write lock for longer than we wait."""


class NotFoundError(WirewatchError):
    """A requested article, entity or story does not exist in the store."""


class ResourceError(WirewatchError):
    """A model or data package wirewatch needs is not installed."""
