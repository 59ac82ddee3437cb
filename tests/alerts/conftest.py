"""Fixtures borrowed from the public and admin tests."""

from tests.admin.conftest import make_staff, reviewer  # noqa: F401
from tests.public.conftest import publish  # noqa: F401
