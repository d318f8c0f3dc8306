"""Staff pages that are no one queue's: the staff home per role and the auditor's case search (issue 16)."""
