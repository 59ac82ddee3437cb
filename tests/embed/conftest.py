"""Fixtures borrowed from the admin and public tests: staff clients and publishing entries."""

from tests.admin.conftest import make_staff, viewer  # noqa: F401
from tests.public.conftest import bump_version, page, publish  # noqa: F401
