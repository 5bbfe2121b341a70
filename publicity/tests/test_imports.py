"""The column's modules import on their own, whatever was imported before them."""

import subprocess
import sys

from django.conf import settings


def test_the_column_search_imports_before_the_admin_is_loaded() -> None:
    # publicity.forms makes a rich text editor at import, which reads Wagtail's
    # hooks; publicity.wagtail_hooks once imported the admin views, which import
    # publicity.forms half made
    script = "import django; django.setup(); import publicity.column"
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
