from django.core.exceptions import ValidationError


class FileRejected(ValidationError):
    """The upload is refused; nothing was stored."""


class FileCorrupted(Exception):
    """A stored file no longer matches its SHA-256 (or is missing)."""
