"""The errors tinylab raises for a user to read: each names what was wrong and what is allowed.

Exit codes: 2 for bad input or usage (the default), 1 for a check that ran and failed."""


class TinylabError(Exception):
    """A problem with the user's input or artifacts. The CLI prints it on one line and exits with ``exit_code``."""

    exit_code = 2


class TinylabWarning(UserWarning):
    """Something a user should know about their input that is not an error (the CLI prints it as one line
    on stderr, starting ``warning:``)."""


class ItemError(TinylabError):
    """One item of a batch that the model cannot take: ``index`` is its place in the batch (from 0), so that a
    caller reading a file in chunks can name the row."""

    def __init__(self, index: int, detail: str) -> None:
        self.index = index
        self.detail = detail
        super().__init__(f"inputs[{index}] {detail}")


class SpecError(TinylabError):
    """A spec file or override that does not validate."""


class UnknownTaskError(TinylabError):
    """A task name that is not registered."""


class RunVerificationError(TinylabError):
    """A run whose files do not match its manifest (a failed check: exit 1)."""

    exit_code = 1

    def __init__(self, run_dir: str, problems: list[str]) -> None:
        self.run_dir = run_dir
        self.problems = problems
        super().__init__(f"run {run_dir} failed verification: " + "; ".join(problems))


class RunCopyError(TinylabError):
    """A copy of a run that started and then failed part-way (a failed check: exit 1). Nothing it left
    behind is taken for a complete run."""

    exit_code = 1
