"""Wire contracts of Sitrep: one pydantic v2 model per topic value and API body.

Every record carries ``schema_version``; a consumer that meets a version it
does not know sends the record to ``sitrep.deadletter.v1`` instead of guessing.
"""

from schemas.alert import Alert, AlertKind, Severity
from schemas.article import Article
from schemas.common import SCHEMA_VERSION, ActorRef, Place, Source, TimeSpan
from schemas.control import Claim, ControlState, ControlStatus, Threat
from schemas.deadletter import DeadLetter, Stage
from schemas.event import ACTIONS, Action, Distance, Evidence, SituationEvent, Stance
from schemas.topics import TOPICS, TopicSpec, topic_for

__all__ = [
    "ACTIONS",
    "SCHEMA_VERSION",
    "TOPICS",
    "Action",
    "ActorRef",
    "Alert",
    "AlertKind",
    "Article",
    "Claim",
    "ControlState",
    "ControlStatus",
    "DeadLetter",
    "Distance",
    "Evidence",
    "Place",
    "Severity",
    "SituationEvent",
    "Source",
    "Stage",
    "Stance",
    "Threat",
    "TimeSpan",
    "TopicSpec",
    "topic_for",
]
