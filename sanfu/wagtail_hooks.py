"""What every admin page carries: the question asked before an irreversible step."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks


@hooks.register("insert_global_admin_js")
def confirm_irreversible_steps() -> str:
    """Forms and buttons with ``data-confirm="…"`` ask that question before they
    submit (recall, 公布得分, 开始公示, 表彰 …)."""
    return format_html('<script src="{}"></script>', static("sanfu/confirm.js"))
