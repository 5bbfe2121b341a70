"""The development server's media route: the public folders only.

Private files are not under ``MEDIA_ROOT`` at all (``core.private_files``); of
what is, only Wagtail's images (originals and renditions) are public. Documents are
under ``MEDIA_ROOT`` too but go out only through Wagtail's document view, which asks
``publicity.documents`` first. nginx serves the same folders in production
(deploy/nginx.conf)."""

from django.conf import settings
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.views.static import serve

PUBLIC_FOLDERS = frozenset({"original_images", "images"})


def public_media(request: HttpRequest, path: str) -> HttpResponseBase:
    """A file of a public folder; 404 for anything else, for any path that is not
    already in its plain form (``.``, ``..``, empty segments), and for everything
    when DEBUG is off (nginx serves these folders then)."""
    parts = path.split("/")
    if (
        not settings.DEBUG
        or len(parts) != 2
        or parts[0] not in PUBLIC_FOLDERS
        or parts[1] in ("", ".", "..")
        or "\\" in path
        or "\x00" in path
    ):
        raise Http404
    response = serve(request, path, document_root=str(settings.MEDIA_ROOT))
    response["X-Content-Type-Options"] = "nosniff"
    return response
