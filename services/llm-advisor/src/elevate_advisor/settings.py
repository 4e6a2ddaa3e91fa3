"""The advisor's own settings: which model to ask, and how long to wait for it.

Read from ``LLM_*`` environment variables. With no ``LLM_BASE_URL`` the advisor uses the
offline engine and never touches the network.
"""

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class LlmSettings(BaseSettings):
    """Where the OpenAI-compatible model is and how it is called."""

    model_config = SettingsConfigDict(env_prefix="LLM_")

    #: Base URL of an OpenAI-compatible API (e.g. https://api.openai.com/v1); unset means
    #: the offline engine.
    base_url: str | None = None
    #: Model name the endpoint serves; it must support structured output (json_schema).
    model: str = "gpt-4o-mini"
    #: API key, sent as a bearer token and never logged; empty for servers without keys.
    api_key: SecretStr = SecretStr("")
    #: Seconds one HTTP call to the model may take.
    timeout_s: float = Field(default=4.0, gt=0)
    #: Retries of a failed call (connection error, 408, 429, 5xx), with the client's
    #: exponential backoff.
    max_retries: int = Field(default=1, ge=0, le=5)
    #: Seconds for the whole answer, retries included. Keep it below the gateway's wait
    #: (GATEWAY_ADVICE_TIMEOUT_SECONDS, 10 s) so a fallback answer still arrives in time.
    deadline_s: float = Field(default=7.0, gt=0)
    #: When the model fails, answer with the offline engine instead of "nothing fits".
    fallback_offline: bool = True
