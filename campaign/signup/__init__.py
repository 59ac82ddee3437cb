"""Sign-up for employers at ``/mitmachen``: the form, its bot check and the double opt-in mail."""
