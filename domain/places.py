"""Place mentions: names the gazetteer knows, names the grammar marks as places,
and phrases that point back to one ("the city").

A place name is a run of capitalised words (with the connectors of
transliterated names: "Deir ez-Zor", "Wad Madani", "as-Suwayda"). The longest
run from its left edge that the gazetteer resolves, in the article's
countries, is the mention; when none resolves, the run is still kept as an
unresolved place if a cue says it is one ("the town of X", "the X camp",
"captured X"). Runs that are titles, demonyms, modifiers ("Rwanda-backed") or
rivers are not places, and a capital or country that speaks ("Moscow said")
is its government (metonymy).

An anaphor ("the city", "the town centre") becomes a place only when an event
needs one: it resolves to the place named just after it ("the town of Sake"),
else to the most recent fitting place of the sentence or the article.
"""

from __future__ import annotations

from domain import actions as A
from domain.reading import Mention, Reading, minor_mention
from domain.tokens import word_set
from schemas.common import Place

# Nouns that name a settlement or a facility in "the town of X", "the X camp".
SETTLEMENT_NOUNS = word_set(
    """
    city town village hub settlement locality capital port suburb district enclave stronghold hamlet
    municipality outpost crossing area neighbourhood neighborhood junction centre center township commune
    """
)

REGION_NOUNS = word_set(
    """
    region province state governorate oblast county territory division
    """
)

# The region words after (or before "of") a name that make it a first-level region.
REGION_WORDS = word_set("region province state governorate oblast")

FACILITY_NOUNS = word_set(
    """
    airport base camp plant headquarters barracks garrison checkpoint bridge dam airbase airfield compound
    prison palace hospital refinery mine station port centre center market streets outskirts positions
    position post roundabout square stadium mosque hotel university
    """
)

# Settlement nouns that name any kind of settlement: "the village of X ... the settlement".
HYPERNYM_HEADS = word_set("settlement locality")

# Parts of a town that name it in "the outskirts of X", "the streets of X".
TOWN_PARTS = word_set("outskirts streets centre center")

ANAPHOR_HEADS = word_set(
    """
    city town village capital port enclave hub settlement airport base camp plant headquarters barracks
    garrison airbase airfield compound palace dam bridge refinery
    """
)

# Nouns that make a compound with an anaphor's head: "the city council", "the town hall".
HEAD_COMPOUNDS = word_set(
    """
    council councils hall administration authorities officials residents governor mayor police hospital
    """
)

# Words that introduce a new referent rather than point back: "the last village",
# "the next town", "the nearby city".
NEW_REFERENT = word_set(
    """
    last first next nearby neighbouring neighboring other another same second third few several many some
    smaller small new only main rebel army military
    """
)

ANAPHOR_STOP = word_set(
    """
    of and or to on in at the a an by for from with into near as that which who its their his her whole
    entire
    """
)

PLACE_CUE_NOUNS = SETTLEMENT_NOUNS | REGION_NOUNS | FACILITY_NOUNS

# Plural place nouns after coordinated names, to their singular: "the X and Y districts".
PLURAL_HEADS = {
    "districts": "district",
    "towns": "town",
    "villages": "village",
    "cities": "city",
    "neighbourhoods": "neighbourhood",
    "neighborhoods": "neighborhood",
    "suburbs": "suburb",
    "camps": "camp",
    "bases": "base",
    "provinces": "province",
    "regions": "region",
    "areas": "area",
}

# Plural nouns after which ", including X" lists places.
LISTED_PLACE_NOUNS = word_set(
    """
    suburbs capitals towns villages cities settlements districts neighbourhoods neighborhoods localities
    areas hubs camps bases townships
    """
)

PLACE_PREPOSITIONS = word_set(
    """
    near in into outside around from at towards toward of entered captured seized took retook recaptured
    overran on taking taken seizing capturing retaking retaken recapturing liberated liberating liberate
    overrunning overrun
    """
)

# Capitalised words that turn a place's name into a unit's or a facility's:
# "Laukkaing Regional Operations Command", "Kramatorsk Military Airport".
INSTITUTION_WORDS = word_set(
    """
    regional operations operational command headquarters military infantry division battalion brigade
    regiment garrison airbase airport barracks
    """
)

# Words that name a unit's type before its institution word: "Light Infantry
# Battalion", "Separate Mechanized Brigade".
UNIT_WORDS = word_set(
    """
    light heavy special separate mechanised mechanized motorised motorized airborne air assault marine marines
    mountain armoured armored tank rifle guards territorial border presidential republican national
    north south east west northern southern eastern western northeastern northwestern southeastern
    southwestern north-eastern north-western south-eastern south-western central regional
    """
)

# Parts of a place: "the Syrian side of Mount Hermon", "the slopes of X".
PART_NOUNS = word_set("side slopes slope summit foot heart")

# Capitalised words that open a sentence or clause but never a place name.
LEADING_FUNCTION_WORDS = word_set(
    """
    the a an in on at but and or after before since as while when if however meanwhile by for from with
    of to near outside inside around during across until despite amid
    """
)

ARTICLE_PREFIXES = word_set(
    """
    al el ad ar as at az ez ash an ed es adh ath
    """
)

NAME_CONNECTORS = word_set(
    """
    of de du la le des del al el ez es as ad az ar an at ash bin ibn abu wad umm um dar ban
    """
)

COMPOUND_SUFFIXES = word_set(
    """
    backed led based allied aligned linked run supported dominated affiliated born style era made funded
    armed trained owned speaking bound majority populated inhabited
    """
)

HELD_SUFFIXES = frozenset({"held", "controlled", "occupied"})

TITLES = word_set(
    """
    president general gen mr mrs ms dr minister commander spokesman spokeswoman spokesperson colonel col lt
    major captain leader chief prime senior sheikh emir king prince pope secretary envoy lieutenant sergeant
    brigadier marshal admiral ambassador governor mayor dictator ally sen rep st
    """
)

# Role nouns written before a person's full name ("official Vladimir Rogov",
# "blogger Yuri Podolyaka"): a run of two capitalised words after one is a person.
ROLE_NOUNS = word_set(
    """
    official officer blogger activist analyst journalist correspondent deputy lawmaker adviser advisor aide
    warlord politician negotiator mediator researcher reporter
    """
)

# Title-like first words of real place names ("St Petersburg", "Sheikh Maqsoud").
NAMED_AFTER_SAINTS = word_set("st saint sheikh general king prince")

NOT_PLACES = word_set(
    """
    the a an but and or in on at it its it's this that these those since after before meanwhile further
    another yesterday today earlier later inside ahead hours satellite footage analysts residents while when
    where if however although as with from by for to of we they he she our their his her there here some
    many most more several both all one two three islamist islamic muslim christian kurdish arab sunni shia
    shiite alawite druze jihadist state army forces government military rebels rebel police national
    liberation front operation operations room command ministry defence defense council mission group
    alliance movement party union office news agency observatory human rights civil war north south east
    west northern southern eastern western central new old great upper lower city town village region
    province air base naval airport january february march april may june july august september october
    november december monday tuesday wednesday thursday friday saturday sunday getty reuters afp ap epa
    images photo video caption un us eu nato kremlin pentagon white house mediterranean red sea river lake
    mount valley desert coast border countryside centre center parliament court general president minister
    senior spokesman officials official authorities witnesses statement sources military's according
    saturday's friday's anti pro brotherhood global world international democratic republic people peoples
    popular african corps support rapid special revolutionary guard guards federal security troops fighters
    militants militia jihadists insurgents thousands hundreds dozens middle telegram x twitter facebook
    whatsapp youtube tiktok instagram jan feb mar apr jun jul aug sep sept oct nov dec
    """
)

# Countries named after their river, and the prepositions that make the name the river.
RIVER_COUNTRIES = word_set("niger congo")
RIVER_PREPOSITIONS = word_set("on along across up down over crossed crossing")

MONTHS = word_set("january february march april may june july august september october november december")

# First words of compound names ("Jebel Moya", "Sheikh Maqsoud", "Tel Rifaat"):
# a common noun or title on its own, never the place when more name follows.
GENERIC_PREFIXES = word_set(
    """
    jebel jabal jbel djebel mount mt sheikh shaykh tel tell tal wadi ras deir dayr khan kafr kfar bir ain
    ein beit bayt qasr nahr jisr hisn marj hill hills lake cape port fort saint san santa
    """
)

NATURAL_FEATURES = word_set(
    """
    river lake mountains mountain hills valley sea desert basin delta gulf bay plain plateau strait canal
    forest countryside
    """
)


# -- place names -------------------------------------------------------------------------


def find_places(r: Reading) -> None:
    """Add the sentence's place mentions and anaphors (after its actors, so a
    word already taken by an actor's name is not read as a place)."""
    norms = r.norms
    # Only a capitalised word or a glued article ("as-Suwayda") starts a name.
    starts = [i for i, cap in enumerate(r.cap) if cap or norms[i] in ARTICLE_PREFIXES]
    i = 0
    for start in starts:
        if start < i:
            continue  # inside the name found before
        i = start
        if r.owner[i] >= 0 or not r.word[i] or not _name_start(r, i):
            continue
        if r.norms[i] in LEADING_FUNCTION_WORDS:
            continue  # "In South Kivu the group ...": the name starts after it
        if r.norms[i] in MONTHS and i + 1 < r.n and r.norms[i + 1] == "of":
            continue  # "the fall in January of Paletwa": a date, then the name
        end = _name_end(r, i)
        if (
            end - i >= 2
            and _person_apposition(r, end)
            and r.lexicon.place(r.surface(i, end), r.ctx.country_key, cued=False) is None
        ):
            i = end
            continue  # "Talal Silo, a spokesman for the SDF": a person
        cue = _cued(r, i)
        found = len(r.mentions)
        i = _known_place(r, i, end, cue) or _cued_place(r, i, end, cue)
        if len(r.mentions) == found:
            # "Residents of Suran told ...": no place spans the run, but the name
            # after its connector may be one.
            i = next((k + 1 for k in range(start + 1, end) if norms[k] in NAME_CONNECTORS), i)
    _metonymy(r)
    _mark_facilities(r)
    _find_anaphors(r)


PERSON_NOUNS = TITLES | ROLE_NOUNS | word_set("spokesman spokeswoman spokesperson head founder member")


def _person_apposition(r: Reading, end: int) -> bool:
    """True when a name is followed by ", a spokesman for", ", the group's
    commander": the name is a person's."""
    if end + 2 >= r.n or r.texts[end] != "," or r.norms[end + 1] not in {"a", "an", "the"}:
        return False
    k = end + 2
    if k + 2 < r.n and r.texts[k + 1] in "'’" and r.norms[k + 2] == "s":
        k += 3  # "the group's commander"
    return k < r.n and r.norms[k] in PERSON_NOUNS


def _known_place(r: Reading, i: int, end: int, cue: str | None) -> int:
    """The longest run of the name from ``i`` that the gazetteer knows, as a
    mention; its end, or 0 when there is none."""
    for j in range(end, i, -1):
        if not r.word[j - 1]:
            continue
        if _not_place(r, i, j) or _natural_feature(r, i, j):
            continue
        if j < end and r.norms[i] in GENERIC_PREFIXES and j == i + 1:
            continue  # "Jebel Moya": not the Jebel of some other country
        if j < end and (r.norms[j] in NAME_CONNECTORS or r.texts[j] == "-"):
            continue  # "Jubata al-Khashab": the name goes on, its first word is not it
        if j < end and _head_after(r, end) is not None and all(r.cap[k] for k in range(j, end) if r.word[k]):
            continue  # "the Kan Paik Ti border gate": the whole name is the place, not "Kan"
        text = r.surface(i, j)
        place = r.lexicon.place(text, r.ctx.country_key, cued=cue is not None)
        if place is None:
            continue
        if _weak_abroad(r, text, place, cue):
            earlier = _short_form(r, text) if j == end else None
            if earlier is None:
                continue
            place = earlier.model_copy(update={"text": text})
        if cue is None and j == i + 1 and _sentence_initial(r, i) and _foreign(r, place):
            continue  # "Young men tore down ...": a first word, not a town abroad
        head = _head_after(r, j) or (_own_head(r, i, j) if j - i >= 2 else None)
        head = head or (cue if cue in PLACE_CUE_NOUNS else None)
        if head in REGION_WORDS and j + 1 < r.n and r.norms[j + 1] == "capital":
            return 0  # "the Gezira state capital": the region qualifies its capital
        unknown_region = False
        if head in REGION_WORDS or cue in REGION_WORDS:
            region = _as_region(r, text, head, cue)
            # "the neighbouring Unity state": a region the tables lack, not its namesake town.
            unknown_region = (
                region is None
                and j < r.n
                and r.norms[j] in REGION_WORDS
                and not r.cap[j]
                and place.precision not in {"region", "country"}
            )
            place = region or place
        if j + 1 == end and r.cap[j] and r.norms[j] in NAMED_FACILITY_HEADS:
            # "the Tabqa Dam", "Kramatorsk Airport": the facility of the town it is
            # named after, one mention (not "Dam" read as another place).
            head, j = r.norms[j], end
            text = r.surface(i, j)
            place = place.model_copy(update={"text": text})
        mention = Mention("place", i, j, text, place=place, head=head, reference=unknown_region)
        if head in MODIFIED_HEADS and head == _head_after(r, j) and place.precision in {"region", "country"}:
            # "the army's last Darfur stronghold", "the Donbas town of Bakhmut": the
            # region says where the place is; it is not what is taken.
            mention.reference = True
        r.add(mention)
        return j
    return 0


def _as_region(r: Reading, text: str, head: str | None, cue: str | None) -> Place | None:
    """ "the Kharkiv region", "Idlib province", "the governorate of Daraa": a name
    with a region word is the region, not its namesake city."""
    word = head if head in REGION_WORDS else (cue if cue in REGION_WORDS else None)
    if word is None:
        return None
    region = r.lexicon.region(f"{text} {word}", r.ctx.country_key)
    if region is None:
        return None
    # The mention's text is the name as written; the region word is in its
    # precision and id ("Kursk region" is Kursk Oblast, text "Kursk").
    return region.model_copy(update={"text": text})


def _weak_abroad(r: Reading, text: str, place: Place, cue: str | None) -> bool:
    """True when a name's match lies outside the war's theatre on weak evidence:
    a small place or a near spelling, with its country not named in the sentence
    ("Golan" is a village in Iran, "Hsipaw" spelled like a Chinese one)."""
    if place.precision != "city" or place.is_capital or not _foreign(r, place):
        return False
    if not r.lexicon.weak_place(text, r.ctx.country_key, cued=cue is not None):
        return False
    if r.lexicon.near_spelling(text, r.ctx.country_key, cued=cue is not None):
        return True  # a spelling close to a foreign name is no evidence at all
    return not _country_named(r, place.country or "")


def _country_named(r: Reading, iso2: str) -> bool:
    """True when the sentence names the country (its name or a demonym)."""
    demonyms = r.lexicon.demonyms
    for k in range(r.n):
        if not r.cap[k]:
            continue
        if demonyms.get(r.norms[k]) == iso2 or r.lexicon.country_of_name(r.texts[k]) == iso2:
            return True
        if k + 1 < r.n and r.cap[k + 1] and r.lexicon.country_of_name(r.surface(k, k + 2)) == iso2:
            return True
    return False


def _short_form(r: Reading, text: str) -> Place | None:
    """The place named earlier in the article whose longer name starts with
    ``text``: "the Golan" after "the Golan Heights"."""
    folded = text.lower() + " "
    for place, _, _ in reversed(r.ctx.place_history):
        if place.text.lower().startswith(folded) or place.name.lower().startswith(folded):
            return place
    return None


def _named_before(r: Reading, text: str) -> Place | None:
    """The unresolved place the article named before with this very text."""
    for place, _, _ in reversed(r.ctx.place_history):
        if place.id is None and place.text == text:
            return place
    return None


def _sentence_initial(r: Reading, i: int) -> bool:
    """True when ``i`` is the sentence's first word (after any opening quote)."""
    k = 0
    while k < i and r.texts[k] in A.QUOTES:
        k += 1
    return k == i


def _taken_object(r: Reading, m: Mention) -> bool:
    """True when the place is the object of a take verb right before it ("seized Ramadi")."""
    k = m.start - 1
    if k >= 0 and r.norms[k] == "the":
        k -= 1
    return k >= 0 and any(t.action in A.TAKE_ACTIONS for t in A.TRIGGERS.get((r.norms[k],), ()))


def _foreign(r: Reading, place: Place) -> bool:
    """True when the place lies outside the war's theatre: the countries of the
    article's conflict and the country it is most about (a demonym elsewhere in
    the article, "Chinese city of Kunming", does not make China the theatre)."""
    country = place.country
    if country is None or not r.ctx.countries:
        return False
    conflict = r.ctx.conflict
    return country != r.ctx.countries[0] and (conflict is None or country not in conflict.countries)


def _cued_place(r: Reading, i: int, end: int, cue: str | None) -> int:
    """A name the gazetteer does not know is still a place when the grammar
    says so ("the town of X", "the X camp"); kept without an id."""
    post = (
        _head_after(r, end)
        or _coordinated_head(r, end)
        or (_own_head(r, i, end) if end - i >= 2 else None)
        or _apposed_settlement(r, end)
    )
    if post in REGION_WORDS and end + 1 < r.n and r.norms[end + 1] == "capital":
        return end  # "overran the Gezira state capital": the region qualifies its capital
    if cue is None and post is None:
        cue = _coordinated_cue(r, i) or _list_head_cue(r, i, end)
    located = cue is None and post is None and _located_apposition(r, end)
    if cue is None and post is None and not located:
        named = _named_before(r, r.surface(i, end))
        if named is not None:
            # A name the article already gave as a place ("the town of Walikale").
            r.add(Mention("place", i, end, named.text, place=named))
            return end
    if (
        (cue or post or located)
        and not _not_place(r, i, end)
        and not _natural_feature(r, i, end)  # "on the Niger river": a river
    ):
        run_end = end
        cut = next((k for k in range(i + 1, end) if r.norms[k] in INSTITUTION_WORDS), end)
        if cut < end:
            # "the Laukkaing Regional Operations Command": the place the unit is named after.
            end = cut
            while end > i + 1 and not r.word[end - 1]:
                end -= 1
            known = r.lexicon.place(r.surface(i, end), r.ctx.country_key, cued=True)
            if known is not None and not _weak_abroad(r, r.surface(i, end), known, cue):
                r.add(Mention("place", i, end, known.text, place=known))
                return run_end
            if all(r.norms[k] in UNIT_WORDS for k in range(i, end) if r.word[k]):
                return run_end  # "the Light Infantry Battalion 275 base": a unit's name, no place
        text = r.surface(i, end)
        countries = r.ctx.countries
        country = countries[0] if countries else None
        earlier = _short_form(r, text)
        place = (
            earlier.model_copy(update={"text": text})
            if earlier is not None
            else Place(id=None, name=text, text=text, country=country, precision="unknown")
        )
        head = post or (cue if cue in PLACE_CUE_NOUNS else None)
        # "entered the neighbouring Unity state": a region no table has, not a town.
        region = earlier is None and post in REGION_WORDS and end < r.n and not r.cap[end]
        r.add(Mention("place", i, end, text, place=place, head=head, reference=region))
        return run_end
    return end


def _coordinated_cue(r: Reading, i: int) -> str | None:
    """ "near Kyaukme and Hsipaw", "Laukkai, Chinshwehaw": a name coordinated
    with the place just named is a place too (its cue, else "and")."""
    k = i - 1
    if k < 1 or r.norms[k] not in {"and", "or", ","}:
        return None
    if r.norms[k] in {"and", "or"} and k >= 2 and r.texts[k - 1] == ",":
        k -= 1  # "Sittwe, the island township of Manaung, and Kyaukphyu": the list's last item
    if k >= 3 and r.norms[k - 1] in {"centre", "center"} and r.texts[k - 2] == "-":
        k -= 2  # "Rutshuru-centre and Kiwanja": the town's seat is the town
    owner = r.owner[k - 1]
    if owner < 0 or r.mentions[owner].kind != "place":
        return None
    return r.mentions[owner].head or "and"


# Verbs whose object is a place when it is a list with a known place in it:
# "attacked Diboli and Kayes" (the list's first name, before any cue).
LIST_VERB_ACTIONS = frozenset(
    {"captured", "recaptured", "attacked", "besieging", "holds", "entered", "withdrew"}
)


def _list_head_cue(r: Reading, i: int, end: int) -> str | None:
    """ "fighters attacked Diboli and Kayes", "overran Diboli, Kayes and Nioro":
    the first name of a list that a place verb takes, when the name after it is
    a place the gazetteer knows, is a place too."""
    k = i - 1
    while k >= 0 and r.texts[k] in A.QUOTES:
        k -= 1
    if k < 0 or r.cap[k] or r.norms[i] in r.lexicon.demonyms:
        return None
    if not any(
        t.shape != "subject" and t.action in LIST_VERB_ACTIONS for t in A.TRIGGERS.get((r.norms[k],), ())
    ):
        return None
    if end >= r.n or not (r.texts[end] == "," or r.norms[end] in {"and", "or"}):
        return None
    j = end + 1
    if j >= r.n or not r.cap[j] or r.owner[j] >= 0 or not _name_start(r, j):
        return None
    if sum(1 for x in range(i, end) if r.cap[x]) > 1 and not any(r.texts[x] == "-" for x in range(i, end)):
        return None  # "ambushed Moussa Traore and ...": a first name and a surname
    nxt = _name_end(r, j)
    if nxt < r.n and r.word[nxt] and not r.cap[nxt] and r.norms[nxt] not in LIST_FOLLOWERS:
        return None  # "ambushed X and Kayes residents": the known name qualifies a noun
    for stop in range(nxt, j, -1):
        place = r.lexicon.place(r.surface(j, stop), r.ctx.country_key, cued=False)
        if place is not None and place.precision != "country" and not _foreign(r, place):
            return "and"
    return None


# Words that may follow the known name of such a list: it ends there.
LIST_FOLLOWERS = (
    LEADING_FUNCTION_WORDS
    | ANAPHOR_STOP
    | word_set("and or early late overnight last this yesterday today earlier killing leaving where which")
)


# Words of a distance or direction apposition: "Anefis, 100km south of Kidal",
# "Kalogi, east of Kadugli", "Sandare, about 60 km (37 miles) from Nioro".
HEDGE_WORDS = word_set("about some around roughly nearly almost just approximately barely only")
DISTANCE_UNITS = word_set("km kms kilometres kilometers kilometre kilometer miles mile mi")
DIRECTION_WORDS = word_set(
    """
    north south east west northeast northwest southeast southwest northeastern northwestern southeastern
    southwestern
    """
)


def _located_apposition(r: Reading, j: int) -> bool:
    """True when the name ending at ``j`` is followed by ", 30km north of Y",
    ", east of Y", ", 20 km from Y": where it lies, so it is a place."""
    n = r.n
    if j + 3 >= n or r.texts[j] != ",":
        return False
    k = j + 1
    while k < n and r.norms[k] in HEDGE_WORDS:
        k += 1
    distance = False
    if k < n and r.norms[k][:1].isdigit():
        unit = r.norms[k].lstrip("0123456789.,")
        if unit in DISTANCE_UNITS:
            distance, k = True, k + 1
        elif not unit and k + 1 < n and r.norms[k + 1] in DISTANCE_UNITS:
            distance, k = True, k + 2
        else:
            return False
        if k < n and r.texts[k] == "(":  # "950 km (590 miles) southwest of"
            close = next((x for x in range(k + 1, min(n, k + 6)) if r.texts[x] == ")"), -1)
            if close < 0:
                return False
            k = close + 1
    direction = False
    if k < n and r.norms[k] in DIRECTION_WORDS:
        direction, k = True, k + 1
        if k + 1 < n and r.texts[k] == "-" and r.norms[k + 1] in DIRECTION_WORDS:
            k += 2  # "north-east"
    if not (direction or distance) or k >= n:
        return False
    if direction and r.norms[k] != "of":
        return False
    if not direction and r.norms[k] not in {"from", "outside"}:
        return False
    k += 1
    if k < n and r.norms[k] == "the":
        k += 1
    return k < n and (r.owner[k] >= 0 or r.cap[k])


def _name_start(r: Reading, i: int) -> bool:
    if r.cap[i]:
        return True
    # "as-Suwayda", "al-Jazira": a lower-case article glued to a name.
    return r.norms[i] in ARTICLE_PREFIXES and i + 2 < r.n and r.texts[i + 1] == "-" and r.cap[i + 2]


def _name_end(r: Reading, i: int) -> int:
    """End (exclusive) of the run of name words starting at ``i``."""
    n = r.n
    j = i + 1
    while j < n:
        text = r.texts[j]
        if r.owner[j] >= 0:
            break
        if text in "-'’" and j + 1 < n and r.word[j + 1] and r.owner[j + 1] < 0:
            nxt = r.norms[j + 1]
            if nxt in COMPOUND_SUFFIXES or nxt in HELD_SUFFIXES:
                break
            if text in "'’" and nxt == "s":
                break
            if text == "-" and nxt in {"centre", "center"} and not r.cap[j + 1]:
                break  # "Masisi-centre": the town's seat is the town
            j += 2
            continue
        if r.word[j] and r.cap[j]:
            j += 1
            continue
        if (
            r.word[j]
            and r.norms[j] in NAME_CONNECTORS
            and j + 1 < n
            and (r.cap[j + 1] or r.texts[j + 1] == "-")
            and r.owner[j + 1] < 0
            and not _english_connector(r, i, j)
        ):
            j += 1
            continue
        break
    # Drop a trailing name word that is really a generic noun ("Homs countryside").
    while j - 1 > i and not r.word[j - 1]:
        j -= 1
    return j


# Connectors that are also English words: "Kiwanja as Congo expels", "Kyiv at
# night" join two names only when the gazetteer knows the whole ("Ras al Ain").
ENGLISH_CONNECTORS = frozenset({"as", "at", "an"})


def _english_connector(r: Reading, i: int, j: int) -> bool:
    """True when the connector at ``j`` is an English word between two names."""
    if r.norms[j] not in ENGLISH_CONNECTORS or r.texts[j + 1] == "-":
        return False
    return r.lexicon.place(r.surface(i, j + 2), r.ctx.country_key, cued=False) is None


def _cued(r: Reading, start: int) -> str | None:
    """The noun or preposition that marks the words at ``start`` as a place."""
    k = start - 1
    while k >= 0 and r.texts[k] in A.QUOTES:
        k -= 1  # 'had "liberated" Walikale'
    if k >= 0 and r.norms[k] in {"the"}:
        k -= 1
    if k >= 1 and r.norms[k] == "of" and r.norms[k - 1] in PLACE_CUE_NOUNS:
        return r.norms[k - 1]
    if k >= 1 and r.norms[k] == "of" and r.norms[k - 1] in PART_NOUNS:
        return "of"  # "the Syrian side of Mount Hermon", "the slopes of X"
    if k >= 1 and r.norms[k] == "of" and (r.norms[k - 1], "of") in A.TRIGGERS:
        return "of"  # "the retaking of Nawnghkio", "the siege of X": what the action is about
    if k >= 3 and r.norms[k] == "of" and any((r.norms[j], "of") in A.TRIGGERS for j in range(k - 4, k - 2)):
        return "of"  # "the fall in January of Paletwa": a date between the noun and "of"
    if k >= 1 and r.norms[k] == "of" and r.norms[k - 1] in PLURAL_HEADS:
        return PLURAL_HEADS[r.norms[k - 1]]  # "the villages of X and Y"
    if k >= 0 and r.norms[k] in PLACE_PREPOSITIONS and r.norms[k] != "of":
        return r.norms[k]
    if k >= 1 and r.norms[k] == "to" and r.norms[k - 1] in A.PERIPHERY_BEFORE_TO:
        return "to"  # "the approaches to Hsipaw", "close to X"
    # "several suburbs of the capital, including Moadamiyeh": members of a list of places.
    if (
        k >= 1
        and r.norms[k] in {"including", "notably"}
        and r.texts[k - 1] == ","
        and any(r.norms[x] in LISTED_PLACE_NOUNS for x in range(max(0, k - 12), k))
    ):
        return r.norms[k]
    return None


# Nouns a region's name can qualify: "the Darfur stronghold", "a Kherson village".
MODIFIED_HEADS = word_set(
    """
    city town village hub settlement locality port suburb stronghold hamlet outpost junction camp base airport
    """
)

# Facilities whose own name ends in their noun ("the Tishreen Dam", "Antonov
# Airport"): "the dam" later means that facility.
NAMED_FACILITY_HEADS = word_set("dam bridge airport airbase refinery")
# Sites that are places of their own rather than a city's facility.
SITE_HEADS = word_set("dam bridge refinery")


def _own_head(r: Reading, i: int, j: int) -> str | None:
    """The facility noun a place's own name ends with: "Tishreen Dam"."""
    last = r.norms[j - 1]
    return last if j - i >= 2 and (last in NAMED_FACILITY_HEADS or last in LANDMARK_HEADS) else None


# A city's landmarks named as such ("the National Hospital", "Raqqa Stadium"):
# places inside the city, never what "the city" points back to.
LANDMARK_HEADS = word_set("hospital stadium roundabout square mosque hotel university palace prison")


def _head_after(r: Reading, j: int) -> str | None:
    """The noun right after a name that says what it is: "the Zamzam camp"; for
    coordinated names its plural ("the Sheikh Maqsoud and Ashrafiyeh districts");
    "the Kan Paik Ti border gate" is a crossing."""
    if (
        j + 1 < r.n
        and r.norms[j] == "border"
        and r.norms[j + 1] in {"gate", "crossing", "post", "town"}
        and not r.cap[j]
    ):
        return "crossing" if r.norms[j + 1] != "town" else "town"
    if j < r.n and r.norms[j] in PLACE_CUE_NOUNS and not r.cap[j]:
        return r.norms[j]
    if j + 1 < r.n and r.norms[j] in CAMP_MODIFIERS and r.norms[j + 1] in {"camp", "base"} and not r.cap[j]:
        return r.norms[j + 1]  # "the Zamzam displacement camp", "the Kati military base"
    if j < r.n and r.norms[j] in PLURAL_HEADS and not r.cap[j] and j >= 2 and r.norms[j - 2] in {"and", "or"}:
        return PLURAL_HEADS[r.norms[j]]
    return None


def _apposed_settlement(r: Reading, j: int) -> str | None:
    """The settlement noun of an apposition right after a name: "Bunagana, a
    border town on the road to Uganda", "Kawlin, the district seat" (a few
    lower-case modifiers between the article and the noun)."""
    if j + 2 >= r.n or r.texts[j] != "," or r.norms[j + 1] not in {"a", "an", "the"}:
        return None
    for k in range(j + 2, min(r.n, j + 6)):
        if not r.word[k] or r.cap[k]:
            return None
        if r.norms[k] in SETTLEMENT_NOUNS:
            return None if k + 1 < r.n and r.norms[k + 1] in {"'", "’", "-"} else r.norms[k]
    return None


# Words between a name and "camp" or "base": "the Zamzam displacement camp".
CAMP_MODIFIERS = word_set("displacement displaced refugee idp military army transit detention border")


def _coordinated_head(r: Reading, end: int) -> str | None:
    """ "the Sheikh Maqsoud and Ashrafiyeh districts": the first name of a pair
    takes the plural head after the second."""
    if end + 1 >= r.n or r.norms[end] not in {"and", "or"} or not r.cap[end + 1]:
        return None
    k = _name_end(r, end + 1)
    if k < r.n and r.norms[k] in PLURAL_HEADS and not r.cap[k]:
        return PLURAL_HEADS[r.norms[k]]
    return None


def _not_place(r: Reading, i: int, j: int) -> bool:
    not_places = r.lexicon.not_place_words
    if j == i + 1:  # most names are one word
        words = [r.norms[i]] if r.word[i] else []
    else:
        words = [r.norms[k] for k in range(i, j) if r.word[k]]
    if all(w in not_places for w in words):
        return True  # also when there are no words at all
    if all(w in INSTITUTION_WORDS for w in words):
        return True  # "the 22nd Infantry Division": a unit's name, not a village called Infantry
    if len(words) == 1 and (words[0] in GENERIC_PREFIXES or words[0] in ARTICLE_PREFIXES):
        return True  # "Sheikh", "Jebel": a title or a common noun alone; "al" of "al-Tanf"
    prev = i - 1
    if prev >= 0 and r.norms[prev] in TITLES:
        return True  # "President Bashar al-Assad"
    if prev >= 0 and (
        r.norms[prev] == "named" or (prev >= 1 and r.texts[prev] == "," and r.norms[prev - 1] == "name")
    ):
        return True  # "a man named Ahmed", "identified only by his first name, Kyaw": a person
    if prev >= 0 and r.norms[prev] in ROLE_NOUNS and (j - i >= 2 or (j < r.n and r.cap[j] and r.word[j])):
        return True  # "occupation official Vladimir Rogov": a first name and a surname
    if j - i >= 2 and (words[0] in ROLE_NOUNS or words[0] in TITLES) and words[0] not in NAMED_AFTER_SAINTS:
        return True  # "Deputy Minister Olena Petrenko": a title and a name
    # "the West Darfur capital", "the Kokang capital": the name qualifies another place.
    if j < r.n and r.norms[j] == "capital":
        return True
    # "the Khortytsia group of forces", "the Tavria operational group": a command's name.
    if j + 2 < r.n and r.norms[j] == "group" and r.norms[j + 1] == "of" and r.norms[j + 2] == "forces":
        return True
    if j + 1 < r.n and r.norms[j] == "operational" and r.norms[j + 1] == "group":
        return True
    # "Rwanda-backed", "Turkish-led": a modifier, not a place.
    if j + 1 < r.n and r.texts[j] == "-" and r.norms[j + 1] in COMPOUND_SUFFIXES:
        return True
    if len(words) == 1 and words[0] in TITLES and j < r.n and r.cap[j] and r.word[j]:
        return True  # "Mayor Oleksandr Striuk": a title before a name
    if len(words) == 1 and words[0] in RIVER_COUNTRIES and prev >= 1 and r.norms[prev] == "the":
        return r.norms[prev - 1] in RIVER_PREPOSITIONS  # "a boat on the Niger": the river
    # A sentence-initial capital word is often just the first word.
    return bool(i == 0 and len(words) == 1 and len(words[0]) <= 3)


def _natural_feature(r: Reading, i: int, j: int) -> bool:
    """ "the Dnipro river", "the west bank of the Dnipro": a river, not the city."""
    if (
        j < r.n
        and r.norms[j] in NATURAL_FEATURES
        and r.norms[j] not in A.PERIPHERY_NOUNS  # "the Homs countryside" names Homs's ring
    ):
        return True
    k = i - 1 - (i > 0 and r.norms[i - 1] == "the")
    return k >= 1 and r.norms[k] == "of" and r.norms[k - 1] in {"bank", "banks", "shore", "shores"}


def _metonymy(r: Reading) -> None:
    """ "Moscow said", "Kyiv dismissed": a capital or country that speaks or
    denies is its government, not a place."""
    for m in r.mentions:
        if m.kind != "place" or m.place is None or not (m.place.is_capital or m.place.precision == "country"):
            continue
        verb = m.end
        if verb + 1 < r.n and r.norms[verb].endswith("ly") and r.word[verb]:
            verb += 1  # "a claim Kyiv swiftly rejected"
        if verb < r.n and (
            r.norms[verb] in A.SPEECH_WORDS
            or r.norms[verb]
            in {"denied", "dismissed", "rejected", "rejects", "insisted", "warned", "accused", "responded"}
        ):
            gov = r.lexicon.actors.government_of(m.place.country or "", r.ctx.conflict)
            if gov is not None:
                m.kind, m.actor, m.place = "actor", gov, None


# Facility nouns that point back to one another: "the 22nd Division's base in
# Babanusa ... the garrison", "the airport in X ... the airfield".
FACILITY_KINDS = {
    "base": "military",
    "garrison": "military",
    "headquarters": "military",
    "barracks": "military",
    "compound": "military",
    "airport": "air",
    "airbase": "air",
    "airfield": "air",
    "camp": "camp",
}
FACILITY_PREPOSITIONS = word_set("in at near outside")
# How many sentences back "the base" still finds the place whose base was named.
FACILITY_REACH = 8
# How many places back "the town" looks for one named "the town of X".
SAME_HEAD_REACH = 4


def _mark_facilities(r: Reading) -> None:
    """Mark the places named with a facility: "the Babanusa base", "the army's
    base in Babanusa", "the military camp at Boulkessi"."""
    for m in r.mentions:
        if m.kind != "place" or m.place is None or m.place.precision in {"country", "region"}:
            continue
        if m.head in FACILITY_KINDS:
            m.facility = FACILITY_KINDS[m.head]
            continue
        k = m.start - 1
        if k >= 0 and r.norms[k] == "the":
            k -= 1
        if (
            k >= 1
            and r.norms[k] in FACILITY_PREPOSITIONS
            and r.norms[k - 1] in FACILITY_KINDS
            and not r.cap[k - 1]
        ):
            m.facility = FACILITY_KINDS[r.norms[k - 1]]


def _facility_place(r: Reading, m: Mention, before: int, here: bool) -> Place | None:
    """ "the base" (or "the garrison") after "the 22nd Division's base in
    Babanusa": the place whose facility of that kind was named last, in this
    sentence or (when this one names no place before it) one of the few
    before, though other places were named since."""
    kind = FACILITY_KINDS.get(m.head or "")
    if kind is None:
        return None
    for other in reversed(r.mentions):
        if (
            other.kind == "place"
            and other.end <= before
            and other.facility == kind
            and other.place is not None
        ):
            return other.place
    if here:
        return None  # "entered Babanusa and seized the base": the place just named
    for place, pkind, at in reversed(r.ctx.facility_history):
        if r.sentence.index - at > FACILITY_REACH:
            break
        if pkind == kind and not _foreign(r, place):
            return place
    return None


def mark_destinations(r: Reading) -> None:
    """Mark the places someone goes to ("towards Damascus"): not what they hold."""
    for m in r.mentions:
        if m.kind in {"place", "anaphor"}:
            k = m.start - 1
            while k >= 0 and r.norms[k] in {"the", "back"}:
                k -= 1
            if k >= 0 and r.norms[k] in {"to", "towards", "toward"}:
                m.destination = True


# -- phrases that point back to a place --------------------------------------------------


def _find_anaphors(r: Reading) -> None:
    n = r.n
    if ANAPHOR_HEADS.isdisjoint(r.norms):
        return
    for i in [i for i, norm in enumerate(r.norms) if norm == "the"]:
        if r.owner[i] >= 0:
            continue
        j = i + 1
        while j + 2 < n and r.texts[j + 1] == "-" and r.word[j] and r.word[j + 2] and r.owner[j] < 0:
            j += 2  # "the Druze-majority city", "the Kurdish-led town": a compound adjective
        while (
            j < n
            and j < i + 6
            and r.word[j]
            and (not r.cap[j] or r.norms[j] in r.lexicon.demonyms)
            and r.norms[j] not in ANAPHOR_HEADS
            and r.norms[j] not in ANAPHOR_STOP
            and r.norms[j] not in A.TRIGGER_FIRST_WORDS
            and r.owner[j] < 0
        ):
            j += 1
        if j >= n or r.norms[j] not in ANAPHOR_HEADS or r.cap[j]:
            continue
        if any(r.norms[k] in NEW_REFERENT for k in range(i + 1, j)):
            continue
        while j + 1 < n and r.norms[j + 1] in ANAPHOR_HEADS | SETTLEMENT_NOUNS and not r.cap[j + 1]:
            j += 1  # "the garrison town of Djibo": the last noun is the head
        head = r.norms[j]
        # "the capital of al-Jazira state", "the town of Sake": a name follows.
        if j + 1 < n and r.norms[j + 1] == "of" and j + 2 < n:
            nxt = j + 2 + (r.norms[j + 2] == "the")
            if nxt < n and (r.cap[nxt] or r.owner[nxt] >= 0):
                continue
        if j + 1 < n and (r.owner[j + 1] >= 0 or r.cap[j + 1]):
            continue  # "Mali's capital Bamako", "the Zamzam camp" handled as names
        if j + 1 < n and r.norms[j + 1] in HEAD_COMPOUNDS:
            continue  # "the city council building", "the town hall": not the town itself
        end = j + 1
        if j + 1 < n and r.norms[j + 1] in {"centre", "center", "streets", "outskirts"}:
            end = j + 2
        if r.owner[j] >= 0:
            continue
        if head == "capital" and j > i + 1:
            continue  # "the Kokang capital", "the state capital": not the country's

        r.add(Mention("anaphor", i, end, r.surface(i, end), head=head))


def resolve_anaphor(r: Reading, m: Mention, before: int) -> Place | None:
    head = m.head or ""
    if head == "capital":
        for iso2 in r.ctx.countries[:1]:
            cap = r.lexicon.gazetteer.capital_of(iso2)
            if cap is not None:
                return cap.model_copy(update={"text": m.text})
        return None
    if head in SITE_HEADS:
        # "the dam" after "the Tishreen Dam": the site of that name, not the town
        # named last (while "the airport" is the story's city's).
        for place, phead, _ in reversed(r.ctx.place_history):
            if phead == head:
                return place.model_copy(update={"text": m.text})
        for other in reversed(r.mentions):
            if (
                other.kind == "place"
                and other.end <= before
                and other.head == head
                and other.place is not None
            ):
                return other.place.model_copy(update={"text": m.text})
    if m.end < r.n and r.norms[m.end] in {"in", "at", "near", "outside", "of"}:
        k = m.end + 1
        while k < min(r.n, m.end + 7):
            owner = r.owner[k]
            if owner >= 0:
                nxt = r.mentions[owner]
                if nxt.kind == "place" and nxt.place is not None and nxt.place.precision != "country":
                    return nxt.place.model_copy(update={"text": m.text})
                k = nxt.end
                continue
            if r.texts[k] in A.CLAUSE_PUNCT:
                break
            k += 1
    here = any(
        o.kind == "place"
        and o.end <= before
        and o.place is not None
        and not o.reference
        and o.place.precision not in {"country", "region"}
        for o in r.mentions
    )
    facility = _facility_place(r, m, before, here)
    if facility is not None:
        return facility.model_copy(update={"text": m.text})
    candidates: list[tuple[Place, str | None, bool]] = list(r.ctx.place_history)
    taken: list[Place] = []
    for other in r.mentions:
        if other.kind == "place" and other.end <= before and other.place is not None and not other.reference:
            candidates.append((other.place, other.head, minor_mention(r, other)))
            if _taken_object(r, other):
                taken.append(other.place)
    if head in SETTLEMENT_NOUNS and head not in HYPERNYM_HEADS and not here:
        # "stormed the town of Babanusa ... fighting in El Obeid ... withdrew from
        # the town": a place recently named with that very noun comes first (when
        # the sentence itself names none before it).
        for place, phead, minor in reversed(candidates[-SAME_HEAD_REACH:]):
            if (
                phead == head
                and not minor
                and place.precision not in {"country", "region"}
                and (not _foreign(r, place) or any(place is t for t in taken))
            ):
                return place.model_copy(update={"text": m.text})
    passing: Place | None = None
    for place, phead, minor in reversed(candidates):
        if place.precision in {"country", "region"} or phead in REGION_NOUNS:
            continue
        if _foreign(r, place) and not any(place is t for t in taken):
            # "talks in Geneva ... the city": the story's city, not the venue (but
            # "seized Ramadi, routing Iraqi troops who fled the city": the city taken).
            continue
        if (
            head in SETTLEMENT_NOUNS
            and phead in SETTLEMENT_NOUNS
            and phead != head
            and head not in HYPERNYM_HEADS
        ):
            continue  # "the town" is not the city named just before (but "the settlement" is any)
        if (
            phead in FACILITY_NOUNS
            and phead not in SETTLEMENT_NOUNS
            and phead not in TOWN_PARTS
            and phead != head
        ):
            continue  # ("the outskirts of Kupiansk" names the town: "the city" can be it)
        if minor:
            # Named in passing ("a road towards X and Y", "the nearby villages of
            # X and Y"): the story's place, named before, is meant if there is one.
            passing = passing or place
            continue
        return place.model_copy(update={"text": m.text})
    return None if passing is None else passing.model_copy(update={"text": m.text})
