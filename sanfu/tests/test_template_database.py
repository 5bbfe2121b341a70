from pathlib import Path

import pytest

from sanfu.tests import template_database


def test_the_ready_mark_is_never_written_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker polls for the mark: written where it looks, it can be found
    created but still empty."""
    ready = tmp_path / "ready"
    write_text = Path.write_text
    written: list[Path] = []

    def write(path: Path, text: str, *args: object, **kwargs: object) -> int:
        written.append(path)
        return write_text(path, text)

    monkeypatch.setattr(Path, "write_text", write)
    template_database._mark(ready, "ok")
    assert written and ready not in written
    assert ready.read_text() == "ok"
    assert list(tmp_path.iterdir()) == [ready]
