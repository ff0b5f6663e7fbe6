"""Synthetic names, numbers and places for demo and benchmark data. Invented combinations of
common given and family names: no real person's information.

Phone numbers are always in the 555-0100 to 555-0199 range, which North American numbering
reserves for fiction in every area code, so no generated number can reach anyone. Email
addresses use the domains RFC 2606 reserves (example.org, example.net, example.com). Streets
are generic names; towns are the demo region's own invented names.
"""

import random
import unicodedata


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


GIVEN = _names(
    """
    Aaliyah, Abdi, Adaeze, Aiden, Aisha, Alex, Alexis, Ali, Amani, Amara, Amir, Ana, Anika,
    Arjun, Aroha, Avery, Ayesha, Bao, Beatriz, Benoît, Bianca, Blair, Caleb, Camille, Carmen,
    Cedric, Chantal, Chloé, Chris, Dana, Daniel, Daria, Deepa, Delphine, Devon, Dmitri, Eden,
    Elena, Elif, Élise, Emeka, Emily, Esther, Fatima, Farah, Felix, Fiona, Gabriel, Gemma,
    Grace, Hana, Harper, Hassan, Hiba, Ian, Imani, Inès, Irene, Isaac, Jade, Jamal, Jasmine,
    Jia, Jordan, Joseph, Julie, Kai, Kamal, Karine, Kenji, Kiran, Laila, Laurent, Lea, Leila,
    Lena, Liam, Lin, Lucas, Luis, Maëlle, Malik, Maria, Marie, Maya, Mei, Mina, Miriam, Morgan,
    Nadia, Naomi, Nasrin, Nathalie, Niamh, Nikhil, Noah, Noor, Olena, Olivia, Omar, Oscar,
    Paloma, Parisa, Pierre, Priya, Quinn, Rachel, Rahul, Rania, Renée, Riley, Rosa, Ruth,
    Sabrina, Salma, Sami, Sara, Sophie, Sunita, Tamar, Taylor, Thi, Tomás, Uma, Valérie, Vera,
    Victor, Wen, Xavier, Yara, Yusuf, Zainab, Zoé
    """
)
FAMILY = _names(
    """
    Abara, Adeyemi, Ahmed, Alvarez, Arsenault, Bangura, Barzani, Bélanger, Bergeron, Boateng,
    Bouchard, Brennan, Campbell, Caron, Chen, Cormier, Côté, Da Silva, Demir, Desjardins,
    Diallo, Dubois, Ellis, Esposito, Farouk, Ferreira, Fontaine, Fournier, Gagnon, Gallant,
    Garcia, Gill, Girard, Gupta, Haddad, Hamid, Hashemi, Hébert, Hoang, Hussain, Ibrahim,
    Ivanova, Jensen, Joseph, Kaur, Kovalenko, Kowalski, LaBillois, Landry, Lavoie, Leblanc, Lee,
    Lin, MacDonald, MacLeod, Mahmoud, Martin, Mensah, Mohamed, Morin, Murphy, Naidoo, Nakamura,
    Nguyen, Nowak, O'Brien, Okafor, Olsen, Osei, Ouellet, Paquette, Park, Patel, Pelletier,
    Perez, Petrov, Phillips, Poirier, Quesnel, Rahman, Ramirez, Reid, Richard, Robichaud, Rossi,
    Roy, Saleh, Santos, Sharma, Silva, Simard, Singh, Sokolova, Son, Stewart, Sullivan, Tanaka,
    Thibodeau, Tran, Tremblay, Umarov, Vachon, Vargas, Wang, Watson, Wong, Yilmaz, Young, Yusuf,
    Zhang, Zhou
    """
)

# Area codes used across Canada: combined with the 555-01xx exchange, never a real line.
AREA_CODES = ["902", "782", "506", "709", "613", "343", "416", "647", "905", "289", "519"]
EMAIL_DOMAINS = ["example.org", "example.net", "example.com"]
STREETS = _names(
    """
    Maple Street, Oak Avenue, Cedar Road, Birch Lane, Pine Crescent, Elm Street, Willow Drive,
    Spruce Court, Main Street, Church Street, Water Street, Park Avenue, Hillside Drive,
    Lakeview Road, Meadow Lane, Orchard Way, River Road, Station Street, Mill Road, School
    Street
    """
)
# The demo region's invented towns (its police services are named after them).
TOWNS = ["Harbour", "Lakeshore"]


def synthetic_name(rng: random.Random) -> tuple[str, str]:
    return rng.choice(GIVEN), rng.choice(FAMILY)


def fictional_phone(rng: random.Random) -> str:
    """A number in the 555-01xx range, reserved for fiction: "+1 902 555 0142"."""
    return f"+1 {rng.choice(AREA_CODES)} 555 01{rng.randrange(100):02d}"


def fictional_email(rng: random.Random, given: str, family: str) -> str:
    """An address at a domain reserved for examples: "amani.chen7@example.org"."""
    local = f"{ascii_letters(given)}.{ascii_letters(family)}{rng.randrange(100)}"
    return f"{local}@{rng.choice(EMAIL_DOMAINS)}"


def ascii_letters(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and c.isalpha()).lower()
