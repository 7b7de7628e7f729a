"""The ratings OGP's Independent Reporting Mechanism (IRM) gives commitments: which field holds
each, its name, its scale and what it measures, in one place for the commitment page, the
commitments list's facets and the exports. Names and meanings are written in English (the exports'
column headers keep that) and shown in the visitor's language (`label`, `meaning`)."""

from dataclasses import dataclass

from forumdash import vocab as v
from forumdash.i18n import N_, _
from forumdash.models import Commitment


@dataclass(frozen=True)
class Rating:
    """One IRM rating of a commitment: its field, its name and what its scale means."""

    field: str
    english_label: str  # as the exports' column headers say it
    english_meaning: str
    vocabulary: type[v.Vocab] | None  # None: a yes/no mark (starred)
    column: str  # the column of OGP's export it comes from (a key of Commitment.as_written)

    @property
    def label(self) -> str:
        """The rating's name in the current language."""
        return _(self.english_label)

    @property
    def meaning(self) -> str:
        """What the rating's scale means, in the current language."""
        return _(self.english_meaning)

    def value(self, commitment: Commitment) -> v.Vocab | bool | None:
        """The commitment's rating on this scale, None where the IRM gave none."""
        value: v.Vocab | bool | None = getattr(commitment, self.field)
        return value

    def words(self, commitment: Commitment) -> str:
        """The rating in words in the current language ('Substantial', 'Yes'), '' where there
        is none."""
        value = self.value(commitment)
        if value is None:
            return ""
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        return value.label


RATINGS: tuple[Rating, ...] = (
    Rating(
        "potential_impact",
        N_("Potential impact"),
        N_(
            "How much the commitment could change government practice in its policy area if "
            "fully carried out, as the IRM judged the action plan (none, minor, moderate, "
            "transformative)."
        ),
        v.PotentialImpact,
        "Potential Impact",
    ),
    Rating(
        "potential_for_results",
        N_("Potential for results"),
        N_(
            "The IRM's early judgement, in its reviews of action plans since 2020, of how much the "
            "commitment could achieve (unclear, modest, substantial)."
        ),
        v.PotentialForResults,
        "Potential For Results",
    ),
    Rating(
        "completion_midterm",
        N_("Completion at mid-term"),
        N_(
            "How much of the commitment had been carried out halfway through the action plan, as "
            "the IRM verified it (not started, limited, substantial, complete)."
        ),
        v.Completion,
        "Completion (Progress Report)",
    ),
    Rating(
        "completion_end",
        N_("Completion at the end of term"),
        N_(
            "How much of the commitment had been carried out when the action plan ended, as the "
            "IRM verified it (not started, limited, substantial, complete)."
        ),
        v.Completion,
        "Completion (End Of Term)",
    ),
    Rating(
        "did_it_open_government",
        N_("Did it open government?"),
        N_(
            "Whether carrying it out changed how open government is in practice (access to "
            "information, civic participation, public accountability): worsened, did not change, "
            "marginal, major, outstanding; or no early results to report yet, when it is too "
            "early to tell."
        ),
        v.OpenedGovernment,
        "Did It Open Government (Overall)",
    ),
    Rating(
        "starred",
        N_("Starred"),
        N_(
            "OGP's mark for an exemplary commitment: specific, relevant to OGP's values, of "
            "transformative potential impact, and substantially or fully carried out."
        ),
        None,
        "Starred (Current Formula) End of Term",
    ),
)
RATING_BY_FIELD = {rating.field: rating for rating in RATINGS}
