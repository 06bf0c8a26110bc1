"""Contains shared errors types that can be raised from API functions"""

from collections.abc import MutableMapping


class UnexpectedStatus(Exception):
    """Raised by api functions when the response status an undocumented status and Client.raise_on_unexpected_status is True"""

    def __init__(self, status_code: int, content: bytes):
        self.status_code = status_code
        self.content = content

        super().__init__(
            f"Unexpected status code: {status_code}\n\nResponse content:\n{content.decode(errors='ignore')}"
        )


class InvalidResponseBody(ValueError):
    """A decoded body does not match the schema: a required field is missing or has the wrong type.

    ``location`` is where in the body, e.g. ``data[41].usage``; empty for the body itself.
    """

    def __init__(self, location: str, problem: str):
        self.location = location
        self.problem = problem
        super().__init__(f"{location}: {problem}" if location else problem)

    def within(self, step: str | int) -> "InvalidResponseBody":
        """The same problem, located from the object (a key) or array (an index) that holds the value."""
        outer = f"[{step}]" if isinstance(step, int) else step
        if not self.location:
            return InvalidResponseBody(outer, self.problem)
        joiner = "" if self.location.startswith("[") else "."
        return InvalidResponseBody(f"{outer}{joiner}{self.location}", self.problem)


def json_type(value: object) -> str:
    """What a decoded JSON value is, in JSON's words, for a message: ``null``, ``a string``, ..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


class UnparsableResponse(Exception):
    """Raised by api functions when a response's body cannot be turned into its documented model.

    Carries the status, headers and raw content of the response; the decoding error is the ``__cause__``.
    """

    def __init__(
        self,
        status_code: int,
        content: bytes,
        headers: MutableMapping[str, str],
        reason: str,
    ):
        self.status_code = status_code
        self.content = content
        self.headers = headers
        self.reason = reason
        super().__init__(f"Cannot parse the body of a {status_code} response: {reason}")


__all__ = ["InvalidResponseBody", "UnexpectedStatus", "UnparsableResponse", "json_type"]
