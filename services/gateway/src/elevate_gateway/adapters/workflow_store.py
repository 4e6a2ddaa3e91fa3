"""Read workflow documents, which only the workflow service writes."""

import abc
from typing import Any

import structlog
from pymongo import AsyncMongoClient
from pymongo.errors import PyMongoError

from elevate_shared.errors import Unavailable
from elevate_shared.records import WORKFLOWS_COLLECTION, WorkflowRecord

log = structlog.get_logger(__name__)


class WorkflowReader(abc.ABC):
    """Port: load one workflow by id."""

    @abc.abstractmethod
    async def get(self, workflow_id: str) -> WorkflowRecord | None:
        """Return the workflow, or None when there is none with that id."""


class MongoWorkflowReader(WorkflowReader):
    """Read the ``workflows`` collection; ``_id`` is the workflow id."""

    def __init__(self, client: AsyncMongoClient[dict[str, Any]], database: str) -> None:
        self._collection = client[database][WORKFLOWS_COLLECTION]

    async def get(self, workflow_id: str) -> WorkflowRecord | None:
        # The id is a validated string by now; it is matched as a value, never as a query.
        try:
            document = await self._collection.find_one({"_id": {"$eq": workflow_id}})
        except PyMongoError as error:
            log.warning("workflow_read_failed", error=repr(error))
            raise Unavailable("the workflow store did not answer; try again shortly") from error
        return WorkflowRecord.model_validate(document) if document else None
