"""The errors tinylab raises for a user to read: each names what was wrong and what is allowed."""


class TinylabError(Exception):
    """A problem with the user's input or artifacts. The CLI prints it on one line and exits with ``exit_code``."""

    exit_code = 2


class SpecError(TinylabError):
    """A spec file or override that does not validate."""


class UnknownTaskError(TinylabError):
    """A task name that is not registered."""


class RunVerificationError(TinylabError):
    """A run directory whose files do not match its manifest."""

    def __init__(self, run_dir: str, problems: list[str]) -> None:
        self.run_dir = run_dir
        self.problems = problems
        super().__init__(f"run {run_dir} failed verification: " + "; ".join(problems))
