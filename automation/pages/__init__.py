"""Page objects: one module per screen. They hold every locator (from the catalogue) and never assert."""
