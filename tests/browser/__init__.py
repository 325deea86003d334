"""Browser tests: the built book in headless Chromium."""
