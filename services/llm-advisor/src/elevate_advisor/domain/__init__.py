"""Advisor logic without I/O: role profiles, the engine port, the offline ranker, guards."""
