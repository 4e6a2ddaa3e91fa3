"""The advisor: turns a plain-words reason into a role suggestion bound to the catalogue.

It consumes ``SuggestRole`` requests and answers each with a ``RoleSuggested`` on the
request's reply topic. Two engines sit behind one port (:mod:`.domain.engine`): an
OpenAI-compatible model, and an offline ranker that needs no network. Whatever an engine
says, :mod:`.domain.guard` keeps the answer inside the requester's eligible roles, their
providers and each role's maximum duration.
"""
