"""The settings of the server the resilience tests start: the test run's (Argon2 at its least cost), with static files
served from the apps as they are, so that no collectstatic (half a minute of compressing) runs before each test.
The pages, the database and the vault are production's."""

from tests.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
