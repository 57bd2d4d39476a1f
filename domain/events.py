"""From an action phrase to an event: its place, actor, counterpart and time.

The phrase's *shape* (see ``domain.actions``) says where its arguments are:
the place after a verb or noun ("captured Hama", "the fall of Hama"), before
it when the place is the subject ("Goma fell"), the actor before it or after
"by"/"to"/"of". Places coordinated with the first one ("Daraa and
as-Suwayda") share the event. A capture of a place's ring ("the outskirts of
X") is an advance on X, not control of it.

Distances ("six miles from the capital") attach to the place they qualify,
and an actor stated to be that close is advancing. A denial yields its own
event about what it denies.
"""

from __future__ import annotations

import dataclasses
import functools

from domain import actions as A
from domain.actors import Actor
from domain.attribution import Speaker, actor_of, source_before, speaker_for, stance_of
from domain.distance import DistanceMention
from domain.distance import find_distances as stated_distances
from domain.gazetteer import normalize_name
from domain.ids import place_key
from domain.mentions import attached, modifier, role_actor
from domain.modality import irrealis
from domain.places import MONTHS, PLURAL_HEADS, SETTLEMENT_NOUNS, resolve_anaphor
from domain.reading import Draft, Mention, Reading
from domain.timeexpr import find_times
from domain.tokens import word_set
from domain.triggers import (
    DEMONYM_HOLDER,
    ceded,
    flag_place,
    freed_place,
    in_hands,
    ousted,
    passive_ousted,
    reached_inside,
    towards,
)
from schemas.common import ActorRef, Place, Source, TimeSpan
from schemas.event import Distance

DENIAL_OBJECT_NOUNS = word_set(
    """
    claim claims report reports reported allegation allegations accusation accusations rumours rumors
    statement account accounts version
    """
)

ATTACK_ACTIONS = frozenset({"attacked"})

# What a side denies doing for another: "denies backing the rebels".
SUPPORT_WORDS = word_set(
    """
    backing supporting arming funding financing helping aiding sponsoring supplying training sending
    support involvement links ties
    """
)

# What a side is accused of: "accusations rejected by Kigali" deny a blame, not a capture.
ACCUSATION_NOUNS = word_set("accusation accusations allegation allegations blame charge charges")

DOUBLE_QUOTES = frozenset({'"', "“", "”", "«", "»"})

# How many sentences back "the claim" of a denial may have been made.
RECENT_CLAIM_SENTENCES = 2
# How many sentences back a denied take ("denied that the army had taken it") may be.
DENIED_TAKE_SENTENCES = 8

# Takes that become ``claimed_control`` when only the taker's own side says so.
OWN_CLAIM_ACTIONS = frozenset({"captured", "recaptured"})

# Words after which an attack verb's form is its noun: "repelled attacks", "an assault".
NOUN_MARKERS = A.REPEL_WORDS | frozenset({"a", "an", "the", "several", "two", "three", "repeated", "new"})


# -- events of one action phrase ---------------------------------------------------------


def event(
    r: Reading,
    start: int,
    end: int,
    trig: A.Trigger,
    speakers: list[Speaker],
    distances: list[tuple[int, int, DistanceMention, Mention | None]],
    drafts: list[Draft],
) -> list[Draft]:
    """The events one action phrase states: one per place it is about, or none
    when the sentence does not give it both a place and an actor."""
    shape = trig.shape
    action = trig.action
    if shape == "send":
        return _sent(r, start, end, speakers)
    if shape == "verb" and action == "attacked" and start > 0 and _noun_marked(r, start):
        shape = "noun"  # "repelled attacks by enemy groups near X", "an assault by the RSF on X"
    passive = _passive(r, start, end) if shape == "verb" else False
    places: list[Mention] = []
    relative = False  # the place is the antecedent of "which"
    actor_m: Mention | None = None
    counterpart: Actor | None = None
    fight = _fight_for_control(r, start) if action == "holds" and shape == "noun" else -1
    if fight >= 0:
        # "battling government troops for control of Lashio": a fight for the
        # place, not a hold of it; the fighters are the subject of the fight.
        shape, action = "fight", "attacked"
        places = _objects(r, end)
        actor_m = _subject(r, fight)
    if shape == "verb" and not passive:
        heading = towards(r, end) if r.norms[start] in A.MOTION_TOWARDS else None
        take = action in A.TAKE_ACTIONS
        if heading is not None:
            places = _objects(r, heading + 1) if _place_after_towards(r, heading + 1) else []
        elif r.norms[end - 1] in A.TOWARDS and not _place_after_towards(r, end):
            places = []  # "pushed towards talks in Jeddah"
        else:
            places = _objects(r, end, take=take)
        if action in {"attacked", "advancing"} and (not places or _direction_of(r, places[0])):
            # "attacked southeast of Sudzha toward Berdin": the bearing's place is a
            # landmark; the attack is on the place it went towards.
            aim = towards(r, places[-1].end if places else end)
            if aim is not None and _place_after_towards(r, aim + 1):
                places = _objects(r, aim + 1)
        if not places:
            places = _relative_antecedent(r, start)
            relative = bool(places)
        if not places and end < r.n and r.norms[end] == "it" and action in A.CONTROL_ACTIONS:
            # "attacked a camp at Bourem and said it had seized it": the place just named
            before = r.mention_before(start, ("place", "anaphor"), 20)
            places = [before] if before is not None and not before.reference else []
        shared = _shared_subject(r, start, drafts) if drafts and r.norms[start].endswith("ing") else None
        actor_m = shared or _coordinated_subject(r, start, drafts) or _subject(r, start)
        declared = _declared_place(r, start) if action in A.TAKE_ACTIONS else None
        if declared is not None:
            # "We declare the city of Damascus liberated": a claim of control.
            places, actor_m, action = [declared[0]], _subject(r, declared[1]), "claimed_control"
        if action == "captured" and r.norms[start].startswith("lib") and not places:
            return []
    elif shape == "verb" and passive:
        places = _subject_places(r, start, coordinated=_plural_verb(r, start))
        actor_m = _agent(r, end, "by") or _subject(r, start) or r.mention_after(end, ("actor",), 12)
    elif shape == "noun":
        places = _objects(r, end)
        if not places and action == "attacked":
            # "around Sake, where the army said it had repelled an M23 assault"
            places = _relative_antecedent(r, start)
            relative = bool(places)
        head = start
        if r.norms[start] in {"aimed", "directed"}:
            # "a second Russian thrust was aimed at X": whose thrust it is.
            while head > 0 and r.norms[head - 1] in A.BE_WORDS | {"also", "mainly", "chiefly"}:
                head -= 1
            head -= 1
        named = _agent(r, end, "by") or _possessor(r, head)
        if r.norms[end - 1] == "by":
            # "advances by Russian forces on the outskirts of X": the actor is the agent
            named = r.mention_after(end, ("actor",), 3) or named
        if r.norms[start] in {"fall", "capture", "seizure"}:
            named = _agent_after(r, end, "to", limit=6) or _agent_after_apposition(r, end) or named
        if _background(r, start):
            # "a week after the fall of Aleppo", "since the capture of X": a time
            # reference, an event only with the actor it names.
            if named is None:
                return []
            actor_m = named
        else:
            actor_m = named or _subject(r, start)
    elif shape == "subject":
        places = _subject_places(r, start, coordinated=_plural_verb(r, start))
        if action == "attacked" and _force_subject(r, start):
            # "the valley between X and the border, where they are under attack":
            # the force is attacked where the relative clause says, not at X.
            places = _relative_antecedent(r, start)
        actor_m = _agent(r, end, "by") or _agent_after(r, end, "to")
        if actor_m is None and action == "attacked":
            actor_m = r.mention_after(end, ("actor",), 10)
            victim = None if actor_m is not None else _subject(r, start)
            victim_actor = actor_of(r, victim, speakers, start) if victim is not None else None
            foe = _opponent(r, victim_actor) if victim_actor is not None else None
            if foe is not None and victim is not None:
                # "his unit came under fire": the side it fights fired.
                actor_m = Mention("actor", victim.start, victim.end, foe.name, actor=foe, generic=True)
            elif victim is not None and victim.kind == "actor" and victim.actor is None:
                actor_m = victim
            if not places and victim is not None:
                places = _objects(r, end, limit=6)  # "troops came under fire near X"
    elif shape == "fell_to":
        places = _subject_places(r, start)
        actor_m = _agent_after(r, start, "to")
        if actor_m is None and end < r.n and r.norms[end] == "them":
            actor_m = _any_actor(r, start) or _last_actor(r, start)  # "Hama fell to them"
    elif shape == "lost":
        places = _objects(r, end)
        actor_m = _agent_after(r, end, "to", limit=16)
        subject = _subject(r, start)
        if subject is not None and subject.actor is not None:
            counterpart = subject.actor
        if actor_m is None:
            return []
    elif shape == "compound":
        places = _objects(r, end, limit=5)
        actor_m = _compound_actor(r, start)
        if _compound_is_past_or_part(r, start, end):
            return []
    elif shape == "stronghold":
        places = _subject_places(r, start, coordinated=True)
        actor_m = _agent_after(r, start, "of", limit=2) or r.mention_after(end, ("actor",), 4)
    elif shape == "withdraw":
        if r.norms[start] in DEPARTURE_VERBS and _bound_for(r, end):
            return []  # "the column left Gao on Monday and is heading for Kidal": a departure
        places = _withdraw_places(r, start, end, drafts)
        actor_m = (
            _subject(r, start) or _agent_after(r, end, "of", limit=2) or r.mention_after(end, ("actor",), 4)
        )
    elif shape == "hands":
        holder_at = in_hands(r, start, end)
        if holder_at is None:
            return []
        if holder_at == DEMONYM_HOLDER:
            # "which remain in Ukrainian hands", "remained under Russian control"
            k = start - 1
            gov = r.lexicon.actors.government_of(r.lexicon.demonyms[r.norms[k]], r.ctx.conflict)
            if gov is None:
                return []
            actor_m = Mention("actor", k, start, r.texts[k], actor=gov)
            places = _subject_places(r, k - 1, coordinated=True)
        elif holder_at < 0:
            # "remained in its hands", said by the side it means
            speaker = speaker_for(r, start, speakers)
            actor_m = (
                Mention("actor", start - 1, start, r.texts[start - 1], actor=speaker.actor)
                if speaker is not None and speaker.actor is not None
                else None
            )
            places = _subject_places(r, start - 2)
        else:
            actor_m = r.mentions[holder_at]
            places = _subject_places(r, min(actor_m.start, start), coordinated=True)
    elif shape == "cede":
        # "the MNDAA handed Lashio back to the junta": the receiver takes the
        # place, and the giver (the subject) withdraws from it.
        found = ceded(r, end)
        if found is None:
            return []
        places = _objects(r, found[0], limit=8)
        actor_m = r.mentions[found[1]]
        giver = _subject(r, start)
        giver_actor = actor_of(r, giver, speakers, start) if giver is not None else None
        if giver_actor is not None:
            counterpart = giver_actor
        if "back" in r.norms[start : actor_m.start] or r.norms[start].startswith("return"):
            action = "recaptured"  # "returned Lashio to the military": back to who held it
    elif shape == "free":
        found = freed_place(r, start, end)
        if found is None:
            return []
        places = [r.mentions[found[0]]]
        speaker = speaker_for(r, start, speakers)
        if found[1] >= 0:
            actor_m = _subject(r, found[1])
        elif speaker is not None and speaker.actor is not None:
            actor_m = Mention("actor", start, start, speaker.source.name, actor=speaker.actor)
        else:
            return []  # "the town is free": whose word, for whom, is not said
    elif shape == "reach":
        at = reached_inside(r, end)
        if at is None:
            return []
        places = _objects(r, at, limit=6)
        actor_m = _subject(r, start)
    elif shape == "announced":
        # "Erdogan announced the capture in a speech": of the place just told.
        places = []
        actor_m = _subject(r, start - 2)
    elif shape == "hold_on":
        places = []  # "the SDF has held on": where the last statement was
        actor_m = _subject(r, start)
    elif shape == "flag":
        at = flag_place(r, start, end)
        if at is None:
            return []
        places = [r.mentions[r.owner[at]]]
        k = start - 1
        if r.owner[k] >= 0:
            actor_m = r.mentions[r.owner[k]]
        else:
            gov = r.lexicon.actors.government_of(r.lexicon.demonyms[r.norms[k]], r.ctx.conflict)
            actor_m = Mention("actor", k, start, r.texts[k], actor=gov) if gov is not None else None
    elif shape == "oust" and ousted(r, end) is None:
        # "The RSF denied it had been driven out of Khartoum": the subject left.
        out_at = passive_ousted(r, start, end)
        if out_at is None:
            return []
        places = _objects(r, out_at, limit=8)
        actor_m = _subject(r, start)
        action = "withdrew"
    elif shape == "oust":
        found = ousted(r, end)
        if found is None:
            return []
        places = _objects(r, found[1], limit=8)
        actor_m = _coordinated_subject(r, start, drafts) or _subject(r, start)
        ousted_m = r.mentions[found[0]]
        ousted_actor = actor_of(r, ousted_m, speakers, start)
        if ousted_actor is not None:
            counterpart = ousted_actor
    elif shape == "state":
        places = _objects(r, end, limit=8) if action == "attacked" and _repelled_force(r, end) else []
        actor_m = _subject(r, start)
    if actor_m is None or (actor_m.kind == "actor" and actor_m.end <= start):
        # ("The enemy is trying to break into X": with no actor named, the
        # speaker's word for the other side is the subject.)
        pejorative = (
            _pejorative_between(r, actor_m.end, start) if actor_m is not None else _enemy_subject(r, start)
        )
        if pejorative is not None:
            speaker = speaker_for(r, start, speakers)
            accuser = speaker.actor if speaker and speaker.actor else role_actor(r, "government")
            enemy = _opponent(r, accuser) if accuser else None
            if enemy is not None:
                actor_m = Mention(
                    "actor", pejorative, pejorative + 1, r.texts[pejorative], actor=enemy, generic=True
                )
    if action == "attacked" and shape == "state" and _passive(r, start, end):
        actor_m = _subject(r, start)  # "the attackers were repelled"
    elif action == "attacked" and _repelled(r, start):
        # "repelled 20 Russian attacks near X", "beat back a rebel assault on Y":
        # the attacker is the one the attack's noun phrase names; else the
        # enemy of whoever repelled it.
        # (Before "repelled" itself stands who repelled, not who attacked.)
        attacker = (
            None if r.norms[start] in A.REPEL_WORDS else _attacker_named(r, start) or _attack_by(r, start)
        )
        if attacker is None and shape == "state":
            attacker = _repelled_force(r, end)  # "pushed back the attackers in Bamba"
        repeller = _subject(r, _repel_word_before(r, start))
        opponent = None
        if repeller is not None:
            repeller_actor = actor_of(r, repeller, speakers, start)
            if repeller_actor is not None:
                opponent = _opponent(r, repeller_actor)
        told = _attack_told(r, start) if attacker is None else None
        if attacker is not None:
            actor_m = attacker
        elif told is not None:
            # "They attacked the camp at Bourem. The army said it had repelled the
            # assault": the attacker of the attack just told.
            actor_m = Mention("actor", start, start, told.name, actor=told)
        elif opponent is not None:
            actor_m = Mention("actor", start, start, opponent.name, actor=opponent)
    # "captured the outskirts of X": the actor is at X's edge, not in it.
    # ("10 km west of Bakhmut, which Russian forces took": the relative clause
    # takes the place itself, whatever the main clause puts beside it.)
    edge = (
        action in A.PERIPHERY_ACTIONS
        and r.norms[start] not in A.DEFENCE_WORDS
        and bool(places)
        and not relative
        and _periphery(r, places[0], end)
    )
    if places and action in A.PERIPHERY_ACTIONS:
        # "30 settlements in the Kharkiv region were retaken": some of the region's
        # places changed hands, not the region (nor its capital). "Gives the rebels
        # control of a major city in central Syria": a country is where control
        # is, not what is controlled.
        places = [
            m
            for m in places
            if not (m.place is not None and m.place.precision in {"region", "country"})
            or (m.place.precision == "region" and not _part_of_region(r, m))
        ]
        if places and not relative and _direction_of(r, places[0]):
            # "holding their lines north of Homs", "took villages west of X": beside
            # the place, not in it; a take there is at most a threat to it.
            if action == "holds":
                return []
            edge = True
    resolved = _resolve_places(r, places, start)
    if action in ATTACK_ACTIONS and shape == "noun" and r.norms[end - 1] == "in":
        # "launched an offensive in northern Shan State": the theatre, not a target.
        resolved = [p for p in resolved if p.precision not in {"region", "country"}]
    if action in ATTACK_ACTIONS and places and _countryside_after(r, places[-1]):
        # "attacked villages in the Aleppo and Idlib countryside": the rural
        # province, not the city it is named after.
        resolved = [_province(r, p) for p in resolved]
    if not resolved and shape in {"state", "hold_on"} and not any(m.kind == "place" for m in r.mentions):
        resolved = list(r.ctx.last_event_places[:1])
    if shape == "announced":
        resolved = list(r.ctx.last_event_places[:1])
    places_here = [m for m in r.mentions if m.kind == "place"]
    if (
        not resolved
        and shape == "withdraw"
        and (any(m.destination for m in places_here) or r.norms[start] == "gone")
        and all(m.destination or m.reference for m in places_here)
    ):
        # "A resident of Ann said ... 'the soldiers were gone'", "Another resident
        # said junta troops had retreated south towards Taungup": from the place
        # the sentence before was about.
        resolved = list(r.ctx.prev_places[:1])
    if shape == "state" and action == "holds":
        speaker = speaker_for(r, start, speakers)
        holder = speaker.actor if speaker and speaker.actor else role_actor(r, "government")
        if holder is not None:
            actor_m = Mention(
                "actor", start, start, speaker.source.name if speaker else holder.name, actor=holder
            )
    if not resolved:
        return []
    actor = actor_of(r, actor_m, speakers, start) if actor_m else None
    generic = bool(actor_m and actor_m.generic)
    subject_phrase = shape == "noun" and bool(places) and _subject_phrase(r, places[0])
    if actor is None and actor_m is None and shape in {"subject", "verb", "noun"} and not subject_phrase:
        # (Not for "the capture of Minova exposed the weakness of Congo's army":
        # an actor of the verb after the phrase did not capture it.)
        fallback = _any_actor(r, start, later_clause=shape != "verb")
        if fallback is not None:
            actor_m = fallback
            actor = actor_of(r, fallback, speakers, start)
            generic = fallback.generic
    if actor is None and actor_m is None and shape == "subject" and r.norms[start] in FALL_WORDS:
        actor = _narrated_taker(r)  # "On Saturday, Khan Sheikhoun fell": to the offensive just told
    if actor is None and actor_m is None and shape == "noun" and action == "captured" and places:
        # "The fall of Hama followed the capture of the towns of X and Y": by the
        # side whose offensive the article is telling.
        index, taker = r.ctx.last_taker
        if taker is not None and r.sentence.index - index <= TAKER_SENTENCES:
            actor = taker
    if actor is None and r.norms[start].startswith("liberat") and resolved and resolved[0].country:
        # "Maliar announced the liberation of Urozhaine": with no side named, the
        # speaking party's own side liberated it, else the government of the
        # place's own country.
        speaker = speaker_for(r, start, speakers)
        actor = (
            speaker.actor
            if speaker is not None and speaker.actor is not None
            else r.lexicon.actors.government_of(resolved[0].country, r.ctx.conflict)
        )
    if actor is None:
        return []
    if (
        action == "advancing"
        and r.norms[start] in A.MOTION_TOWARDS
        and any(d.action == "withdrew" and d.actor_obj is actor for d in drafts)
    ):
        return []  # "leaving the city ... and heading west towards X": the way of a retreat
    if action == "advancing" and r.norms[start] in A.MOTION_TOWARDS and _retreating(r, actor):
        return []  # "The army redeployed outside Hama. ... Army trucks were seen heading towards Homs"
    stance, source, claim_verb = stance_of(r, start, actor, speakers)
    if trig.action == "claimed_control" and stance == "asserted":
        # "Russia claimed Ocheretyne": the claimant's own word.
        stance, source = "claimed", Source(name=actor.name, kind="government" if actor.is_state else "party")
    if claim_verb and action in A.CONTROL_ACTIONS - {"withdrew"}:
        action = "claimed_control"
    if shape == "flag" and stance == "claimed":
        action = "claimed_control"  # 'Zelensky said the Ukrainian flag was "already in Lyman"'
    if (
        action == "holds"
        and stance == "claimed"
        and _now_before(r, start)
        and (shape == "hands" or not actor.is_state)
    ):
        # '"X is now under the control of the MNDAA," the statement said', "the
        # spokesman said the rebels now controlled X": a group's word of a change of hands.
        action = "claimed_control"
    # "The RSF said it had taken full control of Y", "'Our forces have liberated
    # Y,' the group said": an armed group's word about its own capture is also a
    # claim of control (kept beside the capture, which a later denial turns into
    # a claim too). A state's army announcing a capture is reported as a capture,
    # unless the article quotes its words ('the military had "completely taken
    # over" the town') or calls them a claim afterwards (``domain.parser``).
    own_claim = stance == "claimed" and not actor.is_state
    if stance == "claimed" and actor.is_state and action in OWN_CLAIM_ACTIONS and _inside_quote(r, start):
        action = "claimed_control"
    # (An invader that is a party of the war, Russia in Ukraine, advances like any side.)
    belligerent = r.ctx.conflict is not None and actor.country in r.ctx.conflict.countries
    foreign_entry = action == "entered" and not belligerent and _foreign(actor, resolved)
    # Still holding a place's ring is a hold kept there, not an advance on it.
    kept = action == "holds" and any(r.norms[k] in STILL_WORDS for k in range(max(0, start - 3), start))
    if edge and action in A.PERIPHERY_ACTIONS and not foreign_entry and not kept:
        # A foreign force entering a zone near a place is a posture there, not an advance on it.
        action = "advancing"  # stance and attribution stay: a claim stays a claim
    if counterpart is None:
        counterpart = _explicit_counterpart(r, end) or _opponent(r, actor)
    when = _when(r, start)
    out: list[Draft] = []
    for place in resolved:
        if when is r.ctx.day and action in NARRATED_ACTIONS:
            when = _carried_date(r, place) or when
        out.append(
            Draft(
                sentence=r.sentence,
                trigger_at=start,
                action=action,
                place=place,
                actor=_actor_ref(actor, actor_m.text if actor_m else None, generic),
                actor_obj=actor,
                counterpart=_counterpart_ref(counterpart, actor),
                stance=stance,
                source=source,
                when=when,
                distance=_distance_for(r, place, distances),
            )
        )
    co_actor = None
    if actor_m is not None and actor_m.start > 1 and r.norms[actor_m.start - 1] == "and":
        co_actor = _co_subject(r, actor_m, start) if shape in {"verb", "withdraw"} else None
    if co_actor is not None and co_actor.id != actor.id and co_actor.side == actor.side:
        # "FARDC soldiers and Wazalendo fighters pulled back": both did.
        ref = _actor_ref(co_actor, None, False)
        out.extend([dataclasses.replace(d, actor=ref, actor_obj=co_actor) for d in out])
    if own_claim and action in OWN_CLAIM_ACTIONS:  # (a take of a place's ring is an advance)
        out.extend([dataclasses.replace(d, action="claimed_control") for d in out])
    if (
        trig.shape in {"oust", "cede"}
        and action != "withdrew"
        and counterpart is not None
        and counterpart.id != actor.id
        and not edge
    ):
        # (Pushed back from the ground around X: a setback near X, not a loss of X.)
        # ... and the side pushed out withdrew from it.
        for d in list(out):
            out.append(
                Draft(
                    sentence=r.sentence,
                    trigger_at=start,
                    action="withdrew",
                    place=d.place,
                    actor=_registry_ref(counterpart),
                    actor_obj=counterpart,
                    counterpart=_counterpart_ref(actor, counterpart),
                    stance=d.stance,
                    source=d.source,
                    when=d.when,
                )
            )
    return out


FIGHT_WORDS = word_set("fighting fight fights fought battling battle battles battled clashing clashed vying")


def _fight_for_control(r: Reading, start: int) -> int:
    """Where the fight word of "fighting (X) for (full) control of Y" is; -1
    when "control of" is no such aim."""
    k = start - 1
    while k >= 0 and r.norms[k] in {"full", "total", "the", "complete"}:
        k -= 1
    if k < 1 or r.norms[k] != "for":
        return -1
    for x in range(k - 1, max(-1, k - 8), -1):
        if r.texts[x] in A.CLAUSE_PUNCT:
            break
        if r.norms[x] in FIGHT_WORDS:
            return x
    return -1


def _now_before(r: Reading, at: int) -> bool:
    """True when "now" qualifies the phrase at ``at`` ("is now under the
    control of", "now in rebel hands"): a change of hands, not a hold kept."""
    for k in range(at - 1, max(-1, at - 6), -1):
        if r.norms[k] == "now":
            return True
        if r.texts[k] in A.CLAUSE_PUNCT:
            return False
    return False


def _co_subject(r: Reading, m: Mention, start: int) -> Actor | None:
    """The actor coordinated before the subject ``m``: "soldiers of the FARDC
    and Wazalendo fighters pulled back" gives the FARDC for Wazalendo."""
    k = m.start - 1
    if m.kind != "actor" or m.end > start or k < 1 or r.norms[k] != "and":
        return None
    k -= 1
    if r.texts[k] == ")" and k >= 2 and r.texts[k - 2] == "(":
        k -= 1  # "the Armed Forces of the DRC (FARDC) and ..."
    owner = r.owner[k]
    if owner < 0:
        return None
    other = r.mentions[owner]
    if other.kind != "actor" or modifier(r, other):
        return None
    return other.actor


def _inside_quote(r: Reading, at: int) -> bool:
    """True when token ``at`` lies inside double quotes: an odd number of them
    opens before it ("had \"completely taken over\" the town")."""
    return sum(1 for k in range(at) if r.texts[k] in DOUBLE_QUOTES) % 2 == 1


def _sent(r: Reading, start: int, end: int, speakers: list[Speaker]) -> list[Draft]:
    """ "sending fighters across the river into the city and south towards X":
    the sender entered the place after "into" and is advancing on the one after
    "towards"."""
    subject = _subject(r, start)
    actor = actor_of(r, subject, speakers, start) if subject else None
    if actor is None or subject is None:
        return []
    out: list[Draft] = []
    for k in range(end, min(r.n, end + 24)):
        if r.texts[k] in A.CLAUSE_PUNCT:
            break
        action = "entered" if r.norms[k] == "into" else "advancing" if r.norms[k] in A.TOWARDS else None
        if action is None:
            continue
        found = _objects(r, k + 1, limit=8)
        for place in _resolve_places(r, found[:1], k):
            stance, source, _ = stance_of(r, start, actor, speakers)
            out.append(
                Draft(
                    sentence=r.sentence,
                    trigger_at=start,
                    action=action,
                    place=place,
                    actor=_actor_ref(actor, subject.text, subject.generic),
                    actor_obj=actor,
                    counterpart=_counterpart_ref(_opponent(r, actor), actor),
                    stance=stance,
                    source=source,
                    when=_when(r, start),
                )
            )
    return out


def denial(
    r: Reading,
    start: int,
    end: int,
    triggers: list[tuple[int, int, A.Trigger]],
    speakers: list[Speaker],
    drafts: list[Draft],
) -> Draft | None:
    """A denial of a control statement: by whom, about which place. A denial
    of an attack ("denied shelling the camp") is not about control."""
    later = [t for t in triggers if t[0] > start]
    if later and all(t[2].action in ATTACK_ACTIONS for t in later):
        return None
    others = [t for t in triggers if t[0] != start]
    recent_claim = any(
        c.sentence.index >= r.sentence.index - RECENT_CLAIM_SENTENCES for c in r.ctx.claims[-1:]
    )
    accused = any(r.norms[k] in ACCUSATION_NOUNS for k in range(max(0, start - 4), min(r.n, end + 4)))
    if others and all(t[2].action in ATTACK_ACTIONS for t in others) and (accused or not recent_claim):
        return None  # "an attack blamed on X, accusations rejected by Y": the attack is denied
    if irrealis(r, start, end, A.Trigger("denied", "deny")):
        return None
    if end < r.n and r.norms[end] in SUPPORT_WORDS:
        return None  # "Kigali denies backing M23": a denied blame, not a place's control
    if any(r.norms[k] in {"territory", "ground"} for k in range(end, min(r.n, end + 3))):
        return None  # "has previously denied losing territory": no place's loss denied
    controls = [t for t in later if t[2].action in A.CONTROL_ACTIONS]
    window = range(end, min(r.n, end + 4))
    has_object_noun = any(r.norms[k] in DENIAL_OBJECT_NOUNS for k in window)
    # 'said the claims were "untrue"': the claims named before the verb.
    has_object_noun = has_object_noun or any(
        r.norms[k] in A.CLAIM_NOUNS and r.norms[k + 1] in A.BE_WORDS for k in range(max(0, start - 4), start)
    )
    # "A security official denied this.": the statement just made.
    has_object_noun = has_object_noun or (
        end < r.n and r.norms[end] == "this" and (end + 1 == r.n or not r.word[end + 1])
    )
    if not controls and any(r.norms[k] == "that" for k in window):
        return None  # "denied reports that its fighters had shelled the camp": not about control
    places: list[Place] = []
    after = r.mention_after(end, ("place", "anaphor"), 20)
    if after is not None and (controls or has_object_noun):
        places = _resolve_places(r, [after], end)
    if not places:
        # "entered Krynky ..., a claim that Ukraine's southern command rejected"
        claimed_here = [d for d in drafts if d.action in A.CONTROL_ACTIONS]
        if claimed_here and not controls:
            places = [claimed_here[-1].place]
    if not places:
        before = [
            m for m in r.mentions if m.end <= start and m.kind in {"place", "anaphor"} and not m.reference
        ]
        if (
            before
            and not controls
            and (r.norms[start] in {"rejected", "rejects", "disputed"} or has_object_noun)
        ):
            places = _resolve_places(r, [before[-1]], start)
    recent = [c for c in r.ctx.claims[-1:] if c.sentence.index >= r.sentence.index - RECENT_CLAIM_SENTENCES]
    if not places and (has_object_noun or controls) and recent:
        # "Ukraine rejected the claim.": the claim just made; not one from
        # paragraphs back ("Kigali denies the accusation" of backing a group).
        places = [recent[-1].place]
    if not places and controls:
        # "denied that the army had taken it": the denied take is the claim the
        # article reported a few sentences back (residents' accounts between).
        earlier = [
            c
            for c in r.ctx.claims
            if c.sentence.index >= r.sentence.index - DENIED_TAKE_SENTENCES and c.action in A.TAKE_ACTIONS
        ]
        if earlier:
            places = [earlier[-1].place]
    if not places:
        return None
    subject = _subject(r, start)
    actor = actor_of(r, subject, speakers, start) if subject else None
    if actor is None:
        # "The defence ministry denied ...": a government office speaks for the government.
        said_by = source_before(r, start)
        if said_by is not None:
            actor = said_by[1]
            if actor is None and said_by[0].kind in {"government", "official"}:
                actor = role_actor(r, "government")
    if actor is None:
        return None
    return Draft(
        sentence=r.sentence,
        trigger_at=start,
        action="denied",
        place=places[0],
        actor=_actor_ref(actor, subject.text if subject else None, bool(subject and subject.generic)),
        actor_obj=actor,
        counterpart=_counterpart_ref(_opponent(r, actor), actor),
        stance="denied",
        source=Source(name=actor.name, kind="government" if actor.is_state else "party"),
        when=_when(r, start),
    )


def negated_take(r: Reading, start: int, end: int, trig: A.Trigger, speakers: list[Speaker]) -> Draft | None:
    """'The government said Masisi had "not fallen"', "the army said the town
    has not been captured": a party's word that a take did not happen denies
    it, about the place that is the subject of the negated verb."""
    if trig.action not in A.TAKE_ACTIONS or trig.shape not in {"subject", "verb", "fell_to"}:
        return None
    k = start - 1
    while k >= 0 and (r.texts[k] in A.QUOTES or r.norms[k] in {"had", "has", "have", "been", "yet", "was"}):
        k -= 1
    if k < 0 or r.norms[k] not in {"not", "never"}:
        return None
    speaker = speaker_for(r, start, speakers)
    if speaker is None or speaker.actor is None or speaker.verb > start:
        return None
    passive = trig.shape != "verb" or _passive(r, start, end)
    mentions = _subject_places(r, k) if passive else _objects(r, end, limit=6)
    places = _resolve_places(r, mentions, start)
    if not places:
        return None
    actor = speaker.actor
    return Draft(
        sentence=r.sentence,
        trigger_at=start,
        action="denied",
        place=places[0],
        actor=_actor_ref(actor, None, False),
        actor_obj=actor,
        counterpart=_counterpart_ref(_opponent(r, actor), actor),
        stance="denied",
        source=Source(name=actor.name, kind="government" if actor.is_state else "party"),
        when=_when(r, start),
    )


def find_distances(r: Reading) -> list[tuple[int, int, DistanceMention, Mention | None]]:
    """Stated distances as (first token, end token, distance, the place it is
    measured from); that place is marked so it is not taken for an event's."""
    out: list[tuple[int, int, DistanceMention, Mention | None]] = []
    for d in stated_distances(r.sentence.text, r.norms):
        first = r.token_at(d.start)
        last = r.token_at(d.end - 1) + 1
        ref = r.mention_after(last, kinds=("place", "anaphor"), limit=3)
        if ref is None and all(r.norms[k] in REFERENCE_NOUNS for k in range(last, min(r.n, last + 3))):
            # "60 km north of the state capital El Obeid": the name after its nouns
            ref = r.mention_after(last, kinds=("place", "anaphor"), limit=6)
        if ref is not None:
            ref.reference = True
        out.append((first, last, d, ref))
    return out


# Words between a distance and the name of the place it is measured from.
REFERENCE_NOUNS = word_set("of from the state provincial regional capital city town village district")

# "Rebels are (now just) six miles from X", "troops came within 20 km of X": the
# verbs that put the subject at the distance, and the adverbs allowed between.
_COPULA = frozenset({"are", "is", "were", "was", "within", "reached", "came", "got", "stood", "stand", "be"})
_BEFORE_DISTANCE = _COPULA | {"now", "just", "only"}


def distance_advances(
    r: Reading,
    distances: list[tuple[int, int, DistanceMention, Mention | None]],
    speakers: list[Speaker],
    drafts: list[Draft],
) -> list[Draft]:
    """ "Rebels are now just six miles from the capital": an actor stated to be
    near a place is advancing on it."""
    out: list[Draft] = []
    for first, _last, d, ref in distances:
        if ref is None:
            continue
        k = first - 1
        copula = False
        steps = 0
        while k >= 0 and steps < 5:
            if r.norms[k] in _BEFORE_DISTANCE:
                copula = copula or r.norms[k] in _COPULA
                k -= 1
                steps += 1
                continue
            break
        if not copula or irrealis(r, first, first + 1, A.Trigger("advancing", "verb")):
            continue
        subject = _subject(r, first)
        actor = actor_of(r, subject, speakers, first)
        place = resolve_anaphor(r, ref, ref.start) if ref.kind == "anaphor" else ref.place
        if actor is None or place is None or subject is None:
            continue
        stance, source, _ = stance_of(r, first, actor, speakers)
        out.append(
            Draft(
                sentence=r.sentence,
                trigger_at=first,
                action="advancing",
                place=place,
                actor=_actor_ref(actor, subject.text, subject.generic),
                actor_obj=actor,
                counterpart=_counterpart_ref(_opponent(r, actor), actor),
                stance=stance,
                source=source,
                when=_when(r, first),
                distance=_distance(r, d, ref),
            )
        )
    return out


# -- where: the place an action is about -------------------------------------------------


def _objects(r: Reading, end: int, limit: int = 16, *, take: bool = False) -> list[Mention]:
    """The place the trigger acts on: the first place in its object, with any
    places coordinated with it ("Daraa and as-Suwayda"). For a take, a
    compound hold in the object ("the rebel-held village of X") only says who
    held it before."""
    found: list[Mention] = []
    k = end
    steps = 0
    unknown_name = False  # a capitalised name no mention took: "eastern Ghouta near Damascus"
    while k < r.n and steps < limit:
        text = r.texts[k]
        norm = r.norms[k]
        if text in A.QUOTES:
            k += 1
            continue
        owner = r.owner[k]
        if owner >= 0:
            m = r.mentions[owner]
            if (
                unknown_name
                and m.kind == "place"
                and m.start > 0
                and r.norms[m.start - 1] in A.PERIPHERY_PREPOSITIONS
            ):
                return found  # the object is the unknown name; X only says where it lies
            if m.kind in {"place", "anaphor"} and not m.reference and not _possessive_after(r, m):
                members = _listed_members(r, end, m)
                if members:
                    return members
                if _places_across_country(r, end, m):
                    return found  # "attacked seven towns in western Mali": not the country
                if _capital_of_region(r, m):
                    return found  # "at the gates of the capital of South Kivu": not the province
                found.append(m)
                found.extend(_coordinated(r, m))
                found.extend(_added_places(r, found[-1].end))
                found.extend(_included_in_region(r, found[-1]))
                return found
            if m.kind == "place" and _possessive_after(r, m):
                k = m.end
                steps += 1
                continue
            if m.kind in {"actor", "source", "pronoun"} and steps == 0:
                k = m.end
                steps += 1
                continue
            k = m.end
            steps += 1
            continue
        if r.cap[k] and r.word[k] and k > end and norm not in r.lexicon.demonyms:
            unknown_name = True
        if text == "," and k > end and r.norms[k - 1] in SETTLEMENT_NOUNS and k + 1 < r.n:
            owner_next = r.owner[k + 1]
            if owner_next >= 0 and r.mentions[owner_next].kind == "place":
                k += 1  # "the state capital, Sittwe"
                continue
        if norm == "to" and k > end and r.norms[k - 1] in A.PERIPHERY_BEFORE_TO:
            k += 1  # "the approaches to Bakhmut", "villages close to Kupiansk"
            steps += 1
            continue
        if text == "(" and k > end and k + 2 < r.n and r.texts[k + 2] == ")" and r.owner[k - 1] >= 0:
            k += 3  # "positions held by the Syrian Democratic Forces (SDF) around X": an abbreviation
            continue
        listing = text == "," and not found and k + 1 < r.n and r.norms[k + 1] in LIST_INTRODUCERS
        listing = listing or (text == ":" and not found)  # "five villages near the border: X, Y and Z"
        if listing and any(r.norms[x] in CONTAINER_NOUNS for x in range(end, k)):
            # "retook several villages, including X and Y": the places listed
            first = r.mention_after(k + (2 if text == "," else 1), ("place",), 2)
            if first is not None and not first.reference:
                return [first, *_coordinated(r, first)]
        if text == "," and not found and k > end and r.cap[k - 1] and r.word[k - 1] and r.owner[k - 1] < 0:
            # "attacked Diboli, Kayes and Niono": a list whose first town the
            # gazetteer lacks; the towns it knows are still the object.
            nxt = _skip_unknown_items(r, k, 0)
            if nxt > k and _list_item(r, nxt):
                first = r.mentions[r.owner[nxt]]
                return [first, *_coordinated(r, first)]
        if text in A.CLAUSE_PUNCT or norm in A.OBJECT_STOP:
            return found
        if norm == "that" and k + 1 < r.n and (r.cap[k + 1] or r.owner[k + 1] >= 0 or not r.word[k + 1]):
            return found  # "an attack that Kinshasa blamed on X": a relative clause, not "that town"
        if (
            steps > 0
            and norm not in {"control", "hold"}
            and not (take and r.texts[k - 1] == "-")  # "retook the rebel-held village of X"
            and A.TRIGGERS.get((norm,))
            and not (k + 1 < r.n and r.norms[k + 1] in A.ATTACK_COMPOUNDS)
            and not (k + 1 < r.n and r.norms[k + 1] == "by" and r.owner[k - 1] < 0)
        ):
            # another action starts: its object is not ours (but "positions held
            # by the SDF around X" only describes the object)
            return found
        k += 1
        steps += 1
    return found


LIST_INTRODUCERS = word_set("including notably among")
# Plural nouns naming several places of which a list can follow.
CONTAINER_NOUNS = word_set(
    """
    suburbs capitals towns villages cities settlements districts neighbourhoods neighborhoods localities
    areas bases positions strongholds hubs townships camps outposts posts
    """
)


# How far after a region the list of the towns in it may start.
INCLUDED_REACH = 16


def _included_in_region(r: Reading, m: Mention) -> list[Mention]:
    """Towns listed after a region the action is about: "holds part of the
    Kursk region that it seized in August, including the town of Sudzha"."""
    if m.place is None or m.place.precision != "region":
        return []
    for x in range(m.end, min(r.n - 2, m.end + INCLUDED_REACH)):
        if r.texts[x] in {";", ".", ":", "(", ")"} or r.norms[x] in A.SPEECH_WORDS:
            return []
        if r.texts[x] == "," and r.norms[x + 1] in LIST_INTRODUCERS:
            seat = _seat_named(r, x + 2, m)
            if seat is not None:
                return [seat]
            first = r.mention_after(x + 2, ("place",), 5)
            if first is None or first.reference or first.place is None or first.place.precision == "region":
                return []
            return [first, *_coordinated(r, first)]
    return []


SEAT_QUALIFIERS = word_set("provincial regional state")


def _seat_named(r: Reading, k: int, region: Mention) -> Mention | None:
    """The region's namesake city for "most of Daraa province, including the
    provincial capital" (no name after it): the capital the region is named after."""
    if (
        k + 3 > r.n
        or r.norms[k] != "the"
        or r.norms[k + 1] not in SEAT_QUALIFIERS
        or r.norms[k + 2] != "capital"
    ):
        return None
    if k + 3 < r.n and (r.cap[k + 3] or r.owner[k + 3] >= 0):
        return None  # "the provincial capital Idlib": the name is given
    city = r.lexicon.place(region.text, r.ctx.country_key, cued=True)
    if city is None or city.precision in {"region", "country"} or city.id is None:
        return None
    return Mention(
        "place", k, k + 3, r.surface(k, k + 3), place=city.model_copy(update={"text": region.text})
    )


def _capital_of_region(r: Reading, m: Mention) -> bool:
    """True when a region is named as the one whose capital is meant."""
    k = m.start - 1
    while k >= 0 and r.norms[k] == "the":
        k -= 1
    return (
        m.place is not None
        and m.place.precision == "region"
        and k >= 1
        and r.norms[k] == "of"
        and r.norms[k - 1] in {"capital", "seat"}
    )


def _places_across_country(r: Reading, end: int, m: Mention) -> bool:
    """True when the object is some places in a country ("positions in seven
    towns in western Mali"): those places, not the whole country."""
    if m.place is None or m.place.precision != "country":
        return False
    return any(
        (r.norms[x] in CONTAINER_NOUNS or r.norms[x] in POST_NOUNS) and r.norms[x + 1] == "in"
        for x in range(end, m.start - 1)
    )


def _listed_members(r: Reading, end: int, m: Mention) -> list[Mention]:
    """ "pulled out of several suburbs of the capital, including A and B",
    "has taken four of Darfur's five state capitals, including A and B": the
    places listed, not the place they belong to."""
    k = m.end
    if k + 1 < r.n and r.texts[k] in "'’" and r.norms[k + 1] == "s":
        k += 2
    while k < r.n and k - m.end <= 5 and r.word[k] and r.owner[k] < 0:
        k += 1
    if k + 1 >= r.n or r.texts[k] != "," or r.norms[k + 1] not in LIST_INTRODUCERS:
        return []
    if not any(r.norms[x] in CONTAINER_NOUNS for x in range(end, k)):
        return []
    first = r.mention_after(k + 2, ("place",), 2)
    if first is None:
        # "in seven towns in western Mali, including the regional capital Kayes"
        j = k + 2
        while j < min(r.n, k + 7) and r.word[j] and not r.cap[j] and r.owner[j] < 0:
            j += 1
        first = r.mentions[r.owner[j]] if j < r.n and r.owner[j] >= 0 else None
        if first is not None and (first.kind != "place" or first.start != j):
            first = None
    if first is None or first.reference:
        return []
    return [first, *_coordinated(r, first)]


def _coordinated(r: Reading, m: Mention) -> list[Mention]:
    """Places listed after ``m``: "Daraa and as-Suwayda", "Nyala, Sudan's
    second-largest city, and Zalingei" (an apposition is stepped over)."""
    out: list[Mention] = []
    k = m.end
    n = r.n
    while k < n:
        if r.texts[k] == "-" and k + 1 < n and r.norms[k + 1] in {"centre", "center"}:
            k += 2  # "Rutshuru-centre and Kiwanja": the town's seat is the town
            continue
        dated = _item_date_end(r, k)
        if dated > k:
            k = dated  # "seized Aleppo a week ago and Hama on Thursday": each item dated
            continue
        if r.texts[k] == "(":
            # "Ras al-Ain (Serekaniye) and Tal Abyad": another name of the item
            close = next((x for x in range(k + 1, min(n, k + 7)) if r.texts[x] == ")"), None)
            if close is None:
                break
            k = close + 1
            continue
        if r.norms[k] == "to":
            bearing = _bearing_after(r, k)
            if bearing > k:
                k = bearing  # "Yampil to the south-east and Drobysheve": where the item lies
                continue
        if r.norms[k] == "and" or (r.norms[k] == "," and k + 1 < n and r.norms[k + 1] == "and"):
            k += 1 if r.norms[k] == "and" else 2
        elif r.norms[k] == "," and _list_item(r, k + 1):
            k += 1  # "Halfaya, Taybat al-Imam and Suran": the next item of a list
        elif r.norms[k] == "," and _skip_unknown_items(r, k, 1) > k:
            k = _skip_unknown_items(r, k, 1)  # "Kayes, Gogui, Sandare and Niono": a town unknown here
        elif r.norms[k] == ",":
            # An apposition: skip to its closing comma, then expect "and".
            close = next((x for x in range(k + 1, min(n, k + 10)) if r.norms[x] == ","), None)
            if close is not None and close + 2 < n and r.norms[close + 1] in DATE_OPENERS:
                # "X, a range of hills west of Singa, in early October, and Y": a date between
                after = next((x for x in range(close + 1, min(n, close + 6)) if r.norms[x] == ","), None)
                if after is not None and after + 2 < n and r.norms[after + 1] == "and":
                    close = after
            if close is None or close + 2 >= n or r.norms[close + 1] != "and":
                break
            named = _named_after_noun(r, k + 1)
            if named > k + 1 and r.owner[named] >= 0 and r.mentions[r.owner[named]].end == close:
                # "Sittwe, the island township of Manaung, and Kyaukphyu": an item, not an apposition
                item = r.mentions[r.owner[named]]
                if item.kind == "place" and not item.reference:
                    out.append(item)
            k = close + 2
        else:
            break
        if k + 1 < n and r.norms[k] == "of" and r.owner[k + 1] < 0:
            k += 1  # "control of X and of the nearby villages of Y": the preposition repeated
        owner = r.owner[k] if k < n else -1
        if owner < 0:
            k = _named_after_noun(r, k)  # "and the border town of X"
            owner = r.owner[k] if k < n else -1
        if owner < 0:
            break
        nxt = r.mentions[owner]
        if nxt.kind != "place" or nxt.reference or _possessive_after(r, nxt):
            break
        out.append(nxt)
        k = nxt.end
    return out


WEEKDAYS = word_set("monday tuesday wednesday thursday friday saturday sunday")
# Words of a short date after a listed place: "a week ago", "on Thursday", "last month".
ITEM_DATE_WORDS = word_set(
    "a an one two three four five week weeks month months day days year years ago on last in"
)


def _item_date_end(r: Reading, k: int) -> int:
    """Where "and" follows a short date after a listed place ("Aleppo a week
    ago and Hama"), the place after it being the next item; ``k`` otherwise."""
    j = k
    while (
        j < r.n
        and j - k < 4
        and (r.norms[j] in ITEM_DATE_WORDS or r.norms[j] in WEEKDAYS or r.norms[j] in MONTHS)
    ):
        j += 1
    dated = any(
        r.norms[x] in {"ago", "last"} or r.norms[x] in WEEKDAYS or r.norms[x] in MONTHS for x in range(k, j)
    )
    if not dated or j + 1 >= r.n or r.norms[j] != "and" or r.owner[j + 1] < 0:
        return k
    return j if r.mentions[r.owner[j + 1]].kind == "place" else k


# Words that open a date phrase between listed places: ", in early October, and".
DATE_OPENERS = word_set("in on last earlier late early")


def _bearing_after(r: Reading, k: int) -> int:
    """Where a bearing after a listed place ends ("to the south-east", "to
    its north"); ``k`` when there is none."""
    if k + 2 >= r.n or r.norms[k] != "to" or r.norms[k + 1] not in {"the", "its"}:
        return k
    j = k + 2
    if r.norms[j] not in DIRECTIONS:
        return k
    if j + 2 < r.n and r.texts[j + 1] == "-" and r.norms[j + 2] in DIRECTIONS:
        j += 2
    return j + 1


def _named_after_noun(r: Reading, k: int) -> int:
    """Where the name of "the border town of X" starts (``k`` when the words at
    ``k`` are no such phrase): "the", lower-case words, a place noun, "of"."""
    j = k
    while j < min(r.n, k + 5) and r.word[j] and not r.cap[j] and r.norms[j] != "of":
        j += 1
    noun_of = (
        k < j < r.n
        and r.norms[j] == "of"
        and (r.norms[j - 1] in SETTLEMENT_NOUNS or r.norms[j - 1] in PLURAL_HEADS)
    )
    if noun_of and j + 1 < r.n and r.owner[j + 1] >= 0:
        return j + 1
    return k


# ", along with the nearby villages of X and Y": more objects of the same verb.
ADDITION_PHRASES = (("along", "with"), ("together", "with"), ("as", "well", "as"))


def _added_places(r: Reading, k: int) -> list[Mention]:
    """Places added to an object after its apposition: "recaptured Sudzha, the
    largest town ..., along with the nearby villages of X and Y"."""
    n = r.n
    if k >= n or r.texts[k] != ",":
        return []  # only after an apposition of the object itself
    for x in range(k, min(n, k + 40)):
        text = r.texts[x]
        if text in {";", ".", ":"} or r.norms[x] in A.SPEECH_WORDS:
            return []
        if text != "," or x + 2 >= n:
            continue
        for phrase in ADDITION_PHRASES:
            if tuple(r.norms[x + 1 : x + 1 + len(phrase)]) == phrase:
                first = r.mention_after(x + 1 + len(phrase), ("place",), 6)
                if first is None or first.reference or first.kind != "place":
                    return []
                return [first, *_coordinated(r, first)]
    return []


def _declared_place(r: Reading, start: int) -> tuple[Mention, int] | None:
    """ "declare the city of X liberated": the place, and where the declaring verb is."""
    k = start - 1
    if k < 0 or r.owner[k] < 0:
        return None
    m = r.mentions[r.owner[k]]
    if m.kind not in {"place", "anaphor"}:
        return None
    k = m.start - 1
    while k >= 0 and r.norms[k] in {"the", "of", "city", "town", "village", "capital", "whole", "entire"}:
        k -= 1
    if k >= 0 and r.norms[k] in A.DECLARE_VERBS:
        return m, k
    return None


# How many capitalised words a listed name the gazetteer lacks may have.
UNKNOWN_ITEM_WORDS = 3


def _unknown_item_end(r: Reading, k: int) -> int:
    """The end of a capitalised name at ``k`` that no mention took, when a comma
    or "and" follows it (an item of a list); -1 otherwise."""
    j = k
    while j < r.n and j - k < UNKNOWN_ITEM_WORDS and r.word[j] and r.cap[j] and r.owner[j] < 0:
        j += 1
    if j == k or j >= r.n or (r.texts[j] != "," and r.norms[j] != "and"):
        return -1
    return j


def _skip_unknown_items(r: Reading, k: int, least: int) -> int:
    """From the comma at ``k``, the start of the next known place of a list
    after at least ``least`` names the gazetteer lacks ("Kayes, Gogui, Sandare
    and Niono"); ``k`` when there is none."""
    x, skipped = k, 0
    while True:
        y = x + 2 if r.texts[x] == "," and x + 1 < r.n and r.norms[x + 1] == "and" else x + 1
        if y < r.n and r.owner[y] >= 0:
            m = r.mentions[r.owner[y]]
            ok = m.kind == "place" and m.start == y and not m.reference
            return y if ok and skipped >= least else k
        end = _unknown_item_end(r, y)
        if end < 0 or r.norms[x] == "and" or (x + 1 < r.n and r.norms[x + 1] == "and"):
            return k  # (the last item, after "and", must be a known place)
        x, skipped = end, skipped + 1


def _list_item(r: Reading, k: int) -> bool:
    """True when a place starting at ``k`` is followed by "and", "or" or another
    comma and place: an item of a list, not an apposition."""
    if k >= r.n or r.owner[k] < 0:
        return False
    m = r.mentions[r.owner[k]]
    if (
        m.kind != "place"
        or m.start != k
        or m.reference
        or (m.place is not None and m.place.precision == "country")
    ):
        return False
    j = m.end
    if j < r.n and r.norms[j] in {"and", "or"}:
        return True
    return (
        j + 1 < r.n
        and r.norms[j] == ","
        and r.owner[j + 1] >= 0
        and r.mentions[r.owner[j + 1]].kind == "place"
    )


def _group_of(r: Reading, m: Mention) -> list[Mention]:
    """A place with those coordinated with it on either side ("in Daraa and as-Suwayda")."""
    first = m
    while True:
        j = first.start - 1
        if j < 1 or r.norms[j] not in {"and", ","}:
            break
        owner = r.owner[j - 1]
        if owner < 0 or r.mentions[owner].kind != "place" or r.mentions[owner].reference:
            break
        first = r.mentions[owner]
    return [first, *_coordinated(r, first)]


def _possessive_after(r: Reading, m: Mention) -> bool:
    k = m.end
    return (
        k + 1 < r.n
        and r.texts[k] in "'’"
        and r.norms[k + 1] == "s"
        and m.kind == "place"
        and not (k + 2 < r.n and r.norms[k + 2] in {"capital"})
        and m.place is not None
        and (m.place.precision == "country" or (k + 2 < r.n and r.norms[k + 2] in {"border"}))
    )


# Verbs that follow a nominal event as its subject: "the fall of X exposed ...".
SUBJECT_VERBS = word_set(
    """
    exposed exposes showed shows underlined underscores highlighted highlights revealed reveals
    """
)


def _subject_phrase(r: Reading, m: Mention) -> bool:
    """True when the nominal event whose place ends at ``m`` is the subject of
    the verb right after it ("the capture of Minova exposed ...")."""
    k = m.end
    return k < r.n and r.norms[k] in SUBJECT_VERBS and not r.cap[k]


def _noun_marked(r: Reading, start: int) -> bool:
    """True when an attack word is a noun: after "a", "repelled" ("an assault"),
    also with its actor between ("an M23 assault", "a rebel attack")."""
    k = start - 1
    owner = r.owner[k]
    if owner >= 0 and r.mentions[owner].kind == "actor":
        k = r.mentions[owner].start - 1
    return k >= 0 and r.norms[k] in NOUN_MARKERS


def _relative_antecedent(r: Reading, start: int) -> list[Mention]:
    """ "..., which Kyiv recaptured", "Bara, a town 60 km north of El Obeid that
    the army had retaken", "Hsipaw, where regime columns were advancing": the
    place the relative word stands for."""
    for k in range(start - 1, max(-1, start - 13), -1):
        norm = r.norms[k]
        if norm in {"which", "that", "where"}:
            if norm == "that" and k > 0 and r.norms[k - 1] in A.SPEECH_WORDS:
                return []  # "said that the army had retaken": no relative clause
            before = _antecedent(r, k)
            if before is None:
                return []
            # "Nyanzale and Kibirizi, localities in Rutshuru that they have held": both.
            return _group_of(r, before) if _plural_apposition(r, before) else [before]
        if r.texts[k] in A.CLAUSE_PUNCT:
            break
    return []


def _antecedent(r: Reading, k: int) -> Mention | None:
    """The place a relative word at ``k`` stands for: not a place a distance is
    measured from ("60 km north of El Obeid"), nor another name in brackets,
    and the head of an apposition ("Wad Madani, the capital of El Gezira, which")."""
    before = r.mention_before(k, kinds=("place", "anaphor"), limit=12)
    if before is not None and "between" in r.norms[max(0, before.start - 4) : before.start]:
        return None  # "a stretch of the valley between X and the border, where": a bound, not the place
    if (
        before is not None
        and before.start > 0
        and (r.norms[before.start - 1] in {"near", "outside", "nearby"} or _direction_of(r, before))
    ):
        before = _apposed_to(r, before) or before  # "around Ber, near Timbuktu, where ...": Ber
    if before is not None and before.reference:
        # "Bara, a town about 60 km north of El Obeid that ...": the apposition's
        # place; but in "10 km west of Bakhmut, which Russia took" Bakhmut.
        before = _apposed_to(r, before) or before
    if before is None:
        return None
    if (
        before.start > 0
        and r.texts[before.start - 1] == "("
        and before.end < r.n
        and r.texts[before.end] == ")"
    ):
        outer = r.mention_before(before.start - 1, kinds=("place", "anaphor"), limit=1)
        before = outer or before  # "Hsipaw (Thibaw), ..., where"
    return _appositive_head(r, before) or before


def _plural_apposition(r: Reading, m: Mention) -> bool:
    """True when a plural apposition follows the place: "X and Y, localities in"."""
    k = m.end
    return (
        k + 1 < r.n and r.texts[k] == "," and (r.norms[k + 1] in PART_NOUNS or r.norms[k + 1] in NUMBER_WORDS)
    )


def _apposed_to(r: Reading, m: Mention) -> Mention | None:
    """The place an apposition holding ``m`` describes: "Hsipaw (Thibaw),
    about 40 km north-east of Kyaukme" gives Hsipaw for Kyaukme."""
    for j in range(m.start - 1, max(0, m.start - 15), -1):
        text = r.texts[j]
        if text in {";", ".", ":"}:
            return None
        if text != ",":
            continue
        k = j - 1
        if r.texts[k] == ")":
            k = next((x for x in range(k - 1, max(-1, k - 6), -1) if r.texts[x] == "("), 0) - 1
        owner = r.owner[k] if k >= 0 else -1
        if owner >= 0 and r.mentions[owner].kind == "place":
            return r.mentions[owner]
        return None
    return None


def _plural_verb(r: Reading, start: int) -> bool:
    """True when the verb at ``start`` (or its auxiliary) is plural: "Kadugli
    and Dilling are encircled" has both places as its subject."""
    k = start
    while k < r.n and k < start + 2:
        if r.norms[k] in {"are", "were", "have"}:
            return True  # "are encircled" as one phrase
        k += 1
    k = start - 1
    if k >= 0 and r.owner[k] >= 0:
        # "Maarat al-Numan and Khan Sheikhoun fell": two places joined right before the verb.
        m = r.mentions[r.owner[k]]
        j = m.start - 1
        if j >= 3 and r.norms[j] == "of" and r.norms[j - 1] in SETTLEMENT_NOUNS and r.norms[j - 2] == "the":
            j -= 3  # "Kadugli and the town of Dilling under siege"
        if m.kind == "place" and j >= 1 and r.norms[j] == "and" and r.owner[j - 1] >= 0:
            return r.mentions[r.owner[j - 1]].kind == "place"
    while k >= 0 and (r.norms[k] in A.PASSIVE_SKIP or r.norms[k] in {"been", "being"}):
        k -= 1
    return k >= 0 and r.norms[k] in {"are", "were", "have"}


def _subject_places(r: Reading, start: int, *, coordinated: bool = False) -> list[Mention]:
    """The place that is the subject: "Goma fell", "Hama after it was captured",
    "Latakia and Tartus, strongholds of the government"."""
    out: list[Mention] = []
    k = start - 1
    crossed = 0
    while k >= 0:
        owner = r.owner[k]
        if owner >= 0:
            m = r.mentions[owner]
            if m.kind in {"place", "anaphor"} and not m.reference and not m.destination:
                head = _appositive_head(r, m)
                if head is not None:
                    m = head
                out.append(m)
                if not coordinated:
                    return out
                j = m.start - 1
                if (
                    j >= 2
                    and r.norms[j] == "of"
                    and r.norms[j - 1] in SETTLEMENT_NOUNS
                    and r.norms[j - 2] == "the"
                ):
                    j -= 3  # "Kadugli and the town of Dilling": the noun phrase of the item
                while j >= 0 and r.norms[j] in {"and", ","}:
                    j -= 1
                if j < 0 or r.owner[j] < 0 or r.mentions[r.owner[j]].kind != "place":
                    return out
                k = j
                continue
            k = m.start - 1
            continue
        if r.norms[k] in {"it", "which"}:
            crossed = 0  # a pronoun subject: its antecedent can be further back
        elif r.texts[k] == "," and _relative_opening(r, k) is not None:
            k = _relative_opening(r, k) or k  # "Lysychansk, which sits on ..., remained"
            crossed = 0
            continue
        elif r.texts[k] == "," and (opening := _apposition_opening(r, k)) is not None:
            k = opening  # "Bunagana, a border town on the road to Uganda, has been"
            crossed = 0
            continue
        elif r.texts[k] in {";", ":"} or (r.texts[k] == "," and crossed > 8):
            break
        crossed += 1
        if crossed > 14:
            break
        k -= 1
    return out


def _appositive_head(r: Reading, m: Mention) -> Mention | None:
    """ "El Fasher, the last state capital in the Darfur region, still held by
    the army": a place inside the apposition's prepositional phrase is not what
    the relative clause is about; the place the apposition describes is."""
    k = m.start - 1
    while k >= 0 and r.norms[k] == "the":
        k -= 1
    if k < 0 or r.norms[k] not in {"in", "of"}:
        return None
    k -= 1
    if (
        k >= 1
        and r.texts[k] == ","
        and r.norms[k + 1] == "in"
        and m.place is not None
        and m.place.precision in {"region", "country"}
        and r.owner[k - 1] >= 0
        and r.mentions[r.owner[k - 1]].kind == "place"
    ):
        return r.mentions[r.owner[k - 1]]  # "Babanusa, in West Kordofan, has been besieged"
    steps = 0
    while k >= 0 and steps < 8 and (r.word[k] or r.texts[k] == "-") and not r.cap[k] and r.owner[k] < 0:
        k -= 1  # (", a front-line town in": a hyphenated word is one of its words)
        steps += 1
    if k < 1 or r.texts[k] != "," or steps == 0 or not _apposition_start(r, k + 1):
        return None
    owner = r.owner[k - 1]
    if owner < 0:
        return None
    head = r.mentions[owner]
    return head if head.kind == "place" and not head.reference else None


NUMBER_WORDS = word_set("two three four five six several both")


def _apposition_start(r: Reading, k: int) -> bool:
    """True when an apposition describing places starts at ``k``: "the last
    state capital", "a town", "localities", "two towns"."""
    norm = r.norms[k]
    return (
        norm in {"the", "a"} or norm in PART_NOUNS or (norm in NUMBER_WORDS and r.norms[k + 1] in PART_NOUNS)
    )


def _withdraw_places(r: Reading, start: int, end: int, drafts: list[Draft]) -> list[Mention]:
    """Where a force withdrew from: "from X", "out of X", else the place the
    sentence has it in ("forces in Daraa ... redeployment") or the place an
    opponent took in the same sentence. Never where it withdrew to."""
    norm = r.norms[start]
    for k in range(end, min(r.n - 1, end + 10)):
        if r.texts[k] in A.CLAUSE_PUNCT:
            break
        if r.norms[k] == "outside":
            # "redeployed and taken up positions outside Hama": it left the place.
            outside = _objects(r, k + 1, limit=4)
            if outside:
                return outside
    k = end
    steps = 0
    while k < r.n and steps < 10:
        n = r.norms[k]
        if r.texts[k] in A.QUOTES:
            k += 1
            continue
        if n in {"to", "towards", "toward"}:
            edge_of = _edge_of_place(r, k + 1)
            if edge_of:
                return edge_of  # "pulled back to the outskirts of Marinka": it left the town
        if n in {"to", "towards", "toward", "into"} or n in A.MODALS or n in A.NEGATIONS:
            break  # where it went, or another clause: "regrouping and would not abandon X"
        if n in {"from", "of"} or (n == "out" and k + 1 < r.n and r.norms[k + 1] == "of"):
            after = _objects(r, k + 1 if n != "out" else k + 2, limit=8)
            if after:
                return after
        if n == "in" and norm in RELOCATION_WORDS:
            # 'a "redeployment and repositioning" in Daraa and Sweida provinces':
            # the euphemism's place is the one the units were moved out of.
            inside = _objects(r, k + 1, limit=8)
            if inside:
                return inside
        owner = r.owner[k]
        if owner >= 0 and r.mentions[owner].kind in {"place", "anaphor"} and norm in LEAVE_VERBS:
            if _posts_across(r, end, r.mentions[owner]):
                return []  # "abandoning its camps in northern Mali": not the whole country
            return [r.mentions[owner]]
        if r.texts[k] in A.CLAUSE_PUNCT or (n in A.OBJECT_STOP and n not in {"with"}):
            break
        k += 1
        steps += 1
    taken = [d for d in drafts if d.action in {"captured", "recaptured", "entered"}]
    if taken:
        # "moved into Albu Kamal and Deir al-Zor after government forces withdrew": from each.
        first = [d for d in taken if d.trigger_at == taken[0].trigger_at and d.action == taken[0].action]
        return [Mention("place", d.trigger_at, d.trigger_at, d.place.text, place=d.place) for d in first]
    relative = _relative_antecedent(r, start)
    if relative:
        return relative  # "around Ber, where troops moved in after the peacekeepers left their camp"
    told = _reported_clause_start(r, start)
    before = [
        m
        for m in r.mentions
        if told <= m.start
        and m.end <= start
        and m.kind in {"place", "anaphor"}
        and not m.destination
        and not m.reference
        and not (m.place is not None and m.place.precision in {"country", "region"})
        and not _dateline(m)
    ]
    if before:
        # (A province named in passing, "the governor of North Kivu province",
        # is not where a force regrouping left.)
        return _group_of(r, before[-1])
    held = [
        m
        for m in r.mentions
        if m.end <= told
        and m.kind in {"place", "anaphor"}
        and not m.reference
        and not (m.place is not None and m.place.precision in {"country", "region"})
        and any(r.norms[x] in HOLD_RELATIVES for x in range(max(0, m.start - 6), m.start))
        and any(r.norms[x] in {"which", "who"} for x in range(max(0, m.start - 8), m.start))
    ]
    if held:
        # "The TNLA, which had controlled the town since 2024, confirmed its
        # fighters had withdrawn": from the place the subject is said to have held.
        return [held[-1]]
    return []


# Verbs of holding in a relative clause about the withdrawing side: "which had controlled the town".
HOLD_RELATIVES = word_set("controlled held occupied ran seized captured taken")


def _dateline(m: Mention) -> bool:
    """True for the place of a dateline ("PORT SUDAN, Sudan, Dec 8 (AP) -"):
    where the story was filed, not where anything happened."""
    return m.start == 0 and len(m.text) > 3 and m.text.isupper()


# Words between "towards" and the place it leads to: "towards the frontline town of X".
TOWARDS_FILLERS = word_set(
    """
    the a an of key strategic frontline besieged embattled northern southern eastern western central
    provincial regional state rebel-held army-held nearby
    """
)


def _place_after_towards(r: Reading, k: int) -> bool:
    """True when "towards" leads to a place ("towards the town of X", "towards
    Kidal"), not to something else ("pushed towards talks in Doha")."""
    for j in range(k, min(r.n, k + 7)):
        owner = r.owner[j]
        if owner >= 0:
            return r.mentions[owner].kind in {"place", "anaphor"}
        norm = r.norms[j]
        if not (
            norm in TOWARDS_FILLERS
            or norm in SETTLEMENT_NOUNS
            or norm in A.PERIPHERY_NOUNS
            or norm in A.PERIPHERY_MODIFIERS
            or r.texts[j] in A.QUOTES
            or r.texts[j] == "-"
        ):
            return False
    return False


def _force_subject(r: Reading, start: int) -> bool:
    """True when the subject right before "are under attack" is a force ("they",
    "government troops"), not a place."""
    k = start - 1
    while k >= 0 and (r.norms[k] in A.BE_WORDS or r.norms[k] in A.PASSIVE_SKIP):
        k -= 1
    return k >= 0 and r.owner[k] >= 0 and r.mentions[r.owner[k]].kind in {"actor", "pronoun"}


DEPARTURE_VERBS = word_set("left leave leaves leaving")
DESTINATION_VERBS = word_set("heading headed heads head bound making made")


def _bound_for(r: Reading, end: int) -> bool:
    """True when the clause goes on to the force's destination: "... and is
    heading for Kidal", "bound for Goma"."""
    for k in range(end, min(r.n - 1, end + 14)):
        if r.texts[k] in {";", ".", ":"}:
            return False
        if r.norms[k] in DESTINATION_VERBS and r.norms[k + 1] == "for":
            return True
    return False


# Euphemisms of a withdrawal whose "in X" is the place given up.
RELOCATION_WORDS = word_set(
    """
    redeployment redeployments redeployed redeploying repositioning repositioned regrouped regrouping
    """
)


def _edge_of_place(r: Reading, k: int) -> list[Mention]:
    """The place whose edge "to" leads to: "(pulled back) to the northern
    outskirts of Marinka" is a way out of Marinka."""
    while k < r.n and (r.norms[k] in {"the", "its"} or r.norms[k] in A.PERIPHERY_MODIFIERS):
        k += 1
    if k + 1 < r.n and r.norms[k] in A.PERIPHERY_NOUNS and r.norms[k + 1] == "of":
        return _objects(r, k + 2, limit=4)
    return []


def _reported_clause_start(r: Reading, start: int) -> int:
    """Where the reported clause holding ``start`` begins: after "told reporters
    in Kyiv that" (a place of the telling is not where the force was)."""
    for k in range(start - 1, 0, -1):
        if r.norms[k] == "that" and any(r.norms[j] in A.SPEECH_WORDS for j in range(max(0, k - 8), k)):
            return k + 1
    return 0


# What a force leaves in a place: "left their positions in the town".
POST_NOUNS = word_set("camps camp posts post bases base positions position outposts barracks")


def _posts_across(r: Reading, end: int, m: Mention) -> bool:
    """True when the place left is a country or region that only holds the
    posts left ("abandoning its camps in northern Mali", "their posts in
    eastern Syria"): some posts in it, not the whole of it."""
    if m.place is None or m.place.precision not in {"country", "region"}:
        return False
    return any(r.norms[k] in POST_NOUNS and r.norms[k + 1] == "in" for k in range(end, m.start - 1))


# Departure verbs whose object is the place left: "abandoned the town", "fled Goma".
LEAVE_VERBS = word_set(
    """
    abandoned abandon abandoning evacuated evacuate vacated left leave leaves fled flee flees fleeing
    """
)

PART_NOUNS = word_set(
    """
    settlements villages towns localities areas parts hamlets communities positions districts
    neighbourhoods neighborhoods cities
    """
)


# A region's subdivisions: "Rakhine State's townships", "the oblast's hromadas".
REGION_SUBDIVISIONS = word_set("townships township hromadas counties provinces municipalities")


PART_OF_PLACE = word_set(
    """
    east west north south northeast northwest southeast southwest eastern western northern southern
    part parts half side sector sectors districts district neighbourhoods neighborhoods quarter quarters
    pocket pockets areas area enclave
    """
)


_TAKE_FOR_PAST = A.Trigger("captured", "verb")


def _compound_is_past_or_part(r: Reading, start: int, end: int) -> bool:
    """ "retook the rebel-held east of the city": what a side held before it was
    taken, and only a part of the place, is no current hold of the place."""
    k = start - 1
    if k >= 1 and r.texts[k] == "-":
        # Before the first half of the compound ("rebel-held", "Kurdish-held").
        k = r.mentions[r.owner[k - 1]].start - 1 if r.owner[k - 1] >= 0 else k - 2
    while k >= 0 and r.norms[k] in {"the", "a", "an", "formerly", "once", "previously"}:
        if r.norms[k] in {"formerly", "once", "previously"}:
            return True
        k -= 1
    taken = _TAKE_FOR_PAST
    if k >= 0 and any(A.TRIGGERS.get((r.norms[k],), ())):
        actions = {t.action for t in A.TRIGGERS[(r.norms[k],)]}
        if actions & A.TAKE_ACTIONS:
            # "retook the rebel-held ..."; not "failed to take the Ukrainian-held X",
            # and an attack leaves the hold as it is.
            return not irrealis(r, k, k + 1, taken)
    if k >= 2 and r.norms[k] in {"of", "over"} and "control" in r.norms[max(0, k - 3) : k]:
        # "took full control of the Kurdish-held town of X"
        verb = next(
            (j for j in range(k - 1, max(-1, k - 5), -1) if r.norms[j] not in A.INNER_SKIP | {"control"}), k
        )
        return not irrealis(r, verb, verb + 1, taken)
    k = end
    while k < r.n and r.norms[k] in {"-", "the"}:
        k += 1
    return k < r.n and r.norms[k] in PART_OF_PLACE and k + 1 < r.n and r.norms[k + 1] == "of"


DIRECTIONS = word_set(
    """
    north south east west northeast northwest southeast southwest north-east north-west south-east
    south-west
    """
)


def _direction_of(r: Reading, m: Mention) -> bool:
    """True when the place is named as a bearing: "north of Homs", "20 km
    south-west of the capital"."""
    k = m.start - 1
    if k >= 0 and r.norms[k] == "the":
        k -= 1
    if k < 1 or r.norms[k] != "of":
        return False
    k -= 1
    if r.norms[k] in DIRECTIONS:
        return True
    return k >= 2 and r.texts[k - 1] == "-" and r.norms[k - 2] in DIRECTIONS


TEMPORAL_PREPOSITIONS = word_set("after since before following until till prior")


def _background(r: Reading, start: int) -> bool:
    """True when a nominal action is the complement of a temporal preposition:
    "a week after the fall of X", "since the capture of X", "before X's fall"."""
    k = start - 1
    while k >= 0 and (r.norms[k] in {"the", "its", "their", "his", "her"} or r.owner[k] >= 0):
        if r.owner[k] >= 0:
            owner = r.mentions[r.owner[k]]
            if owner.kind not in {"actor", "place"}:
                return False
            k = owner.start - 1
            if k >= 0 and r.norms[k] == "s" and k > 0 and r.texts[k - 1] in "'’":
                k -= 2
            continue
        k -= 1
    if k >= 0 and r.norms[k] in {"s"} and k > 0 and r.texts[k - 1] in "'’":
        k -= 2
    return k >= 0 and (
        r.norms[k] in TEMPORAL_PREPOSITIONS or (r.norms[k] == "to" and k > 0 and r.norms[k - 1] == "prior")
    )


REGION_PARTS = word_set(
    """
    northern southern eastern western central north-eastern north-western south-eastern south-western
    northeastern northwestern southeastern southwestern rural
    """
)


def _part_of_region(r: Reading, m: Mention) -> bool:
    """True when a region is named only as where some of its places are: "more
    than 30 settlements in the Kharkiv region", "villages of Idlib province"."""
    if m.place is None or m.place.precision != "region":
        return False
    e = m.end + 1 if m.end < r.n and r.norms[m.end] in {"state", "region", "province", "oblast"} else m.end
    after = e + 2 if e + 1 < r.n and r.texts[e] in "'’" and r.norms[e + 1] == "s" else -1
    if 0 <= after < r.n - 1 and (r.norms[after].isdigit() or r.norms[after] in NUMBER_WORDS):
        after += 1  # "Rakhine State's 17 townships"
    if 0 <= after < r.n and (r.norms[after] in PART_NOUNS or r.norms[after] in REGION_SUBDIVISIONS):
        return True  # "Rakhine State's townships": places of the region
    k = m.start - 1
    while k >= 0 and r.norms[k] in {"the", "a"}:
        k -= 1
    if (
        k >= 1
        and r.norms[k] == "in"
        and (r.norms[k - 1] in CONTAINER_NOUNS or r.norms[k - 1] in REGION_SUBDIVISIONS)
    ):
        return True  # "all five state capitals in Darfur", "14 of the 17 townships in Rakhine"
    if k >= 0 and r.norms[k] in REGION_PARTS:
        return True  # "northern Rakhine": a part of the region
    if (
        k >= 1
        and r.norms[k] == "of"
        and r.norms[k - 1] in {"most", "much", "part", "parts", "half", "swathes"}
    ):
        return True  # "most of northern Rakhine", "parts of the Kharkiv region"
    if k < 1 or r.norms[k] not in {"in", "of", "across", "throughout"}:
        return False
    k -= 1
    while k >= 0 and r.owner[k] < 0 and r.norms[k] not in PART_NOUNS and r.texts[k] not in A.CLAUSE_PUNCT:
        if k < m.start - 6:
            return False
        k -= 1
    return k >= 0 and r.norms[k] in PART_NOUNS


def _periphery(r: Reading, m: Mention, end: int) -> bool:
    """True when the place mention ``m`` is named only as the ring around
    what the trigger acts on: "(the northern) outskirts of X", "countryside
    around the city", "villages near X", "the approaches to X", "Kharkiv's
    suburbs", "the city outskirts". ``end`` is the end of the trigger: an
    object is searched back to it, a subject a few words back."""
    norms = r.norms
    if m.kind == "anaphor" and any(norms[k] in A.PERIPHERY_NOUNS for k in range(m.start, m.end)):
        return True
    # Before the mention: the object's own words, up to a coordination or a clause break.
    lo = end if m.start >= end else max(0, m.start - 8)
    k = m.start - 1
    while k >= lo:
        norm = norms[k]
        if r.owner[k] >= 0 or r.texts[k] in A.CLAUSE_PUNCT or norm in {"and", "or"}:
            break
        if norm in A.PERIPHERY_NOUNS:
            return True
        if norm in A.PERIPHERY_PREPOSITIONS or (
            norm == "to" and k > lo and norms[k - 1] in A.PERIPHERY_BEFORE_TO
        ):
            # "villages around X", "areas close to X"; not "an army post near X",
            # "an attack near the village of X", "near-total control of X".
            if k + 1 < r.n and r.texts[k + 1] == "-":
                return False
            if norm == "to" and norms[k - 1] in A.PERIPHERY_NOUNS:
                return True  # "the approaches to X"
            head = k - 2 if norm == "to" else k - 1
            while head > lo and norms[head] in {"immediately", "just", "directly", "very"}:
                head -= 1
            return head >= lo and (norms[head] in A.PERIPHERY_AREAS or norms[head] in A.PERIPHERY_NOUNS)
        k -= 1
    # After it: "Kharkiv's northern suburbs", "the Kyiv suburbs", "Idlib countryside".
    k = m.end
    n = r.n
    if k + 1 < n and r.texts[k] in "'’" and norms[k + 1] == "s":
        k += 2
    skipped = 0
    while k < n and skipped < 3 and (norms[k] in A.PERIPHERY_MODIFIERS or r.texts[k] == "-"):
        k += 1
        skipped += 1
    return k < n and norms[k] in A.PERIPHERY_NOUNS


def _resolve_places(r: Reading, places: list[Mention], at: int) -> list[Place]:
    out: list[Place] = []
    for m in places:
        place = resolve_anaphor(r, m, m.start) if m.kind == "anaphor" else m.place
        if place is not None and place.id is None:
            place = _facility_city(r, m) or _facility_of_story(r, m) or place
        if place is not None and all(not _same_place(place, o) for o in out):
            out.append(place)
    return out


PEJORATIVES = word_set("terrorist terrorists terror")


def _pejorative_between(r: Reading, a: int, b: int) -> int | None:
    """ "the army said 'terrorist organisations' had attacked": a government's
    name for its enemy, the subject the actor scan stepped over."""
    for k in range(b - 1, a - 1, -1):
        if r.norms[k] in PEJORATIVES:
            return k
        if r.texts[k] in {";", "—"}:
            return None
    return None


ENEMY_WORDS = word_set("enemy adversary")


def _enemy_subject(r: Reading, start: int) -> int | None:
    """Where "the enemy" is the subject of the phrase at ``start`` ("the enemy is
    trying to break into X", "the enemy has entered Y"), or None."""
    k = start - 1
    while k >= 0 and start - k <= 6 and r.word[k] and r.owner[k] < 0 and r.norms[k] not in ENEMY_WORDS:
        k -= 1
    if k < 1 or r.norms[k] not in ENEMY_WORDS or r.norms[k - 1] != "the":
        return None
    nxt = r.norms[k + 1] if k + 1 < r.n else ""
    return k if k + 1 == start or nxt in A.BE_WORDS or nxt in {"has", "had", "have"} else None


def _foreign(actor: Actor, places: list[Place]) -> bool:
    """A state's force outside its own country ("Israeli troops ... near Quneitra")."""
    return (
        actor.kind == "state"
        and actor.country is not None
        and bool(places)
        and all(p.country is not None and p.country != actor.country for p in places)
    )


def _countryside_after(r: Reading, m: Mention) -> bool:
    k = m.end
    if k + 1 < r.n and r.texts[k] in "'’" and r.norms[k + 1] == "s":
        k += 2
    while k < r.n and r.norms[k] in A.PERIPHERY_MODIFIERS:
        k += 1
    return k < r.n and r.norms[k] in {"countryside", "hinterland", "hinterlands"}


def _province(r: Reading, place: Place) -> Place:
    """The first-level region a city names in "the X countryside" (the city
    itself when the data has none)."""
    if place.precision != "city":
        return place
    region = r.lexicon.gazetteer.region_of(place)
    if region is None or normalize_name(place.name) not in normalize_name(region.name):
        return place
    return region.model_copy(update={"text": f"{place.text} countryside"})


def _facility_city(r: Reading, m: Mention) -> Place | None:
    """ "the Republican Palace in central Khartoum": a named building the
    gazetteer does not know stands for the city it is in."""
    k = m.end
    if k < r.n and r.norms[k] in FACILITY_WORDS:
        k += 1  # "the Kassala airport in ..."
    elif r.norms[m.end - 1] not in FACILITY_WORDS:
        return None  # "Sheikh Aqil in western Aleppo" is a village, not the city
    if k >= r.n or r.norms[k] not in {"in", "of"}:
        return None
    k += 1
    while k < r.n and r.norms[k] in {
        "the",
        "central",
        "downtown",
        "northern",
        "southern",
        "eastern",
        "western",
    }:
        k += 1
    if k >= r.n or r.owner[k] < 0:
        return None
    city = r.mentions[r.owner[k]]
    if city.kind != "place" or city.place is None or city.place.precision != "city":
        return None
    return city.place.model_copy(update={"text": m.text})


FACILITY_WORDS = word_set("palace airport base camp headquarters complex building barracks citadel")

# Industrial sites named after a brand or a founder ("the Azot chemical plant"),
# and the landmarks of a city ("the National Hospital", "the al-Naim roundabout").
WORKS_WORDS = word_set(
    """
    plant factory refinery works mine hospital stadium roundabout square mosque hotel university palace
    prison
    """
)


def _facility_of_story(r: Reading, m: Mention) -> Place | None:
    """ "fighters entered the Azot chemical plant": an industrial site the
    gazetteer does not know lies in the city of the sentence, else in the city
    the story is about (as "the plant" would)."""
    k = m.end
    while k < r.n and k < m.end + 2 and r.word[k] and not r.cap[k] and r.norms[k] not in WORKS_WORDS:
        k += 1
    if r.norms[m.end - 1] not in WORKS_WORDS and (k >= r.n or r.norms[k] not in WORKS_WORDS):
        return None
    cities = [
        o
        for o in r.mentions
        if o.kind == "place"
        and o is not m
        and not o.reference
        and o.place is not None
        and o.place.precision == "city"
    ]
    if cities:
        nearest = min(cities, key=lambda o: abs(o.start - m.start))
        assert nearest.place is not None
        return nearest.place.model_copy(update={"text": m.text})
    return resolve_anaphor(r, Mention("anaphor", m.start, m.end, m.text, head="plant"), m.start)


def _same_place(a: Place, b: Place) -> bool:
    return place_key(a) == place_key(b) or normalize_name(a.name) == normalize_name(b.name)


# -- who: the actor and the counterpart --------------------------------------------------


def _subject(r: Reading, start: int) -> Mention | None:
    """The nearest actor before the trigger in its clause (or the sentence,
    when the clause has none)."""
    k = start - 1
    steps = 0
    crossed_clause = False
    while k >= 0 and steps < 30:
        owner = r.owner[k]
        if owner >= 0:
            m = r.mentions[owner]
            if (
                m.kind in {"actor", "pronoun"}
                and not (m.kind == "pronoun" and m.head == "it" and _it_is_place(r, m))
                and not modifier(r, m)
                and not attached(r, m)
            ):
                return _affiliation(r, _first_conjunct(r, m))
            # Capital or country as the government: "which Kyiv recaptured".
            adjacent = m.kind == "place" and m.end >= start - 1 and not crossed_clause
            if adjacent and m.place is not None and (m.place.precision == "country" or m.place.is_capital):
                gov = r.lexicon.actors.government_of(m.place.country or "", r.ctx.conflict)
                if gov is not None:
                    return Mention("actor", m.start, m.end, m.text, actor=gov)
            k = m.start - 1
            steps += 1
            continue
        if r.texts[k] == ",":
            opening = _relative_opening(r, k)
            if opening is not None:
                # "The M23, which UN experts say is backed by Rwandan soldiers,
                # seized X": the subject stands before the relative clause.
                k = opening - 1
                steps += 1
                continue
        if r.texts[k] in {",", ";", "—"}:
            crossed_clause = True
        k -= 1
        steps += 1
    return None


RELATIVE_OPENERS = word_set("which who whose where")


def _shared_subject(r: Reading, start: int, drafts: list[Draft]) -> Mention | None:
    """The subject of a participle coordinated with an earlier one: "the SNA
    launched an offensive, driving the SDF out of X and, on Dec. 9, taking Y"
    (the SNA took Y; the SDF is only the object of "driving")."""
    if not r.norms[start].endswith("ing") or not drafts:
        return None
    k = start - 1
    if k >= 0 and r.texts[k] == ",":
        opening = next((x for x in range(k - 1, max(-1, k - 8), -1) if r.texts[x] == ","), None)
        if opening is None:
            return None
        k = opening - 1  # ", on Dec. 9,": an adverbial between "and" and the participle
    if k < 0 or r.norms[k] != "and":
        return None
    earlier = [d.trigger_at for d in drafts if d.trigger_at < start and r.norms[d.trigger_at].endswith("ing")]
    return _subject(r, earlier[-1]) if earlier else None


AFFILIATIONS = frozenset({("linked", "to"), ("affiliated", "with"), ("loyal", "to"), ("tied", "to")})


def _affiliation(r: Reading, m: Mention) -> Mention:
    """ "jihadists linked to al Qaeda", "gunmen loyal to Assad": a generic word
    is the named side it belongs to."""
    k = m.end
    if m.kind != "actor" or not m.generic or k + 2 >= r.n or (r.norms[k], r.norms[k + 1]) not in AFFILIATIONS:
        return m
    owner = r.owner[k + 2] if r.norms[k + 2] != "the" else r.owner[k + 3] if k + 3 < r.n else -1
    if owner < 0:
        return m
    named = r.mentions[owner]
    if named.kind != "actor" or named.generic or named.actor is None:
        return m
    return Mention("actor", m.start, m.end, m.text, actor=named.actor, generic=True)


ALLY_NOUNS = word_set("allies ally partners backers proxies")
ALLY_LINKS = frozenset({"of", "the", "from", "in", ",", "("})


def _leader_of_allies(r: Reading, m: Mention) -> Mention | None:
    """ "Turkish troops and their Syrian rebel allies", "the FAMa and their Russian
    allies of the Wagner group": the side the allies are coordinated with leads."""
    if m.kind != "actor":
        return None
    k = m.end
    if k + 2 < r.n and r.texts[k] == "-" and r.norms[k + 1] in SPONSOR_PARTICIPLES:
        k += 2  # "their Iran-backed allies": the sponsor is not the subject
    if k < r.n and r.norms[k] in ALLY_NOUNS:
        pass  # the allies' name before the noun: "their Syrian rebel allies"
    else:
        k = m.start - 1
        while k >= 0 and m.start - k <= 3 and r.norms[k] in ALLY_LINKS:
            k -= 1  # "their Russian allies of the Wagner group"
        if k < 0 or k == m.start - 1 or r.norms[k] not in ALLY_NOUNS:
            return None
    j = k - 1
    while j >= 0 and k - j <= 5 and r.norms[j] not in {"their", "its"}:
        j -= 1
    if j < 2 or r.norms[j] not in {"their", "its"} or r.norms[j - 1] != "and":
        return None
    i = j - 2
    if r.texts[i] == ")" and i >= 2 and r.texts[i - 2] == "(":
        i -= 3  # "the Malian Armed Forces (FAMa) and their allies"
    if i < 0 or r.owner[i] < 0:
        return None
    first = r.mentions[r.owner[i]]
    return first if first.kind == "actor" and first.actor is not None else None


def _first_conjunct(r: Reading, m: Mention) -> Mention:
    """ "Congolese troops and allied militia fighters abandoned ...": a generic
    word coordinated after a named side stands with it; the named side is the
    subject. So does a side coordinated with "their allies"."""
    leader = _leader_of_allies(r, m)
    if leader is not None:
        return leader
    if m.kind != "actor" or not m.generic:
        return m
    k = m.start - 1
    while k >= 0 and m.start - k <= 4 and r.word[k] and not r.cap[k] and r.norms[k] != "and":
        owner = r.owner[k]
        if owner >= 0 and not (r.mentions[owner].kind == "actor" and r.mentions[owner].generic):
            return m
        k = r.mentions[owner].start - 1 if owner >= 0 else k - 1  # "allied militia"
    if k < 1 or r.norms[k] != "and" or r.owner[k - 1] < 0:
        return m
    first = r.mentions[r.owner[k - 1]]
    if first.kind != "actor" or first.actor is None or modifier(r, first):
        return m
    if first.generic and not first.actor.is_state:
        return m  # ("the army and allied fighters": a state's army is named enough)
    return first


# Words between "and" and a coordinated verb: "and has since pushed".
COORDINATED_VERB_SKIP = word_set("has have had since also then later finally subsequently")


def _coordinated_subject(r: Reading, start: int, drafts: list[Draft]) -> Mention | None:
    """The subject of the first verb of the sentence for a verb coordinated with
    it: "It retook X in January, broke the RSF siege of Y, and has since pushed
    the paramilitaries out of Z" (not the RSF named in between)."""
    if not drafts:
        return None
    k = start - 1
    while k >= 0 and r.norms[k] in COORDINATED_VERB_SKIP:
        k -= 1
    if k < 1 or r.norms[k] != "and" or r.texts[k - 1] != ",":
        return None
    first = min(drafts, key=lambda d: d.trigger_at)
    if first.trigger_at >= k:
        return None
    # The subject opening the sentence ("It", "The army", "Sudan's army").
    for m in r.mentions:
        if m.kind in {"actor", "pronoun"} and m.start <= 2 and m.end <= first.trigger_at:
            return m
    return None


def _apposition_opening(r: Reading, close: int) -> int | None:
    """Where the apposition that the comma at ``close`` ends opens, when it
    describes the place just before it ("Bunagana, a border town on the road to
    Uganda,"): the index of the place's last token."""
    for c in range(close - 2, max(0, close - 14), -1):
        if r.texts[c] in {";", ":", "(", ")"}:
            return None
        if r.texts[c] == ",":
            if (
                c >= 1
                and c + 1 < close
                and r.norms[c + 1] in {"a", "an", "the"}
                and any(r.norms[x] in SETTLEMENT_NOUNS for x in range(c + 2, min(close, c + 6)))
            ):
                owner = r.owner[c - 1]
                if owner >= 0 and r.mentions[owner].kind == "place":
                    return c - 1
            return None
    return None


def _relative_opening(r: Reading, close: int) -> int | None:
    """The comma opening a relative clause that the comma at ``close`` ends
    (", which sits on higher ground on the bank of the river,"), or None."""
    for k in range(close - 2, max(0, close - 26), -1):
        text = r.texts[k]
        if text in {";", ".", ":", "—"}:
            return None
        if text == ",":
            opens = r.norms[k + 1] in RELATIVE_OPENERS or (
                k + 2 < r.n and r.norms[k + 2] == "by" and r.norms[k + 1] in SPONSOR_PARTICIPLES
            )
            # "The AA, one of the strongest armed groups fighting the military,
            # launched ...": an apposition after a side's name.
            before = r.owner[k - 1] if r.texts[k - 1] != ")" else r.owner[max(0, k - 4)]
            apposition = (
                r.norms[k + 1] in APPOSITION_OPENERS
                and before >= 0
                and r.mentions[before].kind == "actor"
                and not r.mentions[before].generic
            )
            return k if opens or apposition else None
    return None


APPOSITION_OPENERS = word_set("one a an the")


# ", backed by Russian air power and Iranian-backed militias,": a participle
# phrase between the subject and its verb.
SPONSOR_PARTICIPLES = word_set("backed supported aided assisted helped accompanied escorted led")


def _opponent(r: Reading, actor: Actor) -> Actor | None:
    """Whom the actor fights, in the country the article is about."""
    country = r.ctx.countries[0] if r.ctx.countries else None
    return r.lexicon.actors.opponent(actor, r.ctx.conflict, country)


def _it_is_place(r: Reading, m: Mention) -> bool:
    nxt = m.end
    while nxt < r.n and r.norms[nxt] in A.PASSIVE_SKIP:
        nxt += 1
    return (
        nxt < r.n
        and r.norms[nxt] in {"was", "is", "had", "has"}
        and (nxt + 1 < r.n and r.norms[nxt + 1] in {"captured", "taken", "seized", "fallen", "been"})
    )


def _passive(r: Reading, start: int, end: int) -> bool:
    if any(r.norms[k].endswith("ing") for k in range(start, min(end, start + 2))):
        return False  # progressive: "are advancing on", "were still resisting in"
    if end < r.n and r.norms[end] == "by":
        return True
    if end - start > 1 and r.norms[end - 1] in LOCATIVE_ENDS:
        return False  # "troops were stationed at X", "were moved into X": where they are
    first = start
    while first < end - 1 and r.norms[first] in {"still", "now", "firmly", "fully", "already"}:
        first += 1  # "was still in control of X": no participle either
    if r.norms[first] in LOCATIVE_ENDS:
        return False  # 'they were "at the walls" of X': no participle
    k = start - 1
    while k >= 0 and (r.norms[k] in A.PASSIVE_SKIP or r.texts[k] in DOUBLE_QUOTES):
        k -= 1  # 'Gao had been "liberated"'
    if k >= 0 and r.norms[k] in A.BE_WORDS:
        if r.norms[k] == "s" and k > 0 and r.norms[k - 1] == "it":
            return True
        return r.norms[k] != "s" or r.texts[k - 1] in "'’"
    return False


# Prepositions a phrase can end with that put its subject at the place after it.
LOCATIVE_ENDS = word_set("in at inside around into on")


def _agent(r: Reading, end: int, prep: str) -> Mention | None:
    k = end
    steps = 0
    while k < r.n and steps < 6:
        if r.norms[k] == prep:
            return r.mention_after(k + 1, ("actor", "pronoun"), 4)
        if r.texts[k] in A.CLAUSE_PUNCT or (k > end and r.norms[k] in A.TRIGGER_SINGLES):
            return None  # (in "attacks at positions held by the SDF" the SDF holds, not attacks)
        k += 1
        steps += 1
    return None


def _agent_after(
    r: Reading, start: int, prep: str, limit: int = 8, kinds: tuple[str, ...] = ("actor",)
) -> Mention | None:
    k = start
    steps = 0
    while k < r.n and steps < limit:
        if r.norms[k] == prep:
            return r.mention_after(k + 1, kinds, 5)
        if r.texts[k] in {";", "."}:
            return None
        k += 1
        steps += 1
    return None


def _agent_after_apposition(r: Reading, end: int) -> Mention | None:
    """ "the fall of X, the largest town in northern Shan State, to the MNDAA":
    the actor after "to" past an apposition of the place."""
    commas = 0
    for k in range(end, min(r.n - 1, end + 24)):
        if r.texts[k] in {";", ".", ":"}:
            return None
        if r.texts[k] == ",":
            commas += 1
            if commas == 2:
                return r.mention_after(k + 2, ("actor",), 4) if r.norms[k + 1] == "to" else None
    return None


def _possessor(r: Reading, start: int) -> Mention | None:
    """ "HTS’ sweep", "the RSF assault", "the rebel advance", "11 Russian assaults"."""
    k = start - 1
    while k >= 0 and (
        r.texts[k] in "'’"
        or r.norms[k] in {"s", "a", "an", "the", "its", "their", "lightning", "latest", "new", "major"}
    ):
        k -= 1
    if k >= 0 and r.owner[k] >= 0:
        m = r.mentions[r.owner[k]]
        if m.kind in {"actor", "pronoun"}:
            return m
    if k >= 0 and r.owner[k] < 0:
        iso2 = r.lexicon.demonyms.get(r.norms[k])
        gov = r.lexicon.actors.government_of(iso2, r.ctx.conflict) if iso2 else None
        if gov is not None:
            return Mention("actor", k, k + 1, r.texts[k], actor=gov)  # "17 Russian attacks"
    return None


def _compound_actor(r: Reading, start: int) -> Mention | None:
    """ "Russian-occupied": the first half names the holder."""
    k = start - 2
    if k < 0:
        return None
    if r.owner[k] >= 0 and r.mentions[r.owner[k]].kind == "actor":
        return r.mentions[r.owner[k]]
    word = r.norms[k]
    iso2 = r.lexicon.demonyms.get(word)
    if iso2:
        gov = r.lexicon.actors.government_of(iso2, r.ctx.conflict)
        if gov:
            return Mention("actor", k, k + 1, r.texts[k], actor=gov)
    for entry in r.lexicon.actors.alias_index.get((word,), []):
        if entry.role:
            actor = role_actor(r, entry.role)
            if actor:
                return Mention("actor", k, k + 1, r.texts[k], actor=actor, generic=True)
    return None


def _last_actor(r: Reading, at: int) -> Mention | None:
    """The side the article named last, standing for a pronoun at ``at``."""
    history = r.ctx.actor_history
    if not history:
        return None
    return Mention("actor", at, at, history[-1].name, actor=history[-1])


def _any_actor(r: Reading, start: int, *, later_clause: bool = True) -> Mention | None:
    before = r.mention_before(start, kinds=("actor",), limit=40)
    after = None if before is not None else r.mention_after(start, ("actor",), 20)
    if (
        after is not None
        and not later_clause
        and any(
            r.texts[k] == ";" or (r.texts[k] == "," and r.norms[k + 1] == "and")
            for k in range(start, after.start)
        )
    ):
        after = None  # "Convoys were seen heading towards X, and Druze fighters ...": another clause's
    found = before or after
    if found is not None and _between_parties(r, found):
        return None  # "a summit between President Tshisekedi and Kagame": no side of the event
    if found is not None and _control_lost_by(r, found):
        return None  # "X fell, leaving the province outside government control": the loser
    return found


# "outside government control", "out of the army's control": whose control a place left.
LOST_CONTROL_WORDS = word_set("outside beyond out from")


def _control_lost_by(r: Reading, m: Mention) -> bool:
    """True when the actor is the one whose control a place left ("outside
    government control", "from regime control")."""
    k = m.end
    if k < r.n and r.texts[k] in {"'", "’"}:
        k += 2 if k + 1 < r.n and r.norms[k + 1] == "s" else 1
    if k >= r.n or r.norms[k] != "control":
        return False
    j = m.start - 1
    while j >= 0 and r.norms[j] in {"the", "of"}:
        j -= 1
    return j >= 0 and r.norms[j] in LOST_CONTROL_WORDS


FALL_WORDS = word_set("fell falls fallen")
# How many sentences back the last take's side may be told for "the capture of X".
TAKER_SENTENCES = 6
# How many sentences back the offensive whose taker a place "fell" to may be told.
FELL_TO_NARRATED_SENTENCES = 3


# How many sentences after a side's withdrawal its movement is still the retreat.
RETREAT_SENTENCES = 10


def _retreating(r: Reading, actor: Actor) -> bool:
    """True when the side moving was last told withdrawing, not taking, a few
    sentences back: its columns heading somewhere are the way of the retreat."""
    if not actor.id or actor.id not in r.ctx.withdrawn_at:
        return False
    at = r.ctx.withdrawn_at[actor.id]
    return r.sentence.index - at <= RETREAT_SENTENCES and r.ctx.took_at.get(actor.id, -1) < at


def _narrated_taker(r: Reading) -> Actor | None:
    """The side that took the last place the article told of, a few sentences
    back: "By Friday they had entered Aleppo. On Saturday, X and Y fell" fell to it."""
    index, drafts = r.ctx.last_dated
    if index < 0 or r.sentence.index - index > FELL_TO_NARRATED_SENTENCES:
        return None
    for d in drafts:
        if d.action in A.TAKE_ACTIONS and d.actor_obj is not None:
            return d.actor_obj
    return None


def _between_parties(r: Reading, m: Mention) -> bool:
    """True when the mention is one of the parties of "between X and Y"."""
    for k in range(m.start - 1, max(-1, m.start - 5), -1):
        if r.norms[k] == "between":
            return True
        if r.texts[k] in A.CLAUSE_PUNCT or r.norms[k] == "and":
            return False
    return False


def _repelled(r: Reading, start: int) -> bool:
    return r.norms[start] in A.REPEL_WORDS or _repel_word_before(r, start) < start


# How far back in an attack's noun phrase the verb repelling it may be:
# "repelled more than 20 Russian attacks".
REPEL_REACH = 7


def _repel_word_before(r: Reading, start: int) -> int:
    """Where the verb repelling the attack at ``start`` is ("beat back a rebel
    assault"), or ``start`` when nothing before it in its clause repels it."""
    if r.norms[start] in A.REPEL_WORDS:
        return start
    for k in range(start - 1, max(-1, start - REPEL_REACH - 1), -1):
        if r.texts[k] in A.CLAUSE_PUNCT:
            break
        if r.norms[k] in A.REPEL_WORDS:
            return k
    return start


def _attacker_named(r: Reading, start: int) -> Mention | None:
    """The attacker the noun phrase of an attack names: "Russian attacks", "an
    RSF attack", "a rebel assault" (None for a bare "the attack")."""
    k = start - 1
    while k >= 0 and start - k <= 5:
        norm = r.norms[k]
        if norm in A.REPEL_WORDS or r.texts[k] in A.CLAUSE_PUNCT:
            return None
        owner = r.owner[k]
        if owner >= 0:
            m = r.mentions[owner]
            return m if m.kind == "actor" and m.actor is not None else None
        iso2 = r.lexicon.demonyms.get(norm)
        if iso2:
            gov = r.lexicon.actors.government_of(iso2, r.ctx.conflict)
            return Mention("actor", k, k + 1, r.texts[k], actor=gov) if gov is not None else None
        k -= 1
    return None


def _attack_by(r: Reading, start: int) -> Mention | None:
    """The attacker after the attack's noun: "an attack by separatist rebels on X"."""
    k = start + 1
    if k + 1 < r.n and r.norms[k] == "by":
        m = r.mention_after(k + 1, ("actor",), 3)
        if m is not None and m.actor is not None:
            return m
    return None


def _repelled_force(r: Reading, end: int) -> Mention | None:
    """The force a repelling verb has for object: "pushed back the attackers",
    "repulsed the rebels" (generic words resolved to the side meant)."""
    k = end
    while k < r.n and r.norms[k] in {"the", "a", "an"}:
        k += 1
    if k < r.n and r.owner[k] >= 0:
        m = r.mentions[r.owner[k]]
        if m.kind == "actor" and m.actor is not None:
            return m
    return None


# How many sentences back an attack may be that "the assault" refers to.
TOLD_ATTACK_SENTENCES = 2


def _attack_told(r: Reading, start: int) -> Actor | None:
    """Who made the attack that "repelled the assault" refers back to: the
    attacker of the last attack the article told, a sentence or two before."""
    words = r.norms[start + 1 : start + 3] if r.norms[start] in A.REPEL_WORDS else r.norms[start - 1 : start]
    if "the" not in words:
        return None  # "repelled an assault": a new one, not the attack just told
    last = r.ctx.last_attack
    if last is None or last.sentence.index < r.sentence.index - TOLD_ATTACK_SENTENCES:
        return None
    return last.actor_obj


def _explicit_counterpart(r: Reading, end: int) -> Actor | None:
    """ "retook Kidal from Tuareg separatists"."""
    k = end
    steps = 0
    while k < r.n and steps < 12:
        if r.norms[k] == "from":
            m = r.mention_after(k + 1, ("actor",), 3)
            return m.actor if m else None
        if r.texts[k] in {";", "."}:
            break
        k += 1
        steps += 1
    return None


# -- when, and how far -------------------------------------------------------------------


def _when(r: Reading, at: int) -> TimeSpan:
    if r.times is None:
        # Read only once an event needs it: most sentences yield none.
        found = find_times(r.sentence.text, r.reference, r.tokens)
        r.times = [(r.token_at(m.start), m.span) for m in found]
    if r.n > 1 and (r.norms[0], r.norms[1]) in SAME_TIME_OPENERS:
        # "... erupted on Thursday. Within hours, gunmen had attacked ...": the
        # narration goes on the same day as the sentence before.
        index, dated = r.ctx.last_dated
        if index == r.sentence.index - 1 and dated:
            return dated[0].when
    times = [t for t in r.times if not _in_other_clause(r, at, t[0])]
    if not times:
        return r.ctx.day
    best = min(times, key=lambda t: abs(t[0] - at) + (0 if t[0] > at else 1))
    return best[1]


# Sentence openings that keep the time of the sentence before.
SAME_TIME_OPENERS = frozenset(
    {("within", "hours"), ("hours", "later"), ("the", "same"), ("later", "that"), ("that", "same")}
)

STILL_WORDS = word_set("still remain remains remained continue continues continued")

# Events that happen at a point in time and can continue a dated narration.
NARRATED_ACTIONS = frozenset({"captured", "recaptured", "entered", "withdrew", "claimed_control"})
PRESENT_MARKERS = word_set("now today currently still is are")


def _carried_date(r: Reading, place: Place) -> TimeSpan | None:
    """The date the sentence just before stated for an event at the same place,
    when this sentence states none and continues that narration: "Rebels
    stormed Hama yesterday. HTS captured the city after troops fled." Not across
    another sentence, not in the present tense, not about another place."""
    index, dated = r.ctx.last_dated
    if index != r.sentence.index - 1 or not dated:
        return None
    if any(norm in PRESENT_MARKERS for norm in r.norms):
        return None
    key = place_key(place)
    for d in dated:
        if place_key(d.place) == key and d.when.start < r.ctx.day.start:
            return d.when
    return None


OTHER_CLAUSE_OPENERS = word_set("since when where which who that")


def _in_other_clause(r: Reading, at: int, t: int) -> bool:
    """True when a time after the phrase dates another clause: "for the first
    time since the war began in 2011", "Daraa, where the 2011 uprising began"
    (but "since 2016" and "after midnight" date the phrase itself)."""
    if t <= at:
        # "Saraqib, which the command said on Friday it had captured, was ...":
        # a relative clause closed before the phrase dates its own verb.
        if "," not in r.texts[t:at]:
            return False
        for k in range(t - 1, max(-1, t - 10), -1):
            if r.texts[k] in A.CLAUSE_PUNCT:
                return False
            if r.norms[k] in {"which", "who"}:
                return True
        return False
    for k in range(t - 2, at, -1):
        if r.texts[k] in A.CLAUSE_PUNCT:
            return False  # the clause closed before the time
        if r.norms[k] in OTHER_CLAUSE_OPENERS:
            return True
        if r.norms[k] in {"after", "before"} and any(
            r.owner[x] >= 0 and r.mentions[r.owner[x]].kind in {"actor", "pronoun"}
            for x in range(k + 1, min(t, k + 4))
        ):
            return True  # "entered X months after Ukraine recaptured the city in September 2022"
    return False


def _distance_for(
    r: Reading, place: Place, distances: list[tuple[int, int, DistanceMention, Mention | None]]
) -> Distance | None:
    for first, _last, d, ref in distances:
        before = r.mention_before(first, kinds=("place", "anaphor"), limit=6)
        if before is None or (before.place is None and before.kind == "place"):
            continue
        if before.place is not None and _same_place(before.place, place):
            return _distance(r, d, ref)
    return None


def _distance(r: Reading, d: DistanceMention, ref: Mention | None) -> Distance:
    ref_place = None
    text = d.text
    if ref is not None:
        ref_place = resolve_anaphor(r, ref, ref.start) if ref.kind == "anaphor" else ref.place
        text = f"{d.text} {ref.text}"
    return Distance(
        km=d.km,
        value=d.value,
        unit=d.unit,
        bearing=d.bearing,
        reference=ref_place,
        text=text,
    )


# -- wire models -------------------------------------------------------------------------


# Every event carries its actor and counterpart as wire models; the same few
# actors are named over and over, so the models are built once.
@functools.lru_cache(maxsize=4096)
def _actor_ref(actor: Actor, text: str | None, generic: bool) -> ActorRef:
    if not actor.id:  # defined by the article itself ("Long Name (ABBR)")
        return ActorRef(id=None, name=actor.name, text=text, side=actor.side, country=actor.country)
    return actor.ref(text, generic=generic)


def _counterpart_ref(counterpart: Actor | None, actor: Actor) -> ActorRef | None:
    if counterpart is None or counterpart.id == actor.id:
        return None
    return _registry_ref(counterpart)


@functools.lru_cache(maxsize=1024)
def _registry_ref(actor: Actor) -> ActorRef:
    return actor.ref(None)
