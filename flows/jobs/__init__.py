"""What users run: sign-ins, keep-alive, approvals, request-access, the guide walk. Jobs chain page
objects and return typed results; they never print (the command line and the reports do)."""
