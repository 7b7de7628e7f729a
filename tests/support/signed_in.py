"""Put a signed-in person into an AppTest's session as signing in does: a login session in the
app's database and its token beside the user (every run checks the token against the database,
so a user in the session without one is signed out at the first run)."""

import os

from streamlit.testing.v1 import AppTest

from forumdash import auth
from forumdash.db import make_engine, write_session
from forumdash.ui import session as signed_in


def sign_in_as(at: AppTest, user: auth.SessionUser) -> AppTest:
    """`at` signed in as `user` (an account in the database the app uses) from its next run."""
    engine = make_engine(os.environ["FORUMDASH_DATABASE_URL"])
    try:
        with write_session(engine) as session:
            token = auth.start_login_session(session=session, user_id=user.id)
    finally:
        engine.dispose()
    at.session_state[signed_in.KEY] = user
    at.session_state[signed_in.TOKEN] = token
    return at
