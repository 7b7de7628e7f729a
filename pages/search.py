"""Search the forum: practices, challenges and commitments for the words of the menu's box."""

import streamlit as st

from forumdash import site_search
from forumdash.db import read_session
from forumdash.i18n import N_, _
from forumdash.ui import frame, lang
from forumdash.ui import search as show

engine = frame.page(N_("Search"), search_page=True)
q = frame.searched_words()
# The words as searched stay in the address bar, so a link shares this search.
if q:
    lang.set_url({"q": q})
else:
    lang.set_url()

st.title(_("Search the forum"))
show.phone_box(q)
with read_session(engine) as session:
    found = site_search.search_site(session, q)

if not found.kinds:
    show.explain(q)
elif not found.total:
    show.nothing_found(found.q)
else:
    show.summary(found)
    for kind in found.kinds:
        show.kind_results(kind, found.q)
    show.few_found(found)
