"""Peer exchange (/exchange?from=RS&to=AL&status=all, ?request=ID, ?suggestion=ID)."""

from forumdash.i18n import N_
from forumdash.ui import browse, exchange, frame, session

engine = frame.page(N_("Peer exchange"))
names = browse.facet_names(engine)
exchange.show(engine, session.current_user(), names["countries"], names["themes"])
