"""The demands' back-office screens."""
