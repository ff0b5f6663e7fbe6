"""The code values of the FBI NIBRS Technical Specification 2019.1 (section 3.3, data values,
and Appendix A, offense codes), shared by the flat-file and XML parsers, and the two rules
that read meaning out of them: ages and the occurrence flags.

Which offence codes are crimes against persons, and which relationships are intimate, is
not here: that is screening.taxonomy's, from its data files.
"""

from collections.abc import Iterable

from harbour.screening.records import Offence, Person

# Appendix A.1 and A.2.
GROUP_A_OFFENCES = frozenset(
    "09A 09B 09C 100 11A 11B 11C 11D 120 13A 13B 13C 200 210 220 23A 23B 23C 23D 23E 23F "
    "23G 23H 240 250 26A 26B 26C 26D 26E 26F 26G 270 280 290 35A 35B 36A 36B 370 39A 39B "
    "39C 39D 40A 40B 40C 510 520 64A 64B 720".split()
)
GROUP_B_OFFENCES = frozenset("90A 90B 90C 90D 90E 90F 90G 90H 90J 90Z".split())

CLEARED_EXCEPTIONALLY = frozenset("ABCDEN")  # DE4
ATTEMPTED_COMPLETED = frozenset("AC")  # DE7
SUSPECTED_OF_USING = frozenset("ACDN")  # DE8
BIAS_MOTIVATIONS = frozenset(  # DE8A
    "11 12 13 14 15 16 21 22 23 24 25 26 27 28 29 31 32 33 41 42 43 44 45 51 52 61 62 71 72 "
    "81 82 83 84 85 88 99".split()
)
NO_BIAS = frozenset({"88", "99"})  # none, unknown
LOCATION_TYPES = frozenset(  # DE9 (there is no 26–36 or 43)
    [f"{n:02d}" for n in range(1, 26)] + [str(n) for n in range(37, 59) if n != 43]
)
METHODS_OF_ENTRY = frozenset("FN")  # DE11
CRIMINAL_ACTIVITY = frozenset("ABCDEFGIJNOPSTU")  # DE12
WEAPON_FORCE = frozenset(  # DE13
    "11 12 13 14 15 20 30 35 40 50 60 65 70 85 90 95 99".split()
)
VICTIM_TYPES = frozenset("BFGILORSU")  # DE25
SEXES = frozenset("FMU")  # DE27, 38, 48
RACES = frozenset("WBIAPU")  # DE28, 39, 49
ETHNICITIES = frozenset("HNU")  # DE29, 39A, 50
RESIDENT_STATUSES = frozenset("NRU")  # DE30, 51
CIRCUMSTANCES = frozenset(  # DE31
    "01 02 03 04 05 06 07 08 09 10 20 21 30 31 32 33 34".split()
)
JUSTIFIABLE_HOMICIDE = frozenset("ABCDEFG")  # DE32
INJURIES = frozenset("NBILMOTU")  # DE33
RELATIONSHIPS = frozenset(  # DE35
    "SE CS PA SB CH GP GC IL SP SC SS OF AQ FR NE BE BG CF XR XS EE ER OK RU ST VO".split()
)
ARREST_TYPES = frozenset("OST")  # DE43
MULTIPLE_ARRESTEES = frozenset("CMN")  # DE44
ARMED_WITH = frozenset("01 11 12 13 14 15 16 17".split())  # DE46
DISPOSITIONS_UNDER_18 = frozenset("HR")  # DE52
PROPERTY_LOSS = frozenset("12345678")  # DE14

# Weapon/force codes (DE13) that are a weapon: not 40 personal weapons (hands, fists,
# feet), 85 asphyxiation, 95 unknown or 99 none.
WEAPONS = frozenset("11 12 13 14 15 20 30 35 50 60 65 70 90".split())
ASPHYXIATION = "85"
UNKNOWN_WEAPON = "95"
NO_INJURY = "N"

# DE26, 37, 47: babies' ages are codes, not years.
BABY_AGES = frozenset({"NN", "NB", "BB"})


def parse_age(code: str) -> tuple[int | None, int | None]:
    """The years an age code means, as (low, high): "31" is (31, 31), the range "2530" is
    (25, 30), "99" (over 98) is (99, None), a baby ("NN", "NB", "BB") is (0, 0), and "00"
    (unknown) or "" is (None, None). Raises ValueError for anything else."""
    if not code or code == "00":
        return None, None
    if code in BABY_AGES:
        return 0, 0
    if len(code) == 2 and code.isdigit():
        years = int(code)
        return (99, None) if years == 99 else (years, years)
    if len(code) == 4 and code.isdigit():
        low, high = int(code[:2]), int(code[2:])
        if 0 < low < high:
            return low, high
    raise ValueError(code)


def flags(
    offences: Iterable[Offence], people: Iterable[Person]
) -> tuple[bool | None, bool | None, bool | None]:
    """(weapon, injury, strangulation) as far as NIBRS codes can say, None where they
    cannot. NIBRS asks for the weapon or force only for some offences (assaults, homicides,
    robbery, kidnapping, sex offences …) and for injuries only for some victims, so a code
    missing everywhere says nothing.

    - weapon: True when any offence names a weapon (firearm, knife, blunt object, vehicle,
      poison, explosives, fire, drugs, other); None when none is named and one says 95
      unknown; False when the only codes are personal weapons, asphyxiation or none.
    - strangulation: True when any offence says 85 asphyxiation; otherwise as weapon.
    - injury: True when any victim has an injury other than N none; False when every injury
      given is N; None when none is given.
    """
    codes = {code[:2] for offence in offences for code in offence.weapon_force_codes}
    if not codes:
        weapon = strangulation = None
    else:
        unknown = UNKNOWN_WEAPON in codes
        weapon = True if codes & WEAPONS else (None if unknown else False)
        strangulation = True if ASPHYXIATION in codes else (None if unknown else False)
    injuries = {code for person in people for code in person.injury_codes}
    injury = None if not injuries else bool(injuries - {NO_INJURY})
    return weapon, injury, strangulation
