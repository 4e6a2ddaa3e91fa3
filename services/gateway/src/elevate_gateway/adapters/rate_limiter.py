"""Count requests per caller in fixed windows, in Redis."""

import abc
import math
import time

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

from elevate_shared.errors import Unavailable

log = structlog.get_logger(__name__)


class RateLimiter(abc.ABC):
    """Port: count one request against a limit."""

    @abc.abstractmethod
    async def hit(self, key: str, *, limit: int, window_seconds: int) -> int | None:
        """Count a request; return the seconds to wait when it is over the limit."""


class RedisRateLimiter(RateLimiter):
    """A fixed window per key: one counter per window, expiring with it.

    A fixed window lets a caller send up to twice the limit across a window boundary;
    for protecting the workflow service from floods that is close enough, and it costs
    one round trip.
    """

    def __init__(self, redis: "Redis") -> None:
        self._redis = redis

    async def hit(self, key: str, *, limit: int, window_seconds: int) -> int | None:
        now = time.time()
        window = int(now // window_seconds)
        name = f"elevate:rate:{key}:{window}"
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.incr(name)
                pipe.expire(name, window_seconds + 1)
                count, _ = await pipe.execute()
        except RedisError as error:
            # Failing closed: without counters, the gateway cannot protect what is behind it.
            log.warning("rate_limiter_failed", error=repr(error))
            raise Unavailable("the rate limiter did not answer; try again shortly") from error
        if int(count) <= limit:
            return None
        return max(1, math.ceil((window + 1) * window_seconds - now))
