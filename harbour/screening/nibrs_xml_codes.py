"""The vocabulary of NIBRS XML (IEPD 2019) that screening.nibrs_xml and nibrs_xml_report
read with: the namespaces and element names, the IEPD's words for codes that the flat file
writes as letters and digits (relationships, bias motivations, baby ages), and the name of
the data element each element holds, for messages. The codes themselves (which offense,
injury or victim type codes exist) are the flat file's, in screening.nibrs_codes.
"""

from functools import cache

from django.utils.translation import gettext_lazy

NAMESPACES = {
    "nibrs": "http://fbi.gov/cjis/nibrs/2019",
    "cjis": "http://fbi.gov/cjis/2.0",
    "j": "http://release.niem.gov/niem/domains/jxdm/5.2/",
    "nc": "http://release.niem.gov/niem/niem-core/3.0/",
    "s": "http://release.niem.gov/niem/structures/3.0/",
}
_PREFIXES = {"{" + uri + "}": prefix + ":" for prefix, uri in NAMESPACES.items()}


@cache
def tag(qualified: str) -> str:
    """ "nibrs:Report" -> "{http://fbi.gov/cjis/nibrs/2019}Report"."""
    prefix, local = qualified.split(":")
    return "{" + NAMESPACES[prefix] + "}" + local


@cache
def name(element_tag: str) -> str:
    """ "{http://fbi.gov/cjis/nibrs/2019}Report" -> "nibrs:Report"."""
    if element_tag.startswith("{"):
        uri, _sep, local = element_tag.partition("}")
        prefix = _PREFIXES.get(uri + "}")
        return prefix + local if prefix else local
    return element_tag


SUBMISSION = tag("nibrs:Submission")
REPORT = tag("nibrs:Report")
S_ID = tag("s:id")
S_REF = tag("s:ref")

GROUP_A = "GROUP A INCIDENT REPORT"
GROUP_B = "GROUP B ARREST REPORT"
ZERO = "ZERO REPORT"
REPORT_CATEGORIES = frozenset({GROUP_A, GROUP_B, ZERO})
REPORT_ACTIONS = frozenset("IARD")

# Data element 35 in the IEPD's words (nibrs-codes.xsd, VictimToSubjectRelationshipCode).
RELATIONSHIPS = {
    "Acquaintance": "AQ",
    "Babysittee": "BE",
    "Boyfriend_Girlfriend": "BG",
    "Child of Boyfriend_Girlfriend": "CF",
    "Employee": "EE",
    "Employer": "ER",
    "Ex_Relationship": "XR",
    "Ex_Spouse": "XS",
    "Family Member": "OF",
    "Family Member_Child": "CH",
    "Family Member_Grandchild": "GC",
    "Family Member_Grandparent": "GP",
    "Family Member_In-Law": "IL",
    "Family Member_Parent": "PA",
    "Family Member_Sibling": "SB",
    "Family Member_Spouse": "SE",
    "Family Member_Spouse_Common Law": "CS",
    "Family Member_Stepchild": "SC",
    "Family Member_Stepparent": "SP",
    "Family Member_Stepsibling": "SS",
    "Friend": "FR",
    "Neighbor": "NE",
    "NonFamily_Otherwise Known": "OK",
    "Relationship Unknown": "RU",
    "Stranger": "ST",
    "Victim Was Offender": "VO",
}
# Data element 8A in the IEPD's words (j:OffenseFactorBiasMotivationCode), spelled as the
# FBI's code table spells them, odd spaces included.
BIAS_MOTIVATIONS = {
    "ANTIWHITE": "11",
    "ANTIBLACK_AFRICAN AMERICAN": "12",
    "ANTIAMERICAN INDIAN_ ALASKAN NATIVE": "13",
    "ANTIASIAN": "14",
    "ANTIMULTIRACIAL GROUP": "15",
    "ANTINATIVEHAWAIIAN_OTHERPACIFICISLANDER": "16",
    "ANTIJEWISH": "21",
    "ANTICATHOLIC": "22",
    "ANTIPROTESTANT": "23",
    "ANTIISLAMIC": "24",
    "ANTIOTHER RELIGION": "25",
    "ANTIMULTIRELIGIOUS GROUP": "26",
    "ANTIATHEIST_AGNOSTIC": "27",
    "ANTIMORMON": "28",
    "ANTIJEHOVAHWITNESS": "29",
    "ANTIARAB": "31",
    "ANTIHISPANIC_LATINO": "32",
    "ANTIOTHER ETHNICITY_NATIONAL ORIGIN": "33",
    "ANTIMALE HOMOSEXUAL": "41",
    "ANTIFEMALE HOMOSEXUAL": "42",
    "ANTIHOMOSEXUAL": "43",
    "ANTIHETEROSEXUAL": "44",
    "ANTIBISEXUAL": "45",
    "ANTIPHYSICAL DISABILITY": "51",
    "ANTIMENTAL DISABILITY": "52",
    "ANTIMALE": "61",
    "ANTIFEMALE": "62",
    "ANTITRANSGENDER": "71",
    "ANTIGENDER_NONCONFORMING": "72",
    "ANTIEASTERNORTHODOX": "81",
    "ANTIOTHER CHRISTIAN": "82",
    "ANTIBUDDHIST": "83",
    "ANTIHINDU": "84",
    "ANTISIKH": "85",
    "NONE": "88",
    "UNKNOWN": "99",
}
# nc:MeasureValueText: the ages that are words, as the flat file's codes.
AGE_WORDS = {"NEONATAL": "NN", "NEWBORN": "NB", "BABY": "BB", "UNKNOWN": "00"}
BOOLEANS = {"true": True, "1": True, "false": False, "0": False}
ORI_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
NUMBER_CHARACTERS = ORI_CHARACTERS | {"-"}
SEGMENT_LENGTH = 60  # ImportRejection.segment keeps 60 characters

# Field names: the flat-file parser's, as the specification names the data elements.
ORI = gettext_lazy("ORI (data element 1)")
INCIDENT_NUMBER = gettext_lazy("incident number (data element 2)")
INCIDENT_DATE = gettext_lazy("incident date (data element 3)")
REPORT_DATE_INDICATOR = gettext_lazy("report date indicator (data element 3)")
CLEARED_EXCEPTIONALLY = gettext_lazy("cleared exceptionally (data element 4)")
CLEARANCE_DATE = gettext_lazy("exceptional clearance date (data element 5)")
OFFENCE_CODE = gettext_lazy("UCR offense code (data element 6)")
ATTEMPTED_COMPLETED = gettext_lazy("offense attempted/completed (data element 7)")
SUSPECTED_OF_USING = gettext_lazy("offender suspected of using (data element 8)")
BIAS_MOTIVATION = gettext_lazy("bias motivation (data element 8A)")
LOCATION_TYPE = gettext_lazy("location type (data element 9)")
CRIMINAL_ACTIVITY = gettext_lazy("type criminal activity/gang information (data element 12)")
WEAPON_FORCE = gettext_lazy("type weapon/force involved (data element 13)")
VICTIM_NUMBER = gettext_lazy("victim sequence number (data element 23)")
VICTIM_OFFENCES = gettext_lazy("victim connected to UCR offense code (data element 24)")
VICTIM_TYPE = gettext_lazy("type of victim (data element 25)")
AGE = gettext_lazy("age (data elements 26, 37, 47)")
SEX = gettext_lazy("sex (data elements 27, 38, 48)")
RACE = gettext_lazy("race (data elements 28, 39, 49)")
ETHNICITY = gettext_lazy("ethnicity (data elements 29, 39A, 50)")
RESIDENT_STATUS = gettext_lazy("resident status (data elements 30, 51)")
CIRCUMSTANCES = gettext_lazy("aggravated assault/homicide circumstances (data element 31)")
JUSTIFIABLE_HOMICIDE = gettext_lazy(
    "additional justifiable homicide circumstances (data element 32)"
)
INJURY = gettext_lazy("type injury (data element 33)")
RELATED_OFFENDER = gettext_lazy("offender number to be related (data element 34)")
RELATIONSHIP = gettext_lazy("relationship of victim to offender (data element 35)")
OFFENDER_NUMBER = gettext_lazy("offender sequence number (data element 36)")
ARRESTEE_NUMBER = gettext_lazy("arrestee sequence number (data element 40)")
TRANSACTION_NUMBER = gettext_lazy("arrest transaction number (data element 41)")
ARREST_DATE = gettext_lazy("arrest date (data element 42)")
ARREST_TYPE = gettext_lazy("type of arrest (data element 43)")
MULTIPLE_ARRESTEES = gettext_lazy("multiple arrestee segments indicator (data element 44)")
ARREST_OFFENCE = gettext_lazy("UCR arrest offense code (data element 45)")
ARMED_WITH = gettext_lazy("arrestee was armed with (data element 46)")
DISPOSITION = gettext_lazy("disposition of arrestee under 18 (data element 52)")
REPORT_CATEGORY = gettext_lazy("report category")
REPORT_ACTION = gettext_lazy("report action (segment action type)")
REPORT_MONTH = gettext_lazy("year and month of the report")
REFERENCE = gettext_lazy("reference (s:ref)")
IDENTIFIER = gettext_lazy("identifier (s:id)")
ELEMENTS = gettext_lazy("elements of the report")

# The field an element holds, wherever it appears (elements used for several fields, such
# as nc:Date, are given theirs where they are read).
FIELDS = {
    "nibrs:NIBRSReportCategoryCode": REPORT_CATEGORY,
    "nibrs:ReportActionCategoryCode": REPORT_ACTION,
    "cjis:IncidentReportDateIndicator": REPORT_DATE_INDICATOR,
    "j:IncidentExceptionalClearanceCode": CLEARED_EXCEPTIONALLY,
    "nibrs:OffenseUCRCode": OFFENCE_CODE,
    "j:OffenseAttemptedIndicator": ATTEMPTED_COMPLETED,
    "j:OffenseFactorCode": SUSPECTED_OF_USING,
    "j:OffenseFactorBiasMotivationCode": BIAS_MOTIVATION,
    "nibrs:LocationCategoryCode": LOCATION_TYPE,
    "nibrs:CriminalActivityCategoryCode": CRIMINAL_ACTIVITY,
    "j:ForceCategoryCode": WEAPON_FORCE,
    "j:VictimSequenceNumberText": VICTIM_NUMBER,
    "j:VictimCategoryCode": VICTIM_TYPE,
    "nc:PersonAgeMeasure": AGE,
    "j:PersonSexCode": SEX,
    "j:PersonRaceNDExCode": RACE,
    "j:PersonEthnicityCode": ETHNICITY,
    "j:PersonResidentCode": RESIDENT_STATUS,
    "j:VictimAggravatedAssaultHomicideFactorCode": CIRCUMSTANCES,
    "j:VictimJustifiableHomicideFactorCode": JUSTIFIABLE_HOMICIDE,
    "j:InjuryCategoryCode": INJURY,
    "nibrs:VictimToSubjectRelationshipCode": RELATIONSHIP,
    "j:SubjectSequenceNumberText": OFFENDER_NUMBER,
    "j:ArrestSequenceID": ARRESTEE_NUMBER,
    "j:ArrestCategoryCode": ARREST_TYPE,
    "j:ArrestSubjectCountCode": MULTIPLE_ARRESTEES,
    "nibrs:ChargeUCRCode": ARREST_OFFENCE,
    "j:ArresteeArmedWithCode": ARMED_WITH,
    "j:ArresteeJuvenileDispositionCode": DISPOSITION,
    "nc:RoleOfPerson": REFERENCE,
}
