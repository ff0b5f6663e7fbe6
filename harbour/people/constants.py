"""Enumerations of the people app: gender, languages, contact kinds and relationships."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NON_BINARY = "non_binary", _("Non-binary")
    TWO_SPIRIT = "two_spirit", _("Two-Spirit")
    SELF_DESCRIBED = "self_described", _("Self-described")
    NOT_DISCLOSED = "not_disclosed", _("Prefers not to say")


# ISO 639-1 codes of the languages a unit in Canada most often meets. Kept short on purpose:
# a longer list is a select nobody can use on a phone. Add a code here (and its name) when a
# unit needs it; stored values are validated against this list.
class Language(models.TextChoices):
    EN = "en", _("English")
    FR = "fr", _("French")
    AR = "ar", _("Arabic")
    AM = "am", _("Amharic")
    BN = "bn", _("Bengali")
    CR = "cr", _("Cree")
    DE = "de", _("German")
    ES = "es", _("Spanish")
    FA = "fa", _("Persian (Farsi, Dari)")
    HI = "hi", _("Hindi")
    IU = "iu", _("Inuktitut")
    IT = "it", _("Italian")
    KO = "ko", _("Korean")
    OJ = "oj", _("Ojibwe")
    PA = "pa", _("Punjabi")
    PL = "pl", _("Polish")
    PS = "ps", _("Pashto")
    PT = "pt", _("Portuguese")
    RU = "ru", _("Russian")
    SO = "so", _("Somali")
    SW = "sw", _("Swahili")
    TA = "ta", _("Tamil")
    TI = "ti", _("Tigrinya")
    TL = "tl", _("Tagalog")
    TR = "tr", _("Turkish")
    UK = "uk", _("Ukrainian")
    UR = "ur", _("Urdu")
    VI = "vi", _("Vietnamese")
    ZH = "zh", _("Chinese (Mandarin, Cantonese)")


class ContactKind(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")


class RelationshipKind(models.TextChoices):
    """What the other person is to this one: a row (person=A, other=B, kind=PARENT) reads
    "B is A's parent"; from B's side it reads through INVERSE: "A is B's child"."""

    CURRENT_PARTNER = "current_partner", _("Current intimate partner")
    FORMER_PARTNER = "former_partner", _("Former intimate partner")
    PARENT = "parent", _("Parent")
    CHILD = "child", _("Child")
    CAREGIVER = "caregiver", _("Caregiver")
    CARED_FOR = "cared_for", _("Person cared for")
    FAMILY = "family", _("Family member")
    FRIEND = "friend", _("Friend")
    OTHER = "other", _("Other")


INVERSE = {
    RelationshipKind.PARENT: RelationshipKind.CHILD,
    RelationshipKind.CHILD: RelationshipKind.PARENT,
    RelationshipKind.CAREGIVER: RelationshipKind.CARED_FOR,
    RelationshipKind.CARED_FOR: RelationshipKind.CAREGIVER,
}


def inverse(kind: str) -> RelationshipKind:
    """The kind as seen from the other person. Partners, family, friends are symmetric."""
    kind = RelationshipKind(kind)
    return INVERSE.get(kind, kind)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


# Earliest date of birth Harbour accepts: anything before is a typing error.
EARLIEST_BIRTH_YEAR = 1900
