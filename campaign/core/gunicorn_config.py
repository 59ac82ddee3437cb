"""gunicorn settings that ship with the package:
`gunicorn -c python:campaign.core.gunicorn_config 'campaign:create_app()'`.

Each worker builds the public data snapshot and the open data files right after it starts, so
the first visitor of /karte or /api/v1/employers.geojson does not wait for the build, and writes
the QR scan counts it still holds when it exits. Without these hooks everything still works;
the first request of each worker builds instead, and a stopping worker loses the scans of its
last CAMPAIGN_SCAN_FLUSH_SECONDS. Each worker also hands big freed blocks back to the system
at once (campaign.core.memory).

gunicorn 23 and newer open a control socket at one path per machine; a second app (or a test
server) on the same machine would take it over, so it is off.
"""

control_socket_disable = True


def post_worker_init(worker):
    from campaign.core.memory import return_big_blocks
    from campaign.public.warm_up import warm_up
    from campaign.settings import check_worker_setup

    if "campaign_city" not in getattr(worker.wsgi, "extensions", {}):
        return  # another WSGI app served from this folder (a benchmark's baseline)
    # Raising here stops gunicorn ("Worker failed to boot") with the message in the log.
    check_worker_setup(worker.wsgi.config, worker.cfg.workers)
    return_big_blocks()
    warm_up(worker.wsgi)


def worker_exit(server, worker):
    """Write the QR scans the worker still holds; if the database is down, keep trying for
    two thirds of the graceful timeout (the master kills the worker after all of it)."""
    from campaign.outbox.sender import stop_app
    from campaign.public.scans import flush_app

    stop_app(worker.wsgi)  # let the mail being sent end (bounded), send no further one
    flush_app(worker.wsgi, within=server.cfg.graceful_timeout * 2 / 3)
