"""The inbox (/inbox): a signed-in person's notices, the menu's unread count, the unsubscribe
link of the e-mail digests, and the background thread that sends them."""

import logging
import threading
from pathlib import Path

import streamlit as st
from sqlalchemy.engine import Engine

from forumdash import digests, i18n, notifications, urlparams
from forumdash.auth import SessionUser
from forumdash.db import read_session, write_session
from forumdash.i18n import _, ngettext
from forumdash.notifications import Notice
from forumdash.settings import get_settings
from forumdash.ui import lang, navigation, render
from forumdash.ui.session import acting

INBOX = "pages/inbox.py"
ROOT = Path(__file__).resolve().parents[3]  # where app.py and pages/ are
PER_PAGE = notifications.PER_PAGE
_FLASH = "inbox.flash"


# --------------------------------------------------------------------------- the menu


def menu_label(engine: Engine, user: SessionUser) -> tuple[str, str]:
    """The menu's "Inbox · 3" (just "Inbox" with nothing unread) and its tooltip."""
    with read_session(engine) as session:
        unread = notifications.unread_count(session, user.id)
    if not unread:
        return _("Inbox"), _("No unread notices")
    label = _("Inbox · {n}").format(n=i18n.format_number(unread))
    tooltip = ngettext("{n} unread notice", "{n} unread notices", unread).format(
        n=i18n.format_number(unread)
    )
    return label, tooltip


# --------------------------------------------------------------------------- the digests' thread


@st.cache_resource(show_spinner=False)
def _mailer(database_url: str, _engine: Engine) -> threading.Event:
    """One thread per app process and database sends the due digests every few minutes (other
    processes, and the CLI, may run too: the digests are claimed in the database)."""
    stop = threading.Event()
    thread = threading.Thread(
        target=digests.run_every, args=(_engine, stop), name="forumdash-digests", daemon=True
    )
    thread.start()
    # .log, not .info: the line stays English and is not read as Streamlit's st.info.
    logging.getLogger("forumdash").log(
        logging.INFO, "e-mail digests: looking for due ones every %ss", digests.RUN_EVERY_SECONDS
    )
    return stop


def start_mailer(engine: Engine) -> None:
    """Start the digests' thread once per process, where FORUMDASH_SMTP_URL is set."""
    settings = get_settings()
    if settings.smtp_url.strip():
        _mailer(settings.database_url, engine)


# --------------------------------------------------------------------------- the page


def unsubscribe_link(engine: Engine) -> bool:
    """Answer an e-mail's unsubscribe link (`?unsubscribe=TOKEN`), signed in or not: a button
    stops the digests (a mail scanner that opens the link stops nothing). True if it was one."""
    token = st.query_params.get("unsubscribe")
    if token is None:
        return False
    st.subheader(_("Stop the e-mail digests"), anchor=False)
    if st.session_state.get("inbox.unsubscribed") == token:
        st.success(
            _(
                "Done: the forum sends you no more e-mail digests. Your notices still wait in "
                "your inbox when you sign in, where you can turn the e-mails on again."
            ),
            icon=":material/check_circle:",
        )
        return True
    st.write(_("The forum sends you a digest of your unread notices, at most one an hour."))
    if st.button(_("Stop the e-mails"), type="primary", key="inbox.unsubscribe"):
        with write_session(engine) as session:
            stopped = digests.unsubscribe(session, token)
        if stopped:
            st.session_state["inbox.unsubscribed"] = token
            st.rerun()
        st.warning(
            _(
                "This unsubscribe link is not valid (it may be cut short by the mail program). "
                "Sign in and turn the e-mails off in your inbox."
            ),
            icon=":material/warning:",
        )
    return True


def sign_in_first() -> None:
    """What an anonymous visitor of /inbox reads."""
    st.info(
        _(
            "Sign in to see your inbox: country focal points and organisers are told here of "
            "submissions, reviews, corrections, requests and suggestions that concern them."
        ),
        icon=":material/login:",
    )
    st.page_link(
        navigation.page("pages/login.py"),
        label=_("Sign in"),
        icon=":material/login:",
        query_params=lang.params(),
    )


def exists(page: str) -> bool:
    """Whether the app has this page (a notice may lead to one another branch adds)."""
    return (ROOT / page).is_file()


def open_requested(engine: Engine, user: SessionUser) -> None:
    """`?open=ID`: the person's own notice is marked read and its page opened."""
    raw = st.query_params.get("open", "")
    if not raw:
        return
    notice = None
    # ASCII digits only: "²" is a digit to str.isdigit() and a traceback to int().
    notice_id = urlparams.whole_number(raw, 1, 2**62)
    if notice_id is not None:
        try:
            with write_session(engine) as session:
                notice = notifications.open_notice(session, user, notice_id)
        except notifications.NoticeNotFound as exc:
            st.session_state[_FLASH] = str(exc)
    else:
        st.session_state[_FLASH] = _("This notice is not in your inbox.")
    if notice is not None and exists(notice.page):
        st.switch_page(navigation.page(notice.page), query_params=lang.params(notice.params))
    lang.set_url({})
    if notice is not None:
        st.session_state[_FLASH] = _("This notice leads to a page the forum does not have yet.")
        st.rerun()  # the menu, drawn before the notice was read, counts it no more


def _page_number() -> int:
    return urlparams.whole_number(st.query_params.get("page", "1"), 1, 99_999) or 1


def _mark_all(engine: Engine, user: SessionUser) -> None:
    with write_session(engine) as session:
        count = notifications.mark_all_read(session, user)
    st.session_state[_FLASH] = ngettext(
        "{n} notice marked as read.", "{n} notices marked as read.", count
    ).format(n=i18n.format_number(count))


def show(engine: Engine, user: SessionUser) -> None:
    """The person's notices, newest first, a page at a time, unread ones marked "New"."""
    page = _page_number()
    tag = i18n.current().tag
    with read_session(engine) as session:
        shown, total = notifications.notices(session, user, page=page, per_page=PER_PAGE)
        unread = notifications.unread_count(session, user.id)
        known = digests.mail_language(session, user)
    if known != tag:
        # Digests are written in the language the person reads their inbox in.
        with write_session(engine) as session:
            digests.remember_language(session, user, tag)
    if flash := st.session_state.pop(_FLASH, None):
        st.info(flash, icon=":material/info:")
    if not total:
        st.write(
            _(
                "Nothing here yet. You are told here of what concerns you: submissions to "
                "review, your records sent back or published, readers' corrections, requests "
                "to learn from your country's practices and suggestions from participants."
            )
        )
    else:
        st.caption(
            ngettext("{n} unread notice", "{n} unread notices", unread).format(
                n=i18n.format_number(unread)
            )
            + " · "
            + ngettext("{n} in all", "{n} in all", total).format(n=i18n.format_number(total))
        )
        st.button(
            _("Mark all as read"),
            key="inbox.mark_all",
            on_click=acting(engine, _mark_all),
            args=(engine, user),
            disabled=not unread,
            icon=":material/done_all:",
        )
        st.html(LIST_STYLE)  # the constant below: no user text
        with st.container(key="inbox_list"):
            for notice in shown:
                _notice(notice)
        _pages(page, total)
    _mail_settings(engine, user)


# Each notice links to /inbox?open=N (to be marked read on the way): Streamlit draws links to
# the page one is on as the current menu entry (shaded, semibold), which would make a read
# notice look like an unread one. Here only the label's own bold says "unread".
LIST_STYLE = """
<style>
.st-key-inbox_list [data-testid="stPageLink-NavLink"] { background: transparent; }
.st-key-inbox_list [data-testid="stPageLink-NavLink"] * { font-weight: 400; }
.st-key-inbox_list [data-testid="stPageLink-NavLink"] p strong { font-weight: 700; }
.st-key-inbox_list [data-testid="stPageLink-NavLink"]:hover p { text-decoration: underline; }
</style>
"""


def _notice(notice: Notice) -> None:
    with st.container(border=True):
        when = render.moment(notice.created_at)
        if notice.read:
            st.caption(when)
        else:
            # Unread is said in words and weight, not by colour alone.
            st.markdown(
                ":{colour}-badge[:material/fiber_new: {new}] {when}".format(
                    colour="blue", new=_("New"), when=when
                )
            )
        title = render.escape_markdown(notice.title)
        st.page_link(
            navigation.page(INBOX),
            label=title if notice.read else f"**{title}**",
            icon=":material/mark_email_read:" if notice.read else ":material/mail:",
            query_params=lang.params({"open": str(notice.id)}),
        )
        if notice.detail:
            st.caption(render.escape_markdown(notice.detail))


def _pages(page: int, total: int) -> None:
    last = max(1, -(-total // PER_PAGE))
    if last == 1:
        return
    newer, where, older = st.columns([1, 1, 1])
    if page > 1:
        newer.page_link(
            navigation.page(INBOX),
            label=_("Newer"),
            icon=":material/arrow_back:",
            query_params=lang.params({"page": str(page - 1)}),
        )
    where.caption(_("Page {page} of {pages}").format(page=page, pages=last))
    if page < last:
        older.page_link(
            navigation.page(INBOX),
            label=_("Older"),
            icon=":material/arrow_forward:",
            query_params=lang.params({"page": str(page + 1)}),
        )


def _mail_settings(engine: Engine, user: SessionUser) -> None:
    if not get_settings().smtp_url.strip():
        return  # this forum sends no mail: nothing to choose
    with read_session(engine) as session:
        subscribed = digests.subscribed(session, user)
    with st.expander(_("E-mail digests"), icon=":material/mail:"):
        st.write(
            _(
                "Unread notices also go to {email}, at most one digest an hour, in {language} "
                "(the language you read your inbox in)."
            ).format(
                email=render.escape_markdown(user.email),
                language=i18n.language_name(i18n.current().tag),
            )
        )
        wanted = st.toggle(_("Send me e-mail digests"), value=subscribed, key="inbox.mail")
        if wanted != subscribed:
            with write_session(engine) as session:
                digests.set_subscribed(session, user, wanted)
            st.session_state[_FLASH] = (
                _("E-mail digests are on.") if wanted else _("E-mail digests are off.")
            )
            st.rerun()
