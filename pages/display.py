"""Event display: /display?rotate=20&countries=AL,RS&themes=open-data (no menu, big type)."""

from forumdash.i18n import N_
from forumdash.ui import display, frame

engine = frame.page(N_("Event display"), menu=False)

display.show(engine)
