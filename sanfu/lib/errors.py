"""Errors that actions raise and every caller (views, API, commands) understands."""


class Conflict(Exception):
    """The state changed under the caller: another person acted first. Refused, not
    applied twice; the caller answers 409 or asks the person to reload."""
