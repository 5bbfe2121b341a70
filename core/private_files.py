"""Private files: stored under ``PRIVATE_MEDIA_ROOT`` (outside every folder a web
server serves) with random names, and handed out only by views that have checked
access, through ``serve_private``.

The name of a stored file is a random token, so that neither a path that leaks (a
log, a referrer) nor a guess (a user's id, a job's number, a file's original name)
leads to another file. Behind nginx (``SANFU_X_ACCEL``) the view answers with an
``X-Accel-Redirect`` to an ``internal`` location, and nginx sends the bytes.
"""

import mimetypes
import secrets
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header

TOKEN_BYTES = 24


def private_storage() -> Storage:
    """The storage of private files (``STORAGES["private"]``); a callable, so that
    migrations name it instead of freezing one configuration."""
    return storages["private"]


def random_name(folder: str, extension: str = "") -> str:
    """``folder/<random token><extension>``: a name nobody can guess."""
    extension = extension if extension.startswith(".") or not extension else ""
    return f"{folder}/{secrets.token_urlsafe(TOKEN_BYTES)}{extension.lower()[:10]}"


def extension_of(filename: str) -> str:
    return Path(filename).suffix.lower()[:10]


class PrivateStorage(FileSystemStorage):
    """Files under ``PRIVATE_MEDIA_ROOT`` (followed when tests change it), with no
    URL: nothing links to them directly."""

    @cached_property
    def base_location(self) -> Any:
        location = self._location  # type: ignore[attr-defined]
        return self._value_or_setting(location, settings.PRIVATE_MEDIA_ROOT)

    def _clear_cached_properties(self, setting: str, **kwargs: Any) -> None:
        super()._clear_cached_properties(setting, **kwargs)  # type: ignore[arg-type]
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name: str | None) -> str:
        raise NotImplementedError("private files have no URL; a view serves them")


def serve_private(
    request: HttpRequest,
    file: FieldFile,
    *,
    filename: str,
    content_type: str | None = None,
    as_attachment: bool = True,
) -> HttpResponseBase:
    """The response that sends ``file``, for a view that has checked access."""
    if not content_type:
        content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    if (
        settings.SANFU_X_ACCEL
        and isinstance(file.storage, PrivateStorage)
        and file.name
    ):
        response: HttpResponseBase = _accel(
            settings.SANFU_X_ACCEL_PRIVATE + file.name, content_type
        )
        disposition = content_disposition_header(as_attachment, filename)
        if disposition:
            response["Content-Disposition"] = disposition
    else:
        response = FileResponse(
            file.open("rb"),
            as_attachment=as_attachment,
            filename=filename,
            content_type=content_type,
        )
    # a shared cache must never keep one person's file for the next
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _accel(location: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content_type=content_type)
    response["X-Accel-Redirect"] = quote(location)
    return response


def sendfile(request: HttpRequest, filename: str, **kwargs: Any) -> HttpResponse:
    """Wagtail's sendfile backend (``SENDFILE_BACKEND``) behind nginx: a document
    under ``MEDIA_ROOT`` goes out through the internal location of that folder."""
    relative = Path(filename).resolve().relative_to(Path(settings.MEDIA_ROOT).resolve())
    return _accel(
        settings.SANFU_X_ACCEL_MEDIA + relative.as_posix(),
        kwargs.get("mimetype") or "application/octet-stream",
    )


def move_to_private(model: Any, field_name: str, folder: str) -> int:
    """Move the files of ``model.field_name`` from the default storage (the public
    ``MEDIA_ROOT``) into the private storage under new random names, and point the
    rows at them; for data migrations. Files already moved are left alone; the old
    copies are deleted once the migration's transaction has committed. Returns how
    many files moved."""
    from django.db import transaction

    public, private = storages["default"], private_storage()
    moved = 0
    rows = model._base_manager.exclude(**{field_name: ""}).exclude(
        **{f"{field_name}__isnull": True}
    )
    for pk, old in rows.values_list("pk", field_name).iterator():
        if private.exists(old) or not public.exists(old):
            continue
        with public.open(old, "rb") as content:
            new = private.save(random_name(folder, extension_of(old)), content)
        model._base_manager.filter(pk=pk).update(**{field_name: new})
        transaction.on_commit(partial(public.delete, old))
        moved += 1
    return moved
