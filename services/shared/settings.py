"""Settings, one pydantic-settings model per service, all read from ``SITREP_*``
environment variables (or a ``.env`` file) and validated at start.

Where the system runs is found in this order: ``SITREP_KAFKA_BOOTSTRAP`` (a real
cluster; nothing is spawned), else the runtime file that ``sitrep run`` writes
into ``SITREP_DATA_DIR`` (the embedded broker it started).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.errors import BrokerUnavailable

RUNTIME_FILE = "runtime.json"


class Runtime(BaseModel):
    """Addresses of a running system, written by ``sitrep run`` for the other commands."""

    kafka_bootstrap: str
    api_url: str | None = None
    embedded_broker: bool = True
    supervisor_pid: int | None = None


class SitrepSettings(BaseSettings):
    """What every Sitrep process needs: where its state lives and how to reach Kafka."""

    model_config = SettingsConfigDict(env_prefix="SITREP_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=Path(".sitrep"), description="state: embedded broker data, runtime file")
    kafka_bootstrap: str | None = Field(default=None, description="host:port[,host:port]; unset = embedded")
    kafka_security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    kafka_sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] | None = None
    kafka_sasl_username: str | None = None
    kafka_sasl_password: SecretStr | None = None
    kafka_client_id: str = "sitrep"
    partitions: int = Field(default=4, ge=1, description="partitions of every keyed topic")
    replication_factor: int = Field(default=1, ge=1)
    log_level: str = "INFO"
    processor_group: str = Field(
        default="sitrep-processor", description="the processor's faust app id and group"
    )

    @property
    def runtime_path(self) -> Path:
        return self.data_dir / RUNTIME_FILE

    def read_runtime(self) -> Runtime | None:
        try:
            return Runtime.model_validate_json(self.runtime_path.read_text("utf-8"))
        except (FileNotFoundError, ValueError):
            return None

    def write_runtime(self, runtime: Runtime) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        tmp = self.runtime_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(runtime.model_dump(), indent=2), "utf-8")
        tmp.replace(self.runtime_path)

    def resolve_bootstrap(self) -> str:
        """The Kafka to talk to, or a clear error naming both ways to provide one."""
        if self.kafka_bootstrap:
            return self.kafka_bootstrap
        runtime = self.read_runtime()
        if runtime is not None:
            return runtime.kafka_bootstrap
        raise BrokerUnavailable(
            f"no running Sitrep found in {self.data_dir}/ and SITREP_KAFKA_BOOTSTRAP is not set: "
            "start one with `sitrep run` (or `make run`), or point SITREP_KAFKA_BOOTSTRAP at a cluster"
        )


class IngestSettings(SitrepSettings):
    """Reading articles: from files, from URLs and feeds (``sitrep ingest URL``,
    ``sitrep watch``, the ingest worker)."""

    max_article_bytes: int = Field(default=5 * 1024 * 1024, description="larger inputs are dead-lettered")
    # Fetching pages and feeds over HTTP.
    fetch_user_agent: str = Field(
        default="Sitrep/0.1 (situation feed for armed conflicts; +https://github.com/sitrep)",
        description="the User-Agent every request names the project with",
    )
    fetch_max_bytes: int = Field(
        default=10 * 1024 * 1024, ge=1024, description="a response larger than this is cut off (dead letter)"
    )
    fetch_connect_timeout_s: float = Field(default=5.0, gt=0)
    fetch_read_timeout_s: float = Field(default=15.0, gt=0, description="longest wait for the next bytes")
    fetch_total_timeout_s: float = Field(default=60.0, gt=0, description="longest a whole fetch may take")
    fetch_max_redirects: int = Field(default=5, ge=0)
    fetch_allow_private_addresses: bool = Field(
        default=False,
        description="fetch from loopback, private and link-local addresses (tests, an intranet); "
        "cloud metadata addresses stay refused",
    )
    fetch_concurrency: int = Field(default=8, ge=1, description="fetches in flight at once per worker")
    fetch_attempts: int = Field(
        default=3, ge=1, description="tries of a page that fails transiently before it is dead-lettered"
    )
    # Watching feeds and folders (sitrep watch, the ingest worker).
    watch: list[str] = Field(
        default_factory=list,
        description="feed URLs and folders the ingest worker watches (SITREP_WATCH='[\"https://…\"]')",
    )
    watch_interval_s: float = Field(default=60.0, gt=0, description="how often each feed or folder is polled")
    watch_max_backoff_s: float = Field(
        default=3600.0, gt=0, description="longest wait before a failing feed is tried again"
    )
    watch_group: str = Field(
        default="sitrep-ingest", description="consumer group that shares the watched items among workers"
    )


class RuleSettings(SitrepSettings):
    """The alert rules (``domain.alert_rules.AlertRules`` documents each; times
    are event time). SITREP_CAPITAL_THREAT_KM and so on. The processor folds
    with them, and the API folds the past (``as_of``) with the same ones."""

    capital_threat_km: float = Field(
        default=50.0, gt=0, description="a hostile force this near a capital alerts"
    )
    threat_ttl_hours: float = Field(default=72.0, gt=0, description="an advance or siege not renewed expires")
    contest_ttl_hours: float = Field(
        default=168.0, gt=0, description="a hostile force reported inside expires"
    )
    realert_window_hours: float = Field(
        default=72.0, gt=0, description="the same alert is not repeated within"
    )
    weight_neutral_report: float = Field(
        default=0.9, ge=0, le=1, description="a monitor or news agency reports"
    )
    weight_asserted: float = Field(default=0.8, ge=0, le=1, description="the article states it")
    weight_reported: float = Field(default=0.7, ge=0, le=1, description="another source reports")
    weight_self_claim: float = Field(default=0.4, ge=0, le=1, description="a party about itself")
    weight_presumed: float = Field(default=0.3, ge=0, le=1, description="the side attacked presumed to hold")


class ProcessorSettings(RuleSettings):
    # Short timeouts suit the embedded broker: a restarted worker rejoins in
    # seconds instead of waiting out Kafka's 45 s default session.
    session_timeout_s: float = 10.0
    heartbeat_interval_s: float = 1.0
    rebalance_timeout_s: float = 20.0
    commit_interval_s: float = Field(default=2.8, gt=0, description="how often faust commits offsets")
    # A batch is what faust hands over within batch_within_s, up to batch_size:
    # bigger batches fold a place's repeated states into one publication.
    batch_size: int = Field(default=5000, ge=1)
    batch_within_s: float = Field(default=0.2, gt=0)


class ApiSettings(RuleSettings):
    api_host: str = "127.0.0.1"
    api_port: int = Field(default=8000, ge=0, le=65535)
    api_public_url: str | None = None
    api_token: SecretStr | None = Field(
        default=None,
        description="bearer token POST /v1/articles requires; unset: anyone who reaches the API may post",
    )
    api_token_for_reads: bool = Field(
        default=False, description="require the token on every route but health"
    )
    api_max_body_bytes: int = Field(
        default=5 * 1024 * 1024 + 64 * 1024,
        ge=1024,
        description="largest request body accepted (413 beyond): an article's 5 MiB and its envelope",
    )
