"""Readiness probes say which server failed, and how, in the log."""

from structlog.testing import capture_logs

from elevate_gateway.adapters.probes import Probe


async def test_a_probe_that_raises_is_not_ready_and_logs_its_name_and_error_type() -> None:
    async def refused() -> bool:
        raise ConnectionRefusedError("redis://user:secret@127.0.0.1:1/0")

    with capture_logs() as logs:
        ready = await Probe("redis", refused).run()

    assert not ready
    assert logs == [
        {
            "event": "probe_failed",
            "log_level": "warning",
            "probe": "redis",
            "error": "ConnectionRefusedError",
        }
    ]


async def test_a_probe_that_answers_logs_nothing() -> None:
    async def answered() -> bool:
        return True

    with capture_logs() as logs:
        ready = await Probe("mongodb", answered).run()

    assert ready
    assert logs == []
