"""Compare: /compare?countries=AL,RS,XK or /compare?practices=12,40."""

from forumdash.i18n import N_
from forumdash.ui import compare, frame

engine = frame.page(N_("Compare"))
compare.show(engine)
