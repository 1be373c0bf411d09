"""`Idempotency-Key`: a retried POST returns the first response and creates nothing twice."""
