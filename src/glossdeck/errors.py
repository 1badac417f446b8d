"""The one exception base class; the CLI turns it into a clear message and an exit code."""


class GlossdeckError(Exception):
    """A problem the user can fix (bad path, bad config value); shown without a traceback."""

    exit_code = 2
