"""Share a practice or a challenge: /share, for anyone (no account); `?event=` from a display's
QR code is kept with what is sent."""

from forumdash.i18n import N_
from forumdash.ui import frame, share

engine = frame.page(N_("Share a practice or a challenge"), layout="centered")
share.page(engine)
