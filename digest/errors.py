"""The small error hierarchy the CLI turns into messages and exit codes."""


class DigestError(Exception):
    """Base of every error digest reports to the user without a traceback."""

    exit_code = 1


class ConfigError(DigestError):
    """The configuration or the command line is wrong; every problem is listed at once."""

    exit_code = 2

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


class InputError(DigestError):
    """The input folder cannot be used at all (missing, not a folder)."""

    exit_code = 2


class OutputError(DigestError):
    """The output folder cannot be written safely."""

    exit_code = 2


class StrictError(DigestError):
    """The build finished with warnings and --strict was given."""

    exit_code = 1


class EngineError(DigestError):
    """The engine that runs the build's work cannot be used (a Dask scheduler out of reach)."""

    exit_code = 2
