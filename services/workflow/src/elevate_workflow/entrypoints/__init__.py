"""How the workflow service is driven: Kafka consumers, the timer loop, the outbox sweep."""
