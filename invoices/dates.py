"""The one rule on the dates an invoice carries, whatever the channel: a plausible date.

A date that is no date at all (30 February, 00000000) never gets this far: each channel's
parser refuses it. A real but absurd one (0001-01-01, the year 9999) is refused here, by
the portal's keying form, the API's `soumettre` and the UBL and CII readers alike.
"""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2099, 12, 31)


def implausible_date(value: datetime.date) -> str | None:
    """None for a plausible invoice date; otherwise why not, in the active language."""
    if EARLIEST <= value <= LATEST:
        return None
    return _(
        "la date %(date)s n'est pas plausible pour une facture : attendu une date entre le "
        "%(earliest)s et le %(latest)s."
    ) % {
        "date": value.isoformat(),
        "earliest": date_format(EARLIEST, "SHORT_DATE_FORMAT"),
        "latest": date_format(LATEST, "SHORT_DATE_FORMAT"),
    }
