"""长辈模式 (elder mode) of the public site: the cookie that keeps a reader's choice.

The switch is sanfu.display.set_display_mode; the templates read the cookie to add
the larger, higher-contrast stylesheet and the shorter demand form, and the page
cache keeps one entry for each rendering."""

from django.http import HttpRequest

COOKIE = "sanfu_display"
ELDER = "elder"


def display_mode(request: HttpRequest) -> str:
    return ELDER if request.COOKIES.get(COOKIE) == ELDER else ""
