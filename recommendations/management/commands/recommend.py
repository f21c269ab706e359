"""`manage.py recommend USERNAME [--json] [--dry-run]`: tonight's slate for someone, as
the page would show it, logged unless --dry-run."""

import json

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from config.data_commands import DataCommand
from recommendations.services import slate_for_user


class Command(DataCommand):
    help = "Print a slate of three recommendations for a user, and log it (unless --dry-run)."

    def add_arguments(self, parser):
        parser.add_argument("username", help="Whose slate (their username).")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print JSON.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show the slate without logging it."
        )

    def handle(self, *args, username, as_json=False, dry_run=False, **options):
        User = get_user_model()
        user = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        slate = slate_for_user(user, log=not dry_run)
        if as_json:
            self.stdout.write(json.dumps(as_dict(user, slate, dry_run), indent=2))
            return
        if not slate.picks:
            self.stdout.write(f"Nothing to recommend to {username}: no unseen films.")
            return
        for pick in slate.picks:
            self.stdout.write(
                f"{pick.recommendation_type:<9} {pick.title}  (score {pick.score:.3f})\n"
                f"          {pick.reason}"
            )
        self.stdout.write(
            "Not logged (dry run)." if dry_run else f"Logged as slate {slate.slate_id}."
        )


def as_dict(user, slate, dry_run: bool) -> dict:
    return {
        "user": user.get_username(),
        "engine_version": slate.engine_version,
        "slate_id": str(slate.slate_id) if slate.slate_id else None,
        "logged": not dry_run and slate.slate_id is not None,
        "picks": [
            {
                "recommendation_type": pick.recommendation_type,
                "movie_id": pick.movie_id,
                "title": pick.title,
                "score": pick.score,
                "reason": pick.reason,
                "media_id": pick.log.media_id if pick.log else None,
                "log_id": pick.log.pk if pick.log else None,
            }
            for pick in slate.picks
        ],
    }
