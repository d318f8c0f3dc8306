"""SMS: message length in segments, phone numbers, backends, verification and outbox delivery."""
