"""Every admin page carries the script that asks before an irreversible step."""

from django.contrib.auth import get_user_model
from django.templatetags.static import static


def test_the_admin_pages_carry_the_confirmation_script(login, db) -> None:  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_superuser("root", password="x")
    client = login(user)
    page = client.get("/admin/").content.decode()
    assert f'src="{static("sanfu/confirm.js")}"' in page
