"""TEMPORARY stand-in for screening.taxonomy, which another branch writes (offence categories
and relationship classes as data files). Same three functions, same answers for the codes
here; imports.py is the one place that imports it. At merge, delete this file and import
``harbour.screening.taxonomy`` there instead.

It holds the NIBRS 2019.1 Group A offences (spec Appendix A) and relationship codes
(data element 35), enough for any NIBRS file; no UCR2 codes.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Offence:
    code: str
    name: str
    crime_against: str  # "person", "property", "society" or "not_a_crime"
    category: str


_P, _R, _S = "person", "property", "society"
_OFFENCES = {
    o.code: o
    for o in [
        Offence("09A", "Murder and non-negligent manslaughter", _P, "homicide"),
        Offence("09B", "Negligent manslaughter", _P, "homicide"),
        Offence("09C", "Justifiable homicide", "not_a_crime", "homicide"),
        Offence("100", "Kidnapping/abduction", _P, "kidnapping"),
        Offence("11A", "Rape", _P, "sexual_offence"),
        Offence("11B", "Sodomy", _P, "sexual_offence"),
        Offence("11C", "Sexual assault with an object", _P, "sexual_offence"),
        Offence("11D", "Fondling", _P, "sexual_offence"),
        Offence("120", "Robbery", _R, "robbery"),
        Offence("13A", "Aggravated assault", _P, "assault"),
        Offence("13B", "Simple assault", _P, "assault"),
        Offence("13C", "Intimidation", _P, "assault"),
        Offence("200", "Arson", _R, "arson"),
        Offence("210", "Extortion/blackmail", _R, "extortion"),
        Offence("220", "Burglary/breaking and entering", _R, "burglary"),
        Offence("23A", "Pocket-picking", _R, "theft"),
        Offence("23B", "Purse-snatching", _R, "theft"),
        Offence("23C", "Shoplifting", _R, "theft"),
        Offence("23D", "Theft from building", _R, "theft"),
        Offence("23E", "Theft from coin-operated machine or device", _R, "theft"),
        Offence("23F", "Theft from motor vehicle", _R, "theft"),
        Offence("23G", "Theft of motor vehicle parts or accessories", _R, "theft"),
        Offence("23H", "All other larceny", _R, "theft"),
        Offence("240", "Motor vehicle theft", _R, "motor_vehicle_theft"),
        Offence("250", "Counterfeiting/forgery", _R, "fraud"),
        Offence("26A", "False pretenses/swindle/confidence game", _R, "fraud"),
        Offence("26B", "Credit card/automated teller machine fraud", _R, "fraud"),
        Offence("26C", "Impersonation", _R, "fraud"),
        Offence("26D", "Welfare fraud", _R, "fraud"),
        Offence("26E", "Wire fraud", _R, "fraud"),
        Offence("26F", "Identity theft", _R, "fraud"),
        Offence("26G", "Hacking/computer invasion", _R, "fraud"),
        Offence("270", "Embezzlement", _R, "fraud"),
        Offence("280", "Stolen property offenses", _R, "stolen_property"),
        Offence("290", "Destruction/damage/vandalism of property", _R, "mischief"),
        Offence("35A", "Drug/narcotic violations", _S, "drugs"),
        Offence("35B", "Drug equipment violations", _S, "drugs"),
        Offence("36A", "Incest", _P, "sexual_offence"),
        Offence("36B", "Statutory rape", _P, "sexual_offence"),
        Offence("370", "Pornography/obscene material", _S, "pornography"),
        Offence("39A", "Betting/wagering", _S, "gambling"),
        Offence("39B", "Operating/promoting/assisting gambling", _S, "gambling"),
        Offence("39C", "Gambling equipment violations", _S, "gambling"),
        Offence("39D", "Sports tampering", _S, "gambling"),
        Offence("40A", "Prostitution", _S, "prostitution"),
        Offence("40B", "Assisting or promoting prostitution", _S, "prostitution"),
        Offence("40C", "Purchasing prostitution", _S, "prostitution"),
        Offence("510", "Bribery", _R, "bribery"),
        Offence("520", "Weapon law violations", _S, "weapons"),
        Offence("64A", "Human trafficking, commercial sex acts", _P, "human_trafficking"),
        Offence("64B", "Human trafficking, involuntary servitude", _P, "human_trafficking"),
        Offence("720", "Animal cruelty", _S, "animal_cruelty"),
    ]
}

_NIBRS_RELATIONSHIPS = {
    "SE": "current_spouse",
    "CS": "current_spouse",
    "XS": "former_spouse",
    "BG": "current_dating",
    "XR": "former_dating",
    **dict.fromkeys(["PA", "SB", "CH", "GP", "GC", "IL", "SP", "SC", "SS", "OF"], "family"),
    **dict.fromkeys(["AQ", "FR", "NE", "BE", "EE", "ER", "OK", "CF", "VO"], "acquaintance"),
    "ST": "stranger",
    "RU": "unknown",
}
_INTIMATE = frozenset(
    {"current_spouse", "former_spouse", "current_dating", "former_dating", "other_intimate"}
)


def nibrs_offence(code: str) -> Offence | None:
    return _OFFENCES.get(code)


def relationship_class(system: str, code: str) -> str | None:
    if system != "nibrs":
        return None
    return _NIBRS_RELATIONSHIPS.get(code)


def is_intimate(cls: str | None) -> bool:
    return cls in _INTIMATE
