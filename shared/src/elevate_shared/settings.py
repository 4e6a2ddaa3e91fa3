"""Settings shared by the services, grouped by concern and read from the environment.

Each group has its own prefix (``KAFKA_``, ``MONGODB_``, ``REDIS_``, ``AWS_``,
``ELEVATE_``). A missing or malformed variable stops the service at start with a
message naming it.
"""

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class KafkaSettings(BaseSettings):
    """Where Kafka is and how consumers wait on it."""

    model_config = SettingsConfigDict(env_prefix="KAFKA_")

    #: Comma-separated host:port list of brokers.
    bootstrap_servers: str = "127.0.0.1:19092"
    #: How long the group waits for a silent consumer before moving its partitions.
    #: Short, so a crashed replica's partitions move on within seconds.
    session_timeout_ms: int = 10_000
    #: Heartbeats at a tenth of the session timeout, so a slow beat is not a death.
    heartbeat_interval_ms: int = 1_000
    #: How long a fetch waits for data on a quiet topic; low, because each state change
    #: of an elevation is a hop, and a person waits on the whole chain.
    fetch_max_wait_ms: int = 100


class MongoSettings(BaseSettings):
    """Where the workflow store lives."""

    model_config = SettingsConfigDict(env_prefix="MONGODB_")

    #: Connection string of a MongoDB-compatible server.
    uri: str = "mongodb://127.0.0.1:27117/"
    #: Database that holds Elevate's collections.
    database: str = "elevate"


class RedisSettings(BaseSettings):
    """Where the gateway keeps idempotency keys and rate-limit counters."""

    model_config = SettingsConfigDict(env_prefix="REDIS_")

    #: Redis URL.
    url: str = "redis://127.0.0.1:16379/0"


class AwsSettings(BaseSettings):
    """The AWS endpoint the provisioner talks to (moto locally); boto3 reads the rest."""

    model_config = SettingsConfigDict(env_prefix="AWS_")

    #: Override of the AWS API endpoint; unset means the real AWS.
    endpoint_url: str | None = None
    #: Default region for API calls.
    default_region: str = "us-east-1"


class ElevateSettings(BaseSettings):
    """Product-wide settings."""

    model_config = SettingsConfigDict(env_prefix="ELEVATE_")

    #: Folder holding the catalogue's YAML files.
    catalogue_dir: Path = Field(default=Path("config/catalogue"))
    #: Log level name.
    log_level: str = "INFO"
    #: Render logs as JSON lines (production) or for a terminal (local).
    log_json: bool = True
    #: Address at which people reach the gateway; links in notifications start with it.
    public_url: str = "http://127.0.0.1:8000"


class TaskTokenSettings(BaseSettings):
    """The key that signs task tokens; the gateway and the workflow service share it."""

    # A too-short secret must not be echoed back in the start-up error.
    model_config = SettingsConfigDict(hide_input_in_errors=True)

    #: HMAC-SHA256 key of task tokens: required, at least 32 characters, never logged.
    secret: SecretStr = Field(validation_alias="ELEVATE_TASK_TOKEN_SECRET", min_length=32)
