from typing import Any

import pytest


@pytest.fixture(autouse=True)
def private_media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def database_tasks(settings: Any) -> None:
    """The project's tasks go to django-tasks-db (SANFU_TASKS_BACKEND=database)."""
    settings.TASKS = {
        **settings.TASKS,
        "sanfu": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": settings.SANFU_TASK_QUEUES,
        },
    }
