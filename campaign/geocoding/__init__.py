"""Where an entry sits on the map: the pin a person set, the address looked up by the city's
geocoder (`CAMPAIGN_GEOCODER_URL`, Nominatim- or Photon-compatible), or, when that is unset,
down or unsure, the centre of the entry's quarter or postal-code area from the city file.

This package owns the geocoder client (`client`) and the policy that decides which of the three
an entry gets and records it as `Employer.location_source` (`placement`). Nothing here touches
the database or the request: views call `placement.place(...)` with validated values before
their operation, so a slow geocoder never holds a write lock.
"""
