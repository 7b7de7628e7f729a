"""Share a practice or a challenge: /share, anyone, no account (`?event=` kept with it)."""

from forumdash.i18n import N_
from forumdash.ui import frame, share

engine = frame.page(N_("Share a practice or a challenge"), layout="centered")
share.page(engine)
