"""gunicorn reads this file from the working directory (`gunicorn wsgi:app` in the checkout).

The settings themselves ship with the package, so an installed wheel has them too:
`gunicorn -c python:campaign.core.gunicorn_config 'campaign:create_app()'`.
"""

from campaign.core.gunicorn_config import control_socket_disable, post_worker_init, worker_exit

__all__ = ["control_socket_disable", "post_worker_init", "worker_exit"]
