import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from config.serving import exit_unless_ready_to_serve  # noqa: E402 - needs DJANGO_SETTINGS_MODULE

exit_unless_ready_to_serve()
application = get_wsgi_application()
