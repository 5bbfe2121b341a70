from typing import Any

from wagtail.admin.forms.auth import PasswordResetForm

from core.ratelimit import hit

# A reset mail per address and per account: one a quarter hour, three a day. More
# would let anyone flood a mailbox (or an account's holder) with reset links.
RESET_LIMITS = ((1, 15 * 60), (3, 24 * 60 * 60))


def _within_limits(scope: str, key: str) -> bool:
    return all(
        hit(f"{scope}:{window}", key, limit=limit, window=window)
        for limit, window in RESET_LIMITS
    )


class ThrottledPasswordResetForm(PasswordResetForm):
    """Wagtail's password reset form with a rate limit per address asked for and
    per account reached. The view answers the same page whatever happens here, so
    a held-back mail tells the asker nothing about the account."""

    def save(self, *args: Any, **kwargs: Any) -> None:
        address = self.cleaned_data["email"].strip().casefold()
        if _within_limits("password-reset-address", address):
            super().save(*args, **kwargs)

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        if _within_limits("password-reset-account", str(context["user"].pk)):
            super().send_mail(
                subject_template_name,
                email_template_name,
                context,
                from_email,
                to_email,
                html_email_template_name=html_email_template_name,
            )
