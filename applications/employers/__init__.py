"""Employers (issue 19): organisation accounts with a checked BIN, verified by a criteria admin."""
