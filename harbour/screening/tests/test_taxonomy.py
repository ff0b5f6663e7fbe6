"""The canonical taxonomy (screening/data/*.json): checked against the FBI's NIBRS 2019.1
technical specification read here independently, against issue 4's fixed code sets, and
refused with a clear message when a file is broken."""

import csv
import json
import re
import shutil
from pathlib import Path

import pytest
from django.utils import translation

from harbour.screening import taxonomy
from harbour.screening.taxonomy import TaxonomyError
from harbour.testing.reference import CODES, NIBRS, TECHSPEC

SPEC = TECHSPEC


def spec_text() -> str:
    return SPEC.read_text(encoding="utf-8")


def between(text: str, start: str, end: str) -> str:
    i = text.index(start)
    return text[i : text.index(end, i)]


def spec_offence_table() -> dict[str, tuple[str, str]]:
    """Appendix A of the specification: code -> (group, crime against), read line by line.
    A line holds '<offense group> <code> <description> <crime against>'; a long group name
    wraps onto the line before, so the code is the first 3-character code on its line."""
    appendix = between(spec_text(), "A.1 Group A Offenses", "DOCUMENT CHANGE INFORMATION")
    group_a, group_b = appendix.split("A.2 Group B Offenses")
    table = {}
    for group, part in (("A", group_a), ("B", group_b)):
        for line in part.splitlines():
            found = re.search(
                r"\b([0-9]{2}[0-9A-Z]) .*? (Person, Property, or Society|Not a Crime|Person"
                r"|Property|Society) *$",
                line,
            )
            if found:
                assert found[1] not in table, found[1]
                table[found[1]] = (group, found[2])
    return table


def spec_values(start: str, end: str, code: str) -> set[str]:
    """The codes listed as 'XX = …' in a data element's Data Values, one to a line (the first
    after the words "Data Values:")."""
    block = between(spec_text(), start, end)
    return set(re.findall(rf"^(?:Data Values: )?({code}) = ", block, flags=re.MULTILINE))


SPEC_CRIME_AGAINST = {
    "Person": "person",
    "Property": "property",
    "Society": "society",
    "Not a Crime": "not_a_crime",
}


def test_the_reading_of_the_specification_finds_its_whole_offence_table():
    table = spec_offence_table()
    assert sum(1 for group, _ in table.values() if group == "A") == 52
    assert sum(1 for group, _ in table.values() if group == "B") == 10
    assert table["09C"] == ("A", "Not a Crime")
    assert table["90Z"] == ("B", "Person, Property, or Society")


def test_every_offence_in_the_specification_has_a_mapping_with_its_group_and_crime_against():
    for code, (group, against) in spec_offence_table().items():
        offence = taxonomy.nibrs_offence(code)
        assert offence is not None, code
        assert offence.group == group, code
        assert offence.category in taxonomy.taxonomy().categories, code
        if code == "90Z":
            # The spec says "Person, Property, or Society"; Group B offences are arrests
            # only, never in an incident, so the data records society (docs/taxonomy.md).
            assert offence.crime_against == "society"
        else:
            assert offence.crime_against == SPEC_CRIME_AGAINST[against], code


def test_codes_outside_the_specification_are_the_federal_ones_and_retired_runaway():
    table = spec_offence_table()
    extra = {c: o for c, o in taxonomy.taxonomy().nibrs.items() if c not in table}
    with open(CODES / "nibrs_federal_only_offenses.csv", encoding="utf-8") as f:
        federal = {row["code"] for row in csv.DictReader(f)}
    assert set(extra) == federal
    assert extra.pop("90I").retired
    assert {o.group for o in extra.values()} == {"federal"}
    assert not any(o.retired for c, o in taxonomy.taxonomy().nibrs.items() if c != "90I")


def test_justifiable_homicide_is_not_a_crime_and_robbery_is_against_property():
    justifiable = taxonomy.nibrs_offence("09C")
    assert justifiable.crime_against == "not_a_crime"
    assert justifiable.category == "justifiable_homicide"
    robbery = taxonomy.nibrs_offence("120")
    assert robbery.crime_against == "property"
    assert robbery.category == "robbery"
    # Statistics Canada counts robbery as violent: the same category, against the person.
    assert taxonomy.ucr2_violation("1610").crime_against == "person"
    assert taxonomy.ucr2_violation("1610").category == "robbery"


def test_the_categories_screening_relies_on_hold_the_expected_codes():
    def codes(category):
        return {c for c, o in taxonomy.taxonomy().nibrs.items() if o.category == category}

    assert codes("homicide") == {"09A", "09B"}
    assert codes("sexual_offence") == {"11A", "11B", "11C", "11D", "36A", "36B", "90H"}
    assert codes("human_trafficking") == {"64A", "64B"}
    assert codes("assault") == {"13A", "13B"}
    assert codes("intimidation_threats") == {"13C"}
    assert codes("kidnapping_abduction") == {"100"}


def test_every_category_is_used_so_forms_offer_no_empty_choice():
    tax = taxonomy.taxonomy()
    used = {o.category for o in [*tax.nibrs.values(), *tax.ucr2.values()]}
    assert used == set(tax.categories)


def test_every_ucr2_code_in_the_statistics_canada_list_is_mapped():
    with open(CODES / "statcan_ucr2_violation_codes_partial.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        code = row["code"]
        if row["level"] == "aggregate":
            assert taxonomy.is_ucr2_aggregate(code), code
            assert taxonomy.ucr2_violation(code) is None, code
            continue
        violation = taxonomy.ucr2_violation(code)
        assert violation is not None, code
        assert violation.label.en == row["label_in_statcan_table_35-10-0177"]
        assert (violation.crime_against == "person") == (row["crimes_against_person"] == "Y")
    assert len(taxonomy.taxonomy().ucr2) + len(taxonomy.taxonomy().ucr2_aggregates) == len(rows)


def test_the_ucr2_mapping_puts_each_violation_in_the_category_its_name_says():
    expected = {
        "1310": "sexual_offence",
        "1320": "sexual_offence",
        "1330": "sexual_offence",
        "1410": "assault",
        "1420": "assault",
        "1430": "assault",
        "1210": "assault",  # NIBRS reports attempted murder as aggravated assault
        "1515": "kidnapping_abduction",
        "1560": "kidnapping_abduction",
        "1525": "human_trafficking",
        "1625": "intimidation_threats",
        "1627": "intimidation_threats",
    }
    for code, category in expected.items():
        assert taxonomy.ucr2_violation(code).category == category, code


def test_the_issue_ipv_and_family_code_sets_come_out_of_the_data():
    assert {"SE", "CS", "BG", "XS", "XR"} == taxonomy.IPV_CODES
    assert {"PA", "SB", "CH", "GP", "GC", "IL", "SP", "SC", "SS", "OF"} == taxonomy.FAMILY_CODES
    for code in taxonomy.IPV_CODES:
        assert taxonomy.is_intimate(taxonomy.relationship_class("nibrs", code)), code
        assert not taxonomy.is_family(taxonomy.relationship_class("nibrs", code)), code
    for code in taxonomy.FAMILY_CODES:
        assert taxonomy.relationship_class("nibrs", code) == "family"
        assert taxonomy.is_family("family")


def test_every_relationship_code_in_the_specification_has_a_class_and_no_other_is_listed():
    spec = spec_values("Data Values: SE = Victim Was Spouse", "3.3.6 Offender Segment", "[A-Z]{2}")
    assert len(spec) == 26
    assert set(taxonomy.taxonomy().relationships["nibrs"]) == spec


def test_the_nibrs_relationship_classes_are_as_documented():
    expected = {
        "SE": "current_spouse",
        "CS": "current_spouse",
        "XS": "former_spouse",
        "BG": "current_dating",
        "XR": "former_dating",
        "CF": "acquaintance",
        "AQ": "acquaintance",
        "OK": "acquaintance",
        "ST": "stranger",
        "RU": "unknown",
        "VO": "self",
    }
    for code, cls in expected.items():
        assert taxonomy.relationship_class("nibrs", code) == cls, code
    for cls in ("unknown", "self", "stranger", "acquaintance"):
        assert not taxonomy.is_intimate(cls) and not taxonomy.is_family(cls)


def test_the_statistics_canada_categories_map_to_the_same_classes():
    intimate = {"spouse_current", "spouse_former", "dating_current", "dating_former"}
    intimate.add("other_intimate")
    family = {"parent", "child", "sibling", "extended_family"}
    for code in taxonomy.taxonomy().relationships["ucr2"]:
        cls = taxonomy.relationship_class("ucr2", code)
        assert taxonomy.is_intimate(cls) == (code in intimate), code
        assert taxonomy.is_family(cls) == (code in family), code
    assert taxonomy.relationship_class("ucr2", "spouse_former") == "former_spouse"
    assert taxonomy.relationship_class("ucr2", "criminal_relationship") == "acquaintance"
    # Statistics Canada's table lists 13 groups; each has a Harbour code.
    with open(CODES / "statcan_ipv_family_relationship_categories.csv", encoding="utf-8") as f:
        assert len(list(csv.DictReader(f))) == len(taxonomy.taxonomy().relationships["ucr2"])


def test_the_xml_values_are_the_iepd_schema_enumeration():
    xsd = (NIBRS / "nibrs-codes.xsd").read_text(encoding="utf-8")
    block = between(xsd, 'name="VictimToSubjectRelationshipCodeSimpleType"', "</xsd:simpleType>")
    enumeration = set(re.findall(r'<xsd:enumeration value="([^"]+)"', block))
    nibrs = taxonomy.taxonomy().relationships["nibrs"].values()
    assert {r.xml for r in nibrs} == enumeration
    assert taxonomy.nibrs_relationship_for_xml("Family Member_Spouse") == "SE"
    assert taxonomy.nibrs_relationship_for_xml("Ex_Relationship") == "XR"
    assert taxonomy.nibrs_relationship_for_xml("Spouse") is None
    assert taxonomy.bias_for_xml("NONE").code == "88"
    assert taxonomy.bias_for_xml("ANTIBLACK_AFRICAN AMERICAN").code == "12"


def test_every_bias_code_in_the_specification_is_listed_and_only_88_and_99_are_no_bias():
    spec = spec_values(
        "Data Values: Race/Ethnicity/Ancestry", "Data Element 9-Location Type", "[0-9]{2}"
    )
    assert len(spec) == 36
    assert set(taxonomy.taxonomy().bias) == spec
    for code in spec:
        assert taxonomy.is_bias(code) == (code not in {"88", "99"}), code
    assert taxonomy.bias("88").group == "none"
    assert taxonomy.bias("99").group == "unknown"
    assert not taxonomy.is_bias("00") and taxonomy.bias("00") is None


def test_lookups_ignore_padding_but_not_case():
    assert taxonomy.nibrs_offence(" 13A ").code == "13A"
    assert taxonomy.nibrs_offence("13a") is None
    assert taxonomy.relationship_class("nibrs", "SE ") == "current_spouse"
    assert taxonomy.relationship_class("nibrs", "se") is None
    assert taxonomy.relationship_class("nibrs", "") is None
    assert taxonomy.ucr2_violation("9999") is None


def test_a_system_or_class_that_does_not_exist_is_an_error_not_a_silent_no():
    with pytest.raises(ValueError, match="Unknown relationship system “nibrs2”"):
        taxonomy.relationship_class("nibrs2", "SE")
    with pytest.raises(ValueError, match="Unknown relationship class “spouse”"):
        taxonomy.is_intimate("spouse")
    assert not taxonomy.is_intimate(None)
    assert not taxonomy.is_family(None)


def test_labels_follow_the_active_language():
    offence = taxonomy.nibrs_offence("13A")
    with translation.override("en"):
        assert offence.name == "Aggravated Assault"
        assert ("assault", "Assault") in taxonomy.category_choices()
        assert taxonomy.relationship_classes()[0].name == "Current spouse or common-law partner"
    with translation.override("fr"):
        assert offence.name == "Voies de fait graves"
        assert ("assault", "Voies de fait") in taxonomy.category_choices()
        assert taxonomy.bias("62").name == "Contre les femmes"


def test_every_entry_has_both_labels_and_french_differs_where_it_should():
    tax = taxonomy.taxonomy()
    labelled = [*tax.nibrs.values(), *tax.ucr2.values(), *tax.bias.values()]
    assert all(e.label.en and e.label.fr for e in labelled)
    assert tax.nibrs["23C"].label.fr == "Vol à l’étalage"


def test_the_taxonomy_is_loaded_once():
    assert taxonomy.taxonomy() is taxonomy.taxonomy()


# Broken files.


@pytest.fixture
def data(tmp_path):
    """A copy of the installed files to break."""
    for name in ("offences.json", "relationships.json", "bias.json"):
        shutil.copy(taxonomy.DATA_DIR / name, tmp_path / name)
    return tmp_path


def edit(directory: Path, name: str, change) -> None:
    path = directory / name
    content = json.loads(path.read_text(encoding="utf-8"))
    change(content)
    path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")


def test_a_copy_of_the_installed_files_loads(data):
    tax = taxonomy.load(data)
    assert tax.ipv_codes == taxonomy.IPV_CODES
    assert tax.nibrs["120"] == taxonomy.nibrs_offence("120")


@pytest.mark.parametrize(
    ("name", "breakage", "message"),
    [
        (
            "offences.json",
            lambda d: d["nibrs"][0].update(crime_against="violent"),
            "offences.json: nibrs[0] (code “09A”): field “crime_against” is “violent”; "
            "expected one of: person, property, society, not_a_crime.",
        ),
        (
            "offences.json",
            lambda d: d["nibrs"][0].pop("crime_against"),
            "nibrs[0] (code “09A”): field “crime_against” is missing; expected one of",
        ),
        (
            "offences.json",
            lambda d: d["nibrs"].append(dict(d["nibrs"][9])),
            "offences.json: nibrs[84] (code “13A”): field “code” is listed twice in “nibrs”.",
        ),
        (
            "offences.json",
            lambda d: d["nibrs"][9].update(category="violence"),
            "nibrs[9] (code “13A”): field “category” is “violence”; expected a category from "
            "“categories”: homicide,",
        ),
        (
            "offences.json",
            lambda d: d["nibrs"][9].update(group="C"),
            "field “group” is “C”; expected one of: A, B, federal.",
        ),
        (
            "offences.json",
            lambda d: d["nibrs"][9].update(code="13a"),
            "nibrs[9] (code “13a”): field “code” must be 3 characters such as 13A or 120.",
        ),
        (
            "offences.json",
            lambda d: d["nibrs"][9].update(fr=" "),
            "nibrs[9] (code “13A”): field “fr” (the label) is missing or empty.",
        ),
        (
            "offences.json",
            lambda d: d["nibrs"][9].update(retired="no"),
            "nibrs[9] (code “13A”): field “retired” must be true or false.",
        ),
        (
            "offences.json",
            lambda d: d["nibrs"][9].update(severity="high"),
            "nibrs[9] (code “13A”): unknown field “severity”.",
        ),
        (
            "offences.json",
            lambda d: d["ucr2"].append({"code": "110", "en": "H", "fr": "H"}),
            "ucr2[17] (code “110”): field “code” must be a 4-digit UCR2 violation code.",
        ),
        (
            "offences.json",
            lambda d: d["ucr2_aggregates"].append({"code": "1430", "en": "A", "fr": "V"}),
            "field “code” must be a 3-digit Statistics Canada total",
        ),
        (
            "offences.json",
            lambda d: d.pop("categories"),
            "offences.json: “categories” must be a non-empty list.",
        ),
        (
            "offences.json",
            lambda d: d.update(extras=[]),
            "offences.json: unknown section “extras”.",
        ),
        (
            "relationships.json",
            lambda d: d["nibrs"][0].update({"class": "spouse"}),
            "relationships.json: nibrs[0] (code “SE”): field “class” is “spouse”; expected a "
            "class from “classes”: current_spouse, former_spouse,",
        ),
        (
            "relationships.json",
            lambda d: d["nibrs"].append(dict(d["nibrs"][0])),
            "relationships.json: nibrs[26] (code “SE”): field “code” is listed twice",
        ),
        (
            "relationships.json",
            lambda d: d["classes"][5].update(intimate=True),
            "classes[5] (code “family”): a class cannot be both “intimate” and “family”.",
        ),
        (
            "relationships.json",
            lambda d: d["classes"][0].pop("intimate"),
            "classes[0] (code “current_spouse”): field “intimate” must be true or false.",
        ),
        (
            "relationships.json",
            lambda d: d["nibrs"][1].update(xml="Family Member_Spouse"),
            "nibrs[1] (code “CS”): field “xml” value “Family Member_Spouse” is listed twice.",
        ),
        (
            "relationships.json",
            lambda d: d["ucr2"][0].update({"class": "partner"}),
            "relationships.json: ucr2[0] (code “spouse_current”): field “class” is “partner”",
        ),
        (
            "bias.json",
            lambda d: d["codes"][0].pop("bias"),
            "bias.json: codes[0] (code “11”): field “bias” must be true or false.",
        ),
        (
            "bias.json",
            lambda d: d["codes"][0].update(group="race"),
            "codes[0] (code “11”): field “group” is “race”; expected a group from “groups”",
        ),
        (
            "bias.json",
            lambda d: d.update(version=0),
            "bias.json: field “version” must be a whole number from 1.",
        ),
    ],
)
def test_a_broken_file_is_refused_with_a_message_naming_the_file_entry_and_field(
    data, name, breakage, message
):
    edit(data, name, breakage)
    with pytest.raises(TaxonomyError) as error:
        taxonomy.load(data)
    assert message in str(error.value)


def test_a_file_that_is_not_json_says_where(data):
    (data / "bias.json").write_text('{"version": 1,\n "codes": [}', encoding="utf-8")
    with pytest.raises(TaxonomyError, match="bias.json: not valid JSON at line 2"):
        taxonomy.load(data)


def test_a_missing_file_is_named(data):
    (data / "relationships.json").unlink()
    with pytest.raises(TaxonomyError, match="relationships.json: cannot be read"):
        taxonomy.load(data)
