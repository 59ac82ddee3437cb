"""Background jobs in the database: work that takes longer than a request (a wave import with
5,000 rows, geocoding and invitation mails; a batch of thousands of stickers) runs outside it,
with progress staff can watch.

This package owns the job queue (`queue`: submit, claim with a lease, record each step, finish),
the runner (`runner`: a thread in the web process started after the submitting request commits,
and `flask campaign run-jobs` for cron or a compose service) and the progress page with its
small JSON endpoint (`staff_views`). Features register what a kind of job does with
`runner.handler(kind)`; a handler records every step with `Steps.record`, in the same
transaction as the step's own work, so a step is done exactly once even when a job is taken
over after its runner died.
"""
