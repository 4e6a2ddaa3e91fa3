"""How commands reach the provisioner: a Kafka subscriber on the provisioner's topic."""
