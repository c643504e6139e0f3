// The interpreter: execution plans and sessions.
