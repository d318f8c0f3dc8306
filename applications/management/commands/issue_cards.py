"""Issue cards for approved applications that have none yet (what the beat sweep does)."""

from django.core.management.base import BaseCommand

from applications.cards.services import cards_issue_missing


class Command(BaseCommand):
    help = "Issue the cards of approved applications left without one; prints how many were issued."

    def handle(self, *args, **options):
        self.stdout.write(f"issued {cards_issue_missing()} card(s)")
