"""gunicorn reads this file from the working directory (`gunicorn wsgi:app`).

Each worker builds the public data snapshot and the open data files right after it starts,
so the first visitor of /karte or /api/v1/employers.geojson does not wait for the build.
Without this file everything still works; the first request of each worker builds instead.
Each worker also checks that several workers share one rate-limit storage (not memory://):
in production gunicorn then refuses to start, elsewhere it warns.
"""


def post_worker_init(worker):
    from campaign.opendata.files import warm_up
    from campaign.settings import check_worker_setup

    # Raising here stops gunicorn ("Worker failed to boot") with the message in the log.
    check_worker_setup(worker.wsgi.config, worker.cfg.workers)
    warm_up(worker.wsgi)


def worker_exit(server, worker):
    from campaign.public.scans import flush_app

    flush_app(worker.wsgi)
