"""Commitment numbers: cleaning spreadsheet noise and natural sorting."""

import pytest

from forumdash.commitment_numbers import clean_commitment_number, commitment_sort_key


@pytest.mark.parametrize(
    ("written", "clean"),
    [
        ("8.3000000000000007", "8.3"),
        ("2.0999999999999996", "2.1"),
        ("5.0", "5"),
        ("1e1", "10"),
        ("1.10", "1.10"),
        ("3a", "3a"),
        (" 4.2 ", "4.2"),
        ("", ""),
    ],
)
def test_clean_commitment_number(written: str, clean: str) -> None:
    assert clean_commitment_number(written) == clean


def test_natural_sort() -> None:
    numbers = ["10.1", "2.1", "3b", "", "1.10", "1.2", "3", "3A", "3.1", "II.1", "1"]
    assert sorted(numbers, key=commitment_sort_key) == [
        "1",
        "1.2",
        "1.10",
        "2.1",
        "3",
        "3.1",
        "3A",
        "3b",
        "10.1",
        "II.1",
        "",
    ]
