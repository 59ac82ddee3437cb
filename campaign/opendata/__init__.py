"""Open data: the published entries as GeoJSON and CSV under ``/api/v1/``, built from the public
snapshot and served with caching headers."""
