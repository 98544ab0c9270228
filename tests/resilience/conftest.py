from collections.abc import Callable

import pytest


@pytest.fixture
def say(pytestconfig: pytest.Config, capsys: pytest.CaptureFixture[str]) -> Callable[[str], None]:
    """Print a line of figures beside the test's result (how many, how fast), whatever the capture."""
    terminal = pytestconfig.pluginmanager.getplugin("terminalreporter")

    def write(line: str) -> None:
        with capsys.disabled():
            terminal.write_line("\n" + line)

    return write
