"""The grant ledger in MongoDB: one document per grant in the ``grants`` collection.

The grant id is the document's ``_id``, so the server's unique index on ``_id`` is what
makes two writers agree. Every method is one atomic write to one document, which MongoDB
and FerretDB (no multi-document transactions) serve alike.

The ledger is what keeps a late grant from applying. A revoke marks its grant first,
creating the document when the grant was never seen, so a ``GrantAccess`` delivered after
its ``RevokeAccess`` (redelivered, or overtaken) finds the mark and is refused: applying
it would leave access that no workflow is going to revoke.
"""

from typing import Any

from pymongo import ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from elevate_provisioner.domain.grants import GrantRecord, GrantState
from elevate_provisioner.domain.ports import GrantLedger
from elevate_shared.messages import GrantAccess, RevokeAccess
from elevate_shared.messages.base import utcnow

#: Name of the collection, in the database of ``MongoSettings``.
COLLECTION = "grants"

Document = dict[str, Any]

_GRANTING = GrantState.GRANTING.value
_GRANTED = GrantState.GRANTED.value
_REVOKING = GrantState.REVOKING.value
_REVOKED = GrantState.REVOKED.value


class MongoGrantLedger(GrantLedger):
    """Grant states in a MongoDB-compatible database, one atomic write per step."""

    def __init__(self, database: AsyncDatabase[Document]) -> None:
        self._grants: AsyncCollection[Document] = database[COLLECTION]

    async def find(self, grant_id: str) -> GrantRecord | None:
        """Return the grant as it stands, or None if no command for it was ever seen."""
        document = await self._grants.find_one({"_id": grant_id})
        return None if document is None else _record(document)

    async def start_grant(self, command: GrantAccess) -> GrantRecord:
        """Insert the grant as ``granting`` unless it is known; return it as it stands."""
        now = utcnow()
        document = await self._grants.find_one_and_update(
            {"_id": command.grant_id},
            {"$setOnInsert": {**_about(command), "state": _GRANTING, "requested_at": now}},
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        return _record(document)

    async def finish_grant(self, grant_id: str) -> bool:
        """Mark the grant ``granted``, unless a revoke or a failure got there first."""
        result = await self._grants.update_one(
            {"_id": grant_id, "state": {"$in": [_GRANTING, _GRANTED]}},
            {"$set": {"state": _GRANTED, "granted_at": utcnow()}},
        )
        return result.matched_count == 1

    async def fail_grant(self, grant_id: str, reason: str) -> None:
        """Mark the grant ``failed`` for good, unless a revoke was asked for meanwhile."""
        await self._grants.update_one(
            {"_id": grant_id, "state": _GRANTING},
            {"$set": {"state": GrantState.FAILED.value, "reason": reason, "failed_at": utcnow()}},
        )

    async def start_revoke(self, command: RevokeAccess) -> bool:
        """Mark the grant ``revoking``, creating it if unseen; False if already revoked."""
        try:
            await self._grants.find_one_and_update(
                {"_id": command.grant_id, "state": {"$ne": _REVOKED}},
                {
                    "$set": {"state": _REVOKING, "revoke_requested_at": utcnow()},
                    "$setOnInsert": _about(command),
                },
                upsert=True,
            )
        except DuplicateKeyError:
            # The filter missed because the grant is revoked, so the upsert tried to insert
            # a second document with the same _id, which the unique index refused.
            return False
        return True

    async def finish_revoke(self, grant_id: str) -> None:
        """Mark the grant ``revoked``."""
        await self._grants.update_one(
            {"_id": grant_id}, {"$set": {"state": _REVOKED, "revoked_at": utcnow()}}
        )

    async def get(self, grant_id: str) -> Document | None:
        """Return the grant's stored document, for operators and tests."""
        return await self._grants.find_one({"_id": grant_id})


def _about(command: GrantAccess | RevokeAccess) -> Document:
    return {
        "workflow_id": command.workflow_id,
        "provider": command.provider,
        "identities": list(command.identities),
    }


def _record(document: Document | None) -> GrantRecord:
    if document is None:  # an upsert that returns the document after always finds one
        raise LookupError("the grant ledger returned no document after an upsert")
    return GrantRecord(
        grant_id=document["_id"], state=GrantState(document["state"]), reason=document.get("reason")
    )
