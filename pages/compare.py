"""Compare: /compare?countries=AL,RS,XK or /compare?practices=12,40."""

from forumdash.ui import compare, frame

engine = frame.page("Compare")
compare.show(engine)
