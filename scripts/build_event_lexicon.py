"""Derive wirewatch's event lexicon and generic-agent table from the open event-data dictionaries.

Reads the PETRARCH2 CAMEO verb-pattern dictionary (CAMEO.2.0.txt, MIT) and the PLOVER
project's CAMEO-to-PLOVER crosswalk (CAMEO2PLOVER-2021.txt, CC BY-SA 4.0) from
../shared/data/eventdata and writes wirewatch/extract/data/event_lexicon.json: for each verb
lemma, the CAMEO code of the verb alone and of its patterns keyed by what a dependency parse
can see after the verb (a particle, the object's head noun, a preposition and its object's
head), plus a table from each CAMEO code to its PLOVER type, mode and context; and
wirewatch/extract/data/agents.json: generic agent nouns ("police", "security force",
"protester") -> sector, from the Phoenix agents dictionary (Phoenix.agents.txt, MIT).

    .venv/bin/python scripts/build_event_lexicon.py [--data DIR] [--out FILE]

Reading the pattern syntax (PETRARCH2 `read_verb_dictionary`): a block opens with
`--- NAME [code] ---`, lists its verbs (`VERB {IRREGULAR FORMS} [own code]`, multi-word verbs
as `+VERB_PARTICLE`), then patterns `- PRE * POST [code] # verb` that apply to every verb of
the block. In POST, `{A B}` is a noun phrase (head = last word), `(PREP ...)` a prepositional
phrase, `&NAME` a synonym set, `$`/`+`/`^`/`%` actor slots. `[a:b]` codes two events; the
first (source acting on target) is kept. `[---]` means "no event".

CAMEO roots that the 2021 crosswalk leaves out or names with pre-release labels are mapped to
the 18 PLOVER event types by the PLOVER manual's definitions (documented in docs/ontology.md):
01 (public statement) has no event type; 02 (appeal) and REQUEST are DEMAND; ACCUSE with mode
"investigate" is INVESTIGATE, otherwise DISAPPROVE; 19 (conventional military force) is FIGHT.
Where several patterns of the dictionary give one key different types, the majority wins
(first seen on a tie).
"""
from __future__ import annotations

import argparse
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "eventdata"
OUT = ROOT / "wirewatch" / "extract" / "data" / "event_lexicon.json"
AGENTS_OUT = ROOT / "wirewatch" / "extract" / "data" / "agents.json"
# Phoenix/CAMEO sector codes -> the names wirewatch shows.
SECTORS = {
    "GOV": "government", "MIL": "military", "COP": "police", "REB": "rebels", "UAF": "armed group",
    "OPP": "opposition", "CVL": "civilians", "PPL": "civilians", "BUS": "business", "LAB": "labour",
    "MED": "media", "HLH": "medical", "JUD": "judiciary", "LEG": "legislature", "EDU": "education",
    "CRM": "criminals", "SPY": "intelligence", "AGR": "agriculture", "REF": "refugees", "ENV": "environment",
    "NGO": "ngo", "HRI": "human rights", "IGO": "international", "PTY": "party", "ELI": "elites",
    "DEV": "development", "SET": "settlers", "REL": "religious", "CHR": "religious", "MUS": "religious",
    "JEW": "religious", "HIN": "religious", "BUD": "religious", "SIK": "religious", "JAN": "religious",
    "MOS": "religious", "ATH": "religious", "TAO": "religious", "ZRO": "religious", "SHN": "religious",
    "CON": "religious", "DOX": "religious", "ITH": "religious",
}

PARTICLES = frozenset("up down out off back away over in on forward aside along around through apart together".split())
PREPOSITIONS = frozenset(
    "about above across after against along among around as at before behind below beneath beside between beyond "
    "by despite during for from in inside into near of off on onto out outside over past since through throughout "
    "to toward towards under until upon with within without".split()
)
SLOTS = {"$", "+", "^", "%", "*"}
# Pattern words that are no noun a parse could give as an object head.
_NOT_HEADS = PREPOSITIONS | PARTICLES | frozenset("and or not no when that to be been is was are were has have had it its this "
                                                  "their his her him them they we he she who which what".split())
_TOKEN = re.compile(r"\{[^}]*\}|\([^)]*\)|\S+")


def read_crosswalk(path: Path) -> dict[str, tuple[str, str, str]]:
    """CAMEO code -> (PLOVER type, mode, context), normalised to the 18 PLOVER event types."""
    table: dict[str, tuple[str, str, str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        m = re.match(r"^(\d+):\s*(.*)$", line)
        if not m:
            continue
        code, rest = m.groups()
        parts = [p.strip() for p in rest.split(",")] + ["", ""]
        kind, mode, context = parts[0], parts[1], parts[2]
        table[code] = (_plover(code, kind, mode), mode, context)
    for code in ("01", "010", "011", "012", "013", "014", "015", "016", "017", "018", "019"):
        table.setdefault(code, ("", "", ""))
    table.setdefault("02", ("DEMAND", "appeal", ""))
    return table


def _plover(code: str, kind: str, mode: str) -> str:
    if kind == "ACCUSE":
        return "INVESTIGATE" if mode == "investigate" else "DISAPPROVE"
    if kind == "REQUEST":
        return "DEMAND"
    if code.startswith("19") and kind == "ASSAULT":
        return "FIGHT"
    return kind


def type_of(code: str, table) -> str | None:
    """PLOVER type of a CAMEO code, trying shorter prefixes for codes the crosswalk does not list."""
    if not code or code == "---":
        return None
    for cut in range(len(code), 1, -1):
        entry = table.get(code[:cut])
        if entry is not None:
            return entry[0] or ""
    if code.startswith("02"):
        return "DEMAND"
    return None


def _words(item: str) -> list[str]:
    return [w.strip("_").lower() for w in item.strip("{}()").split() if w.strip("_") and w not in SLOTS]


def _heads(item: str, synsets: dict[str, list[str]]) -> list[str]:
    """Head nouns an element of a pattern stands for: a word, the last word of a phrase, a synset's members."""
    words = [w for w in item.strip("{}()").split() if w not in SLOTS]
    if not words:
        return []
    last = words[-1]
    if last.startswith("&"):
        heads = [m.strip("_").split("_")[-1].lower() for m in synsets.get(last, [])]
    else:
        heads = [last.strip("_").lower()]
    return [h for h in heads if re.fullmatch(r"[a-z][a-z\-]+[a-z]", h) and h not in _NOT_HEADS]


def pattern_keys(post: str, synsets: dict[str, list[str]]) -> list[str]:
    """Keys a dependency parse can match for the part of a pattern after the verb."""
    items = [t for t in _TOKEN.findall(post) if t not in SLOTS]
    if not items:
        return []
    prt = None
    if not items[0].startswith(("(", "{", "&")) and items[0].lower() in PARTICLES and (len(items) > 1 or True):
        prt = items[0].lower()
        items = items[1:]
    obj: list[str] = []
    prep = None
    pobj: list[str] = []
    bare = 0
    for item in items:
        if item.startswith("("):
            inner = item.strip("()").split()
            if not inner or inner[0].lower() not in PREPOSITIONS:
                return []
            if prep is not None:
                return []  # two prepositional phrases: more than a parse key can hold
            prep = inner[0].lower()
            pobj = _heads(" ".join(inner[1:]), synsets) if len(inner) > 1 else []
            if len(inner) > 1 and not pobj:
                return []
            continue
        bare += 1
        if bare > 1 or prep is not None:
            return []  # extra words after the object: a constraint the keys cannot express
        obj = _heads(item, synsets)
        if not obj:
            return []
    keys = []
    lead = f"prt {prt} " if prt else ""
    if obj and prep:
        keys.extend(f"{lead}obj {o} prep {prep} {p}" for o in obj for p in pobj) if pobj else keys.extend(f"{lead}obj {o} prep {prep}" for o in obj)
    elif obj:
        keys.extend(f"{lead}obj {o}" for o in obj)
    elif prep:
        keys.extend(f"{lead}prep {prep} {p}" for p in pobj) if pobj else keys.append(f"{lead}prep {prep}")
    elif prt:
        keys.append(f"prt {prt}")
    return keys


def read_verbs(path: Path):
    """Blocks of the verb dictionary: yields (verbs with their own codes, block code, patterns, forms)."""
    lines = path.read_text(encoding="latin-1").splitlines()
    synsets: dict[str, list[str]] = {}
    current = None
    for line in lines:
        if line.startswith("&"):
            current = line.split()[0]
            synsets[current] = []
        elif line.startswith("+") and current is not None:
            synsets[current].append(line[1:].split()[0].replace("_", " ").strip().replace(" ", "_"))
        elif "VERB PATTERNS" in line:
            break
        elif not line.strip():
            current = None
    start = next(i for i, line in enumerate(lines) if "VERB PATTERNS" in line)
    blocks = []
    block = None
    for raw in lines[start + 1 :]:
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        head = re.match(r"^---\s+(\S+)\s+\[([^\]]*)\]", line)
        if head:
            block = {"code": head.group(2).strip(), "verbs": [], "patterns": []}
            blocks.append(block)
            continue
        if block is None:
            continue
        if line.startswith("-"):
            m = re.match(r"^-\s*(.*?)\s*\[([^\]]*)\]\s*$", line)
            if m and "*" in m.group(1):
                post = m.group(1).split("*", 1)[1]
                block["patterns"].append((post, m.group(2).strip()))
            continue
        m = re.match(r"^(\+?)([A-Z][A-Z0-9_'\-]*)\s*(\{[^}]*\})?\s*(?:\[([^\]]*)\])?", line.strip())
        if m:
            multi, word, forms, own = m.groups()
            parts = word.lower().split("_")
            forms_list = [f.lstrip("+").lower().split("_")[0] for f in (forms or "{}").strip("{}").split()]
            block["verbs"].append((parts, own.strip() if own else None, forms_list))
    return blocks, synsets


def first_code(code: str) -> str:
    """The source-on-target event of a pattern code ("042:043" -> "042", ":173" -> "173")."""
    parts = [p.strip() for p in code.split(":")]
    return next((p for p in parts if p), "---")


def build(data: Path) -> dict:
    crosswalk = read_crosswalk(data / "CAMEO2PLOVER-2021.txt")
    blocks, synsets = read_verbs(data / "CAMEO.2.0.txt")
    votes: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    first_seen: dict[tuple[str, str, str], int] = {}
    forms: dict[str, str] = {}
    order = 0

    def vote(lemma: str, key: str, code: str) -> None:
        nonlocal order
        kind = type_of(code, crosswalk)
        label = code if kind is not None else "---"
        votes[lemma][key][label] += 1
        order += 1
        first_seen.setdefault((lemma, key, label), order)

    for block in blocks:
        for parts, own, verb_forms in block["verbs"]:
            lemma = parts[0]
            for form in verb_forms:
                if form and form != lemma:
                    forms.setdefault(form, lemma)
            code = own or block["code"]
            if len(parts) > 1:
                rest = " ".join(parts[1:])
                key = f"prt {rest}" if rest in PARTICLES else (f"prep {rest}" if rest in PREPOSITIONS else f"obj {parts[-1]}")
                vote(lemma, key, code)
            else:
                vote(lemma, "", code)
            for post, pcode in block["patterns"]:
                for key in pattern_keys(post, synsets):
                    vote(lemma, key, first_code(pcode))
    verbs: dict[str, dict[str, str]] = {}
    for lemma, keys in votes.items():
        entry = {}
        for key, counter in sorted(keys.items(), key=lambda kv: kv[0] != ""):
            best = sorted(counter.items(), key=lambda kv: (-kv[1], first_seen[(lemma, key, kv[0])]))[0][0]
            if key == "" and best == "---":
                continue  # a verb alone with no event: silent, so context decides
            if key and best == entry.get("") or (key and best == "---" and "" not in entry and key.startswith("prep")):
                continue  # says no more than the verb alone
            entry[key] = best
        if entry:
            verbs[lemma] = entry
    used = {c for e in verbs.values() for c in e.values() if c != "---"}
    codes = {}
    for code in sorted(used):
        kind = type_of(code, crosswalk)
        entry = next((crosswalk[code[:cut]] for cut in range(len(code), 1, -1) if code[:cut] in crosswalk), (kind, "", ""))
        codes[code] = [kind or "", entry[1], entry[2]]
    return {
        "_source": "Derived by scripts/build_event_lexicon.py from the PETRARCH2 CAMEO verb dictionary "
                   "(openeventdata/petrarch2 commit 676801cd, CAMEO.2.0.txt, MIT licence, Copyright (c) 2015 Open Event "
                   "Data Alliance) and the PLOVER CAMEO-to-PLOVER crosswalk (openeventdata/PLOVER commit 5e0c24fb, "
                   "CAMEO2PLOVER-2021.txt, CC BY-SA 4.0).",
        "_licence": "CC BY-SA 4.0 (share-alike of the PLOVER crosswalk); the CAMEO verb data it contains is MIT.",
        "_keys": "verbs[lemma][key] = CAMEO code ('---' = no event); key '' is the verb alone, 'prt P', 'obj N', "
                 "'prt P obj N', 'prep P', 'prep P N' what follows it. codes[code] = [PLOVER type ('' none), mode, context].",
        "codes": codes,
        "verbs": dict(sorted(verbs.items())),
        "forms": dict(sorted(forms.items())),
    }


def build_agents(path: Path) -> dict:
    """Generic agent noun (lower case, singular as listed, words joined by spaces) -> sector name,
    from the Phoenix agents dictionary (its !MACRO! substitutions expanded)."""
    macros: dict[str, list[str]] = {}
    agents: dict[str, str] = {}
    for raw in path.read_text(encoding="latin-1").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        macro = re.match(r"^!(\w+)!\s*=\s*(.+)$", line)
        if macro:
            macros[macro.group(1)] = [w.strip() for w in macro.group(2).split(",") if w.strip()]
            continue
        m = re.match(r"^([^\[{]+?)\s*(\{[^}]*\})?\s*\[([^\]]*)\]", line)
        if not m:
            continue
        name, forms, code = m.group(1).strip(), m.group(2) or "", m.group(3).replace("~", "").strip()
        sector = SECTORS.get(code[:3])
        if sector is None:
            continue
        names = [name] + [f for f in forms.strip("{}").split() if f]
        for item in names:
            for expanded in _expand(item, macros):
                key = expanded.strip("_").replace("_", " ").lower()
                if re.fullmatch(r"[a-z][a-z' \-]+", key):
                    agents.setdefault(key, sector)
    return {
        "_source": "Derived by scripts/build_event_lexicon.py from Phoenix.agents.txt (openeventdata/petrarch2 "
                   "commit 676801cd, MIT licence, Copyright (c) 2014 Open Event Data Alliance).",
        "_licence": "MIT",
        "agents": dict(sorted(agents.items())),
    }


def _expand(item: str, macros: dict[str, list[str]]) -> list[str]:
    m = re.search(r"!(\w+)!", item)
    if not m or m.group(1) not in macros:
        return [item] if "!" not in item else []
    out = []
    for word in macros[m.group(1)]:
        out.extend(_expand(item[: m.start()] + word + item[m.end():], macros))
    return out


def _compact(table: dict) -> str:
    """JSON with one verb per line: small, and a rebuild's diff shows which verbs changed."""
    lines = ["{"]
    for name, value in table.items():
        if isinstance(value, dict) and name in ("verbs", "codes", "agents"):
            inner = ",\n".join(f"{json.dumps(k)}: {json.dumps(v, separators=(',', ':'))}" for k, v in value.items())
            lines.append(f"{json.dumps(name)}: {{\n{inner}\n}},")
        else:
            lines.append(f"{json.dumps(name)}: {json.dumps(value, separators=(',', ':'))},")
    lines[-1] = lines[-1].rstrip(",")
    return "\n".join(lines) + "\n}\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    if not (args.data / "CAMEO.2.0.txt").exists():
        print(f"missing {args.data / 'CAMEO.2.0.txt'}")
        return 2
    table = build(args.data)
    args.out.write_text(_compact(table), encoding="utf-8")
    agents = build_agents(args.data / "Phoenix.agents.txt")
    AGENTS_OUT.write_text(_compact(agents), encoding="utf-8")
    print(f"wrote {AGENTS_OUT}: {len(agents['agents'])} agent nouns")
    n_keys = sum(len(v) for v in table["verbs"].values())
    print(f"wrote {args.out}: {len(table['verbs'])} verbs, {n_keys} keys, {len(table['codes'])} codes, {len(table['forms'])} forms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
