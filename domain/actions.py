"""The grammar of control: which phrases mean which action, and which words
make a statement hypothetical, negated or somebody else's claim.

Each trigger has a *shape* telling the parser where its place and actor are:

- ``verb``      active verb, place after it ("captured the city of Hama"); a
                passive form ("was captured by") swaps the sides
- ``noun``      noun with its preposition ("siege of", "attack on"); place after
- ``subject``   the place is the subject ("Goma fell", "X came under attack")
- ``fell_to``   place before, actor after "to" ("the city fell to the RSF")
- ``lost``      place after, actor after "to" ("Assad lost Deir al-Zor to rebels")
- ``compound``  "rebel-held", "Russian-occupied": actor is the first half
- ``stronghold`` place before, actor after "of" ("Latakia, strongholds of the government")
- ``withdraw``  a departure: place after "from"/"out of", else the place the
                sentence leaves ("forces in Daraa implemented a redeployment")
- ``state``     no place of its own ("the situation is under control"): the
                place of the previous statement carries over
- ``deny``      a denial; the denied statement follows it
- ``send``      "sending fighters into X and towards Y": the sender entered X and
                is advancing on Y
- ``hands``     "X, the last city in army hands", "in the hands of the RSF": the
                place before, the actor inside the phrase
- ``oust``      "pushed the RSF out of X": the subject takes X, the actor
                between verb and "out of"/"from" withdraws from it
- ``free``      "declared the city free", "'Khartoum is free,' Burhan said": a
                side's word that a place is now its own; the place before
- ``reach``     "reached the town centre", "reached the heart of X": inside it
- ``announced`` "Erdogan announced the capture in a speech": a side's word of a
                take of the place the article is about (no "of X" follows)
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.tokens import word_set


@dataclass(frozen=True, slots=True)
class Trigger:
    action: str
    shape: str


def _forms(stems: str) -> list[str]:
    return [s.strip() for s in stems.split(",") if s.strip()]


# Attacks are ground assaults only: shelling and air strikes hit places
# without contesting who holds them, so they are not control events.
_TABLE: tuple[tuple[str, str, str], ...] = (
    (
        "claimed_control",
        "announced",
        """
        capture, fall, liberation, seizure
        """,
    ),
    (
        "captured",
        "verb",
        """
        captured, capture, captures, capturing, seized, seize, seizes, seizing, took, take, takes, taking,
        taken, overran, overrun, overruns, overrunning, liberated, liberate, liberates, liberating,
        conquered, conquer, took control of, taken control of, take control of, takes control of, taking
        control of, seized control of, seize control of, seizing control of, gained control of, gain control
        of, captured control of, won control of, wrested control of, wrest control of, assumed control of,
        took over, taken over, take over, taking over, swept into, sweep into, sweeping into, stormed and
        captured, has been captured, overwhelmed, occupied, occupy, occupies, occupying, took control over,
        taken control over, take control over, takes control over, taking control over, seized control over,
        seize control over, seizing control over, gained control over, gain control over, wrested control
        over, assumed control over
        """,
    ),
    (
        "captured",
        "noun",
        """
        capture of, seizure of, fall of, takeover of, sweep into, conquest of, liberation of
        """,
    ),
    (
        "captured",
        "subject",
        """
        fell, falls, fallen, has fallen, had fallen, have fallen
        """,
    ),
    (
        "captured",
        "fell_to",
        """
        fell to, fallen to, falls to, lost to
        """,
    ),
    (
        "captured",
        "lost",
        """
        lost, lose, loses, losing
        """,
    ),
    (
        "recaptured",
        "verb",
        """
        recaptured, recapture, recaptures, recapturing, retook, retake, retakes, retaken, retaking,
        regained, regain, regains, regaining, took back, taken back, take back, taking back, won back, win
        back, reclaimed, reclaim, regained control of, retook control of, retaken control of, regained control
        over, regain control over, restored control of, restored control over, restore control of, restore
        control over, restoring control of, restoring control over, re-established control of, re-established
        control over, reestablished control of, reestablished control over, restored, restore, restores,
        restoring, restored stability in, restored stability to, restoring stability in, restore stability in
        """,
    ),
    (
        "entered",
        "send",
        """
        sending, sent, dispatching, dispatched
        """,
    ),
    (
        "holds",
        "hands",
        """
        hands, control, control of
        """,
    ),
    (
        "recaptured",
        "oust",
        """
        pushed, push, pushes, pushing, drove, driven, driving, chased, expelled, expel, expels, expelling,
        ousted, oust, ousts, ousting, ejected, routed
        """,
    ),
    (
        "recaptured",
        "noun",
        """
        recapture of, retaking of
        """,
    ),
    (
        "captured",
        "cede",
        """
        handed, hands, hand, handing, handed over, hand over, hands over, handing over, handed back,
        hand back, hands back, handing back, ceded, cede, cedes, ceding, surrendered, surrender, surrenders,
        surrendering, returned, return, returns, returning
        """,
    ),
    (
        "entered",
        "verb",
        """
        entered, enter, enters, entering, pushed into, push into, pushing into, moved into, move into,
        moving into, moved in, move in, moves in, moving in, stormed into, storm into, rolled into, marched
        into, broke into, break into, breaking
        into, breaks into, broken into, advanced into,
        advancing into, poured into, raised the flag, raising the flag, raised their flag,
        raising their flag, raised the national flag, raising the national flag, hoisted the flag, hoisting
        the flag, hoisted their flag, hoisting their flag, hoisted the national flag, hoisting the national
        flag, planted the flag, planted their flag, raised a flag, raising a flag, taken up positions on,
        taken up positions in, took up positions on, took up positions in, taking up positions on, taking up
        positions in, take up positions on, take up positions in
        """,
    ),
    (
        "entered",
        "noun",
        """
        entry into
        """,
    ),
    (
        "entered",
        "reach",
        """
        reached, reach, reaches, reaching
        """,
    ),
    (
        "claimed_control",
        "verb",
        """
        claimed, claims
        """,
    ),
    (
        "claimed_control",
        "free",
        """
        free
        """,
    ),
    (
        "withdrew",
        "withdraw",
        """
        withdrew, withdrawn, withdraw, withdraws, withdrawing, withdrawal, withdrawals, pulled out, pull
        out, pulls out, pulling out, pulled back, pullout, pull-out, retreated, retreat, retreats,
        retreating, redeployment, redeployed, redeploying, abandoned, abandon, abandoning, evacuated,
        evacuate, vacated, tactical withdrawal, pulled, pulls, pull, pulling, fled, flee, flees, fleeing,
        repositioned, repositioning, regrouped, regrouping, left, leave, leaves, leaving, fell back,
        fall back, falls back, falling back, fallen back, gone
        """,
    ),
    (
        "advancing",
        "verb",
        """
        advancing on, advancing towards, advancing toward, advanced on, advanced towards, advanced toward,
        advance on, advance towards, advance toward, advances on, advances towards, bearing down on, bore
        down on, closing in on, closed in on, close in on, closes in on, pushing towards, pushing toward,
        pushed towards, pushed toward, push towards, marching on, marched on, march on, marching towards,
        moving on, moved on, moving towards, moved towards, approaching, approached, converging on,
        converged on, edging closer to, inching closer to, reached the outskirts of, reach the outskirts of,
        reaching the outskirts of, reached the edge of, nearing, neared, threatening, threaten, threatens,
        threatened, pressed, pressing, headed, heading, drove, driving, advancing, advanced, heading for,
        headed for, heads for, head for, bound for, making for, made for, pushing, pushed, moving, moved,
        marching, marched, pressing on, pressed on, press on, presses on, advanced in, advancing in,
        fought its way to, fought their way to, fighting its way to, fighting their way to
        """,
    ),
    (
        "advancing",
        "noun",
        """
        advance on, advance towards, advance toward, push towards, push toward, march on, drive on,
        advances near, advances in, advances on, advances towards, advances toward, gains near, advances by,
        advance by, gains by
        """,
    ),
    (
        "besieging",
        "verb",
        """
        besieging, besieged, besiege, besieges, surrounded, surround, surrounds, surrounding, encircled,
        encircle, encircles, encircling, blockading, blockaded, laid siege to, lay siege to, laying siege
        to, at the walls of, at the gates of
        """,
    ),
    (
        "besieging",
        "noun",
        """
        siege of, encirclement of, blockade of, siege on, blockade on, blockade around
        """,
    ),
    (
        "besieging",
        "subject",
        """
        under siege, is encircled, are encircled, was encircled
        """,
    ),
    (
        "attacked",
        "verb",
        """
        attacked, attack, attacks, attacking, assaulted, assault, assaulting, raided, raid, raiding,
        stormed, storming, storm, storms, launched an assault on, launched an attack on, launched an
        offensive on,
        ambushed, ambushing, opened fire on, open fire on, opening fire on, launching an offensive on,
        launching an attack on, launching an assault on
        """,
    ),
    (
        "attacked",
        "noun",
        """
        attack on, attacks on, attack in, attacks in, attack near, attack against, attacks against, assault
        on, assault against, offensive on, offensive against, offensive in, raid on, raids on, attack at,
        attacks at, assaults on, assaults in, assaults near, assaults against, assault in, assault near,
        attacks near,
        ambush near, ground assault on, incursion into, operation against, operations against, operation
        on, counteroffensive against, counter-offensive against, offensive towards, aimed at, directed at
        """,
    ),
    (
        "attacked",
        "subject",
        """
        facing an attack, faces an attack, faced an attack, came under attack, came under fire, under
        attack, under fire, was attacked, were attacked, is under attack
        """,
    ),
    (
        "attacked",
        "state",
        """
        repelled, repulsed, fought off, beat back, beaten back, thwarted, foiled, pushed back, drove back,
        driven back, held off, fended off
        """,
    ),
    (
        "holds",
        "verb",
        """
        held, holds, hold, holding, control, controls, controlling, controlled, patrolling,
        patrolled, in control of, dug in, dig in, digging in, defending, defend, defends, defended, remain
        in control of, still in control of, maintained control of, retained control of, kept control of,
        resisting in, holding out in, held out in, hold out in, holding on to, held on
        to, hold on to, clinging on to, clinging to, in control over, remain in control over, still in control
        over, maintained control over, retained control over, kept control over, stationed in, stationed at,
        stationed inside, stationed around, garrisoned in, garrisoned at
        """,
    ),
    (
        "holds",
        "hold_on",
        """
        held on, holding on, hold on, holds on, held out, holding out, hold out, holds out
        """,
    ),
    (
        "holds",
        "noun",
        """
        control of, control over, defences on, defenses on, defences around, defenses around, defences in,
        reinforcements
        to, reinforcements in
        """,
    ),
    (
        "holds",
        "compound",
        """
        held, controlled, occupied
        """,
    ),
    (
        "holds",
        "stronghold",
        """
        stronghold of, strongholds of, bastion of, bastions of
        """,
    ),
    (
        "holds",
        "state",
        """
        under control, under its control, under their control
        """,
    ),
    (
        "entered",
        "flag",
        """
        flag
        """,
    ),
    (
        "denied",
        "deny",
        """
        denied, deny, denies, denying, rejected, rejects, reject, dismissed, dismisses, refuted, refutes,
        disputed, disputes, not true, untrue
        """,
    ),
)

TRIGGERS: dict[tuple[str, ...], list[Trigger]] = {}
for _action, _shape, _phrases in _TABLE:
    for _phrase in _forms(_phrases):
        TRIGGERS.setdefault(tuple(_phrase.split()), []).append(Trigger(_action, _shape))

MAX_TRIGGER_WORDS = max(len(k) for k in TRIGGERS)
TRIGGER_FIRST_WORDS = frozenset(k[0] for k in TRIGGERS)
# Every prefix of a trigger phrase: a match is extended word by word only while
# some phrase still starts that way.
TRIGGER_PREFIXES = frozenset(k[:n] for k in TRIGGERS for n in range(1, len(k) + 1))
# What a phrase can start with: a one-word trigger, or the first two words of a longer one.
TRIGGER_SINGLES = frozenset(k[0] for k in TRIGGERS if len(k) == 1)
TRIGGER_PAIRS = frozenset(k[:2] for k in TRIGGERS if len(k) > 1)

# Words that may sit inside a multi-word trigger without breaking it:
# "had taken complete control of", "claims full control of".
INNER_SKIP = word_set(
    """
    full complete total effective partial fully also
    """
)

# Verbs that declare a place's state: "declared the city free", "proclaim X liberated".
DECLARE_VERBS = word_set("declare declares declared declaring proclaim proclaims proclaimed proclaiming")

# Control actions: what a denial can deny and a claim can claim.
CONTROL_ACTIONS = frozenset({"captured", "recaptured", "entered", "withdrew", "holds", "claimed_control"})
TAKE_ACTIONS = frozenset({"captured", "recaptured", "entered"})

# "took" is a capture only when its object can be a place.
TAKE_OBJECT_STOP = frozenset(
    {
        "part",
        "place",
        "power",
        "time",
        "note",
        "responsibility",
        "aim",
        "steps",
        "hold",
        "refuge",
        "shelter",
        "office",
        "charge",
        "effect",
        "root",
        "shape",
        "care",
        "advantage",
        "action",
        "control",
        "hostage",
        "hostages",
        "prisoner",
        "prisoners",
        "off",
        "up",
        "cover",
        "a",
        "the decision",
        "days",
        "weeks",
        "months",
        "years",
        "hours",
        "lives",
    }
)
HIT_VERBS = word_set(
    """
    hit struck strikes pounded pounding targeted shell attack assault
    """
)

# Modal and irrealis words: the statement is about what may, would or will happen.
MODALS = word_set(
    """
    would could might may will should can shall wo must cannot ll
    """
)
NEGATIONS = word_set(
    """
    not never no nt without neither nor failed unable unlikely impossible refused
    """
)
CONDITIONALS = frozenset({"if", "unless", "whether", "once", "lest", "until"})
# Verbs that turn a following infinitive into a plan, fear or threat rather than
# a fact: "aim to overthrow", "prepare to attack", "vowed to retake".
INTENT_WORDS = word_set(
    """
    aim aims aimed aiming plan plans planned planning prepare prepares prepared preparing vow vowed vows
    threaten threatened threatens want wants wanted seek seeks sought try tries tried trying attempt
    attempted attempting hope hopes hoped intend intends intended expected expect likely able ready poised
    set going order need needs bid effort efforts call calls called urge urged pledged pledge promised
    promise tasked mobilised mobilized sent arriving deployed decision fight fighting struggle struggling
    scramble scrambling offer offers offered offering propose proposes proposed proposing
    """
)
# Verbs after which an infinitive still reports a fact: "continued to capture".
FACTIVE_BEFORE_TO = word_set(
    """
    continued continue continues continuing began begun begin begins beginning started start starts managed
    manage manages allowed forced claimed claim claims claiming appeared appears seemed seems used moved
    went rushed said reported is was were are ordered
    """
)
# Motion verbs that are an advance only with "towards X" after them in the clause
# ("pressed south along the M5 highway towards Maarat al-Numan").
MOTION_TOWARDS = word_set(
    "pressed pressing headed heading drove driving pushing pushed moving moved marching marched"
)
TOWARDS = word_set("towards toward")
# Nouns an attack word qualifies: "assault groups", "attack helicopters".
ATTACK_COMPOUNDS = word_set(
    """
    group groups team teams unit units troops forces rifle rifles helicopter helicopters drone drones
    brigade brigades battalion battalions aircraft craft vehicles boats submarine squad squads
    """
)

# What a force sends: "sending fighters into the city".
SENT_FORCES = word_set("fighters troops forces units reinforcements soldiers men columns tanks")

# Movements whose purpose infinitive still says where a force stands:
# "reinforcements arriving to dig in around the city", "withdrew to defend Homs".
MOTION_WORDS = word_set(
    """
    arriving arrived sent deployed rushed moved withdrew redeployed dispatched reinforcements withdrawn
    pulled retreated
    """
)
REPEL_WORDS = word_set(
    """
    repelled repulsed fought beat beaten thwarted foiled repel repulse pushed drove driven held fended
    """
)
CLAIM_WORDS = frozenset({"claim", "claims", "claimed", "claiming"})
# "the claim", "this claim", "such claims": a reference back to a claim made before.
CLAIM_NOUNS = frozenset({"claim", "claims"})
CLAIM_DETERMINERS = frozenset({"the", "this", "that", "these", "those", "such"})
SPEECH_WORDS = word_set(
    """
    said says say saying told tells reported reports reporting report announced announces stated states
    added adding confirmed confirms claimed claims claim claiming insisted insists wrote posted quoted
    acknowledged admitted warned noted showed shows indicated announcing
    """
)
BE_WORDS = word_set(
    """
    was were is are been being be got get gets s re
    """
)
PASSIVE_SKIP = word_set(
    """
    also now reportedly already finally completely fully recently just since largely effectively partly
    partially quickly still all then
    """
)
# Clause boundaries for the search of a trigger's object.
OBJECT_STOP = word_set(
    """
    to towards toward after before as while but because since although though which who whom when where
    allowing saying said says with than despite amid leaving forcing cutting ending until unless if whereas
    so yet between including following like ahead during against
    """
)
CLAUSE_PUNCT = word_set(
    """
    , ; : . ! ? ( ) — – [ ]
    """
)
QUOTES = frozenset({'"', "“", "”", "‘", "’", "'", "«", "»", "…"})

# The edge of a place is not the place: "claiming to control countryside around
# the city", "captured the outskirts of Kharkiv", "seized villages near Bakhmut".
# Taking or holding the surroundings of a place puts a force at its edge: a
# threat to it (``advancing``), not control of it. A withdrawal from the
# surroundings stays a withdrawal from the place.
PERIPHERY_ACTIONS = frozenset({"captured", "recaptured", "entered", "holds", "claimed_control"})
# A defender on the edge of its own place still holds it ("defending the
# approaches to Kyiv", "dug in on the outskirts of Bakhmut"): no threat.
DEFENCE_WORDS = word_set(
    """
    defending defend defends defended dug dig digging defences defenses reinforcements
    """
)
# Nouns naming the ring around a place ("the northern outskirts of", "the Kyiv suburbs").
PERIPHERY_NOUNS = word_set(
    """
    outskirts outskirt suburbs surroundings surrounds environs vicinity periphery edge edges fringes fringe
    countryside approaches hinterland hinterlands perimeter outlying peripheries
    """
)
# Prepositions that put the object beside the place rather than in it
# ("villages around", "areas near", "positions outside", "heights overlooking").
PERIPHERY_PREPOSITIONS = word_set(
    """
    around near nearby outside surrounding overlooking encircling ringing round
    """
)
# What can lie around a place and be taken without it: "villages near X", "areas
# around X". A facility ("an army post near X", "the airport outside X") stands
# for the place it serves and is not a ring.
PERIPHERY_AREAS = word_set(
    """
    villages village towns town hamlets hamlet settlements settlement localities locality communities areas
    area territory territories land lands fields farmland farms hills hill heights ridges ridge districts
    neighbourhoods neighborhoods parts zones zone regions countryside ground
    """
)
# "close to X", "next to X", "the approaches to X": a "to" that does not end the object.
PERIPHERY_BEFORE_TO = word_set(
    """
    close closer next approaches approach adjacent
    """
)
# Words that may sit between a place and its ring noun ("Kharkiv's northern suburbs").
PERIPHERY_MODIFIERS = word_set(
    """
    north south east west northern southern eastern western northeastern northwestern southeastern
    southwestern north-eastern north-western south-eastern south-western rural immediate outer nearby
    surrounding far near wider greater
    """
)
