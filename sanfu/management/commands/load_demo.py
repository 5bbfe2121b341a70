from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from sanfu.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the seed demo (once) and print its accounts."

    def handle(self, *args: Any, **options: Any) -> None:
        created, accounts = load_demo()
        if created:
            self.stdout.write(self.style.SUCCESS(_("Seed demo loaded.")))
        else:
            self.stdout.write(_("Seed demo already present; kept as it is."))
        self.stdout.write(_("Demo accounts (password: %s):") % DEMO_PASSWORD)
        for account in accounts:
            self.stdout.write(
                f"  {account.username:<18} {account.name}  — {account.role}"
            )
