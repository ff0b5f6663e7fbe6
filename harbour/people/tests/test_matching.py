"""Duplicate scoring: a pure function, so hypothesis can try it on many names."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from harbour.people.matching import Name, Profile, name_key, score

names = st.builds(
    Name,
    given=st.text(alphabet="abcdefghijklmnopqrstuvwxyzéè -", min_size=1, max_size=12),
    family=st.text(alphabet="abcdefghijklmnopqrstuvwxyzéè -", max_size=12),
)
profiles = st.builds(
    Profile,
    names=st.tuples(names) | st.tuples(names, names),
    date_of_birth=st.none() | st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 1, 1)),
    birth_year=st.none() | st.integers(1900, 2025),
    phones=st.frozensets(st.sampled_from(["cp:a", "cp:b", "sp:a"]), max_size=2),
)


@given(profiles, profiles)
def test_the_score_is_symmetric(a, b):
    assert score(a, b)[0] == score(b, a)[0]
    assert sorted(score(a, b)[1]) == sorted(score(b, a)[1])


@given(profiles, profiles)
def test_an_exact_duplicate_scores_at_least_as_high_as_anyone_else(a, b):
    assert score(a, a)[0] >= score(a, b)[0]


@given(profiles, profiles)
def test_the_score_is_a_percentage(a, b):
    assert 0 <= score(a, b)[0] <= 100


def test_names_that_sound_alike_share_a_key():
    assert name_key("Catherine") == name_key("Katherine")
    assert name_key("MacLeod") == name_key("McLeod")
    assert name_key("Zoé") == name_key("Zoe")
    assert name_key("") == ""


def test_it_gives_the_reasons():
    a = Profile(names=(Name("Catherine", "Tremblay"),), date_of_birth=date(1990, 4, 2))
    b = Profile(names=(Name("Katherine", "Tremblay"),), date_of_birth=date(1990, 4, 2))
    points, reasons = score(a, b)
    assert points >= 70
    assert reasons == ["similar name", "name sounds alike", "same date of birth"]
