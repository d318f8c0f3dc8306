"""Analytics for the ministry (issue 17): aggregate tables kept current by the workflow, the
dashboards that read them, and their rebuild from the raw cases (docs/analytics.md)."""
