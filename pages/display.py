"""Event display: /display?rotate=20&countries=AL,RS&themes=open-data (no menu, big type)."""

from forumdash.ui import display, frame

engine = frame.page("Event display", menu=False)

display.show(engine)
