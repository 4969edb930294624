"""EU Login (CAS) screens."""
