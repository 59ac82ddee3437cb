"""gunicorn reads this file from the working directory (`gunicorn wsgi:app`).

Each worker builds the public data snapshot and the open data files right after it starts,
so the first visitor of /karte or /api/v1/employers.geojson does not wait for the build.
When a worker ends, its mail sender finishes the mail it is sending and stops.
Without this file everything still works; the first request of each worker builds instead.
"""


def post_worker_init(worker):
    from campaign.opendata.files import warm_up

    warm_up(worker.wsgi)


def worker_exit(server, worker):
    from campaign.outbox.sender import stop_app
    from campaign.public.scans import flush_app

    stop_app(worker.wsgi)  # let the mail being sent end (bounded), send no further one
    flush_app(worker.wsgi)
