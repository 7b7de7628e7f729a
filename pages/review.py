"""Review: submissions, corrections and accounts (organisers only)."""

import streamlit as st

from forumdash import auth
from forumdash.i18n import N_, _
from forumdash.ui import browse, frame, lang, navigation, review, session
from forumdash.ui import mapping as mapped_import

engine = frame.page(N_("Review"))
user = session.current_user()
st.title(_("Review"))
if not auth.can_review(user):
    st.info(_("Only organisers review submissions and corrections."))
    if user is None:
        st.page_link(
            navigation.page("pages/login.py"),
            label=_("Sign in"),
            icon=":material/login:",
            query_params=lang.params(),
        )
    st.stop()

review.flash()
# Keyed, so that the tab in use stays open after an action reruns the page.
submissions, corrections, imports, own_columns, accounts = st.tabs(
    [_("Submissions"), _("Corrections"), _("Imports"), _("Import own columns"), _("Accounts")],
    key="review.tab",
    on_change="rerun",
)
with submissions:
    review.queue(engine, user)
with corrections:
    review.corrections(engine, user)
with imports:
    review.imports(engine, user)
with own_columns:
    mapped_import.mapped_import(engine, user)
with accounts:
    review.accounts(engine, user, browse.facet_names(engine)["countries"])
