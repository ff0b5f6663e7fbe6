"""Synthetic names for demo and benchmark data. Invented combinations of common given and
family names: no real person's information."""

import random

GIVEN = [
    "Alex", "Amani", "Avery", "Bao", "Camille", "Chloé", "Dana", "Devon", "Elif", "Emeka",
    "Farah", "Gabriel", "Hana", "Imani", "Jordan", "Kai", "Lea", "Luis", "Maëlle", "Mina",
    "Noor", "Omar", "Priya", "Quinn", "Rosa", "Sami", "Taylor", "Uma", "Vera", "Wen",
    "Xavier", "Yara", "Zoé",
]
FAMILY = [
    "Abara", "Bélanger", "Chen", "Da Silva", "Ellis", "Fournier", "Gagnon", "Haddad",
    "Ibrahim", "Joseph", "Kaur", "Lavoie", "MacLeod", "Nguyen", "Okafor", "Paquette",
    "Quesnel", "Robichaud", "Singh", "Tremblay", "Umarov", "Vachon", "Wong", "Young", "Zhou",
]


def synthetic_name(rng: random.Random) -> tuple[str, str]:
    return rng.choice(GIVEN), rng.choice(FAMILY)
